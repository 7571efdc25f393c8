// Writers racing on one table, failures between data files and the commit, VACUUM
// retention, and schema evolution read back.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "delta/merge.h"
#include "delta/schema_evolution.h"
#include "delta/table_writer.h"
#include "delta/vacuum.h"
#include "objstore/faulty_store.h"
#include "objstore/local_store.h"
#include "objstore/memory_store.h"
#include "test/delta/test_tables.h"
#include "test/delta/write_test_util.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

using testing::Canonical;
using testing::JsonRows;
using testing::LatestRows;
using testing::LocalTable;
using testing::ParseSchema;
using testing::SchemaJson;
namespace fs = std::filesystem;

const std::string kSchema =
    SchemaJson({{"id", R"("long")"}, {"name", R"("string")"}, {"kind", R"("string")"}});

std::string Row(int64_t id, const std::string& name, const std::string& kind = "a") {
  return R"({"id":)" + std::to_string(id) + R"(,"name":")" + name + R"(","kind":")" + kind + "\"}";
}

std::string Rows(int64_t from, int64_t to, const std::string& name) {
  std::string out;
  for (int64_t i = from; i <= to; ++i) out += Row(i, name + std::to_string(i)) + "\n";
  return out;
}

CreateTableSpec Spec() {
  CreateTableSpec spec;
  spec.schema = ParseSchema(kSchema);
  spec.properties = {{"delta.enableChangeDataFeed", "true"}, {"delta.checkpointInterval", "5"}};
  return spec;
}

// Appends by one thread and merges by another: every commit lands (versions contiguous, one
// per operation) and the final snapshot is what any serial order gives.
TEST(WriteConcurrency, AppendsAndMergesRacing) {
  LocalTable t;
  CreateTableSpec spec = Spec();
  ASSERT_OK(CreateTable(t.table, spec, {JsonRows(spec.schema, Rows(1, 100, "n"))}));
  constexpr int kAppends = 24;
  constexpr int kMerges = 12;
  WriteOptions options;
  options.max_operation_attempts = 100;
  std::atomic<int> failures{0};
  std::thread appender([&] {
    for (int i = 0; i < kAppends; ++i) {
      auto r =
          WriteRows(t.table, {JsonRows(spec.schema, Rows(1000 + i * 10, 1000 + i * 10 + 9, "a"))},
                    WriteMode::kAppend, options);
      if (!r.ok() || !r->commit) {
        ADD_FAILURE() << r.status();
        ++failures;
      }
    }
  });
  std::thread merger([&] {
    MergeSpec merge;
    merge.keys = {"id"};
    for (int i = 0; i < kMerges; ++i) {
      // Update ids i*8+1..i*8+4, insert 5000+i.
      std::string source;
      for (int k = 1; k <= 4; ++k) source += Row(i * 8 + k, "m" + std::to_string(i)) + "\n";
      source += Row(5000 + i, "ins");
      auto r = MergeRows(t.table, JsonRows(spec.schema, source), merge, options);
      if (!r.ok() || !r->commit) {
        ADD_FAILURE() << r.status();
        ++failures;
      }
    }
  });
  appender.join();
  merger.join();
  ASSERT_EQ(failures, 0);
  ASSERT_OK_AND_ASSIGN(int64_t latest, t.table->LatestVersion());
  EXPECT_EQ(latest, kAppends + kMerges);
  ASSERT_OK_AND_ASSIGN(auto history, t.table->History());
  int appends = 0, merges = 0;
  for (const auto& h : history) {
    appends += h.operation == "WRITE";
    merges += h.operation == "MERGE";
  }
  EXPECT_EQ(appends, kAppends);
  EXPECT_EQ(merges, kMerges);

  std::string expected;
  for (int64_t id = 1; id <= 100; ++id) {
    int64_t m = (id - 1) / 8;
    bool updated = m < kMerges && (id - 1) % 8 < 4;
    expected += Row(id, updated ? "m" + std::to_string(m) : "n" + std::to_string(id)) + "\n";
  }
  for (int i = 0; i < kAppends; ++i) expected += Rows(1000 + i * 10, 1000 + i * 10 + 9, "a");
  for (int i = 0; i < kMerges; ++i) expected += Row(5000 + i, "ins") + "\n";
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*t.table));
  EXPECT_EQ(got, Canonical(expected));
}

// Two merge threads invalidate each other's reads: conflicts are retried on fresh
// snapshots, and no update is lost.
TEST(WriteConcurrency, MergesRacingRetryOnConflicts) {
  auto store = std::make_shared<objstore::MemoryStore>();
  TablePtr table = Table::Open(store, "t");
  CreateTableSpec spec = Spec();
  ASSERT_OK(CreateTable(table, spec, {JsonRows(spec.schema, Rows(1, 40, "n"))}));
  WriteOptions options;
  options.max_operation_attempts = 200;
  constexpr int kRounds = 10;
  auto worker = [&](int which) {
    MergeSpec merge;
    merge.keys = {"id"};
    for (int i = 0; i < kRounds; ++i) {
      int64_t id = which * 20 + i + 1;
      auto r = MergeRows(table, JsonRows(spec.schema, Row(id, "w" + std::to_string(which))), merge,
                         options);
      ASSERT_TRUE(r.ok()) << r.status();
      ASSERT_TRUE(r->commit);
    }
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  ASSERT_OK_AND_ASSIGN(int64_t latest, table->LatestVersion());
  EXPECT_EQ(latest, 2 * kRounds);
  std::string expected;
  for (int64_t id = 1; id <= 40; ++id) {
    int64_t w = (id - 1) / 20, i = (id - 1) % 20;
    expected += Row(id, i < kRounds ? "w" + std::to_string(w) : "n" + std::to_string(id)) + "\n";
  }
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*table));
  EXPECT_EQ(got, Canonical(expected));
}

// A rival commit slips in between our data files and our commit.
TEST(WriteConcurrency, LostRaceRebasesOrReplans) {
  auto inner = std::make_shared<objstore::MemoryStore>();
  auto faulty = std::make_shared<objstore::FaultyStore>(inner);
  TablePtr table = Table::Open(faulty, "t");
  TablePtr rival_view = Table::Open(inner, "t");
  CreateTableSpec spec = Spec();
  ASSERT_OK(CreateTable(table, spec, {JsonRows(spec.schema, Rows(1, 10, "n"))}));
  std::atomic<int> rivals{0};
  int rival_commits = 0;
  faulty->BeforeEach(objstore::StoreOp::kPutIfAbsent, [&](const std::string& key) {
    if (key.find("_delta_log/") == std::string::npos || rivals.fetch_add(1) > 0) return;
    MergeSpec merge;
    merge.keys = {"id"};
    std::string name = "rival" + std::to_string(rival_commits++);
    ASSERT_OK(MergeRows(rival_view, JsonRows(spec.schema, Row(1, name)), merge));
  });
  // A blind append rebases over the rival's merge: one attempt each, two versions.
  ASSERT_OK_AND_ASSIGN(WriteResult appended,
                       WriteRows(table, {JsonRows(spec.schema, Row(50, "x"))}, WriteMode::kAppend));
  EXPECT_EQ(appended.commit->version, 2);
  EXPECT_EQ(appended.commit->attempts, 2);
  // A merge whose read the rival invalidates is planned again.
  rivals = 0;
  MergeSpec merge;
  merge.keys = {"id"};
  ASSERT_OK_AND_ASSIGN(MergeResult merged,
                       MergeRows(table, JsonRows(spec.schema, Row(2, "ours")), merge));
  EXPECT_EQ(merged.commit->version, 4);
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*table));
  std::string expected =
      Row(1, "rival1") + "\n" + Row(2, "ours") + "\n" + Rows(3, 10, "n") + Row(50, "x");
  EXPECT_EQ(got, Canonical(expected));
  // The files of the abandoned merge plan were deleted.
  ASSERT_OK_AND_ASSIGN(SnapshotPtr s, table->LatestSnapshot());
  ASSERT_OK_AND_ASSIGN(auto listing, inner->List("t/", {.recursive = true}));
  size_t data_files = 0;
  for (const auto& o : listing) data_files += !StartsWith(o.key, "t/_delta_log/");
  size_t referenced = 0;
  for (size_t i = 0; i < s->files().num_files(); ++i) ++referenced;
  for (size_t i = 0; i < s->files().num_tombstones(); ++i) ++referenced;
  ASSERT_OK_AND_ASSIGN(auto all_changes, [&]() -> Result<size_t> {
    size_t n = 0;
    RETURN_NOT_OK(table->ForEachCommit(0, 4, [&](CommitActions&& c) {
      for (const auto& f : c.files) n += f.kind == FileActionKind::kCdc;
      return Status::OK();
    }));
    return n;
  }());
  EXPECT_EQ(data_files, referenced + all_changes);
}

// A crash (a failed put) after the data files are written leaves the table at its previous
// version; the orphans go with VACUUM; a retry succeeds.
TEST(WriteConcurrency, FailedCommitLeavesTableUnchanged) {
  ds::testing::TempDir dir;
  auto local = std::make_shared<objstore::LocalStore>(dir.Join("t"));
  auto faulty = std::make_shared<objstore::FaultyStore>(local);
  TablePtr table = Table::Open(faulty, "");
  CreateTableSpec spec = Spec();
  ASSERT_OK(CreateTable(table, spec, {JsonRows(spec.schema, Rows(1, 3, "n"))}));
  faulty->FailNext(objstore::StoreOp::kPutIfAbsent, "_delta_log/", Status::IOError("disk gone"));
  Result<WriteResult> failed =
      WriteRows(table, {JsonRows(spec.schema, Rows(4, 6, "n"))}, WriteMode::kAppend);
  ASSERT_RAISES(kIOError, failed);
  EXPECT_NE(failed.status().message().find("commit of version 1"), std::string::npos)
      << failed.status();
  ASSERT_OK_AND_ASSIGN(int64_t latest, table->LatestVersion());
  EXPECT_EQ(latest, 0);
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*table));
  EXPECT_EQ(got, Canonical(Rows(1, 3, "n")));
  // Transient failures are retried inside the commit.
  faulty->FailNext(objstore::StoreOp::kPutIfAbsent, "_delta_log/", Status::Unavailable("503"), 2);
  ASSERT_OK_AND_ASSIGN(WriteResult ok, WriteRows(table, {JsonRows(spec.schema, Rows(4, 6, "n"))},
                                                 WriteMode::kAppend));
  EXPECT_EQ(ok.commit->version, 1);
  ASSERT_OK_AND_ASSIGN(got, LatestRows(*table));
  EXPECT_EQ(got, Canonical(Rows(1, 6, "n")));

  // The failed attempt's file is an orphan: VACUUM removes it once it is old enough.
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  VacuumOptions later;
  later.clock_ms = [now] { return now + 8LL * 24 * 3600 * 1000; };
  later.dry_run = true;
  ASSERT_OK_AND_ASSIGN(VacuumResult dry, Vacuum(*table, later));
  ASSERT_EQ(dry.deleted.size(), 1u);
  EXPECT_TRUE(StartsWith(dry.deleted[0], "part-00000-")) << dry.deleted[0];
  later.dry_run = false;
  ASSERT_OK_AND_ASSIGN(VacuumResult done, Vacuum(*table, later));
  EXPECT_EQ(done.deleted, dry.deleted);
  EXPECT_FALSE(fs::exists(dir.path() / "t" / dry.deleted[0]));
  ASSERT_OK_AND_ASSIGN(got, LatestRows(*table));
  EXPECT_EQ(got, Canonical(Rows(1, 6, "n")));
}

TEST(Vacuum, Retention) {
  LocalTable t;
  auto* local = static_cast<objstore::LocalStore*>(t.store.get());
  CreateTableSpec spec = Spec();
  spec.partition_columns = {"kind"};
  ASSERT_OK(CreateTable(t.table, spec, {JsonRows(spec.schema, Rows(1, 5, "n"))}));
  ASSERT_OK_AND_ASSIGN(SnapshotPtr v0, t.table->LatestSnapshot());
  std::string first_file = *PercentDecode(v0->files().file(0).path());
  // Overwrite: the first file becomes a tombstone; a merge makes cdc files.
  ASSERT_OK(WriteRows(t.table, {JsonRows(spec.schema, Rows(1, 5, "m"))}, WriteMode::kOverwrite));
  MergeSpec merge;
  merge.keys = {"id"};
  ASSERT_OK(MergeRows(t.table, JsonRows(spec.schema, Row(1, "z")), merge));
  ASSERT_OK(t.store->Put("kind=a/_SUCCESS", "hidden"));
  ASSERT_OK(t.store->Put("orphan.parquet", "x"));
  ASSERT_OK(t.store->Put("kind=a/orphan2.parquet", "x"));

  const int64_t day = 24LL * 3600 * 1000;
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  // Make every file old.
  ASSERT_OK_AND_ASSIGN(auto listing, t.store->List("", {.recursive = true}));
  for (const auto& o : listing) ASSERT_OK(local->SetMtime(o.key, now - 30 * day));

  // Shorter than the table's retention: refused unless forced.
  VacuumOptions short_retention;
  short_retention.retention_ms = day;
  ASSERT_RAISES(kFailedPrecondition, Vacuum(*t.table, short_retention));

  // Default retention (7 days) at `now`: the tombstone is fresh, so only orphans and cdc
  // files (never referenced by a snapshot) go.
  VacuumOptions at_now;
  at_now.clock_ms = [now] { return now; };
  ASSERT_OK_AND_ASSIGN(VacuumResult r1, Vacuum(*t.table, at_now));
  EXPECT_TRUE(fs::exists(t.dir.path() / "table" / first_file));
  std::vector<std::string> orphans, cdc;
  for (const auto& d : r1.deleted) {
    (StartsWith(d, "_change_data/") ? cdc : orphans).push_back(d);
  }
  EXPECT_EQ(orphans, (std::vector<std::string>{"kind=a/orphan2.parquet", "orphan.parquet"}));
  EXPECT_FALSE(cdc.empty());
  EXPECT_TRUE(fs::exists(t.dir.path() / "table/kind=a/_SUCCESS"));

  // Eight days later the tombstone expired: its file goes, live files stay.
  VacuumOptions later;
  later.clock_ms = [now, day] { return now + 8 * day; };
  ASSERT_OK_AND_ASSIGN(VacuumResult r2, Vacuum(*t.table, later));
  EXPECT_NE(std::find(r2.deleted.begin(), r2.deleted.end(), first_file), r2.deleted.end());
  EXPECT_FALSE(fs::exists(t.dir.path() / "table" / first_file));
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*t.table));
  EXPECT_EQ(got.size(), 5u);
  EXPECT_TRUE(fs::exists(t.dir.path() / "table/_delta_log/00000000000000000000.json"));
  // Forced zero retention keeps what the snapshot references.
  VacuumOptions zero;
  zero.retention_ms = 0;
  zero.force = true;
  ASSERT_OK_AND_ASSIGN(VacuumResult r3, Vacuum(*t.table, zero));
  EXPECT_TRUE(r3.deleted.empty());
  ASSERT_OK_AND_ASSIGN(got, LatestRows(*t.table));
  EXPECT_EQ(got.size(), 5u);
}

TEST(SchemaEvolution, AddColumnsAndWidenTypes) {
  LocalTable t;
  CreateTableSpec spec;
  spec.schema = ParseSchema(SchemaJson(
      {{"id", R"("integer")"},
       {"s",
        R"({"type":"struct","fields":[{"name":"a","type":"float","nullable":true,"metadata":{}}]})"}}));
  ASSERT_OK(CreateTable(t.table, spec, {JsonRows(spec.schema, R"({"id":1,"s":{"a":1.5}})")}));
  // New top-level and nested columns, integer -> long and float -> double.
  auto wider = ParseSchema(SchemaJson(
      {{"id", R"("long")"},
       {"s",
        R"({"type":"struct","fields":[{"name":"a","type":"double","nullable":true,"metadata":{}},{"name":"b","type":"string","nullable":true,"metadata":{}}]})"},
       {"note", R"("string")"}}));
  ASSERT_RAISES(kInvalidArgument, EvolveSchema(t.table, *wider, /*allow_widening=*/false));
  ASSERT_OK_AND_ASSIGN(auto committed, EvolveSchema(t.table, *wider, true));
  ASSERT_TRUE(committed);
  ASSERT_OK_AND_ASSIGN(SnapshotPtr s, t.table->LatestSnapshot());
  EXPECT_EQ(s->protocol().min_reader_version, 3);
  EXPECT_NE(std::find(s->protocol().reader_features->begin(), s->protocol().reader_features->end(),
                      "typeWidening"),
            s->protocol().reader_features->end());
  EXPECT_NE(s->metadata().schema_string.find(
                R"("delta.typeChanges":[{"toType":"long","fromType":"integer"}])"),
            std::string::npos)
      << s->metadata().schema_string;
  ASSERT_OK_AND_ASSIGN(SnapshotPtr v0, t.table->SnapshotAtVersion(0));
  EXPECT_EQ(s->metadata().id, v0->metadata().id);
  ASSERT_OK(WriteRows(t.table,
                      {JsonRows(wider, R"({"id":5000000000,"s":{"a":2.5,"b":"x"},"note":"n"})")},
                      WriteMode::kAppend));
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*t.table));
  EXPECT_EQ(got, testing::CanonicalRows(wider, R"({"id":1,"s":{"a":1.5,"b":null},"note":null}
{"id":5000000000,"s":{"a":2.5,"b":"x"},"note":"n"})"));
  // Narrowing or unrelated types are refused; an unchanged schema commits nothing.
  auto narrower = ParseSchema(SchemaJson({{"id", R"("string")"}}));
  ASSERT_RAISES(kInvalidArgument, EvolveSchema(t.table, *narrower, true));
  ASSERT_OK_AND_ASSIGN(auto nothing, EvolveSchema(t.table, *wider, true));
  EXPECT_FALSE(nothing);

  // mergeSchema on a write: the new column lands in the same commit as the rows.
  auto more = ParseSchema(SchemaJson({{"id", R"("long")"}, {"extra", R"("date")"}}));
  WriteOptions merge_schema;
  merge_schema.merge_schema = true;
  ASSERT_OK_AND_ASSIGN(WriteResult w,
                       WriteRows(t.table, {JsonRows(more, R"({"id":7,"extra":"2024-05-06"})")},
                                 WriteMode::kAppend, merge_schema));
  ASSERT_OK_AND_ASSIGN(auto history, t.table->History(1));
  EXPECT_EQ(history[0].operation, "WRITE");
  ASSERT_OK_AND_ASSIGN(s, t.table->LatestSnapshot());
  EXPECT_EQ(s->schema().logical()->fields.back().name, "extra");
  EXPECT_EQ(s->version(), w.commit->version);
}

}  // namespace
}  // namespace ds::delta
