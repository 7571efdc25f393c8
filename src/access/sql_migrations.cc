#include "access/sql_migrations.h"

#include <string>
#include <vector>

#include "access/access_store.h"

namespace ds::access::sql {
namespace {

struct Migration {
  int64_t version;
  const char* description;
  // DDL in the common dialect: "@SERIAL@" becomes an auto-increment integer primary key,
  // "@KEY@" a text type ordered by bytes (PostgreSQL's default collation is the locale's).
  const char* ddl;
};

// Times are milliseconds since the epoch (BIGINT); names keep their spelling in `name` and
// are indexed by their case-folded `name_key`.
const Migration kMigrations[] = {
    {1, "access model: shares, recipients, grants, credentials, audit, key versions", R"sql(
CREATE TABLE access_state (
  id BIGINT PRIMARY KEY,
  revision BIGINT NOT NULL
);
INSERT INTO access_state (id, revision) VALUES (1, 1);

CREATE TABLE shares (
  id @KEY@ PRIMARY KEY,
  name TEXT NOT NULL,
  name_key @KEY@ NOT NULL UNIQUE,
  comment TEXT NOT NULL,
  properties TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE share_schemas (
  share_id TEXT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  name_key @KEY@ NOT NULL,
  PRIMARY KEY (share_id, name_key)
);

CREATE TABLE share_tables (
  id @KEY@ PRIMARY KEY,
  share_id TEXT NOT NULL,
  schema_key @KEY@ NOT NULL,
  name TEXT NOT NULL,
  name_key @KEY@ NOT NULL,
  location TEXT NOT NULL,
  comment TEXT NOT NULL,
  history_shared BIGINT NOT NULL,
  start_version BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (share_id, schema_key, name_key),
  FOREIGN KEY (share_id, schema_key) REFERENCES share_schemas (share_id, name_key)
    ON DELETE CASCADE
);

CREATE TABLE recipients (
  id @KEY@ PRIMARY KEY,
  name TEXT NOT NULL,
  name_key @KEY@ NOT NULL UNIQUE,
  comment TEXT NOT NULL,
  token_lifetime_seconds BIGINT NOT NULL,
  ip_allow TEXT NOT NULL,
  rate_limit_per_minute BIGINT NOT NULL,
  properties TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE grants (
  recipient_id TEXT NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
  share_id TEXT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
  partition_filter TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (recipient_id, share_id)
);
CREATE INDEX grants_by_share ON grants (share_id);

CREATE TABLE tokens (
  id @KEY@ PRIMARY KEY,
  kind BIGINT NOT NULL,
  recipient_id TEXT REFERENCES recipients (id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  key_version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  superseded_by TEXT,
  oauth_client_id TEXT,
  label TEXT NOT NULL
);
CREATE INDEX tokens_by_recipient ON tokens (recipient_id);
CREATE INDEX tokens_by_client ON tokens (oauth_client_id);
CREATE INDEX tokens_by_expiry ON tokens (expires_at);

CREATE TABLE oauth_clients (
  client_id @KEY@ PRIMARY KEY,
  recipient_id TEXT NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
  secret_hash TEXT NOT NULL,
  key_version BIGINT NOT NULL,
  access_token_lifetime_seconds BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX oauth_clients_by_recipient ON oauth_clients (recipient_id);

CREATE TABLE activation_links (
  id @KEY@ PRIMARY KEY,
  recipient_id TEXT NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  issued_token_id TEXT
);

CREATE TABLE audit_log (
  seq @SERIAL@,
  time_ms BIGINT NOT NULL,
  recipient TEXT NOT NULL,
  recipient_key @KEY@ NOT NULL,
  recipient_id TEXT NOT NULL,
  token_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  share_name TEXT NOT NULL,
  share_key @KEY@ NOT NULL,
  schema_name TEXT NOT NULL,
  table_name TEXT NOT NULL,
  version BIGINT,
  files BIGINT NOT NULL,
  status BIGINT NOT NULL,
  client_address TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  duration_us BIGINT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit_log (time_ms);
CREATE INDEX audit_by_recipient ON audit_log (recipient_key, seq);
CREATE INDEX audit_by_share ON audit_log (share_key, seq);

CREATE TABLE key_versions (
  version BIGINT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  retired_at BIGINT
);
INSERT INTO key_versions (version, created_at) VALUES (1, @NOW@);
)sql"},
    {2, "tables encrypted at rest", R"sql(
ALTER TABLE share_tables ADD COLUMN encrypted BIGINT NOT NULL DEFAULT 0;
)sql"},
};

std::string Render(const Migration& m, Dialect dialect) {
  std::string ddl = m.ddl;
  auto replace = [&](const std::string& from, const std::string& to) {
    for (size_t pos = ddl.find(from); pos != std::string::npos; pos = ddl.find(from, pos)) {
      ddl.replace(pos, from.size(), to);
      pos += to.size();
    }
  };
  replace("@SERIAL@", dialect == Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                                                  : "BIGSERIAL PRIMARY KEY");
  replace("@KEY@", dialect == Dialect::kSqlite ? "TEXT" : "TEXT COLLATE \"C\"");
  replace("@NOW@", std::to_string(SystemNowMs()));
  return ddl;
}

Status MigrateLocked(Connection* conn) {
  RETURN_NOT_OK(conn->ExecuteScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
  ASSIGN_OR_RETURN(sql::Rows rows, conn->Execute("SELECT MAX(version) FROM schema_migrations", {}));
  int64_t current = rows.Int(0, 0);
  if (current > LatestSchemaVersion()) {
    return Status::FailedPrecondition("access store schema version " + std::to_string(current) +
                                      " is newer than this deltashare understands (" +
                                      std::to_string(LatestSchemaVersion()) +
                                      "); upgrade deltashare");
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= current) continue;
    RETURN_NOT_OK_CTX(conn->ExecuteScript(Render(m, conn->dialect())),
                      "schema migration " + std::to_string(m.version));
    RETURN_NOT_OK(conn->Execute(
        "INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)",
        {m.version, std::string(m.description), SystemNowMs()}));
  }
  return Status::OK();
}

}  // namespace

int64_t LatestSchemaVersion() { return std::end(kMigrations)[-1].version; }

Status Migrate(Connection* conn) {
  RETURN_NOT_OK(conn->Begin());
  Status st = Status::OK();
  if (conn->dialect() == Dialect::kPostgres) {
    // Serializes replicas starting together; released at commit.
    st = conn->Execute("SELECT pg_advisory_xact_lock(7306202411)", {}).status();
  }
  if (st.ok()) st = MigrateLocked(conn);
  if (st.ok()) st = conn->Commit();
  if (!st.ok()) conn->Rollback();
  return st;
}

}  // namespace ds::access::sql
