// SqlAccessStore: opening, the retry loop, and the catalog (shares, recipients, grants).
// Credentials, audit and key versions are in sql_store_credentials.cc.
#include "access/sql_store.h"

#include "access/names.h"
#include "access/postgres_connection.h"
#include "access/sql_migrations.h"
#include "access/sqlite_connection.h"
#include "access/store_internal.h"
#include "util/json.h"

namespace ds::access {

using sql::Connection;
using sql::Param;
using sql::Rows;

namespace {

std::string PropertiesToJson(const Properties& properties) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  for (const auto& [k, v] : properties) w.Field(k, v);
  w.EndObject();
  return out;
}

std::string ListToJson(const std::vector<std::string>& items) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  for (const auto& item : items) w.String(item);
  w.EndArray();
  return out;
}

Result<Properties> PropertiesFromJson(const std::string& text) {
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(text));
  if (!v.is_object()) return Status::Corruption("access store: properties are not an object");
  Properties out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v.items()[i].is_string()) return Status::Corruption("access store: property not text");
    out.emplace_back(v.keys()[i], v.items()[i].string_value());
  }
  return out;
}

Result<std::vector<std::string>> ListFromJson(const std::string& text) {
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(text));
  if (!v.is_array()) return Status::Corruption("access store: list is not an array");
  std::vector<std::string> out;
  for (const auto& item : v.items()) {
    if (!item.is_string()) return Status::Corruption("access store: list item not text");
    out.push_back(item.string_value());
  }
  return out;
}

constexpr const char* kShareColumns = "id, name, comment, properties, created_at";

Result<Share> ReadShare(const Rows& rows, size_t i) {
  Share s;
  s.id = rows.Text(i, 0);
  s.name = rows.Text(i, 1);
  s.comment = rows.Text(i, 2);
  ASSIGN_OR_RETURN(s.properties, PropertiesFromJson(rows.Text(i, 3)));
  s.created_at_ms = rows.Int(i, 4);
  return s;
}

constexpr const char* kRecipientColumns =
    "id, name, comment, token_lifetime_seconds, ip_allow, rate_limit_per_minute, properties, "
    "created_at";

Result<Recipient> ReadRecipient(const Rows& rows, size_t i) {
  Recipient r;
  r.id = rows.Text(i, 0);
  r.name = rows.Text(i, 1);
  r.comment = rows.Text(i, 2);
  r.token_lifetime_seconds = rows.Int(i, 3);
  ASSIGN_OR_RETURN(r.ip_allow, ListFromJson(rows.Text(i, 4)));
  r.rate_limit_per_minute = rows.Int(i, 5);
  ASSIGN_OR_RETURN(r.properties, PropertiesFromJson(rows.Text(i, 6)));
  r.created_at_ms = rows.Int(i, 7);
  return r;
}

Result<std::vector<Recipient>> ReadRecipients(const Rows& rows) {
  std::vector<Recipient> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSIGN_OR_RETURN(Recipient r, ReadRecipient(rows, i));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

// --- Opening and running -------------------------------------------------------------------

SqlAccessStore::SqlAccessStore(std::string description, sql::ConnectFn connect,
                               const StoreOptions& options)
    : description_(std::move(description)),
      pool_(std::move(connect), options.max_connections, options.busy_timeout_ms) {}

Result<std::unique_ptr<SqlAccessStore>> SqlAccessStore::OpenSqlite(const std::string& path,
                                                                   const StoreOptions& options) {
  if (path.empty()) return Status::InvalidArgument("access store: sqlite: needs a file path");
  int timeout = options.busy_timeout_ms;
  std::unique_ptr<SqlAccessStore> store(new SqlAccessStore(
      "sqlite:" + path, [path, timeout] { return sql::OpenSqlite(path, timeout); }, options));
  RETURN_NOT_OK(store->Initialize());
  return store;
}

Result<std::unique_ptr<SqlAccessStore>> SqlAccessStore::OpenPostgres(const std::string& url,
                                                                     const StoreOptions& options) {
  int timeout = options.busy_timeout_ms;
  std::unique_ptr<SqlAccessStore> store(new SqlAccessStore(
      RedactStoreUrl(url), [url, timeout] { return sql::OpenPostgres(url, timeout); }, options));
  RETURN_NOT_OK(store->Initialize());
  return store;
}

Status SqlAccessStore::Initialize() {
  return Run(Mode::kSingle, [](Connection& c) { return sql::Migrate(&c); });
}

Status SqlAccessStore::Run(Mode mode, const Work& work) {
  for (int attempt = 0;; ++attempt) {
    ASSIGN_OR_RETURN(auto conn, pool_.Acquire(/*fresh=*/attempt > 0));
    Status st;
    if (mode == Mode::kSingle) {
      st = work(*conn);
    } else {
      st = mode == Mode::kRead ? conn->BeginRead() : conn->Begin();
      if (st.ok() && mode == Mode::kWrite) st = Bump(*conn);
      if (st.ok()) st = work(*conn);
      if (st.ok()) st = conn->Commit();
      if (!st.ok()) conn->Rollback();
    }
    bool stale = st.code() == StatusCode::kUnavailable && !conn->healthy() && conn.reused();
    if (!stale || attempt > 0) return st;
  }
}

Status SqlAccessStore::Bump(Connection& c) {
  return c.Execute("UPDATE access_state SET revision = revision + 1 WHERE id = 1", {}).status();
}

Result<std::string> SqlAccessStore::ShareId(Connection& c, std::string_view name) {
  ASSIGN_OR_RETURN(Rows rows,
                   c.Execute("SELECT id FROM shares WHERE name_key = $1", {NameKey(name)}));
  if (rows.empty()) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, name));
  return rows.Text(0, 0);
}

Result<std::string> SqlAccessStore::RecipientId(Connection& c, std::string_view name) {
  ASSIGN_OR_RETURN(Rows rows,
                   c.Execute("SELECT id FROM recipients WHERE name_key = $1", {NameKey(name)}));
  if (rows.empty()) return Status::NotFound(NotFoundMessageFor(NameKind::kRecipient, name));
  return rows.Text(0, 0);
}

// --- Shares --------------------------------------------------------------------------------

Result<Share> SqlAccessStore::CreateShare(Share share) {
  RETURN_NOT_OK(internal::PrepareShare(&share));
  Status st = Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows taken, c.Execute("SELECT 1 FROM shares WHERE name_key = $1 OR id = $2",
                                           {NameKey(share.name), share.id}));
    if (!taken.empty()) {
      return Status::AlreadyExists("share " + QuoteName(share.name) +
                                   " (or its id) already exists");
    }
    return c
        .Execute(
            "INSERT INTO shares (id, name, name_key, comment, properties, created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            {share.id, share.name, NameKey(share.name), share.comment,
             PropertiesToJson(share.properties), share.created_at_ms})
        .status();
  });
  RETURN_NOT_OK(st);
  return share;
}

Result<Share> SqlAccessStore::GetShare(std::string_view name) {
  Share share;
  RETURN_NOT_OK(Run(Mode::kRead, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows, c.Execute(std::string("SELECT ") + kShareColumns +
                                              " FROM shares WHERE name_key = $1",
                                          {NameKey(name)}));
    if (rows.empty()) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, name));
    ASSIGN_OR_RETURN(share, ReadShare(rows, 0));
    ASSIGN_OR_RETURN(Rows schemas,
                     c.Execute("SELECT name, name_key FROM share_schemas WHERE share_id = $1 "
                               "ORDER BY name_key",
                               {share.id}));
    ASSIGN_OR_RETURN(
        Rows tables,
        c.Execute("SELECT schema_key, id, name, location, comment, history_shared, start_version, "
                  "created_at, encrypted FROM share_tables WHERE share_id = $1 "
                  "ORDER BY schema_key, name_key",
                  {share.id}));
    size_t t = 0;
    for (size_t i = 0; i < schemas.size(); ++i) {
      Schema schema{schemas.Text(i, 0), {}};
      const std::string& key = schemas.Text(i, 1);
      for (; t < tables.size() && tables.Text(t, 0) <= key; ++t) {
        if (tables.Text(t, 0) != key) continue;
        Table table;
        table.id = tables.Text(t, 1);
        table.name = tables.Text(t, 2);
        table.location = tables.Text(t, 3);
        table.comment = tables.Text(t, 4);
        table.history_shared = tables.Int(t, 5) != 0;
        table.start_version = tables.OptInt(t, 6);
        table.created_at_ms = tables.Int(t, 7);
        table.encrypted = tables.Int(t, 8) != 0;
        schema.tables.push_back(std::move(table));
      }
      share.schemas.push_back(std::move(schema));
    }
    return Status::OK();
  }));
  return share;
}

Result<std::vector<Share>> SqlAccessStore::ListShares(const ListOptions& options) {
  RETURN_NOT_OK(internal::CheckListOptions(options));
  std::vector<Share> out;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows, c.Execute(std::string("SELECT ") + kShareColumns +
                                              " FROM shares WHERE name_key > $1 "
                                              "ORDER BY name_key LIMIT $2",
                                          {NameKey(options.after), int64_t{options.limit}}));
    for (size_t i = 0; i < rows.size(); ++i) {
      ASSIGN_OR_RETURN(Share s, ReadShare(rows, i));
      out.push_back(std::move(s));
    }
    return Status::OK();
  }));
  return out;
}

Status SqlAccessStore::UpdateShare(std::string_view name, const std::string& comment,
                                   const Properties& properties) {
  Share fields;
  fields.name = "x";
  fields.comment = comment;
  fields.properties = properties;
  RETURN_NOT_OK(NormalizeProperties(&fields.properties));
  RETURN_NOT_OK(ValidateShareFields(fields));
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(
        Rows rows, c.Execute("UPDATE shares SET comment = $2, properties = $3 WHERE name_key = $1",
                             {NameKey(name), comment, PropertiesToJson(fields.properties)}));
    if (rows.affected() == 0) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, name));
    return Status::OK();
  });
}

Status SqlAccessStore::DeleteShare(std::string_view name) {
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows,
                     c.Execute("DELETE FROM shares WHERE name_key = $1", {NameKey(name)}));
    if (rows.affected() == 0) return Status::NotFound(NotFoundMessageFor(NameKind::kShare, name));
    return Status::OK();
  });
}

Status SqlAccessStore::AddSchema(std::string_view share, std::string_view schema) {
  RETURN_NOT_OK(ValidateName(NameKind::kSchema, schema));
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(std::string share_id, ShareId(c, share));
    Status st =
        c.Execute("INSERT INTO share_schemas (share_id, name, name_key) VALUES ($1, $2, $3)",
                  {share_id, std::string(schema), NameKey(schema)})
            .status();
    if (st.IsAlreadyExists()) {
      return Status::AlreadyExists("schema " + QuoteName(schema) + " already exists in share " +
                                   QuoteName(share));
    }
    return st;
  });
}

Status SqlAccessStore::DeleteSchema(std::string_view share, std::string_view schema) {
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(std::string share_id, ShareId(c, share));
    ASSIGN_OR_RETURN(Rows rows,
                     c.Execute("DELETE FROM share_schemas WHERE share_id = $1 AND name_key = $2",
                               {share_id, NameKey(schema)}));
    if (rows.affected() == 0)
      return Status::NotFound(NotFoundMessageFor(NameKind::kSchema, schema));
    return Status::OK();
  });
}

Result<Table> SqlAccessStore::AddTable(std::string_view share, std::string_view schema,
                                       Table table) {
  RETURN_NOT_OK(ValidateName(NameKind::kSchema, schema));
  RETURN_NOT_OK(internal::PrepareTable(&table));
  RETURN_NOT_OK(Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(std::string share_id, ShareId(c, share));
    ASSIGN_OR_RETURN(
        Rows taken,
        c.Execute("SELECT 1 FROM share_tables WHERE (share_id = $1 AND schema_key = $2 AND "
                  "name_key = $3) OR id = $4",
                  {share_id, NameKey(schema), NameKey(table.name), table.id}));
    if (!taken.empty()) {
      return Status::AlreadyExists("table " + QuoteName(table.name) +
                                   " (or its id) already exists");
    }
    RETURN_NOT_OK(
        c.Execute("INSERT INTO share_schemas (share_id, name, name_key) "
                  "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                  {share_id, std::string(schema), NameKey(schema)}));
    return c
        .Execute(
            "INSERT INTO share_tables (id, share_id, schema_key, name, name_key, location, "
            "comment, history_shared, start_version, created_at, encrypted) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            {table.id, share_id, NameKey(schema), table.name, NameKey(table.name), table.location,
             table.comment, int64_t{table.history_shared}, sql::IntOrNull(table.start_version),
             table.created_at_ms, int64_t{table.encrypted}})
        .status();
  }));
  return table;
}

Status SqlAccessStore::DeleteTable(std::string_view share, std::string_view schema,
                                   std::string_view table) {
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(std::string share_id, ShareId(c, share));
    ASSIGN_OR_RETURN(Rows rows, c.Execute("DELETE FROM share_tables WHERE share_id = $1 AND "
                                          "schema_key = $2 AND name_key = $3",
                                          {share_id, NameKey(schema), NameKey(table)}));
    if (rows.affected() == 0) return Status::NotFound(NotFoundMessageFor(NameKind::kTable, table));
    return Status::OK();
  });
}

// --- Recipients ----------------------------------------------------------------------------

Result<Recipient> SqlAccessStore::CreateRecipient(Recipient r) {
  RETURN_NOT_OK(internal::PrepareRecipient(&r));
  RETURN_NOT_OK(Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows taken,
                     c.Execute("SELECT 1 FROM recipients WHERE name_key = $1 OR id = $2",
                               {NameKey(r.name), r.id}));
    if (!taken.empty()) {
      return Status::AlreadyExists("recipient " + QuoteName(r.name) +
                                   " (or its id) already exists");
    }
    return c
        .Execute(
            "INSERT INTO recipients (id, name, name_key, comment, token_lifetime_seconds, "
            "ip_allow, rate_limit_per_minute, properties, created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            {r.id, r.name, NameKey(r.name), r.comment, r.token_lifetime_seconds,
             ListToJson(r.ip_allow), r.rate_limit_per_minute, PropertiesToJson(r.properties),
             r.created_at_ms})
        .status();
  }));
  return r;
}

Result<Recipient> SqlAccessStore::GetRecipient(std::string_view name) {
  Rows rows;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(rows, c.Execute(std::string("SELECT ") + kRecipientColumns +
                                         " FROM recipients WHERE name_key = $1",
                                     {NameKey(name)}));
    return Status::OK();
  }));
  if (rows.empty()) return Status::NotFound(NotFoundMessageFor(NameKind::kRecipient, name));
  return ReadRecipient(rows, 0);
}

Result<Recipient> SqlAccessStore::GetRecipientById(std::string_view id) {
  Rows rows;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(rows, c.Execute(std::string("SELECT ") + kRecipientColumns +
                                         " FROM recipients WHERE id = $1",
                                     {std::string(id)}));
    return Status::OK();
  }));
  if (rows.empty()) {
    return Status::NotFound("recipient with id '" + std::string(id) + "' does not exist");
  }
  return ReadRecipient(rows, 0);
}

Result<std::vector<Recipient>> SqlAccessStore::ListRecipients(const ListOptions& options) {
  RETURN_NOT_OK(internal::CheckListOptions(options));
  Rows rows;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(rows, c.Execute(std::string("SELECT ") + kRecipientColumns +
                                         " FROM recipients WHERE name_key > $1 "
                                         "ORDER BY name_key LIMIT $2",
                                     {NameKey(options.after), int64_t{options.limit}}));
    return Status::OK();
  }));
  return ReadRecipients(rows);
}

Status SqlAccessStore::UpdateRecipient(const Recipient& update) {
  Recipient r = update;
  r.id = "-";  // keep PrepareRecipient from minting one; the stored id stays
  r.created_at_ms = 1;
  RETURN_NOT_OK(internal::PrepareRecipient(&r));
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(
        Rows rows,
        c.Execute("UPDATE recipients SET comment = $2, token_lifetime_seconds = $3, "
                  "ip_allow = $4, rate_limit_per_minute = $5, properties = $6 WHERE name_key = $1",
                  {NameKey(r.name), r.comment, r.token_lifetime_seconds, ListToJson(r.ip_allow),
                   r.rate_limit_per_minute, PropertiesToJson(r.properties)}));
    if (rows.affected() == 0) {
      return Status::NotFound(NotFoundMessageFor(NameKind::kRecipient, update.name));
    }
    return Status::OK();
  });
}

Status SqlAccessStore::DeleteRecipient(std::string_view name) {
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Rows rows,
                     c.Execute("DELETE FROM recipients WHERE name_key = $1", {NameKey(name)}));
    if (rows.affected() == 0)
      return Status::NotFound(NotFoundMessageFor(NameKind::kRecipient, name));
    return Status::OK();
  });
}

// --- Grants --------------------------------------------------------------------------------

Result<std::vector<Grant>> SqlAccessStore::QueryGrants(Connection& c, const std::string& where,
                                                       const std::vector<Param>& params) {
  ASSIGN_OR_RETURN(Rows rows, c.Execute("SELECT r.name, g.recipient_id, s.name, g.share_id, "
                                        "g.partition_filter, g.created_at FROM grants g "
                                        "JOIN recipients r ON r.id = g.recipient_id "
                                        "JOIN shares s ON s.id = g.share_id " +
                                            where + " ORDER BY r.name_key, s.name_key",
                                        params));
  std::vector<Grant> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    Grant g;
    g.recipient = rows.Text(i, 0);
    g.recipient_id = rows.Text(i, 1);
    g.share = rows.Text(i, 2);
    g.share_id = rows.Text(i, 3);
    if (!rows.IsNull(i, 4)) g.partition_filter = rows.Text(i, 4);
    g.created_at_ms = rows.Int(i, 5);
    out.push_back(std::move(g));
  }
  return out;
}

Result<Grant> SqlAccessStore::PutGrant(std::string_view recipient, std::string_view share,
                                       const std::optional<std::string>& partition_filter) {
  RETURN_NOT_OK(ValidatePartitionFilter(partition_filter));
  std::vector<Grant> grants;
  RETURN_NOT_OK(Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(std::string recipient_id, RecipientId(c, recipient));
    ASSIGN_OR_RETURN(std::string share_id, ShareId(c, share));
    Param filter = partition_filter ? Param{*partition_filter} : Param{};
    RETURN_NOT_OK(
        c.Execute("INSERT INTO grants (recipient_id, share_id, partition_filter, created_at) "
                  "VALUES ($1, $2, $3, $4) ON CONFLICT (recipient_id, share_id) "
                  "DO UPDATE SET partition_filter = excluded.partition_filter",
                  {recipient_id, share_id, filter, SystemNowMs()}));
    ASSIGN_OR_RETURN(grants, QueryGrants(c, "WHERE g.recipient_id = $1 AND g.share_id = $2",
                                         {recipient_id, share_id}));
    return Status::OK();
  }));
  if (grants.size() != 1) return Status::Internal("access store: grant vanished after writing");
  return grants[0];
}

Status SqlAccessStore::DeleteGrant(std::string_view recipient, std::string_view share) {
  return Run(Mode::kWrite, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(std::string recipient_id, RecipientId(c, recipient));
    ASSIGN_OR_RETURN(std::string share_id, ShareId(c, share));
    ASSIGN_OR_RETURN(Rows rows,
                     c.Execute("DELETE FROM grants WHERE recipient_id = $1 AND share_id = $2",
                               {recipient_id, share_id}));
    if (rows.affected() == 0) {
      return Status::NotFound("recipient " + QuoteName(recipient) + " has no grant of share " +
                              QuoteName(share));
    }
    return Status::OK();
  });
}

Result<std::vector<Grant>> SqlAccessStore::ListGrants(const GrantFilter& filter) {
  std::vector<Grant> out;
  RETURN_NOT_OK(Run(Mode::kRead, [&](Connection& c) -> Status {
    std::string where;
    std::vector<Param> params;
    if (!filter.recipient.empty()) {
      ASSIGN_OR_RETURN(std::string id, RecipientId(c, filter.recipient));
      params.push_back(id);
      where = "WHERE g.recipient_id = $1";
    }
    if (!filter.share.empty()) {
      ASSIGN_OR_RETURN(std::string id, ShareId(c, filter.share));
      params.push_back(id);
      where += (where.empty() ? "WHERE" : " AND") + std::string(" g.share_id = $") +
               std::to_string(params.size());
    }
    ASSIGN_OR_RETURN(out, QueryGrants(c, where, params));
    return Status::OK();
  }));
  return out;
}

Result<std::vector<Grant>> SqlAccessStore::ListGrantsOfRecipient(std::string_view recipient_id) {
  std::vector<Grant> out;
  RETURN_NOT_OK(Run(Mode::kSingle, [&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(out, QueryGrants(c, "WHERE g.recipient_id = $1", {std::string(recipient_id)}));
    return Status::OK();
  }));
  return out;
}

}  // namespace ds::access
