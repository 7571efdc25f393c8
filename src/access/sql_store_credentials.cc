// SqlAccessStore: tokens, OAuth clients, activation links, audit records, key versions.
#include <algorithm>

#include "access/names.h"
#include "access/sql_store.h"
#include "access/store_internal.h"

namespace ds::access {

using sql::Connection;
using sql::Param;
using sql::Rows;

namespace {

constexpr const char* kTokenColumns =
    "id, kind, recipient_id, hash, key_version, created_at, expires_at, revoked_at, "
    "superseded_by, oauth_client_id, label";

std::vector<TokenRecord> ReadTokens(const Rows& rows) {
  std::vector<TokenRecord> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    TokenRecord t;
    t.id = rows.Text(i, 0);
    t.kind = static_cast<TokenKind>(rows.Int(i, 1));
    t.recipient_id = rows.Text(i, 2);
    t.hash = rows.Text(i, 3);
    t.key_version = rows.Int(i, 4);
    t.created_at_ms = rows.Int(i, 5);
    t.expires_at_ms = rows.Int(i, 6);
    t.revoked_at_ms = rows.OptInt(i, 7);
    t.superseded_by = rows.Text(i, 8);
    t.oauth_client_id = rows.Text(i, 9);
    t.label = rows.Text(i, 10);
    out.push_back(std::move(t));
  }
  return out;
}

// "WHERE ..." for a token filter, appending its parameters.
std::string TokenWhere(const TokenFilter& filter, std::vector<Param>* params) {
  std::string where;
  auto add = [&](const std::string& column, Param value) {
    params->push_back(std::move(value));
    where +=
        (where.empty() ? " WHERE " : " AND ") + column + " = $" + std::to_string(params->size());
  };
  if (!filter.recipient_id.empty()) add("recipient_id", filter.recipient_id);
  if (filter.kind) add("kind", static_cast<int64_t>(*filter.kind));
  if (!filter.oauth_client_id.empty()) add("oauth_client_id", filter.oauth_client_id);
  return where;
}

constexpr const char* kClientColumns =
    "client_id, recipient_id, secret_hash, key_version, access_token_lifetime_seconds, "
    "created_at";

std::vector<OAuthClient> ReadClients(const Rows& rows) {
  std::vector<OAuthClient> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    OAuthClient c;
    c.client_id = rows.Text(i, 0);
    c.recipient_id = rows.Text(i, 1);
    c.secret_hash = rows.Text(i, 2);
    c.key_version = rows.Int(i, 3);
    c.access_token_lifetime_seconds = rows.Int(i, 4);
    c.created_at_ms = rows.Int(i, 5);
    out.push_back(std::move(c));
  }
  return out;
}

Status TokenNotFound(std::string_view id) {
  return Status::NotFound("token '" + std::string(id) + "' does not exist");
}

Status RecipientMissing(const std::string& id) {
  return Status::NotFound("recipient with id '" + id + "' does not exist");
}

Status RequireRecipient(Connection& c, const std::string& id) {
  ASSIGN_OR_RETURN(Rows rows, c.Execute("SELECT 1 FROM recipients WHERE id = $1", {id}));
  return rows.empty() ? RecipientMissing(id) : Status::OK();
}

// Makes a token stop at `at_ms` unless it already stopped earlier.
constexpr const char* kStopAt =
    "revoked_at = CASE WHEN revoked_at IS NULL OR revoked_at > $2 THEN $2 ELSE revoked_at END";

}  // namespace

// --- Tokens --------------------------------------------------------------------------------

Status SqlAccessStore::InsertTokenRow(Connection& c, const TokenRecord& t) {
  RETURN_NOT_OK(internal::CheckTokenRecord(t));
  if (t.kind != TokenKind::kAdmin) RETURN_NOT_OK(RequireRecipient(c, t.recipient_id));
  Status st =
      c.Execute(std::string("INSERT INTO tokens (") + kTokenColumns +
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                {t.id, static_cast<int64_t>(t.kind), sql::TextOrNull(t.recipient_id), t.hash,
                 t.key_version, t.created_at_ms, t.expires_at_ms, sql::IntOrNull(t.revoked_at_ms),
                 sql::TextOrNull(t.superseded_by), sql::TextOrNull(t.oauth_client_id), t.label})
          .status();
  if (st.IsAlreadyExists()) return Status::AlreadyExists("token id is taken");
  return st;
}

Status SqlAccessStore::InsertToken(const TokenRecord& token) {
  return Run(Mode::kSingle, [&](Connection& c) { return InsertTokenRow(c, token); });
}

Result<TokenRecord> SqlAccessStore::GetToken(std::string_view id) {
  Rows rows;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(
        rows, c.Execute(std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE id = $1",
                        {std::string(id)}));
    return Status::OK();
  }));
  if (rows.empty()) return TokenNotFound(id);
  return ReadTokens(rows)[0];
}

Result<std::vector<TokenRecord>> SqlAccessStore::ListTokens(const TokenFilter& filter) {
  Rows rows;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    std::vector<Param> params;
    std::string where = TokenWhere(filter, &params);
    ASSIGN_OR_RETURN(rows, c.Execute(std::string("SELECT ") + kTokenColumns + " FROM tokens" +
                                         where + " ORDER BY created_at, id",
                                     params));
    return Status::OK();
  }));
  return ReadTokens(rows);
}

Status SqlAccessStore::SupersedeToken(std::string_view old_id, const TokenRecord& replacement,
                                      int64_t old_stops_at_ms) {
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows, c.Execute(std::string("UPDATE tokens SET ") + kStopAt +
                                              ", superseded_by = $3 WHERE id = $1",
                                          {std::string(old_id), old_stops_at_ms, replacement.id}));
    if (rows.affected() == 0) return TokenNotFound(old_id);
    return InsertTokenRow(c, replacement);
  });
}

Status SqlAccessStore::RevokeToken(std::string_view id, int64_t at_ms) {
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows,
                     c.Execute(std::string("UPDATE tokens SET ") + kStopAt + " WHERE id = $1",
                               {std::string(id), at_ms}));
    if (rows.affected() == 0) return TokenNotFound(id);
    return Status::OK();
  });
}

Result<int64_t> SqlAccessStore::RevokeTokens(const TokenFilter& filter, int64_t at_ms) {
  RETURN_NOT_OK(internal::CheckRevokeFilter(filter));
  int64_t changed = 0;
  RETURN_NOT_OK(Run(Mode::kWrite, [&](Connection& c) -> Status {
    std::vector<Param> params{at_ms};
    std::string where = TokenWhere(filter, &params);
    ASSIGN_OR_RETURN(Rows rows, c.Execute("UPDATE tokens SET revoked_at = $1" + where +
                                              " AND (revoked_at IS NULL OR revoked_at > $1)",
                                          params));
    changed = rows.affected();
    return Status::OK();
  }));
  return changed;
}

Result<int64_t> SqlAccessStore::DeleteTokensEndedBefore(int64_t before_ms) {
  int64_t deleted = 0;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows, c.Execute("DELETE FROM tokens WHERE expires_at < $1 OR "
                                          "(revoked_at IS NOT NULL AND revoked_at < $1)",
                                          {before_ms}));
    deleted = rows.affected();
    return Status::OK();
  }));
  return deleted;
}

// --- OAuth clients -------------------------------------------------------------------------

Status SqlAccessStore::InsertOAuthClient(const OAuthClient& client) {
  RETURN_NOT_OK(internal::CheckOAuthClient(client));
  return Run(Mode::kSingle, [&](Connection& c) -> Status {
    RETURN_NOT_OK(RequireRecipient(c, client.recipient_id));
    Status st =
        c.Execute(std::string("INSERT INTO oauth_clients (") + kClientColumns +
                      ") VALUES ($1, $2, $3, $4, $5, $6)",
                  {client.client_id, client.recipient_id, client.secret_hash, client.key_version,
                   client.access_token_lifetime_seconds, client.created_at_ms})
            .status();
    if (st.IsAlreadyExists()) return Status::AlreadyExists("OAuth client id is taken");
    return st;
  });
}

Result<OAuthClient> SqlAccessStore::GetOAuthClient(std::string_view client_id) {
  Rows rows;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(rows, c.Execute(std::string("SELECT ") + kClientColumns +
                                         " FROM oauth_clients WHERE client_id = $1",
                                     {std::string(client_id)}));
    return Status::OK();
  }));
  if (rows.empty()) {
    return Status::NotFound("OAuth client '" + std::string(client_id) + "' does not exist");
  }
  return ReadClients(rows)[0];
}

Result<std::vector<OAuthClient>> SqlAccessStore::ListOAuthClients(std::string_view recipient_id) {
  Rows rows;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    std::string sql = std::string("SELECT ") + kClientColumns + " FROM oauth_clients";
    std::vector<Param> params;
    if (!recipient_id.empty()) {
      sql += " WHERE recipient_id = $1";
      params.emplace_back(std::in_place_type<std::string>, recipient_id);
    }
    ASSIGN_OR_RETURN(rows, c.Execute(sql + " ORDER BY created_at, client_id", params));
    return Status::OK();
  }));
  return ReadClients(rows);
}

Status SqlAccessStore::DeleteOAuthClient(std::string_view client_id, int64_t now_ms) {
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows, c.Execute("DELETE FROM oauth_clients WHERE client_id = $1",
                                          {std::string(client_id)}));
    if (rows.affected() == 0) {
      return Status::NotFound("OAuth client '" + std::string(client_id) + "' does not exist");
    }
    return c
        .Execute(std::string("UPDATE tokens SET ") + kStopAt + " WHERE oauth_client_id = $1",
                 {std::string(client_id), now_ms})
        .status();
  });
}

// --- Activation links ----------------------------------------------------------------------

Status SqlAccessStore::InsertActivationLink(const ActivationLink& link) {
  RETURN_NOT_OK(internal::CheckActivationLink(link));
  return Run(Mode::kSingle, [&](Connection& c) -> Status {
    RETURN_NOT_OK(RequireRecipient(c, link.recipient_id));
    Status st = c.Execute(
                     "INSERT INTO activation_links (id, recipient_id, code_hash, endpoint, "
                     "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                     {link.id, link.recipient_id, link.code_hash, link.endpoint, link.created_at_ms,
                      link.expires_at_ms})
                    .status();
    if (st.IsAlreadyExists()) return Status::AlreadyExists("activation link id is taken");
    return st;
  });
}

Result<ActivationLink> SqlAccessStore::GetActivationLink(std::string_view id) {
  Rows rows;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(rows, c.Execute("SELECT id, recipient_id, code_hash, endpoint, created_at, "
                                     "expires_at, used_at, issued_token_id "
                                     "FROM activation_links WHERE id = $1",
                                     {std::string(id)}));
    return Status::OK();
  }));
  if (rows.empty()) return Status::NotFound("activation link does not exist");
  ActivationLink link;
  link.id = rows.Text(0, 0);
  link.recipient_id = rows.Text(0, 1);
  link.code_hash = rows.Text(0, 2);
  link.endpoint = rows.Text(0, 3);
  link.created_at_ms = rows.Int(0, 4);
  link.expires_at_ms = rows.Int(0, 5);
  link.used_at_ms = rows.OptInt(0, 6);
  link.issued_token_id = rows.Text(0, 7);
  return link;
}

Status SqlAccessStore::RedeemActivationLink(std::string_view id, int64_t now_ms,
                                            const TokenRecord& token) {
  return Run(Mode::kAppend, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows,
                     c.Execute("SELECT used_at, expires_at FROM activation_links WHERE id = $1",
                               {std::string(id)}));
    if (rows.empty()) return Status::NotFound("activation link does not exist");
    if (!rows.IsNull(0, 0)) return Status::FailedPrecondition("activation link was already used");
    if (rows.Int(0, 1) <= now_ms) {
      return Status::FailedPrecondition("activation link has expired");
    }
    // The used_at condition makes a concurrent redemption that got past the check lose.
    ASSIGN_OR_RETURN(Rows updated, c.Execute("UPDATE activation_links SET used_at = $2, "
                                             "issued_token_id = $3 WHERE id = $1 AND "
                                             "used_at IS NULL",
                                             {std::string(id), now_ms, token.id}));
    if (updated.affected() != 1) {
      return Status::FailedPrecondition("activation link was already used");
    }
    return InsertTokenRow(c, token);
  });
}

// --- Audit ---------------------------------------------------------------------------------

namespace {

constexpr int kAuditColumns = 17;
// Rows per INSERT: one statement per chunk keeps round trips (PostgreSQL) and statement
// overhead (SQLite) low; 64 * 17 parameters stay far below both databases' limits.
constexpr size_t kAuditRowsPerInsert = 64;

// "INSERT INTO audit_log (...) VALUES ($1, ..., $17), ($18, ...)" for `rows` rows.
std::string AuditInsertSql(size_t rows) {
  std::string sql =
      "INSERT INTO audit_log (time_ms, recipient, recipient_key, recipient_id, token_id, "
      "operation, share_name, share_key, schema_name, table_name, version, files, status, "
      "client_address, user_agent, duration_us, message) VALUES ";
  int n = 0;
  for (size_t r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (int c = 0; c < kAuditColumns; ++c) sql += (c ? ", $" : "$") + std::to_string(++n);
    sql += ")";
  }
  return sql;
}

void AppendAuditParams(const AuditRecord& record, std::vector<Param>* params) {
  AuditRecord r = internal::ClampAuditRecord(record);
  params->insert(params->end(), {r.time_ms, r.recipient, NameKey(r.recipient), r.recipient_id,
                                 r.token_id, r.operation, r.share, NameKey(r.share), r.schema,
                                 r.table, sql::IntOrNull(r.version), r.files, int64_t{r.status},
                                 r.client_address, r.user_agent, r.duration_us, r.message});
}

}  // namespace

Status SqlAccessStore::AppendAudit(const std::vector<AuditRecord>& records) {
  if (records.empty()) return Status::OK();
  return Run(Mode::kAppend, [&](Connection& c) -> Status {
    std::vector<Param> params;
    for (size_t start = 0; start < records.size(); start += kAuditRowsPerInsert) {
      const size_t rows = std::min(kAuditRowsPerInsert, records.size() - start);
      params.clear();
      for (size_t i = start; i < start + rows; ++i) AppendAuditParams(records[i], &params);
      RETURN_NOT_OK(c.Execute(AuditInsertSql(rows), params));
    }
    return Status::OK();
  });
}

Result<std::vector<AuditRecord>> SqlAccessStore::QueryAudit(const AuditQuery& query) {
  RETURN_NOT_OK(internal::CheckAuditQuery(query));
  std::string where;
  std::vector<Param> params;
  auto add = [&](const std::string& condition, Param value) {
    params.push_back(std::move(value));
    where += (where.empty() ? " WHERE " : " AND ") + condition + std::to_string(params.size());
  };
  if (!query.recipient.empty()) add("recipient_key = $", NameKey(query.recipient));
  if (!query.share.empty()) add("share_key = $", NameKey(query.share));
  if (query.from_ms) add("time_ms >= $", *query.from_ms);
  if (query.to_ms) add("time_ms < $", *query.to_ms);
  if (query.status) add("status = $", int64_t{*query.status});
  if (query.before_seq) add("seq < $", *query.before_seq);
  params.push_back(int64_t{query.limit});
  std::string sql =
      "SELECT seq, time_ms, recipient, recipient_id, token_id, operation, share_name, "
      "schema_name, table_name, version, files, status, client_address, user_agent, "
      "duration_us, message FROM audit_log" +
      where + " ORDER BY seq DESC LIMIT $" + std::to_string(params.size());
  Rows rows;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(rows, c.Execute(sql, params));
    return Status::OK();
  }));
  std::vector<AuditRecord> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    AuditRecord r;
    r.seq = rows.Int(i, 0);
    r.time_ms = rows.Int(i, 1);
    r.recipient = rows.Text(i, 2);
    r.recipient_id = rows.Text(i, 3);
    r.token_id = rows.Text(i, 4);
    r.operation = rows.Text(i, 5);
    r.share = rows.Text(i, 6);
    r.schema = rows.Text(i, 7);
    r.table = rows.Text(i, 8);
    r.version = rows.OptInt(i, 9);
    r.files = rows.Int(i, 10);
    r.status = static_cast<int>(rows.Int(i, 11));
    r.client_address = rows.Text(i, 12);
    r.user_agent = rows.Text(i, 13);
    r.duration_us = rows.Int(i, 14);
    r.message = rows.Text(i, 15);
    out.push_back(std::move(r));
  }
  return out;
}

Result<int64_t> SqlAccessStore::DeleteAuditBefore(int64_t before_ms) {
  int64_t deleted = 0;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows, c.Execute("DELETE FROM audit_log WHERE time_ms < $1", {before_ms}));
    deleted = rows.affected();
    return Status::OK();
  }));
  return deleted;
}

// --- Key versions --------------------------------------------------------------------------

namespace {
Result<std::vector<KeyVersion>> ReadKeyVersions(Connection& c) {
  ASSIGN_OR_RETURN(Rows rows, c.Execute("SELECT version, created_at, retired_at FROM "
                                        "key_versions ORDER BY version",
                                        {}));
  std::vector<KeyVersion> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows.Int(i, 0), rows.Int(i, 1), rows.OptInt(i, 2)});
  }
  return out;
}
}  // namespace

Result<std::vector<KeyVersion>> SqlAccessStore::ListKeyVersions() {
  std::vector<KeyVersion> out;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(out, ReadKeyVersions(c));
    return Status::OK();
  }));
  return out;
}

Result<KeyVersion> SqlAccessStore::AddKeyVersion(int64_t now_ms) {
  KeyVersion added;
  RETURN_NOT_OK(Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows, c.Execute("SELECT MAX(version) FROM key_versions", {}));
    added = {rows.Int(0, 0) + 1, now_ms, {}};
    return c
        .Execute("INSERT INTO key_versions (version, created_at) VALUES ($1, $2)",
                 {added.version, now_ms})
        .status();
  }));
  return added;
}

Status SqlAccessStore::RetireKeyVersion(int64_t version, int64_t now_ms) {
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(std::vector<KeyVersion> versions, ReadKeyVersions(c));
    const KeyVersion* target = nullptr;
    int active = 0;
    for (const auto& v : versions) {
      if (v.version == version) target = &v;
      active += !v.retired_at_ms;
    }
    if (!target) {
      return Status::NotFound("key version " + std::to_string(version) + " does not exist");
    }
    if (target->retired_at_ms) return Status::OK();
    if (active <= 1) {
      return Status::FailedPrecondition("key version " + std::to_string(version) +
                                        " is the last active one; add a version first");
    }
    return c
        .Execute("UPDATE key_versions SET retired_at = $2 WHERE version = $1", {version, now_ms})
        .status();
  });
}

Result<int64_t> SqlAccessStore::Revision() {
  int64_t revision = 0;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows, c.Execute("SELECT revision FROM access_state WHERE id = 1", {}));
    if (rows.empty()) return Status::Corruption("access store: access_state row is missing");
    revision = rows.Int(0, 0);
    return Status::OK();
  }));
  return revision;
}

}  // namespace ds::access
