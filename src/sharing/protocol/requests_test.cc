#include "sharing/protocol/requests.h"

#include "sharing/protocol/errors.h"
#include "test/testing/testing.h"

namespace ds::sharing::protocol {
namespace {

std::string CodeOf(const Status& st) { return ToApiError(st).error_code; }

TEST(RequestsTest, TimestampParams) {
  EXPECT_EQ(ParseTimestampParam("t", "2022-01-01T00:00:00Z").ValueOr(-1), 1640995200000);
  EXPECT_EQ(ParseTimestampParam("t", "2022-01-01T01:00:00+01:00").ValueOr(-1), 1640995200000);
  EXPECT_EQ(ParseTimestampParam("t", "2022-01-01 00:00:00.5").ValueOr(-1), 1640995200500);
  EXPECT_EQ(ParseTimestampParam("t", "1969-12-31T23:59:59.9995Z").ValueOr(0), -1);
  Status st = ParseTimestampParam("startingTimestamp", "2022-01-01").status();
  ASSERT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("Invalid startingTimestamp"), std::string::npos);
  ASSERT_RAISES(kInvalidArgument, ParseTimestampParam("t", "yesterday"));
}

TEST(RequestsTest, ListRequest) {
  EXPECT_EQ(ParseListRequest({})->max_results, 500);
  EXPECT_EQ(ParseListRequest({{"maxResults", "10"}, {"pageToken", "abc"}})->max_results, 10);
  EXPECT_EQ(*ParseListRequest({{"pageToken", "abc"}})->page_token, "abc");
  EXPECT_EQ(ParseListRequest({{"maxResults", "100000"}})->max_results, 500);
  EXPECT_EQ(ParseListRequest({{"maxResults", "0"}})->max_results, 0);
  ASSERT_RAISES(kInvalidArgument, ParseListRequest({{"maxResults", "-1"}}));
  ASSERT_RAISES(kInvalidArgument, ParseListRequest({{"maxResults", "ten"}}));
  EXPECT_FALSE(ParseListRequest({{"pageToken", ""}})->page_token.has_value());
}

TEST(RequestsTest, MetadataAndVersionRequests) {
  EXPECT_EQ(*ParseMetadataRequest({{"version", "3"}})->version, 3);
  ASSERT_RAISES(kInvalidArgument, ParseMetadataRequest({{"version", "-1"}}));
  ASSERT_RAISES(kInvalidArgument,
                ParseMetadataRequest({{"version", "1"}, {"timestamp", "2022-01-01T00:00:00Z"}}));
  EXPECT_EQ(
      *ParseVersionRequest({{"startingTimestamp", "2022-01-01T00:00:00Z"}})->starting_timestamp_ms,
      1640995200000);
  ASSERT_RAISES(kInvalidArgument, ParseVersionRequest({{"startingTimestamp", "2022-01-01"}}));
}

TEST(RequestsTest, QueryBody) {
  ASSERT_OK_AND_ASSIGN(QueryRequest r, ParseQueryRequest("{}"));
  EXPECT_FALSE(r.time_travel());
  ASSERT_OK_AND_ASSIGN(
      r,
      ParseQueryRequest(R"({"predicateHints":["a = 1"],"jsonPredicateHints":"{\"op\":\"isNull\"}",
        "limitHint":"100","version":"3","maxFiles":10,"pageToken":"tok",
        "requestedColumns":["x"],"unknown":{"deep":[1,2]}})"));
  EXPECT_EQ(r.predicate_hints, std::vector<std::string>{"a = 1"});
  EXPECT_EQ(*r.json_predicate_hints, R"({"op":"isNull"})");
  EXPECT_EQ(*r.limit_hint, 100);
  EXPECT_EQ(*r.version, 3);
  EXPECT_EQ(*r.max_files, 10);
  EXPECT_EQ(*r.page_token, "tok");
  ASSERT_OK_AND_ASSIGN(r, ParseQueryRequest(R"({"timestamp":"2022-01-01T00:00:00Z"})"));
  EXPECT_EQ(*r.timestamp_ms, 1640995200000);
  ASSERT_OK_AND_ASSIGN(r, ParseQueryRequest(R"({"startingVersion":1,"endingVersion":4,
      "includeHistoricalProtocol":true,"idempotency_key":"k"})"));
  EXPECT_TRUE(r.change_mode());
  EXPECT_EQ(*r.ending_version, 4);
  EXPECT_EQ(*r.idempotency_key, "k");
  EXPECT_TRUE(r.include_historical_protocol);
}

TEST(RequestsTest, QueryBodyErrors) {
  EXPECT_EQ(CodeOf(ParseQueryRequest("").status()), "MALFORMED_REQUEST");
  EXPECT_EQ(CodeOf(ParseQueryRequest("[1]").status()), "MALFORMED_REQUEST");
  EXPECT_EQ(CodeOf(ParseQueryRequest("{").status()), "MALFORMED_REQUEST");
  EXPECT_EQ(CodeOf(ParseQueryRequest(R"({"predicateHints":"a=1"})").status()), "MALFORMED_REQUEST");
  EXPECT_EQ(CodeOf(ParseQueryRequest(R"({"version":"x"})").status()), "MALFORMED_REQUEST");
  EXPECT_EQ(CodeOf(ParseQueryRequest(R"({"maxFiles":3000000000})").status()), "MALFORMED_REQUEST");
  const char* invalid[] = {
      R"({"version":1,"timestamp":"2022-01-01T00:00:00Z"})",
      R"({"version":1,"startingVersion":1})",
      R"({"version":-1})",
      R"({"startingVersion":-2})",
      R"({"maxFiles":0})",
      R"({"endingVersion":3})",
      R"({"startingVersion":5,"endingVersion":3})",
      R"({"limitHint":-1})",
      R"({"includeRefreshToken":true,"version":1})",
      R"({"refreshToken":"t","pageToken":"p"})",
      R"({"timestamp":"2022-01-01"})",
  };
  for (const char* body : invalid) {
    Status st = ParseQueryRequest(body).status();
    EXPECT_EQ(CodeOf(st), "INVALID_PARAMETER_VALUE") << body << ": " << st;
  }
  Status st = ParseQueryRequest(R"({"version":1,"timestamp":"2022-01-01T00:00:00Z"})").status();
  EXPECT_EQ(st.message(), "Please only provide one of: version,timestamp,startingVersion");
}

TEST(RequestsTest, QueryInfoBody) {
  ASSERT_OK_AND_ASSIGN(QueryInfoRequest r, ParseQueryInfoRequest(""));
  EXPECT_FALSE(r.max_files.has_value());
  ASSERT_OK_AND_ASSIGN(r, ParseQueryInfoRequest(R"({"max_files":5,"page_token":"p"})"));
  EXPECT_EQ(*r.max_files, 5);
  EXPECT_EQ(*r.page_token, "p");
  ASSERT_RAISES(kInvalidArgument, ParseQueryInfoRequest(R"({"maxFiles":-5})"));
}

TEST(RequestsTest, ChangesParams) {
  ASSERT_OK_AND_ASSIGN(ChangesRequest r,
                       ParseChangesRequest({{"startingVersion", "1"},
                                            {"endingVersion", "3"},
                                            {"includeHistoricalMetadata", "True"}}));
  EXPECT_EQ(*r.starting_version, 1);
  EXPECT_EQ(*r.ending_version, 3);
  EXPECT_TRUE(r.include_historical_metadata);
  ASSERT_OK_AND_ASSIGN(r, ParseChangesRequest({{"startingTimestamp", "2022-01-01T00:00:00Z"}}));
  EXPECT_EQ(*r.starting_timestamp_ms, 1640995200000);
  const QueryParams invalid[] = {
      {},
      {{"endingVersion", "3"}},
      {{"startingVersion", "1"}, {"startingTimestamp", "2022-01-01T00:00:00Z"}},
      {{"startingVersion", "1"},
       {"endingVersion", "2"},
       {"endingTimestamp", "2022-01-01T00:00:00Z"}},
      {{"startingVersion", "abc"}},
      {{"startingVersion", "-1"}},
      {{"startingVersion", "4"}, {"endingVersion", "3"}},
      {{"startingTimestamp", "2022-13-01T00:00:00Z"}},
      {{"startingVersion", "1"}, {"includeHistoricalMetadata", "maybe"}},
      {{"startingVersion", "1"}, {"maxFiles", "0"}},
  };
  for (const auto& params : invalid) {
    Status st = ParseChangesRequest(params).status();
    EXPECT_EQ(CodeOf(st), "INVALID_PARAMETER_VALUE") << st;
  }
}

TEST(RequestsTest, CredentialsLocation) {
  EXPECT_EQ(ParseCredentialsLocation(R"({"location":"s3://b/t"})").value_or(""), "s3://b/t");
  EXPECT_FALSE(ParseCredentialsLocation("").has_value());
  EXPECT_FALSE(ParseCredentialsLocation("not json").has_value());
  EXPECT_FALSE(ParseCredentialsLocation(R"({"location":5})").has_value());
}

}  // namespace
}  // namespace ds::sharing::protocol
