#include "test/access/test_stores.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdlib>
#include <random>

#include "access/memory_store.h"

namespace ds::access::testing {

std::string BackendName(Backend backend) {
  switch (backend) {
    case Backend::kMemory:
      return "Memory";
    case Backend::kSqlite:
      return "Sqlite";
    case Backend::kPostgres:
      return "Postgres";
  }
  return "Unknown";
}

namespace {

Status RunPostgres(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return Status::Unavailable("cannot connect to the test PostgreSQL: " + message);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* res = PQexec(conn, sql.c_str());
  ExecStatusType st = PQresultStatus(res);
  std::string message = PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Status::IOError(message);
  return Status::OK();
}

std::string WithSearchPath(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

}  // namespace

Result<std::unique_ptr<TestDatabase>> TestDatabase::Create(Backend backend) {
  std::unique_ptr<TestDatabase> db(new TestDatabase());
  db->backend_ = backend;
  switch (backend) {
    case Backend::kMemory:
      db->url_ = "memory:";
      db->memory_ = std::make_shared<MemoryAccessStore>();
      break;
    case Backend::kSqlite:
      db->dir_ = std::make_unique<ds::testing::TempDir>();
      db->sqlite_path_ = db->dir_->Join("access.db");
      db->url_ = "sqlite:" + db->sqlite_path_;
      break;
    case Backend::kPostgres: {
      const char* base = std::getenv(kPostgresUrlEnv);
      if (base == nullptr || *base == '\0') {
        return Status::NotSupported(std::string("PostgreSQL tests need $") + kPostgresUrlEnv +
                                    " (run test/access/with_postgres.sh)");
      }
      std::random_device rd;
      db->pg_base_url_ = base;
      db->pg_schema_ = "t_" + std::to_string(rd()) + std::to_string(rd());
      RETURN_NOT_OK(RunPostgres(db->pg_base_url_, "CREATE SCHEMA " + db->pg_schema_));
      db->url_ = WithSearchPath(db->pg_base_url_, db->pg_schema_);
      break;
    }
  }
  return db;
}

TestDatabase::~TestDatabase() {
  if (!pg_schema_.empty()) {
    (void)RunPostgres(pg_base_url_, "DROP SCHEMA " + pg_schema_ + " CASCADE");
  }
}

Result<AccessStorePtr> TestDatabase::Open(const StoreOptions& options) {
  if (memory_) return memory_;
  return OpenAccessStore(url_, options);
}

Status TestDatabase::ExecuteSql(const std::string& sql) {
  if (backend_ == Backend::kPostgres) return RunPostgres(url_, sql);
  if (backend_ != Backend::kSqlite) return Status::NotSupported("no SQL in a memory store");
  sqlite3* db = nullptr;
  if (sqlite3_open(sqlite_path_.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return Status::IOError("cannot open " + sqlite_path_);
  }
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  return rc == SQLITE_OK ? Status::OK() : Status::IOError(message);
}

}  // namespace ds::access::testing
