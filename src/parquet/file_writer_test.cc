#include "parquet/file_writer.h"

#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "parquet/file_reader.h"
#include "test/testing/testing.h"
#include "test/tools/sample_table.h"

namespace ds::parquet {
namespace {

using namespace columnar;  // NOLINT

std::string RowsAsJson(const RecordBatch& b) {
  std::string out;
  for (int64_t r = 0; r < b.num_rows; ++r) {
    AppendRowJson(b, r, &out);
    out += "\n";
  }
  return out;
}

void RoundTrip(const WriterOptions& options, int rows) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, testing::SampleTable(rows));
  auto schema = batch.schema;
  std::string path = dir.Join("t.parquet");
  ASSERT_OK(WriteParquetFile(path, batch, options));
  ASSERT_OK_AND_ASSIGN(auto file, io::OpenLocalFile(path));
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(file));
  ASSERT_OK_AND_ASSIGN(RecordBatch back, reader->ReadAll());
  EXPECT_EQ(RowsAsJson(back), RowsAsJson(batch));
  EXPECT_EQ(reader->schema()->fields[0].field_id, 1);
  for (size_t i = 0; i < schema->fields.size(); ++i)
    EXPECT_TRUE(reader->schema()->fields[i].type->Equals(*schema->fields[i].type))
        << schema->fields[i].name;
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

TEST(FileWriterTest, KeyValueMetadataAndRowGroupsBySize) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, testing::SampleTable(2000));
  WriterOptions o;
  o.row_group_bytes = 64 << 10;  // a few row groups for 2000 rows of every type
  o.key_value_metadata = {{"org.example.k", std::string("v")}, {"no.value", std::nullopt}};
  ASSERT_OK(WriteParquetFile(dir.Join("kv.parquet"), batch, o));
  ASSERT_OK_AND_ASSIGN(auto file, io::OpenLocalFile(dir.Join("kv.parquet")));
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(file));
  const auto& md = reader->metadata();
  ASSERT_TRUE(md.key_value_metadata.has_value());
  ASSERT_EQ(md.key_value_metadata->size(), 2u);
  EXPECT_EQ((*md.key_value_metadata)[0].value, std::optional<std::string>("v"));
  EXPECT_FALSE((*md.key_value_metadata)[1].value.has_value());
  EXPECT_GT(reader->num_row_groups(), 2);
  EXPECT_EQ(reader->num_rows(), 2000);
  EXPECT_EQ(md.created_by.value_or("").rfind("deltashare version ", 0), 0u);
  ASSERT_OK_AND_ASSIGN(RecordBatch back, reader->ReadAll());
  EXPECT_EQ(RowsAsJson(back), RowsAsJson(batch));
}

TEST(FileWriterTest, EmptyTableHasNoRowGroups) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(RecordBatch empty, testing::SampleTable(0));
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
