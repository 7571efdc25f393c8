// Every Delta golden table (../shared/testdata/delta/golden): the latest snapshot's rows
// equal Spark's expected/ rows (order-insensitive, deltashare's JSON row encoding), invalid
// tables fail with their specific error, and the rest open and scan.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "test/delta/test_tables.h"
#include "test/testing/testing.h"

namespace ds::delta {
namespace {

using testing::ListTestTables;
using testing::TestTable;

struct ExpectedError {
  StatusCode code;
  std::string message_part;
};

// The invalid tables named in the test data README and the error each must give.
const std::map<std::string, ExpectedError>& InvalidTables() {
  static const auto* tables = new std::map<std::string, ExpectedError>{
      {"deltalog-invalid-protocol-version", {StatusCode::kNotSupported, "reader version 99"}},
      {"deltalog-state-reconstruction-from-checkpoint-missing-metadata",
       {StatusCode::kCorruption, "has no metaData action"}},
      {"deltalog-state-reconstruction-from-checkpoint-missing-protocol",
       {StatusCode::kCorruption, "has no protocol action"}},
      {"deltalog-state-reconstruction-without-metadata",
       {StatusCode::kCorruption, "has no metaData action"}},
      {"deltalog-state-reconstruction-without-protocol",
       {StatusCode::kCorruption, "has no protocol action"}},
      {"no-delta-log-folder", {StatusCode::kNotFound, "_delta_log is missing or empty"}},
      {"versions-not-contiguous", {StatusCode::kCorruption, "versions are not contiguous"}},
  };
  return *tables;
}

// Tables whose data files were never written (log-only tests upstream): the live file paths
// (as written in the log) the latest snapshot must have.
const std::map<std::string, std::vector<std::string>>& LogOnlyTables() {
  static const auto* tables = new std::map<std::string, std::vector<std::string>>{
      // An add and a remove spelling the same absolute path differently cancel out.
      {"canonicalized-paths-normal-a", {}},
      {"canonicalized-paths-normal-b", {}},
      {"canonicalized-paths-special-a", {}},
      {"canonicalized-paths-special-b", {}},
      {"checkpoint", {"15"}},
      {"delete-re-add-same-file-different-transactions", {"bar", "foo"}},
      {"deltalog-commit-info", {"abc"}},
      {"log-replay-special-characters-b", {"special%20p@%23h"}},
      {"update-deleted-directory", {"1", "10", "2", "3", "4", "5", "6", "7", "8", "9"}},
  };
  return *tables;
}

// Tables we cannot match, each with the reason; the test checks what can be checked.
//  - data-reader-absolute-paths-escaped-chars: its log has no metaData action (upstream
//    supplies the metadata in test code), so opening it is a Corruption naming that.
//  - data-reader-partition-values: Spark wrote the zone-less timestamp partition value
//    "2021-09-08 11:11:11" in its session zone (America/Los_Angeles, UTC-7) and expects
//    18:11:11Z; the protocol gives readers no zone, so we read it as UTC. Every other column
//    must match, and as_timestamp must differ by exactly 7 hours.

std::vector<std::string> LivePaths(const Snapshot& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.files().num_files(); ++i) {
    out.emplace_back(s.files().file(i).path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void ExpectRowsEqual(const std::string& name, const std::vector<std::string>& rows,
                     const std::vector<std::string>& expected) {
  EXPECT_EQ(rows.size(), expected.size()) << name << ": row count";
  size_t shown = 0;
  for (size_t i = 0, j = 0; (i < rows.size() || j < expected.size()) && shown < 5;) {
    if (j >= expected.size() || (i < rows.size() && rows[i] < expected[j])) {
      ADD_FAILURE() << name << ": unexpected row " << rows[i++];
      ++shown;
    } else if (i >= rows.size() || expected[j] < rows[i]) {
      ADD_FAILURE() << name << ": missing row " << expected[j++];
      ++shown;
    } else {
      ++i, ++j;
    }
  }
}

class GoldenTableTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTableTest, LatestSnapshotMatchesExpected) {
  const std::string& name = GetParam();
  std::optional<std::filesystem::path> dir = TestTable("golden", name);
  if (!dir) GTEST_SKIP() << "test table " << name << " not available";
  auto table = testing::OpenLocalTable(*dir / "delta");
  Result<SnapshotPtr> snapshot = table->LatestSnapshot();

  if (auto it = InvalidTables().find(name); it != InvalidTables().end()) {
    ASSERT_FALSE(snapshot.ok()) << name << " must not open";
    EXPECT_EQ(snapshot.status().code(), it->second.code) << name << ": " << snapshot.status();
    EXPECT_NE(snapshot.status().message().find(it->second.message_part), std::string::npos)
        << name << ": " << snapshot.status();
    return;
  }
  if (name == "data-reader-absolute-paths-escaped-chars") {
    ASSERT_RAISES(kCorruption, snapshot);
    EXPECT_NE(snapshot.status().message().find("no metaData action"), std::string::npos);
    return;
  }
  ASSERT_TRUE(snapshot.ok()) << name << ": " << snapshot.status();
  if (auto it = LogOnlyTables().find(name); it != LogOnlyTables().end()) {
    EXPECT_EQ(LivePaths(**snapshot), it->second) << name;
    return;
  }
  Result<std::vector<std::string>> rows = testing::SnapshotRows(*table, **snapshot);
  ASSERT_TRUE(rows.ok()) << name << ": " << rows.status();
  if (!std::filesystem::is_directory(*dir / "expected")) return;  // opens and scans

  ASSERT_OK_AND_ASSIGN(std::vector<std::string> expected,
                       testing::ParquetFolderRows(*dir / "expected"));
  if (name == "data-reader-partition-values") {
    // Shift our UTC reading of the zone-less partition timestamp by the writer's 7 hours.
    for (std::string& row : *rows) {
      size_t at = row.find("T11:11:11.000000Z");
      if (at != std::string::npos) row.replace(at, 17, "T18:11:11.000000Z");
    }
    std::sort(rows->begin(), rows->end());
  }
  ExpectRowsEqual(name, *rows, expected);
}

// "hive" holds several tables side by side; each must open and scan.
TEST(GoldenHiveTest, EveryTableOpensAndScans) {
  std::optional<std::filesystem::path> dir = TestTable("golden", "hive");
  if (!dir) GTEST_SKIP() << "test table hive not available";
  int tables = 0;
  for (const auto& entry : std::filesystem::directory_iterator(*dir / "delta")) {
    if (!std::filesystem::is_directory(entry.path() / "_delta_log")) continue;
    ++tables;
    auto table = testing::OpenLocalTable(entry.path());
    auto snapshot = table->LatestSnapshot();
    ASSERT_TRUE(snapshot.ok()) << entry.path() << ": " << snapshot.status();
    auto rows = testing::SnapshotRows(*table, **snapshot);
    EXPECT_TRUE(rows.ok()) << entry.path() << ": " << rows.status();
  }
  EXPECT_GT(tables, 5);
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string out;
  for (char c : info.param) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

std::vector<std::string> SingleTables() {
  std::vector<std::string> names = ListTestTables("golden");
  std::erase(names, "hive");  // several tables: GoldenHiveTest
  return names;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTableTest, ::testing::ValuesIn(SingleTables()), TestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenTableTest);

}  // namespace
}  // namespace ds::delta
