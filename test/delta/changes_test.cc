// Change data feed over the shared CDF tables, checked against the snapshot reader: applying
// each commit's change rows to the rows of the snapshot before it must give the rows of the
// snapshot at that commit. Also the file selection rules and the "CDF not enabled" error.
#include "delta/changes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "columnar/json_rows.h"
#include "test/delta/test_tables.h"
#include "test/testing/testing.h"

namespace ds::delta {
namespace {

using testing::TestTable;

// A multiset of rows (canonical JSON without the change columns).
using RowBag = std::map<std::string, int64_t>;

RowBag Bag(const std::vector<std::string>& rows) {
  RowBag bag;
  for (const std::string& r : rows) ++bag[r];
  return bag;
}

// The change rows of one commit, split by _change_type.
struct CommitRows {
  std::map<std::string, std::vector<std::string>> by_type;
};

Result<std::map<int64_t, CommitRows>> ChangeRows(const Table& table, int64_t start, int64_t end,
                                                 const std::vector<std::string>& columns) {
  std::map<int64_t, CommitRows> out;
  ChangeScanOptions options;
  options.columns = columns;
  RETURN_NOT_OK(ScanChanges(table, start, end, options, [&](const columnar::RecordBatch& b) {
    // The data columns are first; the three change columns last.
    const size_t data = b.columns.size() - 3;
    columnar::RecordBatch rows;
    rows.schema = std::make_shared<columnar::Schema>();
    rows.num_rows = b.num_rows;
    for (size_t c = 0; c < data; ++c) {
      std::const_pointer_cast<columnar::Schema>(rows.schema)->fields.push_back(b.schema->fields[c]);
      rows.columns.push_back(b.columns[c]);
    }
    std::vector<std::string> json;
    testing::AppendCanonicalRows(rows, &json);
    for (int64_t r = 0; r < b.num_rows; ++r) {
      std::string type(b.columns[data]->View(r));
      int64_t version = b.columns[data + 1]->Value<int64_t>(r);
      out[version].by_type[type].push_back(json[static_cast<size_t>(r)]);
    }
    return Status::OK();
  }));
  return out;
}

// Versions of synthetic test tables that add cdc files and no data files ("Manual Update"
// commits of cdf-table-simple and cdf-table-update-ops): their changes describe no change of
// the snapshot, so the state is re-read from the snapshot after them.
Result<std::set<int64_t>> SyntheticVersions(const Table& table, int64_t start, int64_t end) {
  std::set<int64_t> out;
  RETURN_NOT_OK(table.ForEachCommit(start, end, [&](CommitActions&& c) {
    bool cdc = false, data = false;
    for (const FileAction& a : c.files) {
      cdc = cdc || a.kind == FileActionKind::kCdc;
      data = data || (a.kind != FileActionKind::kCdc && a.data_change);
    }
    if (cdc && !data) out.insert(c.version);
    return Status::OK();
  }));
  return out;
}

// cdf-table-update-ops' files spell the update types "update_pre" and "update_post".
std::string NormalizeChangeType(const std::string& type) {
  if (type == "update_pre") return "update_preimage";
  if (type == "update_post") return "update_postimage";
  return type;
}

void CheckFeedReproducesSnapshots(const std::string& name) {
  std::optional<std::filesystem::path> dir = TestTable("kernel", name);
  if (!dir) GTEST_SKIP() << "test table " << name << " not available";
  auto table = testing::OpenLocalTable(*dir);
  ASSERT_OK_AND_ASSIGN(int64_t latest, table->LatestVersion());
  // The feed starts at the first version where it is enabled.
  int64_t start = 0;
  while (start <= latest) {
    ASSERT_OK_AND_ASSIGN(ProtocolAndMetadata pm, table->LoadProtocolAndMetadata(start));
    if (pm.metadata.PropertyIsTrue("delta.enableChangeDataFeed")) break;
    ++start;
  }
  ASSERT_LE(start, latest) << name << ": the change data feed is never enabled";
  ASSERT_OK_AND_ASSIGN(SnapshotPtr last, table->SnapshotAtVersion(latest));
  std::vector<std::string> columns;
  for (const auto& f : last->schema().logical()->fields) columns.push_back(f.name);

  RowBag state;
  if (start > 0) {
    ASSERT_OK_AND_ASSIGN(SnapshotPtr before, table->SnapshotAtVersion(start - 1));
    ASSERT_OK_AND_ASSIGN(auto rows, testing::SnapshotRows(*table, *before, columns));
    state = Bag(rows);
  }
  ASSERT_OK_AND_ASSIGN(auto changes, ChangeRows(*table, start, latest, columns));
  ASSERT_OK_AND_ASSIGN(std::set<int64_t> synthetic, SyntheticVersions(*table, start, latest));
  int64_t changed_rows = 0;
  for (int64_t v = start; v <= latest; ++v) {
    for (const auto& [raw_type, rows] : changes[v].by_type) {
      if (synthetic.count(v)) break;
      const std::string type = NormalizeChangeType(raw_type);
      ASSERT_TRUE(type == "insert" || type == "delete" || type == "update_preimage" ||
                  type == "update_postimage")
          << name << " version " << v << ": unknown _change_type " << type;
      for (const std::string& row : rows) {
        ++changed_rows;
        if (type == "insert" || type == "update_postimage") {
          ++state[row];
        } else if (--state[row] < 0) {
          FAIL() << name << " version " << v << ": " << type
                 << " of a row not in the table: " << row;
        }
      }
    }
    std::erase_if(state, [](const auto& e) { return e.second == 0; });
    ASSERT_OK_AND_ASSIGN(SnapshotPtr snapshot, table->SnapshotAtVersion(v));
    ASSERT_OK_AND_ASSIGN(auto rows, testing::SnapshotRows(*table, *snapshot, columns));
    if (synthetic.count(v)) {
      state = Bag(rows);
      continue;
    }
    ASSERT_EQ(state, Bag(rows)) << name << ": the feed up to version " << v
                                << " does not reproduce the snapshot at " << v;
  }
  EXPECT_GT(changed_rows, 0) << name;
}

class ChangeFeedTableTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ChangeFeedTableTest, FeedReproducesEverySnapshot) {
  CheckFeedReproducesSnapshots(GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Kernel, ChangeFeedTableTest,
    ::testing::Values("cdf-table", "cdf-table-simple", "cdf-table-partitioned",
                      "cdf-table-non-partitioned", "cdf-table-update-ops",
                      "cdf-table-delete-conditional-all-rows",
                      "cdf-table-delete-conditional-two-rows", "cdf-table-delete-unconditional",
                      "cdf-table-data-change", "cdf-table-backtick-column-names",
                      "cdf-table-with-dv", "cdf-table-with-cdc-and-dvs",
                      "cdf-column-mapping-id-mode", "cdf-column-mapping-name-mode",
                      "cdf-column-mapping-name-mode-3-7"),
    [](const auto& info) {
      std::string out;
      for (char c : info.param)
        out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
      return out;
    });

// A commit with cdc actions yields exactly its cdc files; others their dataChange adds and
// removes (the cdf-table's version 1 is an UPDATE with cdc files, version 0 a WRITE).
TEST(ChangeFilesTest, CdcFilesWinOverAddAndRemove) {
  std::optional<std::filesystem::path> dir = TestTable("kernel", "cdf-table");
  if (!dir) GTEST_SKIP() << "cdf-table not available";
  auto table = testing::OpenLocalTable(*dir);
  std::map<int64_t, std::vector<ChangeFile>> files;
  ASSERT_OK(ForEachChange(*table, 0, 3, [&](CommitChanges&& c) {
    files[c.version] = std::move(c.files);
    return Status::OK();
  }));
  ASSERT_EQ(files[0].size(), 10u);
  for (const ChangeFile& f : files[0]) EXPECT_EQ(f.kind, ChangeFileKind::kAdd);
  ASSERT_EQ(files[1].size(), 6u);
  for (const ChangeFile& f : files[1]) {
    EXPECT_EQ(f.kind, ChangeFileKind::kCdc);
    EXPECT_EQ(f.action.path.rfind("_change_data/", 0), 0u) << f.action.path;
  }
}

// table-with-cdf turns the feed off at version 2 and on again at 3 (its files are fake).
TEST(ChangeFilesTest, FeedTurnedOffInsideTheRange) {
  std::optional<std::filesystem::path> dir = TestTable("kernel", "table-with-cdf");
  if (!dir) GTEST_SKIP() << "table-with-cdf not available";
  auto table = testing::OpenLocalTable(*dir);
  std::vector<std::pair<int64_t, std::vector<ChangeFile>>> seen;
  auto collect = [&](CommitChanges&& c) {
    seen.emplace_back(c.version, std::move(c.files));
    return Status::OK();
  };
  ASSERT_OK(ForEachChange(*table, 0, 1, collect));
  ASSERT_EQ(seen.size(), 2u);
  ASSERT_EQ(seen[0].second.size(), 1u);
  EXPECT_EQ(seen[0].second[0].kind, ChangeFileKind::kAdd);
  EXPECT_EQ(seen[0].second[0].action.path, "fake/path/1");
  ASSERT_EQ(seen[1].second.size(), 1u);  // the cdc file only, not the remove
  EXPECT_EQ(seen[1].second[0].kind, ChangeFileKind::kCdc);
  EXPECT_EQ(seen[1].second[0].action.path, "fake/path/2");
  Status off = ForEachChange(*table, 0, 3, collect);
  ASSERT_RAISES(kFailedPrecondition, off);
  EXPECT_NE(off.message().find("not recorded for version 2"), std::string::npos) << off;
  ASSERT_RAISES(kFailedPrecondition, ForEachChange(*table, 2, 4, collect));
  ASSERT_OK(ForEachChange(*table, 3, 4, collect));
  ASSERT_RAISES(kOutOfRange, ForEachChange(*table, 4, 3, collect));
}

TEST(ChangeFilesTest, FeedOffIsAnError) {
  std::optional<std::filesystem::path> dir = TestTable("kernel", "basic_partitioned");
  if (!dir) GTEST_SKIP() << "basic_partitioned not available";
  auto table = testing::OpenLocalTable(*dir);
  Status st = ForEachChange(*table, 0, 1, [](CommitChanges&&) { return Status::OK(); });
  ASSERT_RAISES(kFailedPrecondition, st);
  EXPECT_NE(st.message().find("change data was not recorded for version 0"), std::string::npos)
      << st;
}

TEST(ChangeFilesTest, NoOpMergeHasNoFiles) {
  CommitInfo info;
  info.operation = "MERGE";
  info.json = R"({"operation":"MERGE","operationMetrics":{"numTargetRowsInserted":"0",)"
              R"("numTargetRowsUpdated":"0","numTargetRowsDeleted":"0"}})";
  EXPECT_TRUE(IsNoOpMerge(info));
  info.json = R"({"operation":"MERGE","operationMetrics":{"numTargetRowsInserted":"2",)"
              R"("numTargetRowsUpdated":"0","numTargetRowsDeleted":"0"}})";
  EXPECT_FALSE(IsNoOpMerge(info));
  CommitActions commit;
  commit.commit_info = info;
  commit.commit_info->json = R"({"operationMetrics":{"numTargetRowsInserted":"0",)"
                             R"("numTargetRowsUpdated":"0","numTargetRowsDeleted":"0"}})";
  FileAction add;
  add.path = "a.parquet";
  add.data_change = true;
  add.size = 1;
  commit.files.push_back(add);
  EXPECT_EQ(SelectChangeFiles(commit).size(), 0u);
}

// remove(P, dv1) + add(P, dv2): the delete half selects dv2 \ dv1, the insert half dv1 \ dv2.
TEST(ChangeFilesTest, DeletionVectorPairsSplitIntoHalves) {
  CommitActions commit;
  FileAction remove, add;
  remove.kind = FileActionKind::kRemove;
  remove.path = add.path = "p.parquet";
  remove.data_change = add.data_change = true;
  remove.deletion_vector = DeletionVectorDescriptor{'i', "old", std::nullopt, 4, 1, std::nullopt};
  add.deletion_vector = DeletionVectorDescriptor{'i', "new", std::nullopt, 4, 2, std::nullopt};
  commit.files = {remove, add};
  std::vector<ChangeFile> files = SelectChangeFiles(commit);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].change_type, "delete");
  EXPECT_TRUE(files[0].dv_pair);
  EXPECT_EQ(files[0].select->path_or_inline_dv, "new");
  EXPECT_EQ(files[0].select_minus->path_or_inline_dv, "old");
  EXPECT_EQ(files[1].change_type, "insert");
  EXPECT_EQ(files[1].select->path_or_inline_dv, "old");
  EXPECT_EQ(files[1].select_minus->path_or_inline_dv, "new");
}

}  // namespace
}  // namespace ds::delta
