#include "access/sqlite_connection.h"

#include <sqlite3.h>

#include <unordered_map>

namespace ds::access::sql {
namespace {

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  bool healthy() const override { return healthy_; }

  Result<Rows> Execute(const std::string& sql, const std::vector<Param>& params) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      if (const auto* v = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt, index, *v);
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        rc = sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()),
                               SQLITE_TRANSIENT);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) return Error(rc, "bind");
    }
    const int columns = sqlite3_column_count(stmt);
    std::vector<std::optional<std::string>> cells;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Status st = Error(rc, "query");
        sqlite3_reset(stmt);
        return st;
      }
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          cells.emplace_back();
        } else {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          cells.emplace_back(std::string(text, sqlite3_column_bytes(stmt, c)));
        }
      }
    }
    int64_t affected = sqlite3_changes64(db_);
    sqlite3_reset(stmt);
    return Rows(columns, std::move(cells), columns == 0 ? affected : 0);
  }

  Status ExecuteScript(const std::string& sql) override {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    std::string text = message ? message : "";
    sqlite3_free(message);
    if (rc != SQLITE_OK) return Error(rc, text);
    return Status::OK();
  }

  Status Begin() override { return ExecuteScript("BEGIN IMMEDIATE"); }
  Status BeginRead() override { return ExecuteScript("BEGIN DEFERRED"); }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) (void)ExecuteScript("ROLLBACK");
  }

 private:
  Result<sqlite3_stmt*> Prepare(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second;
    std::string text = ToSqlitePlaceholders(sql);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc, "prepare");
    statements_.emplace(sql, stmt);
    return stmt;
  }

  Status Error(int rc, std::string_view context) {
    int primary = rc & 0xFF;
    std::string message =
        "access store (sqlite " + path_ + "): " + std::string(context) + ": " + sqlite3_errmsg(db_);
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return Status::AlreadyExists(message);
    }
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return Status::NotFound(message);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Unavailable(message);
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
      healthy_ = false;
      return Status::Corruption(message);
    }
    if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_FULL) {
      healthy_ = false;
    }
    return Status::IOError(message);
  }

  sqlite3* db_;
  std::string path_;
  bool healthy_ = true;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::IOError("access store: cannot open sqlite database '" + path + "': " + message);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  auto conn = std::make_unique<SqliteConnection>(db, path);
  // WAL lets readers proceed while one process writes; NORMAL sync is durable in WAL mode
  // except for the last transactions before a power loss.
  Status st = conn->ExecuteScript(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
  if (!st.ok()) return st;
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace ds::access::sql
