#include "client/row_sinks.h"

#include <gtest/gtest.h>

#include "columnar/csv.h"
#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "parquet/file_reader.h"
#include "test/testing/testing.h"

namespace ds::client {
namespace {

constexpr char kSchema[] = R"json({"type":"struct","fields":[
  {"name":"id","type":"long","nullable":true,"metadata":{}},
  {"name":"name","type":"string","nullable":true,"metadata":{}},
  {"name":"price","type":"decimal(10,2)","nullable":true,"metadata":{}},
  {"name":"day","type":"date","nullable":true,"metadata":{}},
  {"name":"at","type":"timestamp","nullable":true,"metadata":{}},
  {"name":"raw","type":"binary","nullable":true,"metadata":{}},
  {"name":"tags","type":{"type":"array","elementType":"string","containsNull":true},"nullable":true,"metadata":{}},
  {"name":"attrs","type":{"type":"map","keyType":"string","valueType":"long","valueContainsNull":true},"nullable":true,"metadata":{}}]})json";

constexpr char kRows[] =
    R"({"id":1,"name":"plain","price":"12.50","day":"2024-02-29","at":"2024-01-02T03:04:05.000006Z","raw":"AAE=","tags":["a","b"],"attrs":[{"key":"k","value":1}]}
{"id":2,"name":"comma, \"quote\"\nnewline","price":"-0.01","day":"1970-01-01","at":"1969-12-31T23:59:59.999999Z","raw":"","tags":[],"attrs":[]}
{"id":3,"name":"","price":null,"day":null,"at":null,"raw":null,"tags":null,"attrs":null}
{"id":null,"name":null}
)";

Result<columnar::RecordBatch> Rows() {
  ASSIGN_OR_RETURN(columnar::SchemaPtr schema, columnar::SchemaFromJson(kSchema));
  return columnar::ParseJsonLines(kRows, schema);
}

std::vector<std::string> JsonRows(const columnar::RecordBatch& b) {
  std::vector<std::string> out;
  for (int64_t r = 0; r < b.num_rows; ++r) {
    std::string line;
    columnar::AppendRowJson(b, r, &line);
    out.push_back(std::move(line));
  }
  return out;
}

Result<std::string> WriteAll(SinkFormat format, const columnar::RecordBatch& batch) {
  auto out = std::make_unique<io::MemoryOutputStream>();
  io::MemoryOutputStream* mem = out.get();
  ASSIGN_OR_RETURN(auto sink, MakeRowSink(format, batch.schema, std::move(out)));
  // Memory streams stay readable after Close.
  RETURN_NOT_OK(sink->Write(batch));
  RETURN_NOT_OK(sink->Write(batch));
  EXPECT_EQ(sink->rows_written(), 2 * batch.num_rows);
  RETURN_NOT_OK(sink->Close());
  RETURN_NOT_OK(sink->Close());  // idempotent
  return std::string(mem->buffer().string_view());
}

TEST(RowSinksTest, JsonLinesIsTheRowEncoding) {
  ASSERT_OK_AND_ASSIGN(auto batch, Rows());
  ASSERT_OK_AND_ASSIGN(std::string text, WriteAll(SinkFormat::kJsonLines, batch));
  std::string expected;
  for (int i = 0; i < 2; ++i) {
    for (const std::string& row : JsonRows(batch)) expected += row + "\n";
  }
  EXPECT_EQ(text, expected);
}

TEST(RowSinksTest, CsvRoundTripsThroughTheCsvReader) {
  ASSERT_OK_AND_ASSIGN(auto batch, Rows());
  ASSERT_OK_AND_ASSIGN(std::string text, WriteAll(SinkFormat::kCsv, batch));
  EXPECT_EQ(text.substr(0, text.find("\r\n")), "id,name,price,day,at,raw,tags,attrs");
  EXPECT_NE(text.find(R"("comma, ""quote"")"), std::string::npos) << text;
  ASSERT_OK_AND_ASSIGN(auto back, columnar::ParseCsv(text, batch.schema));
  std::vector<std::string> expected = JsonRows(batch);
  std::vector<std::string> twice = expected;
  twice.insert(twice.end(), expected.begin(), expected.end());
  EXPECT_EQ(JsonRows(back), twice);
}

TEST(RowSinksTest, CsvCells) {
  ASSERT_OK_AND_ASSIGN(auto batch, Rows());
  auto cell = [&](int col, int64_t row) {
    std::string out;
    AppendCsvCell(*batch.columns[static_cast<size_t>(col)], row, &out);
    return out;
  };
  EXPECT_EQ(cell(0, 0), "1");
  EXPECT_EQ(cell(1, 2), "\"\"");  // the empty string is quoted, null is empty
  EXPECT_EQ(cell(1, 3), "");
  EXPECT_EQ(cell(2, 0), "12.50");
  EXPECT_EQ(cell(3, 0), "2024-02-29");
  EXPECT_EQ(cell(4, 0), "2024-01-02T03:04:05.000006Z");
  EXPECT_EQ(cell(5, 0), "AAE=");
  EXPECT_EQ(cell(6, 0), R"("[""a"",""b""]")");
}

TEST(RowSinksTest, ParquetRoundTrip) {
  ASSERT_OK_AND_ASSIGN(auto batch, Rows());
  ASSERT_OK_AND_ASSIGN(std::string bytes, WriteAll(SinkFormat::kParquet, batch));
  ASSERT_OK_AND_ASSIGN(auto reader, parquet::FileReader::Open(io::MemoryFile(bytes)));
  std::vector<std::string> rows;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto b, reader->Next());
    if (!b) break;
    for (std::string& r : JsonRows(*b)) rows.push_back(std::move(r));
  }
  std::vector<std::string> once = JsonRows(batch);
  std::vector<std::string> expected = once;
  expected.insert(expected.end(), once.begin(), once.end());
  EXPECT_EQ(rows, expected);
}

TEST(RowSinksTest, FormatFromPath) {
  EXPECT_EQ(*SinkFormatForPath("x.parquet"), SinkFormat::kParquet);
  EXPECT_EQ(*SinkFormatForPath("X.CSV"), SinkFormat::kCsv);
  EXPECT_EQ(*SinkFormatForPath("a/b.jsonl"), SinkFormat::kJsonLines);
  ASSERT_RAISES(kInvalidArgument, SinkFormatForPath("out.txt"));
}

}  // namespace
}  // namespace ds::client
