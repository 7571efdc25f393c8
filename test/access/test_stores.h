// Throw-away access-store databases for tests: memory, a SQLite file in a temp folder, or a
// fresh schema on the PostgreSQL server named by $DS_TEST_POSTGRES_URL (with_postgres.sh
// starts one and sets it).
#pragma once

#include <memory>
#include <string>

#include "access/access_store.h"
#include "test/testing/testing.h"

namespace ds::access::testing {

inline constexpr const char* kPostgresUrlEnv = "DS_TEST_POSTGRES_URL";

enum class Backend { kMemory, kSqlite, kPostgres };
std::string BackendName(Backend backend);

class TestDatabase {
 public:
  // NotSupported for PostgreSQL when $DS_TEST_POSTGRES_URL is not set (callers skip).
  static Result<std::unique_ptr<TestDatabase>> Create(Backend backend);
  ~TestDatabase();

  Backend backend() const { return backend_; }
  // The store URL; for memory, "memory:" (every Open() then returns the same instance).
  const std::string& url() const { return url_; }
  // A new store instance on this database (its own connections).
  Result<AccessStorePtr> Open(const StoreOptions& options = {});
  // Runs SQL directly on the database (SQLite or PostgreSQL), bypassing the store.
  Status ExecuteSql(const std::string& sql);

 private:
  TestDatabase() = default;
  Backend backend_ = Backend::kMemory;
  std::string url_;
  std::string pg_base_url_;
  std::string pg_schema_;
  std::string sqlite_path_;
  std::unique_ptr<ds::testing::TempDir> dir_;
  AccessStorePtr memory_;
};

// Skips the test when the database cannot be created for lack of a server.
#define DS_CREATE_TEST_DATABASE(var, backend)                               \
  auto var##_result = ::ds::access::testing::TestDatabase::Create(backend); \
  if (!var##_result.ok() && var##_result.status().IsNotSupported())         \
    GTEST_SKIP() << var##_result.status().message();                        \
  ASSERT_TRUE(var##_result.ok()) << var##_result.status();                  \
  std::unique_ptr<::ds::access::testing::TestDatabase> var = std::move(var##_result).value()

}  // namespace ds::access::testing
