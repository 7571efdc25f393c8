#include "parquet/file_reader.h"

#include "columnar/json_rows.h"
#include "test/testing/testing.h"

namespace ds::parquet {
namespace {

std::vector<std::string> ReadRows(const std::string& path, ReaderOptions options = {}) {
  auto file = io::OpenLocalFile(path).ValueOrDie();
  auto reader = FileReader::Open(file, std::move(options)).ValueOrDie();
  std::vector<std::string> rows;
  while (true) {
    auto batch = reader->Next().ValueOrDie();
    if (!batch) break;
    for (int64_t r = 0; r < batch->num_rows; ++r) {
      std::string s;
      columnar::AppendRowJson(*batch, r, &s);
      rows.push_back(s);
    }
  }
  return rows;
}

TEST(FileReaderTest, AllTypesPlain) {
  DS_REQUIRE_TESTDATA(td);
  auto rows = ReadRows((td / "parquet-testing/data/alltypes_plain.parquet").string());
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_EQ(
      rows[0],
      R"({"id":4,"bool_col":true,"tinyint_col":0,"smallint_col":0,"int_col":0,"bigint_col":0,)"
      R"("float_col":0,"double_col":0,"date_string_col":"MDMvMDEvMDk=","string_col":"MA==",)"
      R"("timestamp_col":"2009-03-01T00:00:00.000000Z"})");
}

TEST(FileReaderTest, ProjectionAndSmallBatches) {
  DS_REQUIRE_TESTDATA(td);
  ReaderOptions o;
  o.columns = {"string_col", "id"};
  o.batch_size = 3;
  auto rows = ReadRows((td / "parquet-testing/data/alltypes_plain.snappy.parquet").string(), o);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], R"({"string_col":"MQ==","id":7})");
}

TEST(FileReaderTest, NestedListsWithNulls) {
  DS_REQUIRE_TESTDATA(td);
  ReaderOptions o;
  o.batch_size = 1;
  auto rows = ReadRows((td / "parquet-testing/data/nested_lists.snappy.parquet").string(), o);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], R"({"a":[[["a","b"],["c"]],[null,["d"]]],"b":1})");
}

TEST(FileReaderTest, UnknownColumnIsAnError) {
  DS_REQUIRE_TESTDATA(td);
  auto file =
      io::OpenLocalFile((td / "parquet-testing/data/alltypes_plain.parquet").string()).ValueOrDie();
  ReaderOptions o;
  o.columns = {"nope"};
  ASSERT_RAISES(kInvalidArgument, FileReader::Open(file, o));
}

TEST(FileReaderTest, RejectsNonParquet) {
  ASSERT_RAISES(kCorruption, FileReader::Open(io::MemoryFile("PAR1 definitely not parquet")));
  ASSERT_RAISES(kCorruption, FileReader::Open(io::MemoryFile("tiny")));
}

}  // namespace
}  // namespace ds::parquet
