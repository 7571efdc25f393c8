// Every table in ../shared/testdata/delta/kernel opens and scans (or fails with the specific
// error listed here); checkpoints of every kind give the same snapshot as replaying the JSON
// commits alone.
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

// Tables that must fail, with the reason.
const std::map<std::string, ExpectedError>& FailingTables() {
  static const auto* tables = new std::map<std::string, ExpectedError>{
      {"crc-malformed", {StatusCode::kNotFound, "_delta_log is missing or empty"}},  // a .crc only
      {"table-with-geo", {StatusCode::kNotSupported, "reader feature 'geospatial'"}},
  };
  return *tables;
}

// Tables that are not a table at their root.
bool SkipTable(const std::string& name) {
  return name == "300k-add-files-100-col-partitioned";  // the benchmark table
}

// Tables whose data files are not in the test data: their live paths as written in the log.
const std::map<std::string, std::vector<std::string>>& LogOnlyTables() {
  static const auto* tables = new std::map<std::string, std::vector<std::string>>{
      {"app-txn-with-last-updated",
       {"part-00001-2e4c9beb-884e-4749-aaee-02a1a4f05750-c000.snappy.parquet",
        "part-00001-63bc815a-54ba-4614-8260-a7ed44382395-c000.snappy.parquet",
        "part-00001-b81dd692-6bc8-4cc2-84b7-005ef95bc59a-c000.snappy.parquet",
        "part-00001-e0753c49-6576-471c-85ca-923c138e6c9e-c000.snappy.parquet"}},
      {"with_checkpoint_no_last_checkpoint",
       {"part-00000-70b1dcdf-0236-4f63-a072-124cdbafd8a0-c000.snappy.parquet"}},
  };
  return *tables;
}

// The table roots inside a test table folder: the folder, its delta/ child, or every child
// holding a _delta_log (partition_cm/{id,name,none}).
std::vector<std::filesystem::path> TableRoots(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  if (fs::is_directory(dir / "_delta_log")) return {dir};
  if (fs::is_directory(dir / "delta" / "_delta_log")) return {dir / "delta"};
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (fs::is_directory(entry.path() / "_delta_log")) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out.empty() ? std::vector<fs::path>{dir} : out;
}

class KernelTableTest : public ::testing::TestWithParam<std::string> {};

TEST_P(KernelTableTest, OpensAndScans) {
  const std::string& name = GetParam();
  std::optional<std::filesystem::path> dir = TestTable("kernel", name);
  if (!dir) GTEST_SKIP() << "test table " << name << " not available";
  for (const std::filesystem::path& root : TableRoots(*dir)) {
    SCOPED_TRACE(root.string());
    auto table = testing::OpenLocalTable(root);
    Result<SnapshotPtr> snapshot = table->LatestSnapshot();
    if (snapshot.ok() && LogOnlyTables().count(name)) {
      std::vector<std::string> paths;
      for (size_t i = 0; i < (*snapshot)->files().num_files(); ++i) {
        paths.emplace_back((*snapshot)->files().file(i).path());
      }
      std::sort(paths.begin(), paths.end());
      EXPECT_EQ(paths, LogOnlyTables().at(name));
      continue;
    }
    Result<std::vector<std::string>> rows = Status::Internal("not scanned");
    if (snapshot.ok()) rows = testing::SnapshotRows(*table, **snapshot);
    Status outcome = snapshot.ok() ? rows.status() : snapshot.status();
    if (auto it = FailingTables().find(name); it != FailingTables().end()) {
      EXPECT_EQ(outcome.code(), it->second.code) << name << ": " << outcome;
      EXPECT_NE(outcome.message().find(it->second.message_part), std::string::npos)
          << name << ": " << outcome;
      continue;
    }
    EXPECT_TRUE(outcome.ok()) << name << ": " << outcome;
  }
}

// type-widening: the file written before the widening holds byte/int/float/decimal(10,2)/date
// values; they read as the widened types (the second file was written after it).
TEST(KernelTypeWideningTest, OldFilesAreUpcast) {
  std::optional<std::filesystem::path> dir = TestTable("kernel", "type-widening");
  if (!dir) GTEST_SKIP() << "type-widening not available";
  auto table = testing::OpenLocalTable(*dir);
  ASSERT_OK_AND_ASSIGN(SnapshotPtr snapshot, table->LatestSnapshot());
  ASSERT_OK_AND_ASSIGN(auto rows, testing::SnapshotRows(*table, *snapshot));
  const std::string old_row =
      R"({"byte_decimal":"1.0","byte_double":5,"byte_long":1,"date_timestamp_ntz":)"
      R"("2024-09-09T00:00:00.000000","decimal_decimal_greater_scale":"67.89000",)"
      R"("decimal_decimal_same_scale":"123.45","float_double":3.4000000953674316,)"
      R"("int_decimal":"3.0","int_double":7,"int_long":2,"long_decimal":"4.0",)"
      R"("short_decimal":"2.0","short_double":6})";
  EXPECT_NE(std::find(rows.begin(), rows.end(), old_row), rows.end())
      << "rows: " << ::testing::PrintToString(rows);
}

std::vector<std::string> Tables() {
  std::vector<std::string> names = ListTestTables("kernel");
  std::erase_if(names, SkipTable);
  return names;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string out;
  for (char c : info.param) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

INSTANTIATE_TEST_SUITE_P(Kernel, KernelTableTest, ::testing::ValuesIn(Tables()), TestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(KernelTableTest);

}  // namespace
}  // namespace ds::delta
