#include "access/memory_store.h"

#include <algorithm>

#include "access/names.h"
#include "access/store_internal.h"

namespace ds::access {

MemoryAccessStore::MemoryAccessStore(size_t max_audit_records)
    : max_audit_records_(std::max<size_t>(1, max_audit_records)) {
  key_versions_.push_back({1, SystemNowMs(), {}});
}

Share* MemoryAccessStore::FindShare(std::string_view name) {
  auto it = shares_.find(NameKey(name));
  return it == shares_.end() ? nullptr : &it->second;
}

Recipient* MemoryAccessStore::FindRecipient(std::string_view name) {
  auto it = recipients_.find(NameKey(name));
  return it == recipients_.end() ? nullptr : &it->second;
}

const Recipient* MemoryAccessStore::FindRecipientById(std::string_view id) const {
  for (const auto& [key, r] : recipients_) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const Share* MemoryAccessStore::FindShareById(std::string_view id) const {
  for (const auto& [key, s] : shares_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

bool MemoryAccessStore::TableIdTaken(std::string_view id) const {
  for (const auto& [key, share] : shares_) {
    for (const auto& schema : share.schemas) {
      for (const auto& table : schema.tables) {
        if (table.id == id) return true;
      }
    }
  }
  return false;
}

// --- Shares --------------------------------------------------------------------------------

Result<Share> MemoryAccessStore::CreateShare(Share share) {
  RETURN_NOT_OK(internal::PrepareShare(&share));
  std::lock_guard lock(mu_);
  if (FindShare(share.name)) {
    return Status::AlreadyExists("share " + QuoteName(share.name) + " already exists");
  }
  if (FindShareById(share.id)) return Status::AlreadyExists("id '" + share.id + "' is taken");
  shares_.emplace(NameKey(share.name), share);
  Bump();
  return share;
}

Result<Share> MemoryAccessStore::GetShare(std::string_view name) {
  std::lock_guard lock(mu_);
  const Share* share = FindShare(name);
  if (!share) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, name));
  return *share;
}

Result<std::vector<Share>> MemoryAccessStore::ListShares(const ListOptions& options) {
  RETURN_NOT_OK(internal::CheckListOptions(options));
  std::lock_guard lock(mu_);
  std::vector<Share> out;
  for (auto it = shares_.upper_bound(NameKey(options.after));
       it != shares_.end() && static_cast<int>(out.size()) < options.limit; ++it) {
    out.push_back(it->second);
    out.back().schemas.clear();
  }
  return out;
}

Status MemoryAccessStore::UpdateShare(std::string_view name, const std::string& comment,
                                      const Properties& properties) {
  Share fields;
  fields.name = std::string(name);
  fields.comment = comment;
  fields.properties = properties;
  RETURN_NOT_OK(NormalizeProperties(&fields.properties));
  std::lock_guard lock(mu_);
  Share* share = FindShare(name);
  if (!share) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, name));
  fields.name = share->name;
  RETURN_NOT_OK(ValidateShareFields(fields));
  share->comment = comment;
  share->properties = std::move(fields.properties);
  Bump();
  return Status::OK();
}

Status MemoryAccessStore::DeleteShare(std::string_view name) {
  std::lock_guard lock(mu_);
  Share* share = FindShare(name);
  if (!share) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, name));
  std::erase_if(grants_, [&](const auto& g) { return g.second.share_id == share->id; });
  shares_.erase(NameKey(name));
  Bump();
  return Status::OK();
}

Status MemoryAccessStore::AddSchema(std::string_view share_name, std::string_view schema_name) {
  RETURN_NOT_OK(ValidateName(NameKind::kSchema, schema_name));
  std::lock_guard lock(mu_);
  Share* share = FindShare(share_name);
  if (!share) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, share_name));
  if (share->FindSchema(schema_name)) {
    return Status::AlreadyExists("schema " + QuoteName(schema_name) + " already exists in share " +
                                 QuoteName(share->name));
  }
  auto pos = std::find_if(share->schemas.begin(), share->schemas.end(),
                          [&](const Schema& s) { return NameKey(s.name) > NameKey(schema_name); });
  share->schemas.insert(pos, Schema{std::string(schema_name), {}});
  Bump();
  return Status::OK();
}

Status MemoryAccessStore::DeleteSchema(std::string_view share_name, std::string_view schema_name) {
  std::lock_guard lock(mu_);
  Share* share = FindShare(share_name);
  if (!share) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, share_name));
  auto n =
      std::erase_if(share->schemas, [&](const Schema& s) { return SameName(s.name, schema_name); });
  if (n == 0) return Status::NotFound(NotFoundMessageFor(NameKind::kSchema, schema_name));
  Bump();
  return Status::OK();
}

Result<Table> MemoryAccessStore::AddTable(std::string_view share_name, std::string_view schema_name,
                                          Table table) {
  RETURN_NOT_OK(ValidateName(NameKind::kSchema, schema_name));
  RETURN_NOT_OK(internal::PrepareTable(&table));
  std::lock_guard lock(mu_);
  Share* share = FindShare(share_name);
  if (!share) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, share_name));
  if (share->FindTable(schema_name, table.name)) {
    return Status::AlreadyExists("table " + QuoteName(table.name) + " already exists in " +
                                 QuoteName(share->name + "." + std::string(schema_name)));
  }
  if (TableIdTaken(table.id)) return Status::AlreadyExists("id '" + table.id + "' is taken");
  auto schema = std::find_if(share->schemas.begin(), share->schemas.end(),
                             [&](const Schema& s) { return SameName(s.name, schema_name); });
  if (schema == share->schemas.end()) {
    schema = std::find_if(share->schemas.begin(), share->schemas.end(),
                          [&](const Schema& s) { return NameKey(s.name) > NameKey(schema_name); });
    schema = share->schemas.insert(schema, Schema{std::string(schema_name), {}});
  }
  auto pos = std::find_if(schema->tables.begin(), schema->tables.end(),
                          [&](const Table& t) { return NameKey(t.name) > NameKey(table.name); });
  schema->tables.insert(pos, table);
  Bump();
  return table;
}

Status MemoryAccessStore::DeleteTable(std::string_view share_name, std::string_view schema_name,
                                      std::string_view table_name) {
  std::lock_guard lock(mu_);
  Share* share = FindShare(share_name);
  if (!share) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, share_name));
  for (auto& schema : share->schemas) {
    if (!SameName(schema.name, schema_name)) continue;
    auto n =
        std::erase_if(schema.tables, [&](const Table& t) { return SameName(t.name, table_name); });
    if (n == 0) break;
    Bump();
    return Status::OK();
  }
  return Status::NotFound(NotFoundMessageFor(NameKind::kTable, table_name));
}

// --- Recipients ----------------------------------------------------------------------------

Result<Recipient> MemoryAccessStore::CreateRecipient(Recipient recipient) {
  RETURN_NOT_OK(internal::PrepareRecipient(&recipient));
  std::lock_guard lock(mu_);
  if (FindRecipient(recipient.name)) {
    return Status::AlreadyExists("recipient " + QuoteName(recipient.name) + " already exists");
  }
  if (FindRecipientById(recipient.id))
    return Status::AlreadyExists("id '" + recipient.id + "' is taken");
  recipients_.emplace(NameKey(recipient.name), recipient);
  Bump();
  return recipient;
}

Result<Recipient> MemoryAccessStore::GetRecipient(std::string_view name) {
  std::lock_guard lock(mu_);
  const Recipient* r = FindRecipient(name);
  if (!r) return Status::NotFound(NotFoundMessageFor(NameKind::kRecipient, name));
  return *r;
}

Result<Recipient> MemoryAccessStore::GetRecipientById(std::string_view id) {
  std::lock_guard lock(mu_);
  const Recipient* r = FindRecipientById(id);
  if (!r) return Status::NotFound("recipient with id '" + std::string(id) + "' does not exist");
  return *r;
}

Result<std::vector<Recipient>> MemoryAccessStore::ListRecipients(const ListOptions& options) {
  RETURN_NOT_OK(internal::CheckListOptions(options));
  std::lock_guard lock(mu_);
  std::vector<Recipient> out;
  for (auto it = recipients_.upper_bound(NameKey(options.after));
       it != recipients_.end() && static_cast<int>(out.size()) < options.limit; ++it) {
    out.push_back(it->second);
  }
  return out;
}

Status MemoryAccessStore::UpdateRecipient(const Recipient& update) {
  Recipient r = update;
  std::lock_guard lock(mu_);
  Recipient* existing = FindRecipient(update.name);
  if (!existing) return Status::NotFound(NotFoundMessageFor(NameKind::kRecipient, update.name));
  r.name = existing->name;
  r.id = existing->id;
  r.created_at_ms = existing->created_at_ms;
  RETURN_NOT_OK(internal::PrepareRecipient(&r));
  *existing = std::move(r);
  Bump();
  return Status::OK();
}

Status MemoryAccessStore::DeleteRecipient(std::string_view name) {
  std::lock_guard lock(mu_);
  Recipient* r = FindRecipient(name);
  if (!r) return Status::NotFound(NotFoundMessageFor(NameKind::kRecipient, name));
  const std::string id = r->id;
  std::erase_if(grants_, [&](const auto& g) { return g.second.recipient_id == id; });
  std::erase_if(tokens_, [&](const auto& t) { return t.second.recipient_id == id; });
  std::erase_if(clients_, [&](const auto& c) { return c.second.recipient_id == id; });
  std::erase_if(links_, [&](const auto& l) { return l.second.recipient_id == id; });
  recipients_.erase(NameKey(name));
  Bump();
  return Status::OK();
}

// --- Grants --------------------------------------------------------------------------------

Grant MemoryAccessStore::MakeGrant(const GrantRow& row) const {
  Grant g;
  g.recipient_id = row.recipient_id;
  g.share_id = row.share_id;
  if (const Recipient* r = FindRecipientById(row.recipient_id)) g.recipient = r->name;
  if (const Share* s = FindShareById(row.share_id)) g.share = s->name;
  g.partition_filter = row.partition_filter;
  g.created_at_ms = row.created_at_ms;
  return g;
}

Result<Grant> MemoryAccessStore::PutGrant(std::string_view recipient, std::string_view share,
                                          const std::optional<std::string>& partition_filter) {
  RETURN_NOT_OK(ValidatePartitionFilter(partition_filter));
  std::lock_guard lock(mu_);
  const Recipient* r = FindRecipient(recipient);
  if (!r) return Status::NotFound(NotFoundMessageFor(NameKind::kRecipient, recipient));
  const Share* s = FindShare(share);
  if (!s) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, share));
  auto [it, inserted] = grants_.try_emplace({r->id, s->id});
  GrantRow& row = it->second;
  if (inserted) {
    row.recipient_id = r->id;
    row.share_id = s->id;
    row.created_at_ms = SystemNowMs();
  }
  row.partition_filter = partition_filter;
  Bump();
  return MakeGrant(row);
}

Status MemoryAccessStore::DeleteGrant(std::string_view recipient, std::string_view share) {
  std::lock_guard lock(mu_);
  const Recipient* r = FindRecipient(recipient);
  if (!r) return Status::NotFound(NotFoundMessageFor(NameKind::kRecipient, recipient));
  const Share* s = FindShare(share);
  if (!s) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, share));
  if (grants_.erase({r->id, s->id}) == 0) {
    return Status::NotFound("recipient " + QuoteName(r->name) + " has no grant of share " +
                            QuoteName(s->name));
  }
  Bump();
  return Status::OK();
}

Result<std::vector<Grant>> MemoryAccessStore::ListGrants(const GrantFilter& filter) {
  std::lock_guard lock(mu_);
  std::string recipient_id, share_id;
  if (!filter.recipient.empty()) {
    const Recipient* r = FindRecipient(filter.recipient);
    if (!r) return Status::NotFound(NotFoundMessageFor(NameKind::kRecipient, filter.recipient));
    recipient_id = r->id;
  }
  if (!filter.share.empty()) {
    const Share* s = FindShare(filter.share);
    if (!s) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, filter.share));
    share_id = s->id;
  }
  std::vector<Grant> out;
  for (const auto& [key, row] : grants_) {
    if (!recipient_id.empty() && row.recipient_id != recipient_id) continue;
    if (!share_id.empty() && row.share_id != share_id) continue;
    out.push_back(MakeGrant(row));
  }
  std::sort(out.begin(), out.end(), [](const Grant& a, const Grant& b) {
    return std::pair(NameKey(a.recipient), NameKey(a.share)) <
           std::pair(NameKey(b.recipient), NameKey(b.share));
  });
  return out;
}

Result<std::vector<Grant>> MemoryAccessStore::ListGrantsOfRecipient(std::string_view recipient_id) {
  std::lock_guard lock(mu_);
  std::vector<Grant> out;
  for (const auto& [key, row] : grants_) {
    if (row.recipient_id == recipient_id) out.push_back(MakeGrant(row));
  }
  std::sort(out.begin(), out.end(),
            [](const Grant& a, const Grant& b) { return NameKey(a.share) < NameKey(b.share); });
  return out;
}

// --- Tokens --------------------------------------------------------------------------------

Status MemoryAccessStore::CheckTokenInsert(const TokenRecord& token) const {
  RETURN_NOT_OK(internal::CheckTokenRecord(token));
  if (tokens_.count(token.id)) return Status::AlreadyExists("token id is taken");
  if (token.kind != TokenKind::kAdmin && !FindRecipientById(token.recipient_id)) {
    return Status::NotFound("recipient with id '" + token.recipient_id + "' does not exist");
  }
  return Status::OK();
}

Status MemoryAccessStore::InsertToken(const TokenRecord& token) {
  std::lock_guard lock(mu_);
  RETURN_NOT_OK(CheckTokenInsert(token));
  tokens_.emplace(token.id, token);
  return Status::OK();
}

Result<TokenRecord> MemoryAccessStore::GetToken(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(id);
  if (it == tokens_.end())
    return Status::NotFound("token '" + std::string(id) + "' does not exist");
  return it->second;
}

bool MemoryAccessStore::Matches(const TokenFilter& filter, const TokenRecord& token) const {
  return (filter.recipient_id.empty() || token.recipient_id == filter.recipient_id) &&
         (!filter.kind || token.kind == *filter.kind) &&
         (filter.oauth_client_id.empty() || token.oauth_client_id == filter.oauth_client_id);
}

Result<std::vector<TokenRecord>> MemoryAccessStore::ListTokens(const TokenFilter& filter) {
  std::lock_guard lock(mu_);
  std::vector<TokenRecord> out;
  for (const auto& [id, token] : tokens_) {
    if (Matches(filter, token)) out.push_back(token);
  }
  std::sort(out.begin(), out.end(), [](const TokenRecord& a, const TokenRecord& b) {
    return std::tie(a.created_at_ms, a.id) < std::tie(b.created_at_ms, b.id);
  });
  return out;
}

namespace {
void StopAt(TokenRecord* token, int64_t at_ms) {
  if (!token->revoked_at_ms || *token->revoked_at_ms > at_ms) token->revoked_at_ms = at_ms;
}
}  // namespace

Status MemoryAccessStore::SupersedeToken(std::string_view old_id, const TokenRecord& replacement,
                                         int64_t old_stops_at_ms) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(old_id);
  if (it == tokens_.end()) {
    return Status::NotFound("token '" + std::string(old_id) + "' does not exist");
  }
  RETURN_NOT_OK(CheckTokenInsert(replacement));
  StopAt(&it->second, old_stops_at_ms);
  it->second.superseded_by = replacement.id;
  tokens_.emplace(replacement.id, replacement);
  Bump();
  return Status::OK();
}

Status MemoryAccessStore::RevokeToken(std::string_view id, int64_t at_ms) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(id);
  if (it == tokens_.end())
    return Status::NotFound("token '" + std::string(id) + "' does not exist");
  StopAt(&it->second, at_ms);
  Bump();
  return Status::OK();
}

Result<int64_t> MemoryAccessStore::RevokeTokens(const TokenFilter& filter, int64_t at_ms) {
  RETURN_NOT_OK(internal::CheckRevokeFilter(filter));
  std::lock_guard lock(mu_);
  int64_t changed = 0;
  for (auto& [id, token] : tokens_) {
    if (!Matches(filter, token) || (token.revoked_at_ms && *token.revoked_at_ms <= at_ms)) continue;
    token.revoked_at_ms = at_ms;
    ++changed;
  }
  if (changed) Bump();
  return changed;
}

Result<int64_t> MemoryAccessStore::DeleteTokensEndedBefore(int64_t before_ms) {
  std::lock_guard lock(mu_);
  return static_cast<int64_t>(std::erase_if(tokens_, [&](const auto& t) {
    return t.second.expires_at_ms < before_ms ||
           (t.second.revoked_at_ms && *t.second.revoked_at_ms < before_ms);
  }));
}

// --- OAuth clients -------------------------------------------------------------------------

Status MemoryAccessStore::InsertOAuthClient(const OAuthClient& client) {
  RETURN_NOT_OK(internal::CheckOAuthClient(client));
  std::lock_guard lock(mu_);
  if (!FindRecipientById(client.recipient_id)) {
    return Status::NotFound("recipient with id '" + client.recipient_id + "' does not exist");
  }
  if (!clients_.emplace(client.client_id, client).second) {
    return Status::AlreadyExists("OAuth client id is taken");
  }
  return Status::OK();
}

Result<OAuthClient> MemoryAccessStore::GetOAuthClient(std::string_view client_id) {
  std::lock_guard lock(mu_);
  auto it = clients_.find(client_id);
  if (it == clients_.end()) {
    return Status::NotFound("OAuth client '" + std::string(client_id) + "' does not exist");
  }
  return it->second;
}

Result<std::vector<OAuthClient>> MemoryAccessStore::ListOAuthClients(
    std::string_view recipient_id) {
  std::lock_guard lock(mu_);
  std::vector<OAuthClient> out;
  for (const auto& [id, c] : clients_) {
    if (recipient_id.empty() || c.recipient_id == recipient_id) out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const OAuthClient& a, const OAuthClient& b) {
    return std::tie(a.created_at_ms, a.client_id) < std::tie(b.created_at_ms, b.client_id);
  });
  return out;
}

Status MemoryAccessStore::DeleteOAuthClient(std::string_view client_id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = clients_.find(client_id);
  if (it == clients_.end()) {
    return Status::NotFound("OAuth client '" + std::string(client_id) + "' does not exist");
  }
  for (auto& [id, token] : tokens_) {
    if (token.oauth_client_id == client_id) StopAt(&token, now_ms);
  }
  clients_.erase(it);
  Bump();
  return Status::OK();
}

// --- Activation links ----------------------------------------------------------------------

Status MemoryAccessStore::InsertActivationLink(const ActivationLink& link) {
  RETURN_NOT_OK(internal::CheckActivationLink(link));
  std::lock_guard lock(mu_);
  if (!FindRecipientById(link.recipient_id)) {
    return Status::NotFound("recipient with id '" + link.recipient_id + "' does not exist");
  }
  if (!links_.emplace(link.id, link).second) {
    return Status::AlreadyExists("activation link id is taken");
  }
  return Status::OK();
}

Result<ActivationLink> MemoryAccessStore::GetActivationLink(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = links_.find(id);
  if (it == links_.end()) return Status::NotFound("activation link does not exist");
  return it->second;
}

Status MemoryAccessStore::RedeemActivationLink(std::string_view id, int64_t now_ms,
                                               const TokenRecord& token) {
  std::lock_guard lock(mu_);
  auto it = links_.find(id);
  if (it == links_.end()) return Status::NotFound("activation link does not exist");
  ActivationLink& link = it->second;
  if (link.used_at_ms) return Status::FailedPrecondition("activation link was already used");
  if (link.expires_at_ms <= now_ms)
    return Status::FailedPrecondition("activation link has expired");
  RETURN_NOT_OK(CheckTokenInsert(token));
  tokens_.emplace(token.id, token);
  link.used_at_ms = now_ms;
  link.issued_token_id = token.id;
  return Status::OK();
}

// --- Audit ---------------------------------------------------------------------------------

Status MemoryAccessStore::AppendAudit(const std::vector<AuditRecord>& records) {
  std::lock_guard lock(mu_);
  for (const auto& r : records) {
    audit_.push_back(internal::ClampAuditRecord(r));
    audit_.back().seq = next_seq_++;
    if (audit_.size() > max_audit_records_) audit_.pop_front();
  }
  return Status::OK();
}

Result<std::vector<AuditRecord>> MemoryAccessStore::QueryAudit(const AuditQuery& query) {
  RETURN_NOT_OK(internal::CheckAuditQuery(query));
  const std::string recipient_key = NameKey(query.recipient);
  const std::string share_key = NameKey(query.share);
  std::lock_guard lock(mu_);
  std::vector<AuditRecord> out;
  for (auto it = audit_.rbegin(); it != audit_.rend(); ++it) {
    if (static_cast<int>(out.size()) >= query.limit) break;
    const AuditRecord& r = *it;
    if (query.before_seq && r.seq >= *query.before_seq) continue;
    if (!recipient_key.empty() && NameKey(r.recipient) != recipient_key) continue;
    if (!share_key.empty() && NameKey(r.share) != share_key) continue;
    if (query.from_ms && r.time_ms < *query.from_ms) continue;
    if (query.to_ms && r.time_ms >= *query.to_ms) continue;
    if (query.status && r.status != *query.status) continue;
    out.push_back(r);
  }
  return out;
}

Result<int64_t> MemoryAccessStore::DeleteAuditBefore(int64_t before_ms) {
  std::lock_guard lock(mu_);
  return static_cast<int64_t>(
      std::erase_if(audit_, [&](const AuditRecord& r) { return r.time_ms < before_ms; }));
}

// --- Key versions --------------------------------------------------------------------------

Result<std::vector<KeyVersion>> MemoryAccessStore::ListKeyVersions() {
  std::lock_guard lock(mu_);
  return key_versions_;
}

Result<KeyVersion> MemoryAccessStore::AddKeyVersion(int64_t now_ms) {
  std::lock_guard lock(mu_);
  KeyVersion v{key_versions_.back().version + 1, now_ms, {}};
  key_versions_.push_back(v);
  Bump();
  return v;
}

Status MemoryAccessStore::RetireKeyVersion(int64_t version, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(key_versions_.begin(), key_versions_.end(),
                         [&](const KeyVersion& v) { return v.version == version; });
  if (it == key_versions_.end()) {
    return Status::NotFound("key version " + std::to_string(version) + " does not exist");
  }
  if (it->retired_at_ms) return Status::OK();
  auto active = std::count_if(key_versions_.begin(), key_versions_.end(),
                              [](const KeyVersion& v) { return !v.retired_at_ms; });
  if (active <= 1) {
    return Status::FailedPrecondition("key version " + std::to_string(version) +
                                      " is the last active one; add a version first");
  }
  it->retired_at_ms = now_ms;
  Bump();
  return Status::OK();
}

Result<int64_t> MemoryAccessStore::Revision() {
  std::lock_guard lock(mu_);
  return revision_;
}

}  // namespace ds::access
