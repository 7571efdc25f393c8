#include "sharing/protocol/tokens.h"

#include "test/testing/testing.h"

namespace ds::sharing::protocol {
namespace {

TEST(TokensTest, RoundTrips) {
  ASSERT_OK_AND_ASSIGN(ListToken l, DecodeListToken(EncodeListToken({"schemas/s", 40})));
  EXPECT_EQ(l.scope, "schemas/s");
  EXPECT_EQ(l.offset, 40);
  FilePageToken p{"s.sc.t", 7, 9, 12, 8, "delta", 1000, "abc"};
  ASSERT_OK_AND_ASSIGN(FilePageToken q, DecodeFilePageToken(EncodeFilePageToken(p)));
  EXPECT_EQ(q.table, "s.sc.t");
  EXPECT_EQ(q.version, 7);
  EXPECT_EQ(*q.end_version, 9);
  EXPECT_EQ(*q.head_version, 12);
  EXPECT_EQ(*q.resume_version, 8);
  EXPECT_EQ(*q.format, "delta");
  EXPECT_EQ(q.next_index, 1000);
  EXPECT_EQ(q.params_digest, "abc");
  ASSERT_OK_AND_ASSIGN(q, DecodeFilePageToken(EncodeFilePageToken({.table = "t", .version = 1})));
  EXPECT_FALSE(q.end_version.has_value());
  EXPECT_FALSE(q.head_version.has_value());
  EXPECT_FALSE(q.resume_version.has_value());
  EXPECT_FALSE(q.format.has_value());
  ASSERT_OK_AND_ASSIGN(RefreshToken r, DecodeRefreshToken(EncodeRefreshToken({"t", 3, "d"})));
  EXPECT_EQ(r.version, 3);
  ASSERT_OK_AND_ASSIGN(QueryIdToken id, DecodeQueryId(EncodeQueryId({"t", "k"})));
  EXPECT_EQ(id.query_key, "k");
}

TEST(TokensTest, RejectsGarbage) {
  for (const char* bad : {"", "{}", "[1]", "{\"s\":1,\"o\":1}", "{\"s\":\"x\",\"o\":-1}", "\xff"}) {
    ASSERT_RAISES(kInvalidArgument, DecodeListToken(bad));
    ASSERT_RAISES(kInvalidArgument, DecodeFilePageToken(bad));
    ASSERT_RAISES(kInvalidArgument, DecodeRefreshToken(bad));
    ASSERT_RAISES(kInvalidArgument, DecodeQueryId(bad));
  }
}

TEST(TokensTest, DigestsCoverPinnedParametersOnly) {
  QueryRequest a;
  a.version = 3;
  a.json_predicate_hints = "{}";
  QueryRequest b = a;
  b.max_files = 10;
  b.page_token = "x";
  EXPECT_EQ(QueryParamsDigest(a), QueryParamsDigest(b));
  b.limit_hint = 5;
  EXPECT_NE(QueryParamsDigest(a), QueryParamsDigest(b));
  QueryRequest c = a;
  c.predicate_hints = {"a=1"};
  EXPECT_NE(QueryParamsDigest(a), QueryParamsDigest(c));
  ChangesRequest x;
  x.starting_version = 1;
  ChangesRequest y = x;
  y.include_historical_metadata = true;
  EXPECT_NE(ChangesParamsDigest(x), ChangesParamsDigest(y));
  EXPECT_EQ(QueryParamsDigest(a).size(), 64u);
}

}  // namespace
}  // namespace ds::sharing::protocol
