// `client sync` (client/table_sync.h) against a real sharing server on loopback: source tables
// written with the Delta writer (create, append, merge updates/inserts, deletes by predicate,
// duplicate rows), synced into local tables by key and by full row, compared with the
// source's latest snapshot after every round; fallbacks to the snapshot (no CDF, history not
// shared, DEST edited, full refresh); interrupted runs leave DEST unchanged and the next run
// resumes; a DEST not made by a sync is refused.
#include <gtest/gtest.h>

#include <filesystem>

#include "client/table_sync.h"
#include "delta/merge.h"
#include "delta/table_writer.h"
#include "delta/transaction.h"
#include "expr/json_predicate.h"
#include "objstore/local_store.h"
#include "test/client/test_server.h"
#include "test/delta/write_test_util.h"
#include "test/testing/testing.h"

namespace ds::client {
namespace {

using delta::testing::JsonRows;
using delta::testing::LatestRows;
using delta::testing::LocalTable;
using testing::ServerSetup;
using testing::TestSharingServer;

columnar::SchemaPtr Schema() {
  return delta::testing::ParseSchema(delta::testing::SchemaJson(
      {{"id", R"("long")"}, {"name", R"("string")"}, {"score", R"("double")"},
       {"part", R"("string")"}}));
}

std::string Rows(int from, int to, const std::string& name = "n") {
  std::string out;
  for (int i = from; i <= to; ++i) {
    out += R"({"id":)" + std::to_string(i) + R"(,"name":")" + name + std::to_string(i) +
           R"(","score":)" + (i % 4 == 0 ? std::string("null") : std::to_string(i * 1.5)) +
           R"(,"part":"p)" + std::to_string(i % 3) + "\"}\n";
  }
  return out;
}

Status Delete(const delta::TablePtr& table, const std::string& predicate_json) {
  ASSIGN_OR_RETURN(auto predicate, expr::ParseJsonPredicate(predicate_json));
  return delta::DeleteRows(table, *predicate).status();
}

std::string Compare(const std::string& column, const std::string& op, int64_t value) {
  return R"({"op":")" + op + R"(","children":[{"op":"column","name":")" + column +
         R"(","valueType":"long"},{"op":"literal","value":")" + std::to_string(value) +
         R"(","valueType":"long"}]})";
}

// A source table (CDF on or off) in a temporary folder, served as share.s.<name>.
struct Source {
  LocalTable t;
  explicit Source(bool cdf) {
    delta::CreateTableSpec spec;
    spec.schema = Schema();
    spec.partition_columns = {"part"};
    if (cdf) spec.properties = {{"delta.enableChangeDataFeed", "true"}};
    EXPECT_OK(delta::CreateTable(t.table, spec, {JsonRows(spec.schema, Rows(1, 40))}).status());
  }
  std::string dir() const { return t.dir.Join("table"); }
  Status Append(const std::string& jsonl) {
    return delta::WriteRows(t.table, {JsonRows(Schema(), jsonl)}, delta::WriteMode::kAppend)
        .status();
  }
  Status Upsert(const std::string& jsonl) {
    delta::MergeSpec spec;
    spec.keys = {"id"};
    return delta::MergeRows(t.table, JsonRows(Schema(), jsonl), spec).status();
  }
};

delta::TablePtr LocalDest(const ds::testing::TempDir& dir, const std::string& name) {
  std::filesystem::create_directories(dir.Join(name));
  return delta::Table::Open(std::make_shared<objstore::LocalStore>(dir.Join(name)), "");
}

void ExpectSameRows(const delta::Table& source, const delta::Table& dest, const char* what) {
  ASSERT_OK_AND_ASSIGN(auto expected, LatestRows(source));
  ASSERT_OK_AND_ASSIGN(auto actual, LatestRows(dest));
  EXPECT_EQ(actual, expected) << what;
}

int64_t DestVersion(const delta::TablePtr& dest) {
  auto s = dest->LatestSnapshot();
  return s.ok() ? (*s)->version() : -1;
}

class SyncTest : public ::testing::Test {
 protected:
  void Serve(std::vector<testing::ServedTable> tables) {
    ServerSetup setup;
    setup.tables = std::move(tables);
    ASSERT_OK_AND_ASSIGN(server_, TestSharingServer::Start(setup));
    ASSERT_OK_AND_ASSIGN(client_, SharingClient::Make(server_->profile()));
  }
  Result<SyncResult> Sync(const std::string& name, const delta::TablePtr& dest,
                          SyncOptions options = {}) {
    return SyncTable(client_.get(), {"share", "s", name}, dest, options);
  }
  ds::testing::TempDir work_;
  std::unique_ptr<TestSharingServer> server_;
  std::unique_ptr<SharingClient> client_;
};

TEST_F(SyncTest, ChangeFeedKeepsDestInStepByKeyAndByRow) {
  Source src(true);
  Serve({{"share", "s", "t", src.dir(), true}});
  auto by_key = LocalDest(work_, "by_key");
  auto by_row = LocalDest(work_, "by_row");
  SyncOptions keyed;
  keyed.keys = {"id"};

  ASSERT_OK_AND_ASSIGN(SyncResult r, Sync("t", by_key, keyed));
  EXPECT_EQ(r.mode, SyncMode::kCreated);
  EXPECT_EQ(r.source_version, 0);
  EXPECT_EQ(r.rows_inserted, 40);
  ASSERT_OK_AND_ASSIGN(r, Sync("t", by_row));
  EXPECT_EQ(r.mode, SyncMode::kCreated);
  ExpectSameRows(*src.t.table, *by_key, "created by key");
  ExpectSameRows(*src.t.table, *by_row, "created by row");
  ASSERT_OK_AND_ASSIGN(auto snap, by_key->LatestSnapshot());
  ASSERT_TRUE(SyncStateOf(*snap));
  EXPECT_EQ(SyncStateOf(*snap)->source_version, 0);
  EXPECT_EQ(snap->metadata().partition_columns, std::vector<std::string>{"part"});

  // Up to date: no commit.
  ASSERT_OK_AND_ASSIGN(r, Sync("t", by_key, keyed));
  EXPECT_EQ(r.mode, SyncMode::kUpToDate);
  EXPECT_FALSE(r.dest_version);
  EXPECT_EQ(DestVersion(by_key), 0);

  // v1 append, v2 merge (updates 5..9, inserts 41..45), v3 delete id < 4, v4 delete a partition
  // of what is left between 20 and 30 (whole-file and partial deletes).
  ASSERT_OK(src.Append(Rows(46, 60)));
  ASSERT_OK(src.Upsert(Rows(5, 9, "updated") + Rows(41, 45)));
  ASSERT_OK(Delete(src.t.table, Compare("id", "lessThan", 4)));
  ASSERT_OK(Delete(
      src.t.table,
      R"({"op":"and","children":[)" + Compare("id", "greaterThan", 20) + "," +
          Compare("id", "lessThan", 30) + "]}"));

  ASSERT_OK_AND_ASSIGN(r, Sync("t", by_key, keyed));
  EXPECT_EQ(r.mode, SyncMode::kChanges) << r.fallback_reason;
  EXPECT_EQ(r.previous_version, 0);
  EXPECT_EQ(r.source_version, 4);
  EXPECT_EQ(r.dest_version, 1);  // one commit for four source versions
  EXPECT_EQ(r.rows_updated, 5);
  EXPECT_EQ(r.rows_deleted, 3 + 9);
  ExpectSameRows(*src.t.table, *by_key, "changes by key");

  ASSERT_OK_AND_ASSIGN(r, Sync("t", by_row));
  EXPECT_EQ(r.mode, SyncMode::kChanges) << r.fallback_reason;
  EXPECT_EQ(r.dest_version, 1);
  ExpectSameRows(*src.t.table, *by_row, "changes by row");

  // A source version without row changes (an empty commit) still moves the version DEST
  // records, with a commit holding only the txn action.
  {
    ASSERT_OK_AND_ASSIGN(auto head, src.t.table->LatestSnapshot());
    ASSERT_OK_AND_ASSIGN(auto txn, delta::Transaction::Begin(src.t.table, head));
    txn->SetOperation("SET TBLPROPERTIES");
    ASSERT_OK(txn->Commit().status());
  }
  ASSERT_OK_AND_ASSIGN(r, Sync("t", by_key, keyed));
  EXPECT_EQ(r.mode, SyncMode::kChanges);
  EXPECT_EQ(r.source_version, 5);
  EXPECT_EQ(r.dest_version, 2);
  ASSERT_OK_AND_ASSIGN(snap, by_key->LatestSnapshot());
  EXPECT_EQ(SyncStateOf(*snap)->source_version, 5);
  EXPECT_TRUE(snap->files().num_files() > 0);
  ExpectSameRows(*src.t.table, *by_key, "after an empty source commit");

  // Duplicate rows (full-row matching is a multiset; keys would have to be unique): two
  // copies appended, then one source version deleting both and one adding a copy back.
  ASSERT_OK(src.Append(Rows(70, 72) + Rows(70, 72)));
  ASSERT_OK_AND_ASSIGN(r, Sync("t", by_row));
  EXPECT_EQ(r.rows_inserted, 6);
  ExpectSameRows(*src.t.table, *by_row, "duplicates appended");
  ASSERT_OK(Delete(src.t.table, Compare("id", "equal", 71)));
  ASSERT_OK(src.Append(Rows(71, 71)));
  ASSERT_OK_AND_ASSIGN(r, Sync("t", by_row));
  EXPECT_EQ(r.mode, SyncMode::kChanges);
  EXPECT_EQ(r.rows_deleted, 1);  // net: two copies deleted, one added back
  EXPECT_EQ(r.rows_inserted, 0);
  ExpectSameRows(*src.t.table, *by_row, "duplicates deleted");
}

TEST_F(SyncTest, WithoutTheFeedTheSnapshotIsCopied) {
  Source plain(false);
  Source cdf(true);
  Serve({{"share", "s", "plain", plain.dir(), true}, {"share", "s", "nohist", cdf.dir(), false}});
  auto a = LocalDest(work_, "a");
  auto b = LocalDest(work_, "b");
  ASSERT_OK_AND_ASSIGN(SyncResult r, Sync("plain", a));
  EXPECT_EQ(r.mode, SyncMode::kCreated);
  ASSERT_OK_AND_ASSIGN(r, Sync("nohist", b));
  EXPECT_EQ(r.mode, SyncMode::kCreated);

  ASSERT_OK(plain.Append(Rows(41, 50)));
  ASSERT_OK(Delete(plain.t.table, Compare("id", "lessThan", 10)));
  ASSERT_OK(cdf.Upsert(Rows(1, 5, "u")));
  ASSERT_OK_AND_ASSIGN(r, Sync("plain", a));
  EXPECT_EQ(r.mode, SyncMode::kSnapshot);
  EXPECT_NE(r.fallback_reason.find("change data feed"), std::string::npos) << r.fallback_reason;
  EXPECT_EQ(r.source_version, 2);
  EXPECT_EQ(r.dest_version, 1);
  ExpectSameRows(*plain.t.table, *a, "no CDF");
  ASSERT_OK_AND_ASSIGN(r, Sync("nohist", b));
  EXPECT_EQ(r.mode, SyncMode::kSnapshot);
  ExpectSameRows(*cdf.t.table, *b, "history not shared");

  // --full, and a DEST edited behind the sync's back (full-row deletes cannot be matched).
  SyncOptions full;
  full.full_refresh = true;
  ASSERT_OK_AND_ASSIGN(r, Sync("plain", a, full));
  EXPECT_EQ(r.mode, SyncMode::kSnapshot);
  ExpectSameRows(*plain.t.table, *a, "full refresh");
}

TEST_F(SyncTest, DestEditedByHandFallsBackToTheSnapshot) {
  Source src(true);
  Serve({{"share", "s", "t", src.dir(), true}});
  auto dest = LocalDest(work_, "d");
  ASSERT_OK(Sync("t", dest).status());
  ASSERT_OK(Delete(dest, Compare("id", "lessThan", 20)));  // a local edit
  ASSERT_OK(Delete(src.t.table, Compare("id", "lessThan", 10)));
  ASSERT_OK_AND_ASSIGN(SyncResult r, Sync("t", dest));
  EXPECT_EQ(r.mode, SyncMode::kSnapshot);
  EXPECT_NE(r.fallback_reason.find("DEST lacks 9 rows"), std::string::npos) << r.fallback_reason;
  ExpectSameRows(*src.t.table, *dest, "after the local edit");
}

TEST_F(SyncTest, InterruptedRunsLeaveDestUnchangedAndResume) {
  Source src(true);
  // Many small files so that runs read several batches.
  for (int i = 0; i < 6; ++i) ASSERT_OK(src.Append(Rows(100 + i * 10, 109 + i * 10)));
  Serve({{"share", "s", "t", src.dir(), true}});
  auto dest = LocalDest(work_, "d");
  SyncOptions fail;
  fail.batch_size = 4;
  fail.keys = {"id"};
  fail.after_batch = [](int64_t n) {
    return n >= 3 ? Status::Cancelled("interrupted by the test") : Status::OK();
  };
  // The first run dies before its commit: no table, no files left behind.
  ASSERT_RAISES(kCancelled, Sync("t", dest, fail));
  EXPECT_EQ(DestVersion(dest), -1);
  EXPECT_FALSE(std::filesystem::exists(work_.Join("d/_delta_log/00000000000000000000.json")));
  SyncOptions ok = fail;
  ok.after_batch = {};
  ASSERT_OK_AND_ASSIGN(SyncResult r, Sync("t", dest, ok));
  EXPECT_EQ(r.mode, SyncMode::kCreated);
  ExpectSameRows(*src.t.table, *dest, "resumed creation");

  ASSERT_OK_AND_ASSIGN(auto before, LatestRows(*dest));
  ASSERT_OK(src.Upsert(Rows(1, 30, "v2")));
  ASSERT_OK(Delete(src.t.table, Compare("id", "greaterThan", 150)));
  ASSERT_RAISES(kCancelled, Sync("t", dest, fail));
  EXPECT_EQ(DestVersion(dest), 0);
  ASSERT_OK_AND_ASSIGN(auto after_failure, LatestRows(*dest));
  EXPECT_EQ(after_failure, before);
  ASSERT_OK_AND_ASSIGN(r, Sync("t", dest, ok));
  EXPECT_EQ(r.mode, SyncMode::kChanges);
  EXPECT_EQ(r.previous_version, 6);
  EXPECT_EQ(r.dest_version, 1);
  ExpectSameRows(*src.t.table, *dest, "resumed changes");
}

TEST_F(SyncTest, DestNotMadeBySyncIsRefused) {
  Source src(true);
  Source other(false);
  Serve({{"share", "s", "t", src.dir(), true}});
  ASSERT_RAISES(kFailedPrecondition, Sync("t", other.t.table));
  SyncOptions bad;
  bad.keys = {"nope"};
  auto dest = LocalDest(work_, "d");
  ASSERT_OK(Sync("t", dest).status());
  ASSERT_OK(src.Append(Rows(41, 42)));
  ASSERT_RAISES(kInvalidArgument, Sync("t", dest, bad));
  EXPECT_EQ(DestVersion(dest), 0);
}

}  // namespace
}  // namespace ds::client
