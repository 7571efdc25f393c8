#include "access/access_service.h"

#include <chrono>
#include <limits>

#include "access/ids.h"
#include "access/names.h"
#include "access/token_format.h"
#include "crypto/crypto.h"

namespace ds::access {

using internal::RecipientEntry;
using internal::ShareEntry;
using internal::TokenEntry;

namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

int64_t SteadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Status InvalidToken() { return Status::Unauthenticated("invalid token"); }

Status ShareNotFound(std::string_view share) {
  return Status::NotFound(NotFoundMessageFor(NameKind::kShare, share));
}

// A stable UUID-shaped id for a static share without one.
std::string DerivedShareId(std::string_view name) {
  std::string h = crypto::Sha256Hex("deltashare static share:" + NameKey(name));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

}  // namespace

const std::string& Principal::recipient_id() const {
  static const std::string kNone;
  return entry_->recipient ? entry_->recipient->id : kNone;
}

const std::string& Principal::recipient_name() const {
  static const std::string kNone;
  return entry_->recipient ? entry_->recipient->name : kNone;
}

int64_t Principal::rate_limit_per_minute() const {
  return entry_->recipient ? entry_->recipient->rate_limit_per_minute : 0;
}

AccessService::AccessService(AccessStorePtr store, std::shared_ptr<KeyRing> keys,
                             AccessServiceOptions options)
    : store_(store),
      keys_(keys),
      options_(std::move(options)),
      codec_(keys),
      tokens_(store, keys, options_.now_ms) {
  if (options_.audit) audit_ = std::make_unique<AuditLog>(store_, options_.audit_options);
}

AccessService::~AccessService() = default;

Result<std::unique_ptr<AccessService>> AccessService::Make(AccessStorePtr store,
                                                           std::shared_ptr<KeyRing> keys,
                                                           StaticAccess statics,
                                                           AccessServiceOptions options) {
  if (!store || !keys) return Status::InvalidArgument("access service needs a store and keys");
  if (!options.now_ms) options.now_ms = SystemNowMs;
  if (!options.monotonic_ms) options.monotonic_ms = SteadyNowMs;
  if (options.poll_interval_ms < 1 || options.max_staleness_ms < options.poll_interval_ms) {
    return Status::InvalidArgument("access service: need 1 <= poll interval <= max staleness");
  }
  std::unique_ptr<AccessService> service(
      new AccessService(std::move(store), std::move(keys), std::move(options)));
  RETURN_NOT_OK(service->InstallStatics(statics));
  RETURN_NOT_OK(service->Poll(service->options_.monotonic_ms()));
  return service;
}

Status AccessService::InstallStatics(const StaticAccess& statics) {
  if (statics.tokens.empty()) return Status::OK();
  ASSIGN_OR_RETURN(static_key_, crypto::RandomBytes(32));
  internal::NameMap<std::shared_ptr<const ShareEntry>> shares;
  for (Share share : statics.shares) {
    RETURN_NOT_OK_CTX(ValidateShareFields(share), "static share");
    for (const Schema& schema : share.schemas) {
      RETURN_NOT_OK(ValidateName(NameKind::kSchema, schema.name));
      for (const Table& table : schema.tables) RETURN_NOT_OK(ValidateTableFields(table));
    }
    if (share.id.empty()) share.id = DerivedShareId(share.name);
    std::string name = share.name;
    if (!shares.emplace(name, std::make_shared<const ShareEntry>(std::move(share))).second) {
      return Status::InvalidArgument("static share " + QuoteName(name) + " is defined twice");
    }
  }
  std::vector<std::shared_ptr<const Share>> all;
  for (const auto& [name, entry] : shares) all.push_back(entry->share());
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return NameKey(a->name) < NameKey(b->name); });
  for (size_t i = 0; i < statics.tokens.size(); ++i) {
    const StaticToken& t = statics.tokens[i];
    if (!ParseBearerHeader("Bearer " + t.token).ok()) {
      return Status::InvalidArgument("static token #" + std::to_string(i + 1) +
                                     " is empty or has characters a bearer token cannot have");
    }
    if (TokenIdOf(t.token).ok()) {  // store tokens skip the static lookup
      return Status::InvalidArgument("static token #" + std::to_string(i + 1) +
                                     " has the form of a store token (dstk_…); choose another");
    }
    RETURN_NOT_OK_CTX(ValidateName(NameKind::kRecipient, t.recipient), "static token");
    auto recipient = std::make_shared<RecipientEntry>();
    recipient->id = "static:" + t.recipient;
    recipient->name = t.recipient;
    if (t.shares.empty()) {
      for (const auto& [name, entry] : shares) recipient->grants[name] = {entry, std::nullopt};
      recipient->shares = all;
    } else {
      for (const std::string& name : t.shares) {
        auto it = shares.find(name);
        if (it == shares.end()) {
          return Status::InvalidArgument("static token for " + QuoteName(t.recipient) +
                                         " names unknown share " + QuoteName(name));
        }
        recipient->grants[it->first] = {it->second, std::nullopt};
      }
      for (const auto& share : all) {
        if (recipient->grants.count(share->name)) recipient->shares.push_back(share);
      }
    }
    auto entry = std::make_shared<TokenEntry>();
    entry->id = "static:" + t.recipient + ":" + std::to_string(i + 1);
    entry->is_static = true;
    entry->expires_at_ms = t.expires_at_ms.value_or(kNever);
    entry->recipient = std::move(recipient);
    std::string digest = crypto::HmacSha256(static_key_, t.token);
    if (!static_tokens_.emplace(std::move(digest), std::move(entry)).second) {
      return Status::InvalidArgument("static token #" + std::to_string(i + 1) + " is a duplicate");
    }
  }
  return Status::OK();
}

// --- Revision tracking ---------------------------------------------------------------------

Status AccessService::Poll(int64_t now) {
  ASSIGN_OR_RETURN(int64_t revision, store_->Revision());
  if (revision != revision_.load()) {
    ASSIGN_OR_RETURN(std::vector<KeyVersion> versions, store_->ListKeyVersions());
    RETURN_NOT_OK(keys_->SetVersions(versions));
    revision_.store(revision);
  }
  int64_t last = last_poll_ms_.load();
  while (last < now && !last_poll_ms_.compare_exchange_weak(last, now)) {
  }
  return Status::OK();
}

Status AccessService::Refresh() {
  std::lock_guard lock(poll_mu_);
  return Poll(options_.monotonic_ms());
}

Result<int64_t> AccessService::CurrentRevision() {
  const int64_t now = options_.monotonic_ms();
  int64_t age = now - last_poll_ms_.load();
  if (age >= options_.max_staleness_ms) {
    // The snapshot may no longer be used: wait for a poll (ours or a concurrent one).
    std::lock_guard lock(poll_mu_);
    if (now - last_poll_ms_.load() >= options_.max_staleness_ms) {
      Status st = Poll(now);
      if (!st.ok()) return Status::Unavailable("access store unreachable: " + st.message());
    }
  } else if (age >= options_.poll_interval_ms && poll_mu_.try_lock()) {
    std::lock_guard lock(poll_mu_, std::adopt_lock);
    if (now - last_poll_ms_.load() >= options_.poll_interval_ms) {
      (void)Poll(now);  // on failure the snapshot stays usable until max staleness
    }
  }
  return revision_.load();
}

// --- Loading snapshots ---------------------------------------------------------------------

Result<std::shared_ptr<const ShareEntry>> AccessService::LoadShare(const std::string& name,
                                                                   int64_t revision) {
  const std::string key = NameKey(name);
  // Share entries carry no revision of their own: they are cached per revision by key.
  const std::string cache_key = std::to_string(revision) + "/" + key;
  if (auto cached = shares_cache_.Find(cache_key)) return cached;
  ASSIGN_OR_RETURN(Share share, store_->GetShare(name));
  auto entry = std::make_shared<const ShareEntry>(std::move(share));
  shares_cache_.Put(cache_key, entry);
  return entry;
}

Result<std::shared_ptr<const RecipientEntry>> AccessService::LoadRecipient(const std::string& id,
                                                                           int64_t revision) {
  auto cached = recipients_cache_.Find(id);
  if (cached && cached->revision == revision) return cached;
  ASSIGN_OR_RETURN(Recipient r, store_->GetRecipientById(id));
  ASSIGN_OR_RETURN(std::vector<Grant> grants, store_->ListGrantsOfRecipient(id));
  auto entry = std::make_shared<RecipientEntry>();
  entry->id = r.id;
  entry->name = r.name;
  auto allow = IpAllowList::Parse(r.ip_allow);
  if (!allow.ok()) return Status::Corruption("access store: " + allow.status().message());
  entry->ip_allow = std::move(allow).value();
  entry->rate_limit_per_minute = r.rate_limit_per_minute;
  entry->revision = revision;
  for (const Grant& g : grants) {  // ordered by share name key
    auto share = LoadShare(g.share, revision);
    if (share.status().IsNotFound()) continue;  // deleted meanwhile
    RETURN_NOT_OK(share.status());
    entry->shares.push_back((*share)->share());
    entry->grants[g.share] = {std::move(share).value(), g.partition_filter};
  }
  recipients_cache_.Put(id, entry);
  return std::shared_ptr<const RecipientEntry>(std::move(entry));
}

Result<std::shared_ptr<const TokenEntry>> AccessService::LoadToken(std::string_view id,
                                                                   int64_t revision) {
  auto record = store_->GetToken(id);
  if (record.status().IsNotFound()) {
    tokens_cache_.Erase(id);
    return InvalidToken();
  }
  RETURN_NOT_OK(record.status());
  auto pepper = keys_->Key(KeyPurpose::kTokenPepper, TokenTenant(*record), record->key_version);
  auto hash = HexDecode(record->hash);
  if (!pepper.ok() || !hash) return InvalidToken();  // a retired key version
  auto entry = std::make_shared<TokenEntry>();
  entry->id = record->id;
  entry->kind = record->kind;
  entry->pepper = std::move(pepper).value();
  entry->hash_bytes = std::move(*hash);
  entry->expires_at_ms = record->expires_at_ms;
  entry->revoked_at_ms = record->revoked_at_ms;
  entry->revision = revision;
  if (record->kind != TokenKind::kAdmin) {
    auto recipient = LoadRecipient(record->recipient_id, revision);
    if (recipient.status().IsNotFound()) return InvalidToken();
    RETURN_NOT_OK(recipient.status());
    entry->recipient = std::move(recipient).value();
  }
  tokens_cache_.Put(entry->id, entry);
  return std::shared_ptr<const TokenEntry>(std::move(entry));
}

Result<std::shared_ptr<const TokenEntry>> AccessService::Lookup(std::string_view token) {
  auto id = TokenIdOf(token);
  if (!id.ok()) return InvalidToken();
  ASSIGN_OR_RETURN(int64_t revision, CurrentRevision());
  std::shared_ptr<const TokenEntry> entry = tokens_cache_.Find(*id);
  if (!entry || entry->revision != revision) {
    ASSIGN_OR_RETURN(entry, LoadToken(*id, revision));
  }
  if (!crypto::ConstantTimeEquals(crypto::HmacSha256(entry->pepper, token), entry->hash_bytes)) {
    return InvalidToken();
  }
  const int64_t now = options_.now_ms();
  if (entry->revoked_at_ms && *entry->revoked_at_ms <= now) {
    return Status::Unauthenticated("token has been revoked");
  }
  if (entry->expires_at_ms <= now) return Status::Unauthenticated("token has expired");
  return entry;
}

// --- Request path --------------------------------------------------------------------------

Result<Principal> AccessService::Authenticate(std::string_view authorization_header,
                                              std::string_view client_address) {
  ASSIGN_OR_RETURN(std::string_view token, ParseBearerHeader(authorization_header));
  return AuthenticateToken(token, client_address);
}

Result<Principal> AccessService::AuthenticateToken(std::string_view token,
                                                   std::string_view client_address) {
  if (!static_tokens_.empty() && !TokenIdOf(token).ok()) {
    auto it = static_tokens_.find(crypto::HmacSha256(static_key_, token));
    if (it != static_tokens_.end()) {
      if (it->second->expires_at_ms <= options_.now_ms()) {
        return Status::Unauthenticated("token has expired");
      }
      return Principal(it->second);
    }
  }
  ASSIGN_OR_RETURN(auto entry, Lookup(token));
  if (entry->kind == TokenKind::kAdmin) {
    return Status::PermissionDenied("admin tokens are for the admin API only");
  }
  if (!entry->recipient->ip_allow.Allows(client_address)) {
    return Status::PermissionDenied("client address is not allowed for this recipient");
  }
  return Principal(std::move(entry));
}

Result<Principal> AccessService::AuthenticateAdmin(std::string_view authorization_header) {
  ASSIGN_OR_RETURN(std::string_view token, ParseBearerHeader(authorization_header));
  ASSIGN_OR_RETURN(auto entry, Lookup(token));
  if (entry->kind != TokenKind::kAdmin) {
    return Status::PermissionDenied("the admin API needs an admin token");
  }
  return Principal(std::move(entry));
}

RateDecision AccessService::Admit(const Principal& principal) {
  if (!principal.valid() || principal.is_static()) return {};
  return rate_limiter_.Admit(principal.token_id(), principal.rate_limit_per_minute(),
                             options_.now_ms());
}

Result<std::shared_ptr<const RecipientEntry>> AccessService::RecipientOf(const Principal& p) {
  if (!p.valid() || !p.entry_->recipient) {
    return Status::PermissionDenied("this credential cannot read shares");
  }
  const auto& recipient = p.entry_->recipient;
  if (p.is_static()) return recipient;
  ASSIGN_OR_RETURN(int64_t revision, CurrentRevision());
  if (recipient->revision == revision) return recipient;
  return LoadRecipient(recipient->id, revision);
}

Result<std::vector<std::shared_ptr<const Share>>> AccessService::ListShares(
    const Principal& principal) {
  ASSIGN_OR_RETURN(auto recipient, RecipientOf(principal));
  return recipient->shares;
}

Result<ShareAccess> AccessService::AuthorizeShare(const Principal& principal,
                                                  std::string_view share) {
  ASSIGN_OR_RETURN(auto recipient, RecipientOf(principal));
  auto it = recipient->grants.find(share);
  if (it == recipient->grants.end()) return ShareNotFound(share);
  return ShareAccess{it->second.share->share(), it->second.partition_filter};
}

Result<TableAccess> AccessService::AuthorizeTable(const Principal& principal,
                                                  std::string_view share, std::string_view schema,
                                                  std::string_view table) {
  ASSIGN_OR_RETURN(auto recipient, RecipientOf(principal));
  auto it = recipient->grants.find(share);
  if (it == recipient->grants.end()) return ShareNotFound(share);
  TableAccess out;
  out.table = it->second.share->FindTable(schema, table, &out.schema);
  if (out.table == nullptr) {
    std::string path = std::string(share) + "." + std::string(schema);
    if (out.schema == nullptr) {
      return Status::NotFound(NotFoundMessageFor(NameKind::kSchema, path));
    }
    return Status::NotFound(NotFoundMessageFor(NameKind::kTable, path + "." + std::string(table)));
  }
  out.share = it->second.share->share();
  out.partition_filter = it->second.partition_filter;
  return out;
}

}  // namespace ds::access
