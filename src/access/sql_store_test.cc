// Behaviour specific to the SQL stores: migrations, URLs, broken databases, reconnects.
#include <atomic>
#include <thread>

#include "access/access_store.h"
#include "access/sql_migrations.h"
#include "io/file.h"
#include "test/access/test_stores.h"

namespace ds::access {
namespace {

using testing::Backend;
using testing::TestDatabase;

class SqlStore : public ::testing::TestWithParam<Backend> {};

TEST_P(SqlStore, MigrationsAreIdempotentAndKeepData) {
  DS_CREATE_TEST_DATABASE(db, GetParam());
  {
    ASSERT_OK_AND_ASSIGN(auto store, db->Open());
    Share s;
    s.name = "kept";
    ASSERT_OK(store->CreateShare(s));
  }
  for (int i = 0; i < 2; ++i) {
    ASSERT_OK_AND_ASSIGN(auto store, db->Open());
    ASSERT_OK(store->GetShare("kept"));
    ASSERT_OK_AND_ASSIGN(auto versions, store->ListKeyVersions());
    EXPECT_EQ(versions.size(), 1u);
  }
}

// A store created before migration 2 (no share_tables.encrypted) keeps its tables, which
// read as not encrypted, and new tables can be encrypted.
TEST_P(SqlStore, Migration2AddsTheEncryptedFlag) {
  DS_CREATE_TEST_DATABASE(db, GetParam());
  {
    ASSERT_OK_AND_ASSIGN(auto store, db->Open());
    Share s;
    s.name = "old";
    ASSERT_OK(store->CreateShare(s));
    Table t;
    t.name = "t";
    t.location = "/data/t";
    ASSERT_OK(store->AddTable("old", "sc", t));
  }
  ASSERT_OK(db->ExecuteSql("ALTER TABLE share_tables DROP COLUMN encrypted"));
  ASSERT_OK(db->ExecuteSql("DELETE FROM schema_migrations WHERE version >= 2"));
  ASSERT_OK_AND_ASSIGN(auto store, db->Open());
  ASSERT_OK_AND_ASSIGN(Share got, store->GetShare("old"));
  ASSERT_NE(got.FindTable("sc", "t"), nullptr);
  EXPECT_FALSE(got.FindTable("sc", "t")->encrypted);
  Table sealed;
  sealed.name = "sealed";
  sealed.location = "file:///data/sealed";
  sealed.encrypted = true;
  ASSERT_OK(store->AddTable("old", "sc", sealed));
  ASSERT_OK_AND_ASSIGN(got, store->GetShare("old"));
  ASSERT_NE(got.FindTable("sc", "sealed"), nullptr);
  EXPECT_TRUE(got.FindTable("sc", "sealed")->encrypted);
}

TEST_P(SqlStore, NewerSchemaIsRefused) {
  DS_CREATE_TEST_DATABASE(db, GetParam());
  { ASSERT_OK(db->Open()); }
  ASSERT_OK(db->ExecuteSql(
      "INSERT INTO schema_migrations (version, description, applied_at) VALUES (999, 'x', 0)"));
  auto store = db->Open();
  ASSERT_EQ(store.status().code(), StatusCode::kFailedPrecondition) << store.status();
  EXPECT_NE(store.status().message().find("schema version 999 is newer"), std::string::npos);
}

TEST_P(SqlStore, ConcurrentFirstOpensMigrateOnce) {
  DS_CREATE_TEST_DATABASE(db, GetParam());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto store = db->Open();
      if (!store.ok()) {
        ++failures;
        ADD_FAILURE() << store.status();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_OK_AND_ASSIGN(auto store, db->Open());
  ASSERT_OK_AND_ASSIGN(auto versions, store->ListKeyVersions());
  EXPECT_EQ(versions.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Sql, SqlStore, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return testing::BackendName(info.param); });

TEST(SqlStoreTest, PostgresReconnectsAfterTheServerDropsConnections) {
  DS_CREATE_TEST_DATABASE(db, Backend::kPostgres);
  ASSERT_OK_AND_ASSIGN(auto store, db->Open());
  Share s;
  s.name = "before";
  ASSERT_OK(store->CreateShare(s));
  // Kill every pooled connection of the store, as a server restart would.
  ASSERT_OK(
      db->ExecuteSql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE application_name = 'deltashare' AND pid <> pg_backend_pid()"));
  ASSERT_OK(store->GetShare("before"));
  s.name = "after";
  ASSERT_OK(store->CreateShare(s));
}

TEST(SqlStoreTest, UnreachablePostgresIsUnavailableWithoutThePassword) {
  StoreOptions options;
  options.busy_timeout_ms = 1000;
  auto store = OpenAccessStore("postgresql://ann:s3cr3t-pw@127.0.0.1:1/db", options);
  ASSERT_EQ(store.status().code(), StatusCode::kUnavailable) << store.status();
  EXPECT_EQ(store.status().message().find("s3cr3t-pw"), std::string::npos)
      << store.status().message();
  EXPECT_NE(store.status().message().find("postgresql://ann:***@127.0.0.1:1/db"),
            std::string::npos);
}

TEST(SqlStoreTest, UrlsAreRedacted) {
  EXPECT_EQ(RedactStoreUrl("postgresql://u:pw@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(RedactStoreUrl("postgres://u@h/db"), "postgres://u@h/db");
  EXPECT_EQ(RedactStoreUrl("postgresql://h/db?user=u&password=pw&sslmode=require"),
            "postgresql://h/db?user=u&password=***&sslmode=require");
  EXPECT_EQ(RedactStoreUrl("sqlite:/var/lib/x.db"), "sqlite:/var/lib/x.db");
}

TEST(SqlStoreTest, UnknownSchemesAreRefused) {
  ASSERT_RAISES(kInvalidArgument, OpenAccessStore("mysql://h/db"));
  ASSERT_RAISES(kInvalidArgument, OpenAccessStore(""));
  ASSERT_RAISES(kInvalidArgument, OpenAccessStore("sqlite:"));
}

TEST(SqlStoreTest, SqliteFileThatIsNotADatabase) {
  ds::testing::TempDir dir;
  ASSERT_OK(io::WriteStringToFile(dir.Join("junk.db"), std::string(8192, 'j')));
  auto store = OpenAccessStore("sqlite:" + dir.Join("junk.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(store.status().code() == StatusCode::kCorruption ||
              store.status().code() == StatusCode::kIOError)
      << store.status();
}

TEST(SqlStoreTest, SqliteInAMissingFolder) {
  ASSERT_RAISES(kIOError, OpenAccessStore("sqlite:/nonexistent-folder/x/access.db"));
}

TEST(SqlStoreTest, SqliteUrlForms) {
  ds::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto a, OpenAccessStore("sqlite://" + dir.Join("a.db")));
  EXPECT_EQ(a->description(), "sqlite:" + dir.Join("a.db"));
}

}  // namespace
}  // namespace ds::access
