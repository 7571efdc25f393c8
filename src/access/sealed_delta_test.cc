// Encryption at rest end to end at the storage level: real Delta tables (shared test data:
// JSON commits, Parquet checkpoints, deletion vectors, partitions) copied into a SealedStore
// on local disk read back through the Delta kernel exactly like the plain originals, while
// nothing on disk is readable Parquet or JSON. Skips without the shared test data.
#include <filesystem>
#include <fstream>

#include "access/sealed_store.h"
#include "io/file.h"
#include "objstore/local_store.h"
#include "test/delta/test_tables.h"
#include "test/testing/testing.h"

namespace ds::access {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<KeyRing> Ring() {
  return std::make_shared<KeyRing>(
      MasterKey::FromText("8e2a6c0f4b9d1e3a5c7f9b2d4e6a8c1f3b5d7e9a0c2f4b6d8e1a3c5f7b9d2e4a",
                          "test")
          .ValueOrDie());
}

// Seals every file of `dir` into `store` under its relative path; returns how many.
int SealFolder(const fs::path& dir, objstore::ObjectStore* store) {
  int n = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string key = fs::relative(entry.path(), dir).generic_string();
    auto bytes = io::ReadFileToString(entry.path().string());
    EXPECT_TRUE(bytes.ok()) << bytes.status();
    if (bytes.ok()) EXPECT_OK(store->Put(key, *bytes));
    ++n;
  }
  return n;
}

TEST(SealedDeltaTest, SealedTablesReadLikeTheOriginals) {
  auto keys = Ring();
  int tables = 0;
  for (const char* name :
       {"basic-with-inserts-deletes-checkpoint", "multi-part-checkpoint", "v2-checkpoint-parquet",
        "dv-partitioned-with-checkpoint", "data-reader-escaped-chars"}) {
    std::optional<fs::path> found = delta::testing::TestTable("golden", name);
    if (!found) continue;
    const fs::path dir = *found / "delta";
    ++tables;
    SCOPED_TRACE(name);
    auto plain = delta::testing::OpenLocalTable(dir);
    ASSERT_OK_AND_ASSIGN(auto plain_snapshot, plain->LatestSnapshot());
    ASSERT_OK_AND_ASSIGN(auto want, delta::testing::SnapshotRows(*plain, *plain_snapshot));

    ds::testing::TempDir sealed_dir;
    auto disk = std::make_shared<objstore::LocalStore>(sealed_dir.path().string());
    ASSERT_OK_AND_ASSIGN(auto sealed, SealedStore::Make(disk, keys, "share-" + std::string(name)));
    ASSERT_GT(SealFolder(dir, sealed.get()), 0);
    for (const auto& entry : fs::recursive_directory_iterator(sealed_dir.path())) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      char magic[4] = {};
      in.read(magic, 4);
      EXPECT_EQ(std::string(magic, 4), "DSEF") << entry.path();
    }

    auto table = delta::Table::Open(sealed, "");
    ASSERT_OK_AND_ASSIGN(auto snapshot, table->LatestSnapshot());
    EXPECT_EQ(snapshot->version(), plain_snapshot->version());
    ASSERT_OK_AND_ASSIGN(auto got, delta::testing::SnapshotRows(*table, *snapshot));
    EXPECT_EQ(got, want);

    // Without the share's key (another share), nothing reads.
    ASSERT_OK_AND_ASSIGN(auto foreign, SealedStore::Make(disk, keys, "another-share"));
    EXPECT_FALSE(delta::Table::Open(foreign, "")->LatestSnapshot().ok());
  }
  if (tables == 0) GTEST_SKIP() << "shared Delta test tables not found";
}

}  // namespace
}  // namespace ds::access
