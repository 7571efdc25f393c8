#include "access/token_service.h"

#include "access/ids.h"
#include "access/ip_allow_list.h"
#include "access/token_format.h"
#include "crypto/crypto.h"
#include "util/string_util.h"

namespace ds::access {
namespace {

constexpr int64_t kMaxLifetimeSeconds = 10LL * 366 * 86400;

Status CheckLifetime(int64_t seconds, std::string_view what) {
  if (seconds < 1 || seconds > kMaxLifetimeSeconds) {
    return Status::InvalidArgument(std::string(what) + " must be between 1 second and 10 years");
  }
  return Status::OK();
}

Status InvalidToken() { return Status::Unauthenticated("invalid token"); }

}  // namespace

std::string_view TokenTenant(const TokenRecord& record) {
  return record.kind == TokenKind::kAdmin ? kAdminTenant : std::string_view(record.recipient_id);
}

TokenService::TokenService(AccessStorePtr store, std::shared_ptr<const KeyRing> keys, NowFn now_ms)
    : store_(std::move(store)), keys_(keys), codec_(std::move(keys)), now_ms_(std::move(now_ms)) {}

Result<std::string> TokenService::HashToken(std::string_view tenant, int64_t version,
                                            std::string_view token) const {
  ASSIGN_OR_RETURN(std::string key, keys_->Key(KeyPurpose::kTokenPepper, tenant, version));
  return HexEncode(crypto::HmacSha256(key, token));
}

Result<std::string> TokenService::HashClientSecret(const std::string& recipient_id, int64_t version,
                                                   std::string_view secret) const {
  ASSIGN_OR_RETURN(std::string key, keys_->Key(KeyPurpose::kTokenPepper, recipient_id, version));
  return HexEncode(crypto::HmacSha256(key, "oauth-client-secret:" + std::string(secret)));
}

Result<IssuedToken> TokenService::Mint(TokenKind kind, const std::string& recipient_id,
                                       int64_t lifetime_seconds, std::string label,
                                       const std::string& oauth_client_id) {
  RETURN_NOT_OK(CheckLifetime(lifetime_seconds, "token lifetime"));
  ASSIGN_OR_RETURN(MintedToken minted, MintToken());
  IssuedToken out;
  TokenRecord& r = out.record;
  r.id = minted.id;
  r.kind = kind;
  r.recipient_id = recipient_id;
  r.key_version = keys_->current_version();
  ASSIGN_OR_RETURN(r.hash, HashToken(TokenTenant(r), r.key_version, minted.text));
  r.created_at_ms = now_ms_();
  r.expires_at_ms = r.created_at_ms + lifetime_seconds * 1000;
  r.oauth_client_id = oauth_client_id;
  r.label = std::move(label);
  out.token = std::move(minted.text);
  return out;
}

Result<IssuedToken> TokenService::Issue(const Recipient& recipient,
                                        std::optional<int64_t> lifetime_seconds,
                                        std::string label) {
  ASSIGN_OR_RETURN(
      IssuedToken issued,
      Mint(TokenKind::kRecipient, recipient.id,
           lifetime_seconds.value_or(recipient.token_lifetime_seconds), std::move(label), ""));
  RETURN_NOT_OK(store_->InsertToken(issued.record));
  return issued;
}

Result<IssuedToken> TokenService::IssueAdmin(std::optional<int64_t> lifetime_seconds,
                                             std::string label) {
  ASSIGN_OR_RETURN(
      IssuedToken issued,
      Mint(TokenKind::kAdmin, "", lifetime_seconds.value_or(kDefaultAdminTokenLifetimeSeconds),
           std::move(label), ""));
  RETURN_NOT_OK(store_->InsertToken(issued.record));
  return issued;
}

Result<IssuedToken> TokenService::Rotate(std::string_view token_id, int64_t grace_seconds) {
  if (grace_seconds < 0 || grace_seconds > kMaxLifetimeSeconds) {
    return Status::InvalidArgument("grace period must be between 0 and 10 years");
  }
  ASSIGN_OR_RETURN(TokenRecord old, store_->GetToken(token_id));
  const int64_t now = now_ms_();
  TokenState state = old.StateAt(now);
  if (state == TokenState::kExpired || state == TokenState::kRevoked) {
    return Status::FailedPrecondition("token '" + old.id + "' is " +
                                      std::string(TokenStateName(state)) +
                                      "; issue a new token instead");
  }
  if (old.kind == TokenKind::kOAuthAccess) {
    return Status::FailedPrecondition("OAuth access tokens are renewed by their client");
  }
  int64_t lifetime = kDefaultAdminTokenLifetimeSeconds;
  if (old.kind == TokenKind::kRecipient) {
    ASSIGN_OR_RETURN(Recipient recipient, store_->GetRecipientById(old.recipient_id));
    lifetime = recipient.token_lifetime_seconds;
  }
  ASSIGN_OR_RETURN(IssuedToken issued, Mint(old.kind, old.recipient_id, lifetime, old.label, ""));
  RETURN_NOT_OK(store_->SupersedeToken(old.id, issued.record, now + grace_seconds * 1000));
  return issued;
}

Status TokenService::Revoke(std::string_view token_id) {
  return store_->RevokeToken(token_id, now_ms_());
}

Result<int64_t> TokenService::RevokeAll(const Recipient& recipient) {
  if (recipient.id.empty()) return Status::InvalidArgument("recipient has no id");
  return store_->RevokeTokens({recipient.id, std::nullopt, ""}, now_ms_());
}

Result<int64_t> TokenService::RevokeAllAdmin() {
  return store_->RevokeTokens({"", TokenKind::kAdmin, ""}, now_ms_());
}

Result<TokenRecord> TokenService::Verify(std::string_view token) {
  auto id = TokenIdOf(token);
  if (!id.ok()) return InvalidToken();
  auto record = store_->GetToken(*id);
  if (record.status().IsNotFound()) return InvalidToken();
  RETURN_NOT_OK(record.status());
  auto hash = HashToken(TokenTenant(*record), record->key_version, token);
  if (!hash.ok() || !crypto::ConstantTimeEquals(*hash, record->hash)) return InvalidToken();
  switch (record->StateAt(now_ms_())) {
    case TokenState::kExpired:
      return Status::Unauthenticated("token has expired");
    case TokenState::kRevoked:
      return Status::Unauthenticated("token has been revoked");
    case TokenState::kActive:
    case TokenState::kInGrace:
      break;
  }
  return std::move(record).value();
}

Result<IssuedClient> TokenService::CreateOAuthClient(const Recipient& recipient,
                                                     int64_t access_token_lifetime_seconds) {
  IssuedClient out;
  OAuthClient& c = out.client;
  ASSIGN_OR_RETURN(c.client_id, MintClientId());
  ASSIGN_OR_RETURN(out.client_secret, MintClientSecret());
  c.recipient_id = recipient.id;
  c.key_version = keys_->current_version();
  ASSIGN_OR_RETURN(c.secret_hash,
                   HashClientSecret(c.recipient_id, c.key_version, out.client_secret));
  c.access_token_lifetime_seconds = access_token_lifetime_seconds;
  c.created_at_ms = now_ms_();
  RETURN_NOT_OK(store_->InsertOAuthClient(c));
  return out;
}

Result<OAuthAccessToken> TokenService::ExchangeClientCredentials(
    std::string_view client_id, std::string_view client_secret,
    std::optional<std::string_view> client_address) {
  auto invalid = [] { return Status::Unauthenticated("invalid client credentials"); };
  if (!StartsWith(client_id, kClientIdPrefix) || client_id.size() > 64) return invalid();
  auto client = store_->GetOAuthClient(client_id);
  if (client.status().IsNotFound()) return invalid();
  RETURN_NOT_OK(client.status());
  auto hash = HashClientSecret(client->recipient_id, client->key_version, client_secret);
  if (!hash.ok() || !crypto::ConstantTimeEquals(*hash, client->secret_hash)) return invalid();
  auto recipient = store_->GetRecipientById(client->recipient_id);
  if (recipient.status().IsNotFound()) return invalid();
  RETURN_NOT_OK(recipient.status());
  if (client_address) {
    ASSIGN_OR_RETURN(IpAllowList allow, IpAllowList::Parse(recipient->ip_allow));
    if (!allow.Allows(*client_address)) {
      return Status::PermissionDenied("client address is not allowed for this recipient");
    }
  }
  int64_t lifetime =
      std::min(client->access_token_lifetime_seconds, recipient->token_lifetime_seconds);
  ASSIGN_OR_RETURN(IssuedToken issued, Mint(TokenKind::kOAuthAccess, recipient->id, lifetime,
                                            "oauth", client->client_id));
  RETURN_NOT_OK(store_->InsertToken(issued.record));
  OAuthAccessToken out;
  out.access_token = std::move(issued.token);
  out.expires_in_seconds = lifetime;
  out.record = std::move(issued.record);
  out.recipient = std::move(recipient).value();
  return out;
}

Result<IssuedActivation> TokenService::CreateActivationLink(const Recipient& recipient,
                                                            std::string endpoint,
                                                            int64_t valid_seconds) {
  RETURN_NOT_OK(CheckLifetime(valid_seconds, "activation link lifetime"));
  IssuedActivation out;
  ActivationLink& link = out.link;
  ASSIGN_OR_RETURN(link.id, NewRandomId(12));
  link.recipient_id = recipient.id;
  link.endpoint = std::move(endpoint);
  link.created_at_ms = now_ms_();
  link.expires_at_ms = link.created_at_ms + valid_seconds * 1000;
  ASSIGN_OR_RETURN(out.code,
                   codec_.Encode(KeyPurpose::kActivation, "", link.id, link.expires_at_ms));
  link.code_hash = crypto::Sha256Hex(out.code);
  RETURN_NOT_OK(store_->InsertActivationLink(link));
  return out;
}

Result<RedeemedActivation> TokenService::RedeemActivationLink(std::string_view code) {
  auto missing = [] { return Status::NotFound("activation link does not exist"); };
  // Expiry is checked below, to tell an expired link from a forged one.
  auto contents = codec_.Decode(KeyPurpose::kActivation, "", code, /*now_ms=*/0);
  if (!contents.ok()) return missing();
  auto link = store_->GetActivationLink(contents->payload);
  if (link.status().IsNotFound()) return missing();
  RETURN_NOT_OK(link.status());
  if (!crypto::ConstantTimeEquals(crypto::Sha256Hex(code), link->code_hash)) return missing();
  const int64_t now = now_ms_();
  if (link->used_at_ms) return Status::FailedPrecondition("activation link was already used");
  if (link->expires_at_ms <= now) return Status::FailedPrecondition("activation link has expired");
  ASSIGN_OR_RETURN(Recipient recipient, store_->GetRecipientById(link->recipient_id));
  ASSIGN_OR_RETURN(IssuedToken issued, Mint(TokenKind::kRecipient, recipient.id,
                                            recipient.token_lifetime_seconds, "activation", ""));
  RETURN_NOT_OK(store_->RedeemActivationLink(link->id, now, issued.record));
  RedeemedActivation out;
  out.token = std::move(issued);
  out.recipient = std::move(recipient);
  out.endpoint = link->endpoint;
  return out;
}

Result<int64_t> TokenService::PurgeEndedTokens(int64_t retention_seconds) {
  if (retention_seconds < 0) return Status::InvalidArgument("retention must not be negative");
  return store_->DeleteTokensEndedBefore(now_ms_() - retention_seconds * 1000);
}

}  // namespace ds::access
