// TokenService: issuing, rotating, revoking and checking credentials, over an AccessStore
// and a KeyRing. Secrets are returned once and stored only as keyed hashes:
//   token hash  = hex HMAC-SHA256(Key(kTokenPepper, tenant, version), token text)
//   secret hash = hex HMAC-SHA256(Key(kTokenPepper, recipient id, version),
//                                 "oauth-client-secret:" + secret)
// where the tenant is the recipient id (kAdminTenant for admin tokens), so equal secrets of
// two tenants never hash alike and a stolen table of hashes verifies nothing without the
// master key. Comparisons are constant-time.
//
// This class does no caching (AccessService adds the fast path). Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "access/access_store.h"
#include "access/key_ring.h"
#include "access/mac_token.h"

namespace ds::access {

struct IssuedToken {
  std::string token;  // the bearer token text; shown once
  TokenRecord record;
};

struct IssuedClient {
  OAuthClient client;
  std::string client_secret;  // shown once
};

struct OAuthAccessToken {
  std::string access_token;
  std::string token_type = "Bearer";
  int64_t expires_in_seconds = 0;
  TokenRecord record;
  Recipient recipient;  // whom it was issued to
};

struct IssuedActivation {
  std::string code;  // goes into the activation URL; shown once
  ActivationLink link;
};

struct RedeemedActivation {
  IssuedToken token;
  Recipient recipient;
  std::string endpoint;  // as recorded when the link was created
};

using NowFn = std::function<int64_t()>;

// Where the sharing server serves these, relative to its endpoint (the profile's endpoint):
// the OAuth token endpoint, and GET <endpoint>/activation/<code> answering the profile once.
inline constexpr std::string_view kOAuthTokenPath = "/oauth/token";
inline constexpr std::string_view kActivationPathPrefix = "/activation/";

class TokenService {
 public:
  static constexpr int64_t kDefaultAdminTokenLifetimeSeconds = 90LL * 86400;
  static constexpr int64_t kDefaultActivationLifetimeSeconds = 7LL * 86400;

  TokenService(AccessStorePtr store, std::shared_ptr<const KeyRing> keys,
               NowFn now_ms = SystemNowMs);

  // A new token for `recipient` valid for `lifetime_seconds` (default: the recipient's token
  // lifetime). InvalidArgument for a lifetime outside 1 s .. 10 years.
  Result<IssuedToken> Issue(const Recipient& recipient,
                            std::optional<int64_t> lifetime_seconds = std::nullopt,
                            std::string label = "");
  // A token for the admin API.
  Result<IssuedToken> IssueAdmin(std::optional<int64_t> lifetime_seconds = std::nullopt,
                                 std::string label = "");

  // Issues a successor of token `token_id` (same recipient and kind, a fresh lifetime) and
  // keeps the old one working for `grace_seconds` (0 = revoked now). NotFound for an unknown
  // id; FailedPrecondition if the old token has already ended or is an OAuth access token.
  Result<IssuedToken> Rotate(std::string_view token_id, int64_t grace_seconds);
  // Revokes one token now. NotFound for an unknown id.
  Status Revoke(std::string_view token_id);
  // Revokes every token of a recipient now (other recipients are untouched); returns how
  // many were still working.
  Result<int64_t> RevokeAll(const Recipient& recipient);
  Result<int64_t> RevokeAllAdmin();

  // Checks a token against the store, without caching. Unauthenticated ("invalid token",
  // "token has expired", "token has been revoked") unless it is valid now; Unavailable /
  // IOError when the store fails.
  Result<TokenRecord> Verify(std::string_view token);

  // The keyed hash of `token` for `tenant` under key `version`. FailedPrecondition if the
  // version is unknown or retired.
  Result<std::string> HashToken(std::string_view tenant, int64_t version,
                                std::string_view token) const;

  // --- OAuth 2.0 client credentials --------------------------------------------------------
  // A client for `recipient`; its access tokens live `access_token_lifetime_seconds`.
  Result<IssuedClient> CreateOAuthClient(
      const Recipient& recipient,
      int64_t access_token_lifetime_seconds = kDefaultOAuthTokenLifetimeSeconds);
  // Exchanges client credentials for a short-lived access token (an ordinary bearer token of
  // kind kOAuthAccess, revocable like any other; its lifetime is the client's, capped by the
  // recipient's token lifetime). Unauthenticated("invalid client credentials") for an unknown
  // client or a wrong secret. With `client_address`, PermissionDenied (and no token) when the
  // recipient has an IP allow-list that does not admit it.
  Result<OAuthAccessToken> ExchangeClientCredentials(
      std::string_view client_id, std::string_view client_secret,
      std::optional<std::string_view> client_address = std::nullopt);

  // --- One-time activation links -----------------------------------------------------------
  // A link valid for `valid_seconds`; the code is a MAC'd token (kActivation) naming the
  // link, so forged codes are refused without a database lookup.
  Result<IssuedActivation> CreateActivationLink(
      const Recipient& recipient, std::string endpoint,
      int64_t valid_seconds = kDefaultActivationLifetimeSeconds);
  // Redeems a code: exactly once, it issues a new token for the link's recipient. NotFound
  // for a code that is malformed, forged or unknown; FailedPrecondition if it was used or
  // has expired.
  Result<RedeemedActivation> RedeemActivationLink(std::string_view code);

  // Deletes tokens that ended more than `retention_seconds` ago; returns how many.
  Result<int64_t> PurgeEndedTokens(int64_t retention_seconds = 86400);

  const AccessStorePtr& store() const { return store_; }
  const std::shared_ptr<const KeyRing>& keys() const { return keys_; }
  int64_t NowMs() const { return now_ms_(); }

 private:
  Result<IssuedToken> Mint(TokenKind kind, const std::string& recipient_id,
                           int64_t lifetime_seconds, std::string label,
                           const std::string& oauth_client_id);
  Result<std::string> HashClientSecret(const std::string& recipient_id, int64_t version,
                                       std::string_view secret) const;

  AccessStorePtr store_;
  std::shared_ptr<const KeyRing> keys_;
  MacTokenCodec codec_;
  NowFn now_ms_;
};

// The tenant a token's pepper is derived for.
std::string_view TokenTenant(const TokenRecord& record);

}  // namespace ds::access
