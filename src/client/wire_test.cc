#include "client/wire.h"

#include <gtest/gtest.h>

#include "test/testing/testing.h"

namespace ds::client {
namespace {

using Kind = ResponseLine::Kind;

ResponseLine Parse(std::string_view line, ResponseFormat format = ResponseFormat::kParquet) {
  ResponseLine out;
  Status st = ParseResponseLine(line, format, &out);
  EXPECT_TRUE(st.ok()) << line << ": " << st;
  return out;
}

TEST(WireTest, ListPagesAcceptEveryEmptyForm) {
  ASSERT_OK_AND_ASSIGN(
      auto page,
      ParseSharesPage(R"({"items":[{"name":"a","id":"1"},{"name":"b"}],"nextPageToken":"t"})"));
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, "1");
  EXPECT_EQ(page.items[1].name, "b");
  EXPECT_EQ(page.next_page_token, "t");
  ASSERT_OK_AND_ASSIGN(page, ParseSharesPage("{}"));
  EXPECT_TRUE(page.items.empty());
  EXPECT_TRUE(page.next_page_token.empty());
  ASSERT_OK_AND_ASSIGN(page, ParseSharesPage(R"({"items":[],"nextPageToken":""})"));
  EXPECT_TRUE(page.next_page_token.empty());
  ASSERT_OK_AND_ASSIGN(
      auto tables,
      ParseTablesPage(
          R"({"items":[{"name":"t","schema":"s","share":"sh","shareId":"x","id":"y"}]})"));
  EXPECT_EQ(tables.items[0].share_id, "x");
  ASSERT_OK_AND_ASSIGN(auto share, ParseShareDocument(R"({"share":{"name":"sales"}})"));
  EXPECT_EQ(share.name, "sales");
}

TEST(WireTest, ListPagesRejectMalformedDocuments) {
  ASSERT_RAISES(kInvalidArgument, ParseSharesPage("not json"));
  ASSERT_RAISES(kInvalidArgument, ParseSharesPage("[]"));
  ASSERT_RAISES(kInvalidArgument, ParseSharesPage(R"({"items":{}})"));
  ASSERT_RAISES(kInvalidArgument, ParseSharesPage(R"({"items":[{"id":"1"}]})"));
  ASSERT_RAISES(kInvalidArgument, ParseTablesPage(R"({"items":[{"name":"t","share":"s"}]})"));
  ASSERT_RAISES(kInvalidArgument, ParseSharesPage(R"({"nextPageToken":5})"));
  ASSERT_RAISES(kInvalidArgument, ParseShareDocument("{}"));
}

TEST(WireTest, ParquetFormatLines) {
  ResponseLine p = Parse(R"({"protocol":{"minReaderVersion":1}})");
  EXPECT_EQ(p.kind, Kind::kProtocol);
  EXPECT_EQ(p.protocol.protocol.min_reader_version, 1);
  ResponseLine m = Parse(
      R"({"metaData":{"id":"f8d5","format":{"provider":"parquet"},"schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":["date"],"configuration":{"enableChangeDataFeed":"true"},"version":3,"size":120,"numFiles":2}})");
  EXPECT_EQ(m.kind, Kind::kMetadata);
  EXPECT_EQ(m.metadata.metadata.id, "f8d5");
  EXPECT_EQ(m.metadata.metadata.partition_columns, std::vector<std::string>{"date"});
  EXPECT_TRUE(m.metadata.metadata.PropertyIsTrue("enableChangeDataFeed"));
  EXPECT_EQ(m.metadata.version, 3);
  EXPECT_EQ(m.metadata.num_files, 2);
  ResponseLine f = Parse(
      R"({"file":{"url":"https://h/p?sig=1","id":"8b0b","partitionValues":{"date":"2021-04-28","n":null},"size":573,"stats":"{\"numRecords\":1}","expirationTimestamp":1652140800000}})");
  EXPECT_EQ(f.kind, Kind::kFile);
  EXPECT_EQ(f.file.line_kind, FileLineKind::kFile);
  EXPECT_EQ(f.file.url(), "https://h/p?sig=1");
  EXPECT_EQ(f.file.size(), 573);
  EXPECT_EQ(f.file.action.kind, delta::FileActionKind::kAdd);
  ASSERT_TRUE(f.file.action.partition_values);
  EXPECT_EQ(*delta::FindKey(*f.file.action.partition_values, "date"), "2021-04-28");
  EXPECT_FALSE(delta::FindKey(*f.file.action.partition_values, "n")->has_value());
  EXPECT_EQ(f.file.expiration_ms, 1652140800000);
  EXPECT_EQ(*f.file.action.stats, R"({"numRecords":1})");
  ResponseLine cdf = Parse(
      R"({"cdf":{"url":"u","id":"i","partitionValues":{},"size":"10","timestamp":5,"version":2}})");
  EXPECT_EQ(cdf.file.line_kind, FileLineKind::kCdf);
  EXPECT_EQ(cdf.file.action.kind, delta::FileActionKind::kCdc);
  EXPECT_EQ(cdf.file.size(), 10);  // int64 as a string
  EXPECT_EQ(cdf.file.version, 2);
  ResponseLine rm = Parse(R"({"remove":{"url":"u","id":"i","size":1,"timestamp":5,"version":2}})");
  EXPECT_EQ(rm.file.action.kind, delta::FileActionKind::kRemove);
}

TEST(WireTest, DeltaFormatLines) {
  constexpr auto kDelta = ResponseFormat::kDelta;
  ResponseLine p = Parse(
      R"({"protocol":{"deltaProtocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors","columnMapping"],"writerFeatures":["deletionVectors"]},"version":4}})",
      kDelta);
  EXPECT_EQ(p.protocol.protocol.min_reader_version, 3);
  EXPECT_EQ(p.protocol.protocol.reader_features->size(), 2u);
  EXPECT_EQ(p.protocol.version, 4);
  ResponseLine m = Parse(
      R"({"metaData":{"deltaMetadata":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":"{}","partitionColumns":[],"configuration":{"delta.columnMapping.mode":"name"},"createdTime":7},"version":1,"size":9}})",
      kDelta);
  EXPECT_EQ(*m.metadata.metadata.Property("delta.columnMapping.mode"), "name");
  EXPECT_EQ(m.metadata.metadata.created_time, 7);
  EXPECT_EQ(m.metadata.size, 9);
  ResponseLine f = Parse(
      R"({"file":{"id":"abc","deltaSingleAction":{"add":{"path":"https://h/f.parquet?s=1","partitionValues":{"c":"1"},"size":100,"modificationTime":1,"dataChange":true,"stats":"{}","deletionVector":{"storageType":"p","pathOrInlineDv":"https://h/dv.bin?s=2","offset":1,"sizeInBytes":36,"cardinality":2}}},"version":3,"timestamp":99,"expirationTimestamp":1000}})",
      kDelta);
  EXPECT_EQ(f.file.id, "abc");
  EXPECT_EQ(f.file.url(), "https://h/f.parquet?s=1");
  EXPECT_EQ(f.file.size(), 100);
  ASSERT_TRUE(f.file.action.deletion_vector);
  EXPECT_EQ(f.file.action.deletion_vector->storage_type, 'p');
  EXPECT_EQ(f.file.action.deletion_vector->path_or_inline_dv, "https://h/dv.bin?s=2");
  EXPECT_EQ(f.file.action.deletion_vector->cardinality, 2);
  EXPECT_EQ(f.file.version, 3);
  EXPECT_EQ(f.file.timestamp_ms, 99);
  ResponseLine cdc = Parse(
      R"({"file":{"id":"c","deltaSingleAction":{"cdc":{"path":"u","partitionValues":{},"size":5,"dataChange":false}},"version":1,"timestamp":2}})",
      kDelta);
  EXPECT_EQ(cdc.file.line_kind, FileLineKind::kCdf);
}

TEST(WireTest, StreamControlLines) {
  ResponseLine e = Parse(
      R"({"endStreamAction":{"refreshToken":"r","nextPageToken":"n","minUrlExpirationTimestamp":12}})");
  EXPECT_EQ(e.kind, Kind::kEndStream);
  EXPECT_EQ(e.end.refresh_token, "r");
  EXPECT_EQ(e.end.next_page_token, "n");
  EXPECT_EQ(e.end.min_url_expiration_ms, 12);
  EXPECT_FALSE(e.end.error_message);
  ResponseLine err =
      Parse(R"({"endStreamAction":{"errorMessage":"boom","httpStatusErrorCode":500}})");
  EXPECT_EQ(*err.end.error_message, "boom");
  EXPECT_EQ(err.end.http_status_error_code, 500);
  ResponseLine q = Parse(R"({"queryStatus":{"queryId":"q1","status":"pending"}})");
  EXPECT_EQ(q.kind, Kind::kQueryStatus);
  EXPECT_EQ(q.status.query_id, "q1");
}

TEST(WireTest, MalformedLinesAreErrors) {
  ResponseLine out;
  auto bad = [&](std::string_view line, ResponseFormat f = ResponseFormat::kParquet) {
    Status st = ParseResponseLine(line, f, &out);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << line << ": " << st;
  };
  bad("");
  bad("{");
  bad("[1]");
  bad(R"({"file":{}})");
  bad(R"({"file":{"url":"u","id":"i"}})");                      // no size
  bad(R"({"file":{"url":"u","id":"i","size":-1}})");            // negative size
  bad(R"({"file":{"url":"u","id":"i","size":1,"stats":{}}})");  // stats must be a string
  bad(R"({"file":{"url":1,"id":"i","size":1}})");
  bad(R"({"bogus":{}})");
  bad(R"({"protocol":{},"metaData":{}})");
  bad(R"({"protocol":{"minReaderVersion":9}})");
  bad(R"({"protocol":{"deltaProtocol":{"minReaderVersion":1,"minWriterVersion":2}}})");
  bad(R"({"protocol":{"minReaderVersion":1}})", ResponseFormat::kDelta);
  bad(R"({"metaData":{"id":"x"}})");  // no schemaString
  bad(R"({"add":{"url":"u","id":"i","size":1}})", ResponseFormat::kDelta);
  bad(R"({"file":{"id":"a","deltaSingleAction":{"txn":{}}}})", ResponseFormat::kDelta);
  bad(R"({"file":{"id":"a","deltaSingleAction":{"add":{"path":"p"}}}})", ResponseFormat::kDelta);
  bad(R"({"file":{"id":"a","deltaSingleAction":{"add":{"path":"p","size":1}}}})");
  bad(R"({"queryStatus":{}})");
}

TEST(WireTest, ResponseFormatHeader) {
  EXPECT_EQ(*ResponseFormatOf(std::nullopt), ResponseFormat::kParquet);
  EXPECT_EQ(*ResponseFormatOf("responseformat=delta;includeendstreamaction=true"),
            ResponseFormat::kDelta);
  EXPECT_EQ(*ResponseFormatOf("ResponseFormat=PARQUET"), ResponseFormat::kParquet);
  ASSERT_RAISES(kInvalidArgument, ResponseFormatOf("responseformat=iceberg"));
  ASSERT_RAISES(kInvalidArgument, ResponseFormatOf("responseformat=delta,parquet"));
}

}  // namespace
}  // namespace ds::client
