// Every Delta golden table (../shared/testdata/delta/golden): the latest snapshot's rows
// equal Spark's expected/ rows (order-insensitive, deltashare's JSON row encoding), invalid
// tables fail with their specific error, and the rest open and scan.
#include <gtest/gtest.h>

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
  ASSERT_TRUE(snapshot.ok()) << name << ": " << snapshot.status();
  Result<std::vector<std::string>> rows = testing::SnapshotRows(*table, **snapshot);
  ASSERT_TRUE(rows.ok()) << name << ": " << rows.status();
  if (!std::filesystem::is_directory(*dir / "expected")) return;  // opens and scans

  ASSERT_OK_AND_ASSIGN(std::vector<std::string> expected,
                       testing::ParquetFolderRows(*dir / "expected"));
  EXPECT_EQ(rows->size(), expected.size()) << name << ": row count";
  size_t shown = 0;
  for (size_t i = 0, j = 0; (i < rows->size() || j < expected.size()) && shown < 5;) {
    if (j >= expected.size() || (i < rows->size() && (*rows)[i] < expected[j])) {
      ADD_FAILURE() << name << ": unexpected row " << (*rows)[i++];
      ++shown;
    } else if (i >= rows->size() || expected[j] < (*rows)[i]) {
      ADD_FAILURE() << name << ": missing row " << expected[j++];
      ++shown;
    } else {
      ++i, ++j;
    }
  }
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string out;
  for (char c : info.param) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTableTest, ::testing::ValuesIn(ListTestTables("golden")),
                         TestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenTableTest);

}  // namespace
}  // namespace ds::delta
