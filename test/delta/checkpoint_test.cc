// Every test table whose latest snapshot uses a checkpoint (classic, multi-part, V2 JSON or
// Parquet, with or without sidecars) and still has all its commits from 0: the snapshot from
// the checkpoint equals the one from replaying the JSON commits alone. Log compactions give
// the same snapshot as the commits they replace.
#include <gtest/gtest.h>

#include <map>

#include "delta/action_json.h"
#include "delta/log_replay.h"
#include "test/delta/test_tables.h"
#include "test/testing/testing.h"
#include "util/json.h"

namespace ds::delta {
namespace {

using testing::TestTable;

// What must agree between two snapshots of one version.
struct FileSummary {
  std::optional<int64_t> size;
  std::string partition_values;
  std::string dv;
  std::optional<int64_t> num_records;
  bool operator==(const FileSummary&) const = default;
};

// numRecords counts only when both sides have stats (writeStatsAsJson=false drops them).
bool SameFile(FileSummary a, FileSummary b) {
  if (!a.num_records || !b.num_records) a.num_records = b.num_records = std::nullopt;
  return a == b;
}

std::map<std::string, FileSummary> Summaries(const Snapshot& s) {
  std::map<std::string, FileSummary> out;
  for (size_t i = 0; i < s.files().num_files(); ++i) {
    FileView f = s.files().file(i);
    FileSummary sum;
    sum.size = f.size();
    std::map<std::string, std::string> pv;
    for (size_t k = 0; k < f.num_partition_values(); ++k) {
      StringPairView p = f.partition_value(k);
      pv[std::string(p.key)] = p.value_is_null ? "<null>" : std::string(p.value);
    }
    for (const auto& [k, v] : pv) sum.partition_values += k + "=" + v + ";";
    if (auto dv = f.deletion_vector()) sum.dv = dv->ToOwned().UniqueId();
    if (auto stats = f.stats()) {
      auto parsed = ParseJson(*stats);
      if (parsed.ok()) {
        if (const JsonValue* n = parsed->Find("numRecords")) {
          if (auto v = n->GetInt64(); v.ok()) sum.num_records = *v;
        }
      }
    }
    out[std::string(f.path())] = sum;
  }
  return out;
}

void ExpectSameSnapshot(const Snapshot& a, const Snapshot& b, const std::string& what) {
  EXPECT_EQ(a.version(), b.version()) << what;
  EXPECT_EQ(a.protocol(), b.protocol()) << what;
  // Map entries may come in another order from a Parquet checkpoint, and the schema string
  // in another spacing (parsed-stats). parquet_row_group_skipping's checkpoint was written
  // for another metadata (id, an extra column, other properties) than its JSON commits, so
  // only its files and protocol are compared.
  auto normalized = [&](Metadata m) {
    std::sort(m.configuration.begin(), m.configuration.end());
    std::sort(m.format.options.begin(), m.format.options.end());
    if (auto schema = ParseJson(m.schema_string); schema.ok()) m.schema_string = schema->ToString();
    return m;
  };
  if (what.find("parquet_row_group_skipping") == std::string::npos) {
    EXPECT_EQ(MetadataJson(normalized(a.metadata())), MetadataJson(normalized(b.metadata())))
        << what;
  }
  std::map<std::string, FileSummary> sa = Summaries(a), sb = Summaries(b);
  EXPECT_EQ(sa.size(), sb.size()) << what << ": live files";
  for (const auto& [path, sum] : sa) {
    auto it = sb.find(path);
    if (it == sb.end()) {
      ADD_FAILURE() << what << ": " << path << " is live only in the first snapshot";
    } else if (!SameFile(sum, it->second)) {
      ADD_FAILURE() << what << ": " << path << " differs (size/partition values/DV/numRecords)";
    }
  }
  for (const auto& [path, sum] : sb) {
    if (!sa.count(path)) ADD_FAILURE() << what << ": " << path << " is live only in the second";
  }
  EXPECT_EQ(a.transactions().size(), b.transactions().size()) << what;
  for (const auto& [app, txn] : a.transactions()) {
    ASSERT_TRUE(b.transactions().count(app)) << what << ": txn " << app;
    EXPECT_EQ(txn.version, b.transactions().at(app).version) << what << ": txn " << app;
  }
  EXPECT_EQ(a.domains().size(), b.domains().size()) << what;
}

// The table roots of a test table folder (the folder, delta/, or children with a log).
std::vector<std::filesystem::path> Roots(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  if (fs::is_directory(dir / "_delta_log")) return {dir};
  if (fs::is_directory(dir / "delta" / "_delta_log")) return {dir / "delta"};
  return {};
}

TEST(CheckpointTest, CheckpointsEqualJsonReplay) {
  int compared = 0;
  for (const std::string group : {"golden", "kernel"}) {
    for (const std::string& name : testing::ListTestTables(group)) {
      if (name == "300k-add-files-100-col-partitioned") continue;
      std::optional<std::filesystem::path> dir = TestTable(group, name);
      if (!dir) continue;
      for (const std::filesystem::path& root : Roots(*dir)) {
        auto table = testing::OpenLocalTable(root);
        Result<SnapshotPtr> with = table->LatestSnapshot();
        if (!with.ok() || !(*with)->segment().checkpoint) continue;
        SegmentOptions options;
        options.version = (*with)->version();
        options.checkpoint_before = 0;  // no checkpoint: commits from 0
        const TableLocation& loc = table->location();
        Result<LogSegment> json_only =
            LoadLogSegment(*loc.store, loc.log_dir, options, loc.uri, nullptr);
        if (!json_only.ok()) continue;  // commits before the checkpoint were cleaned up
        ASSERT_OK_AND_ASSIGN(SnapshotPtr replayed,
                             ReplaySegment(loc, std::move(json_only).value(), {}, {}));
        const std::string kind =
            std::to_string(static_cast<int>((*with)->segment().checkpoint->kind));
        ExpectSameSnapshot(**with, *replayed,
                           group + "/" + name + " (checkpoint kind " + kind + ")");
        ++compared;
      }
    }
  }
  if (compared == 0) GTEST_SKIP() << "no test tables with checkpoints available";
  EXPECT_GT(compared, 15);
}

TEST(CheckpointTest, CompactionsEqualTheirCommits) {
  std::optional<std::filesystem::path> dir = TestTable("kernel", "compacted-log-files-table");
  if (!dir) GTEST_SKIP() << "compacted-log-files-table not available";
  TableOptions no_compactions;
  no_compactions.replay.use_compactions = false;
  auto with = testing::OpenLocalTable(*dir);
  auto without = testing::OpenLocalTable(*dir, no_compactions);
  ASSERT_OK_AND_ASSIGN(SnapshotPtr a, with->LatestSnapshot());
  ASSERT_OK_AND_ASSIGN(SnapshotPtr b, without->LatestSnapshot());
  EXPECT_FALSE(a->segment().compactions.empty());
  ExpectSameSnapshot(*a, *b, "compacted-log-files-table");
  ASSERT_OK_AND_ASSIGN(auto rows_a, testing::SnapshotRows(*with, *a));
  ASSERT_OK_AND_ASSIGN(auto rows_b, testing::SnapshotRows(*without, *b));
  EXPECT_EQ(rows_a, rows_b);
  // Every version in between, too.
  for (int64_t v = 0; v < a->version(); ++v) {
    ASSERT_OK_AND_ASSIGN(SnapshotPtr x, with->SnapshotAtVersion(v));
    ASSERT_OK_AND_ASSIGN(SnapshotPtr y, without->SnapshotAtVersion(v));
    ExpectSameSnapshot(*x, *y, "compacted-log-files-table at " + std::to_string(v));
  }
}

}  // namespace
}  // namespace ds::delta
