#include "parquet/describe.h"

#include <cstring>
#include <limits>

#include "test/testing/testing.h"
#include "util/json.h"

namespace ds::parquet {
namespace {

std::unique_ptr<FileReader> Open(const std::filesystem::path& td, const std::string& name) {
  auto file = io::OpenLocalFile((td / "parquet-testing/data" / name).string()).ValueOrDie();
  return FileReader::Open(file).ValueOrDie();
}

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

const JsonValue& At(const JsonValue& v, std::string_view key) {
  const JsonValue* found = v.Find(key);
  if (found == nullptr) ADD_FAILURE() << "missing key " << key << " in " << v.ToString();
  static const JsonValue kNull;
  return found ? *found : kNull;
}

TEST(DescribeTest, SchemaText) {
  DS_REQUIRE_TESTDATA(td);
  std::string text = DescribeSchemaText(*Open(td, "nested_maps.snappy.parquet"));
  EXPECT_TRUE(Contains(text,
                       "message spark_schema {\n"
                       "  optional group a (MAP) {\n"
                       "    repeated group key_value {\n"
                       "      required binary key (UTF8);\n"
                       "      optional group value (MAP) {\n"))
      << text;
  EXPECT_TRUE(Contains(text, "  required int32 b;\n  required double c;\n}\n\n")) << text;
  EXPECT_TRUE(Contains(text, "\na: map<string, map<int32, bool>>\nb: int32 not null\n")) << text;

  std::string ids = DescribeSchemaText(*Open(td, "rle_boolean_encoding.parquet"));
  EXPECT_TRUE(Contains(ids, "  optional boolean datatype_boolean = 1;\n")) << ids;
  std::string flba = DescribeSchemaText(*Open(td, "float16_zeros_and_nans.parquet"));
  EXPECT_TRUE(Contains(flba, "fixed_len_byte_array(2) x (FLOAT16);")) << flba;
}

TEST(DescribeTest, SchemaJson) {
  DS_REQUIRE_TESTDATA(td);
  std::string json = DescribeSchemaJson(*Open(td, "byte_array_decimal.parquet"));
  ASSERT_EQ(json.back(), '\n');
  ASSERT_OK_AND_ASSIGN(JsonValue doc, ParseJson(json));
  const JsonValue& leaf = At(doc, "children").items().at(0);
  EXPECT_EQ(At(leaf, "name").string_value(), "value");
  EXPECT_EQ(At(leaf, "physicalType").string_value(), "BYTE_ARRAY");
  EXPECT_EQ(At(leaf, "convertedType").string_value(), "DECIMAL");
  EXPECT_EQ(At(leaf, "precision").number_text(), "4");
  EXPECT_EQ(At(leaf, "scale").number_text(), "2");
  EXPECT_EQ(At(leaf, "columnarType").string_value(), "decimal(4,2)");
  EXPECT_EQ(At(At(doc, "fields").items().at(0), "type").string_value(), "decimal(4,2)");

  ASSERT_OK_AND_ASSIGN(JsonValue nested,
                       ParseJson(DescribeSchemaJson(*Open(td, "nested_lists.snappy.parquet"))));
  const JsonValue& a = At(nested, "children").items().at(0);
  EXPECT_EQ(At(a, "convertedType").string_value(), "LIST");
  EXPECT_EQ(a.Find("logicalType"), nullptr);  // parquet-mr 1.8 wrote none
  EXPECT_TRUE(At(a, "children").is_array());
}

TEST(DescribeTest, MetaTextShowsStatisticsAndReasons) {
  DS_REQUIRE_TESTDATA(td);
  std::string nan = DescribeMetaText(*Open(td, "nan_in_stats.parquet"));
  EXPECT_TRUE(Contains(nan, "created by     parquet-cpp version 1.3.2-SNAPSHOT\n")) << nan;
  EXPECT_TRUE(Contains(nan, "stats unusable: NaN bound")) << nan;
  EXPECT_TRUE(Contains(nan, "file size      329 bytes\n")) << nan;

  std::string trunc = DescribeMetaText(*Open(td, "binary_truncated_min_max.parquet"));
  EXPECT_TRUE(Contains(trunc, "min \"Al\" (inexact), max \"Kf\" (inexact), nulls 0")) << trunc;

  std::string sorted = DescribeMetaText(*Open(td, "sort_columns.parquet"));
  EXPECT_TRUE(Contains(sorted, "sorted by: a DESC NULLS FIRST, b ASC NULLS LAST")) << sorted;
  EXPECT_TRUE(Contains(sorted, "[DICTIONARY_PAGE:PLAIN x1, DATA_PAGE:RLE_DICTIONARY x1]"))
      << sorted;

  std::string kv = DescribeMetaText(*Open(td, "column_chunk_key_value_metadata.parquet"));
  EXPECT_TRUE(Contains(kv, "key/value     foo = \"bar\"")) << kv;
  EXPECT_TRUE(Contains(kv, "key/value     thisiskeywithoutvalue (no value)")) << kv;

  std::string rows = DescribeMetaText(*Open(td, "repeated_no_annotation.parquet"));
  EXPECT_TRUE(Contains(rows, "rows           6 (footer says 0)")) << rows;
}

TEST(DescribeTest, MetaJson) {
  DS_REQUIRE_TESTDATA(td);
  std::string json = DescribeMetaJson(*Open(td, "binary_truncated_min_max.parquet"), 3070);
  ASSERT_EQ(json.back(), '\n');
  ASSERT_OK_AND_ASSIGN(JsonValue doc, ParseJson(json));
  EXPECT_EQ(At(doc, "fileSize").number_text(), "3070");
  EXPECT_EQ(At(doc, "createdBy").string_value(), "parquet-rs version 55.1.0");
  EXPECT_EQ(At(doc, "columnOrders").items().size(), 6u);
  const JsonValue& rg = At(doc, "rowGroups").items().at(0);
  EXPECT_EQ(At(rg, "numRows").number_text(), "12");
  const JsonValue& col0 = At(rg, "columns").items().at(0);
  EXPECT_EQ(At(col0, "path").items().at(0).string_value(), "utf8_full_truncation");
  EXPECT_EQ(At(col0, "codec").string_value(), "UNCOMPRESSED");
  EXPECT_TRUE(At(col0, "columnIndexOffset").is_number());
  const JsonValue& st = At(col0, "statistics");
  EXPECT_EQ(At(st, "min").string_value(), "Al");
  EXPECT_FALSE(At(st, "minExact").bool_value());
  EXPECT_EQ(At(st, "max").string_value(), "Kf");
  EXPECT_EQ(At(st, "nullCount").number_text(), "0");
  // Exactness the writer did not state is null.
  ASSERT_OK_AND_ASSIGN(JsonValue sorted,
                       ParseJson(DescribeMetaJson(*Open(td, "sort_columns.parquet"))));
  const JsonValue& b =
      At(At(At(sorted, "rowGroups").items().at(0), "columns").items().at(1), "statistics");
  EXPECT_TRUE(At(b, "maxExact").is_null());

  ASSERT_OK_AND_ASSIGN(
      JsonValue kv,
      ParseJson(DescribeMetaJson(*Open(td, "column_chunk_key_value_metadata.parquet"))));
  const JsonValue& chunk = At(At(kv, "rowGroups").items().at(0), "columns").items().at(0);
  const JsonValue& entries = At(chunk, "keyValueMetadata");
  ASSERT_EQ(entries.items().size(), 2u);
  EXPECT_EQ(At(entries.items()[0], "value").string_value(), "bar");
  EXPECT_TRUE(At(entries.items()[1], "value").is_null());

  ASSERT_OK_AND_ASSIGN(JsonValue nan,
                       ParseJson(DescribeMetaJson(*Open(td, "nan_in_stats.parquet"))));
  const JsonValue& ns =
      At(At(At(nan, "rowGroups").items().at(0), "columns").items().at(0), "statistics");
  EXPECT_EQ(ns.Find("max"), nullptr);
  EXPECT_TRUE(Contains(At(ns, "unusable").string_value(), "NaN"));
}

// A file of just a footer (enough for the descriptions) with one INT64 column.
std::unique_ptr<FileReader> FooterOnly(format::SchemaElement leaf, format::Statistics stats) {
  format::FileMetaData md;
  format::SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  leaf.name = "x";
  leaf.type = format::Type::INT64;
  leaf.repetition_type = format::FieldRepetitionType::OPTIONAL;
  md.schema = {root, leaf};
  md.num_rows = 3;
  md.created_by = "deltashare version 0.1.0";
  md.column_orders = std::vector<format::ColumnOrder>(1);
  format::ColumnChunk chunk;
  chunk.meta_data.emplace();
  chunk.meta_data->type = format::Type::INT64;
  chunk.meta_data->path_in_schema = {"x"};
  chunk.meta_data->num_values = 3;
  chunk.meta_data->data_page_offset = 4;
  chunk.meta_data->statistics = std::move(stats);
  format::RowGroup rg;
  rg.num_rows = 3;
  rg.columns = {chunk};
  md.row_groups = {rg};
  std::string footer;
  format::Write(md, &footer);
  std::string bytes = "PAR1" + footer;
  const auto len = static_cast<uint32_t>(footer.size());
  bytes.append(reinterpret_cast<const char*>(&len), 4);
  bytes += "PAR1";
  return FileReader::Open(io::MemoryFile(bytes, "footer-only")).ValueOrDie();
}

std::string Le64(int64_t v) {
  std::string s(8, '\0');
  std::memcpy(s.data(), &v, 8);
  return s;
}

TEST(DescribeTest, ExtremeTimestampsPrintRaw) {
  format::SchemaElement leaf;
  leaf.converted_type = format::ConvertedType::TIMESTAMP_MICROS;
  format::Statistics st;
  st.min_value = Le64(std::numeric_limits<int64_t>::min());
  st.max_value = Le64(0);
  st.null_count = 0;
  auto r = FooterOnly(leaf, st);
  std::string text = DescribeMetaText(*r);
  EXPECT_TRUE(Contains(text, "min -9223372036854775808, max \"1970-01-01T00:00:00.000000Z\""))
      << text;
  EXPECT_FALSE(Contains(text, "file size")) << text;  // unknown for a memory file
  ASSERT_OK_AND_ASSIGN(JsonValue doc, ParseJson(DescribeMetaJson(*r)));
  const JsonValue& s =
      At(At(At(doc, "rowGroups").items().at(0), "columns").items().at(0), "statistics");
  EXPECT_EQ(At(s, "min").number_text(), "-9223372036854775808");
}

// Every readable file of the corpus describes itself without crashing, as valid JSON.
TEST(DescribeTest, WholeCorpus) {
  DS_REQUIRE_TESTDATA(td);
  int described = 0;
  std::vector<std::filesystem::path> files;
  for (const char* dir : {"parquet-testing/data", "parquet-testing/bad_data"}) {
    if (!std::filesystem::is_directory(td / dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(td / dir)) files.push_back(entry);
  }
  for (const std::filesystem::path& path : files) {
    if (path.extension() != ".parquet") continue;
    auto file = io::OpenLocalFile(path.string());
    if (!file.ok()) continue;
    auto reader = FileReader::Open(*file);
    if (!reader.ok()) continue;
    const std::string name = path.filename().string();
    EXPECT_FALSE(DescribeSchemaText(**reader).empty()) << name;
    EXPECT_FALSE(DescribeMetaText(**reader).empty()) << name;
    EXPECT_OK(ParseJson(DescribeSchemaJson(**reader)).status().WithContext(name));
    EXPECT_OK(ParseJson(DescribeMetaJson(**reader)).status().WithContext(name));
    ++described;
  }
  EXPECT_GT(described, 50);
}

}  // namespace
}  // namespace ds::parquet
