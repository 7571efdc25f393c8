#include "sharing/protocol/responses.h"

#include "test/testing/testing.h"
#include "util/json.h"

namespace ds::sharing::protocol {
namespace {

// Every NDJSON line must be one JSON object ending in exactly one '\n'.
void ExpectOneJsonLine(const std::string& line) {
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  auto doc = ParseJson(line);
  ASSERT_TRUE(doc.ok()) << doc.status() << ": " << line;
  EXPECT_TRUE(doc->is_object());
  EXPECT_EQ(doc->size(), 1u) << "one wrapper key per line: " << line;
}

TEST(ResponsesTest, ListPages) {
  EXPECT_EQ(SharesPage({{"s1", ""}, {"s2", "id-2"}}, "tok"),
            R"({"items":[{"name":"s1"},{"name":"s2","id":"id-2"}],"nextPageToken":"tok"})");
  EXPECT_EQ(SharesPage({}, ""), R"({"items":[]})");
  EXPECT_EQ(SchemasPage({{"sc", "s"}}, ""), R"({"items":[{"name":"sc","share":"s"}]})");
  EXPECT_EQ(TablesPage({{"t", "sc", "s", "sid", "tid"}}, ""),
            R"({"items":[{"name":"t","schema":"sc","share":"s","shareId":"sid","id":"tid"}]})");
  EXPECT_EQ(ShareDocument({"s", "x"}), R"({"share":{"name":"s","id":"x"}})");
}

TEST(ResponsesTest, ParquetLines) {
  std::string out;
  AppendParquetProtocol(&out);
  EXPECT_EQ(out, "{\"protocol\":{\"minReaderVersion\":1}}\n");
  MetadataValues m;
  m.id = "f8d5c169";
  m.schema_string = R"({"type":"struct","fields":[]})";
  m.partition_columns = {"date"};
  m.configuration = {{"enableChangeDataFeed", "true"}};
  out.clear();
  AppendParquetMetadata(m, {.version = 3, .size = 100, .num_files = 2}, &out);
  ExpectOneJsonLine(out);
  EXPECT_EQ(out,
            "{\"metaData\":{\"id\":\"f8d5c169\",\"format\":{\"provider\":\"parquet\"},"
            "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","
            "\"partitionColumns\":[\"date\"],\"configuration\":{\"enableChangeDataFeed\":\"true\"},"
            "\"version\":3,\"size\":100,\"numFiles\":2}}\n");
  const PartitionValueRef pv[] = {{"date", "2021-01-01"}, {"region", "", true}};
  out.clear();
  AppendParquetFile({.kind = FileKind::kFile,
                     .url = "https://h/f?sig=1",
                     .id = "abc",
                     .partition_values = pv,
                     .size = 573,
                     .stats = R"({"numRecords":1})",
                     .expiration_timestamp = 1700000000000},
                    &out);
  ExpectOneJsonLine(out);
  EXPECT_EQ(out,
            "{\"file\":{\"url\":\"https://h/f?sig=1\",\"id\":\"abc\",\"partitionValues\":"
            "{\"date\":\"2021-01-01\",\"region\":null},\"size\":573,\"stats\":"
            "\"{\\\"numRecords\\\":1}\",\"expirationTimestamp\":1700000000000}}\n");
  out.clear();
  AppendParquetFile({.kind = FileKind::kCdf,
                     .url = "u",
                     .id = "i",
                     .size = 1,
                     .stats = "{}",
                     .version = 2,
                     .timestamp = 5},
                    &out);
  EXPECT_EQ(out,
            "{\"cdf\":{\"url\":\"u\",\"id\":\"i\",\"partitionValues\":{},\"size\":1,"
            "\"version\":2,\"timestamp\":5}}\n");
}

TEST(ResponsesTest, DeltaLines) {
  std::string out;
  AppendDeltaProtocol({3, 7, std::vector<std::string>{"deletionVectors"},
                       std::vector<std::string>{"deletionVectors"}},
                      std::nullopt, &out);
  ExpectOneJsonLine(out);
  EXPECT_EQ(
      out,
      "{\"protocol\":{\"deltaProtocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
      "\"readerFeatures\":[\"deletionVectors\"],\"writerFeatures\":[\"deletionVectors\"]}}}\n");
  MetadataValues m;
  m.id = "id";
  m.schema_string = "{}";
  m.created_time = 1;
  out.clear();
  AppendDeltaMetadata(m, {.version = 0}, &out);
  ExpectOneJsonLine(out);
  EXPECT_EQ(out,
            "{\"metaData\":{\"deltaMetadata\":{\"id\":\"id\",\"format\":{\"provider\":\"parquet\","
            "\"options\":{}},\"schemaString\":\"{}\",\"partitionColumns\":[],\"configuration\":{},"
            "\"createdTime\":1},\"version\":0}}\n");
  out.clear();
  AppendDeltaFile({.id = "x",
                   .delta_single_action = R"({"add":{"path":"https://u"}})",
                   .version = 1,
                   .timestamp = 2,
                   .expiration_timestamp = 3},
                  &out);
  ExpectOneJsonLine(out);
  EXPECT_EQ(out,
            "{\"file\":{\"id\":\"x\",\"deltaSingleAction\":{\"add\":{\"path\":\"https://u\"}},"
            "\"version\":1,\"timestamp\":2,\"expirationTimestamp\":3}}\n");
}

TEST(ResponsesTest, StreamControl) {
  std::string out;
  AppendEndStreamAction({.next_page_token = "n", .min_url_expiration_timestamp = 9}, &out);
  EXPECT_EQ(out,
            "{\"endStreamAction\":{\"nextPageToken\":\"n\",\"minUrlExpirationTimestamp\":9}}\n");
  out.clear();
  AppendEndStreamAction({.error_message = "storage failed"}, &out);
  EXPECT_EQ(out, "{\"endStreamAction\":{\"errorMessage\":\"storage failed\"}}\n");
  out.clear();
  AppendQueryStatus("q", "pending", "", &out);
  EXPECT_EQ(out, "{\"queryStatus\":{\"queryId\":\"q\",\"status\":\"pending\"}}\n");
}

TEST(ResponsesTest, ParquetSchemaKeepsOnlyComments) {
  const std::string schema =
      R"({"type":"struct","fields":[{"name":"a","type":"long","nullable":true,"metadata":{"comment":"c","delta.columnMapping.id":1}},{"name":"b","type":"string","nullable":false,"metadata":{}}]})";
  EXPECT_EQ(
      ParquetSchemaString(schema),
      R"({"type":"struct","fields":[{"name":"a","type":"long","nullable":true,"metadata":{"comment":"c"}},{"name":"b","type":"string","nullable":false,"metadata":{}}]})");
  EXPECT_EQ(ParquetSchemaString("not json"), "not json");
}

}  // namespace
}  // namespace ds::sharing::protocol
