#include "parquet/file_writer.h"

#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "parquet/file_reader.h"
#include "test/testing/testing.h"

namespace ds::parquet {
namespace {

using namespace columnar;  // NOLINT

SchemaPtr EveryType() {
  auto s = std::make_shared<Schema>();
  s->fields = {
      Field("id", Int64(), false),
      Field("b", Bool()),
      Field("i8", Int8()),
      Field("i16", Int16()),
      Field("u8", UInt8()),
      Field("u16", UInt16()),
      Field("u32", UInt32()),
      Field("u64", UInt64()),
      Field("f", Float32()),
      Field("d", Float64()),
      Field("dec9", Decimal(9, 2)),
      Field("dec18", Decimal(18, 4)),
      Field("dec38", Decimal(38, 10)),
      Field("s", String()),
      Field("bin", Binary()),
      Field("fx", FixedBinary(3)),
      Field("uuid", Uuid()),
      Field("date", Date()),
      Field("tms", Time(TimeUnit::kMillis)),
      Field("tus", Time(TimeUnit::kMicros)),
      Field("ts", Timestamp(TimeUnit::kMicros, true)),
      Field("ntz", Timestamp(TimeUnit::kMicros, false)),
      Field("tsn", Timestamp(TimeUnit::kNanos, true)),
      Field("l", List(Field("element", String()))),
      Field("ll", List(Field("element", List(Field("element", Int32(), false))))),
      Field("m", Map(Field("key", String(), false), Field("value", Struct({Field("x", Int32()), Field("y", List(Field("element", Float64())))})))),
      Field("st", Struct({Field("a", Int32(), false), Field("b", Struct({Field("c", String())}))})),
  };
  s->fields[0].field_id = 1;
  return s;
}

std::string RowsAsJson(const RecordBatch& b) {
  std::string out;
  for (int64_t r = 0; r < b.num_rows; ++r) {
    AppendRowJson(b, r, &out);
    out += "\n";
  }
  return out;
}

// Rows with every kind of null, empty list and extreme value.
std::string SampleJsonLines(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    std::string id = std::to_string(i);
    if (i % 7 == 3) {
      text += "{\"id\":" + id + "}\n";
      continue;
    }
    text += "{\"id\":" + id + ",\"b\":" + (i % 2 ? "true" : "false") + ",\"i8\":" + std::to_string(i % 256 - 128) +
            ",\"i16\":-32768,\"u8\":255,\"u16\":65535,\"u32\":4294967295,\"u64\":18446744073709551615" +
            ",\"f\":" + (i % 5 == 0 ? "\"NaN\"" : "1.5") + ",\"d\":" + (i % 11 == 0 ? "\"-Infinity\"" : "-0.0") +
            ",\"dec9\":\"-9999999.99\",\"dec18\":\"12345678901234.5678\",\"dec38\":\"-9999999999999999999999999999.9999999999\"" +
            ",\"s\":\"str" + std::to_string(i % 13) + " \\u00e9\",\"bin\":\"AAEC\",\"fx\":\"AQID\"" +
            ",\"uuid\":\"123e4567-e89b-12d3-a456-4266141740" + std::to_string(10 + i % 90) + "\"" +
            ",\"date\":\"1969-12-31\",\"tms\":\"23:59:59.999000\",\"tus\":\"00:00:00.000001\"" +
            ",\"ts\":\"2024-02-29T12:34:56.789012Z\",\"ntz\":\"0001-01-01T00:00:00.000000\"" +
            ",\"tsn\":\"2262-04-11T23:47:16.854775807Z\"" +
            ",\"l\":" + (i % 4 == 0 ? "[]" : i % 4 == 1 ? "null" : "[\"a\",null,\"b\"]") +
            ",\"ll\":" + (i % 3 == 0 ? "[[],null,[1,2]]" : "[[3]]") +
            ",\"m\":" + (i % 2 ? "[{\"key\":\"k\",\"value\":{\"x\":1,\"y\":[null,2.5]}},{\"key\":\"n\",\"value\":null}]" : "[]") +
            ",\"st\":" + (i % 5 == 1 ? "null" : "{\"a\":" + id + ",\"b\":" + (i % 2 ? "null" : "{\"c\":\"deep\"}") + "}") + "}\n";
  }
  return text;
}

void RoundTrip(const WriterOptions& options, int rows) {
  testing::TempDir dir;
  auto schema = EveryType();
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, ParseJsonLines(SampleJsonLines(rows), schema));
  std::string path = dir.Join("t.parquet");
  ASSERT_OK(WriteParquetFile(path, batch, options));
  ASSERT_OK_AND_ASSIGN(auto file, io::OpenLocalFile(path));
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(file));
  ASSERT_OK_AND_ASSIGN(RecordBatch back, reader->ReadAll());
  EXPECT_EQ(RowsAsJson(back), RowsAsJson(batch));
  EXPECT_EQ(reader->schema()->fields[0].field_id, 1);
  for (size_t i = 0; i < schema->fields.size(); ++i)
    EXPECT_TRUE(reader->schema()->fields[i].type->Equals(*schema->fields[i].type)) << schema->fields[i].name;
}

TEST(FileWriterTest, EveryTypeRoundTripsSnappy) { RoundTrip(WriterOptions{}, 200); }

TEST(FileWriterTest, EveryTypeRoundTripsZstdSmallPagesAndRowGroups) {
  WriterOptions o;
  o.codec = Codec::kZstd;
  o.page_rows = 7;
  o.row_group_rows = 50;
  RoundTrip(o, 333);
}

TEST(FileWriterTest, PlainFallbackAndUncompressed) {
  WriterOptions o;
  o.codec = Codec::kUncompressed;
  o.dictionary_bytes = 8;  // forces PLAIN for every column
  o.page_index = false;
  RoundTrip(o, 100);
}

TEST(FileWriterTest, EmptyTableHasNoRowGroups) {
  testing::TempDir dir;
  RecordBatch empty;
  empty.schema = EveryType();
  ASSERT_OK_AND_ASSIGN(empty, ParseJsonLines("", empty.schema));
  ASSERT_OK(WriteParquetFile(dir.Join("e.parquet"), empty));
  ASSERT_OK_AND_ASSIGN(auto file, io::OpenLocalFile(dir.Join("e.parquet")));
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(file));
  EXPECT_EQ(reader->num_row_groups(), 0);
  ASSERT_OK_AND_ASSIGN(RecordBatch back, reader->ReadAll());
  EXPECT_EQ(back.num_rows, 0);
}

TEST(FileWriterTest, RejectsNullInRequiredColumn) {
  testing::TempDir dir;
  auto schema = std::make_shared<Schema>(Schema{{Field("a", Int32(), false)}});
  RecordBatch batch;
  batch.schema = schema;
  batch.num_rows = 1;
  batch.columns = {MakeNullArray(Int32(), 1)};
  ASSERT_OK_AND_ASSIGN(auto sink, io::OpenLocalOutput(dir.Join("x.parquet")));
  ASSERT_OK_AND_ASSIGN(auto w, FileWriter::Open(std::move(sink), schema));
  ASSERT_RAISES(kInvalidArgument, w->Write(batch));
}

}  // namespace
}  // namespace ds::parquet
