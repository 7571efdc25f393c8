// AccessService: the request-time face of the access layer, for the sharing server.
//
//   Authenticate(header, client address) -> Principal     (who is calling)
//   Admit(principal)                      -> RateDecision  (per-token rate limit)
//   AuthorizeShare / AuthorizeTable / ListShares           (what it may see)
//
// Requests are answered from an in-process snapshot of the store (auth_cache.h), so a warm
// Authenticate costs one HMAC-SHA256 of the token plus a few hash lookups. The snapshot
// follows the store: the store revision is polled every poll_interval_ms (by whichever
// request notices it is due), a newer revision makes every entry stale, and no entry is used
// more than max_staleness_ms after the last successful poll. A revocation committed by any
// process on the same database is therefore refused by every replica within
// max_staleness_ms (1 s by default; typically poll_interval_ms). When the store cannot be
// reached, requests that need it fail with Unavailable: the service fails closed.
//
// Static access from the configuration file (shares and bearer tokens, as the reference
// server has them) works beside the store: a static token sees the static shares it lists.
// Store recipients see only shares granted to them in the store.
//
// Errors: Unauthenticated (401) for missing, malformed, unknown, expired or revoked tokens;
// PermissionDenied (403) for a client address outside the recipient's allow-list or a
// token of the wrong kind; NotFound (404) for shares, schemas and tables that do not exist
// or are not granted — with the same message either way, so shares cannot be enumerated.
//
// Thread-safety: every method may be called from many threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/access_store.h"
#include "access/audit_log.h"
#include "access/auth_cache.h"
#include "access/key_ring.h"
#include "access/mac_token.h"
#include "access/rate_limiter.h"
#include "access/token_service.h"

namespace ds::access {

// A bearer token from the configuration file.
struct StaticToken {
  std::string token;
  std::string recipient = "config";  // name in audit records and page-token tenancy
  std::vector<std::string> shares;   // static shares it sees; empty = all of them
  std::optional<int64_t> expires_at_ms;
};

struct StaticAccess {
  std::vector<Share> shares;  // with schemas and tables
  std::vector<StaticToken> tokens;
};

struct AccessServiceOptions {
  NowFn now_ms = SystemNowMs;  // wall clock: token expiry, audit times
  NowFn monotonic_ms;          // cache timing; default steady_clock
  int64_t poll_interval_ms = 250;
  int64_t max_staleness_ms = 1000;
  bool audit = true;
  AuditLogOptions audit_options;
};

// Who a request comes from. Cheap to copy (one shared pointer).
class Principal {
 public:
  Principal() = default;
  bool valid() const { return entry_ != nullptr; }
  // The tenant id keys are derived for ("static:<name>" for configuration tokens).
  const std::string& recipient_id() const;
  const std::string& recipient_name() const;
  // The public token id (never the token).
  const std::string& token_id() const { return entry_->id; }
  TokenKind kind() const { return entry_->kind; }
  bool is_static() const { return entry_->is_static; }
  int64_t expires_at_ms() const { return entry_->expires_at_ms; }
  int64_t rate_limit_per_minute() const;

 private:
  friend class AccessService;
  explicit Principal(std::shared_ptr<const internal::TokenEntry> entry)
      : entry_(std::move(entry)) {}
  std::shared_ptr<const internal::TokenEntry> entry_;
};

struct ShareAccess {
  std::shared_ptr<const Share> share;
  std::optional<std::string> partition_filter;  // enforce on every file returned
};

struct TableAccess {
  std::shared_ptr<const Share> share;  // owns schema and table
  const Schema* schema = nullptr;
  const Table* table = nullptr;
  std::optional<std::string> partition_filter;
};

class AccessService {
 public:
  // Loads the key versions from `store` into `keys`. InvalidArgument for a malformed static
  // share or token; the store's error if it cannot be read.
  static Result<std::unique_ptr<AccessService>> Make(AccessStorePtr store,
                                                     std::shared_ptr<KeyRing> keys,
                                                     StaticAccess statics = {},
                                                     AccessServiceOptions options = {});
  ~AccessService();

  // Authenticates the value of an Authorization header ("Bearer <token>") for the sharing
  // API. Admin tokens are refused (PermissionDenied).
  Result<Principal> Authenticate(std::string_view authorization_header,
                                 std::string_view client_address);
  // The same for a bare token.
  Result<Principal> AuthenticateToken(std::string_view token, std::string_view client_address);
  // Authenticates the admin API: only admin tokens pass (PermissionDenied otherwise).
  Result<Principal> AuthenticateAdmin(std::string_view authorization_header);

  // Takes one request from the principal's token bucket (allowed when it has no limit).
  RateDecision Admit(const Principal& principal);

  // The shares granted to the principal, ordered by name key.
  Result<std::vector<std::shared_ptr<const Share>>> ListShares(const Principal& principal);
  // NotFound("share 'x' does not exist") unless granted.
  Result<ShareAccess> AuthorizeShare(const Principal& principal, std::string_view share);
  // NotFound naming the share, schema or table that is missing or not granted.
  Result<TableAccess> AuthorizeTable(const Principal& principal, std::string_view share,
                                     std::string_view schema, std::string_view table);

  // Page tokens, refresh tokens and query ids: encode with principal.recipient_id() as tenant.
  const MacTokenCodec& codec() const { return codec_; }
  const KeyRing& keys() const { return *keys_; }
  TokenService& tokens() { return tokens_; }
  // Null when options.audit is false.
  AuditLog* audit() { return audit_.get(); }
  const AccessStorePtr& store() const { return store_; }

  // Polls the store revision now (tests; the request path polls by itself).
  Status Refresh();

 private:
  AccessService(AccessStorePtr store, std::shared_ptr<KeyRing> keys, AccessServiceOptions options);
  Status InstallStatics(const StaticAccess& statics);

  Result<std::shared_ptr<const internal::TokenEntry>> Lookup(std::string_view token);
  Result<std::shared_ptr<const internal::TokenEntry>> LoadToken(std::string_view id,
                                                                int64_t revision);
  Result<std::shared_ptr<const internal::RecipientEntry>> LoadRecipient(const std::string& id,
                                                                        int64_t revision);
  Result<std::shared_ptr<const internal::ShareEntry>> LoadShare(const std::string& name,
                                                                int64_t revision);
  // The recipient snapshot to authorize from: the principal's, or a fresh one if stale.
  Result<std::shared_ptr<const internal::RecipientEntry>> RecipientOf(const Principal& p);

  // The revision entries must carry to be used now; polls the store when due.
  // Unavailable when the last successful poll is older than max_staleness_ms.
  Result<int64_t> CurrentRevision();
  Status Poll(int64_t now);

  AccessStorePtr store_;
  std::shared_ptr<KeyRing> keys_;
  AccessServiceOptions options_;
  MacTokenCodec codec_;
  TokenService tokens_;
  RateLimiter rate_limiter_;
  std::unique_ptr<AuditLog> audit_;

  std::atomic<int64_t> revision_{0};
  std::atomic<int64_t> last_poll_ms_{0};  // monotonic time the last good poll started
  std::mutex poll_mu_;                    // one poll at a time

  internal::EntryCache<internal::TokenEntry> tokens_cache_;
  internal::EntryCache<internal::RecipientEntry> recipients_cache_;
  internal::EntryCache<internal::ShareEntry> shares_cache_;

  std::string static_key_;  // HMAC key for looking up static tokens
  // By HMAC(static_key_, token).
  std::unordered_map<std::string, std::shared_ptr<const internal::TokenEntry>> static_tokens_;
};

}  // namespace ds::access
