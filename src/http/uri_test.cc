#include "http/uri.h"

#include "http/request.h"
#include "test/testing/testing.h"

namespace ds::http {
namespace {

TEST(PercentDecodeTest, DecodesEscapesInEitherCase) {
  ASSERT_OK_AND_ASSIGN(std::string s, PercentDecode("a%20b%2fc%2Fd%7e"));
  EXPECT_EQ(s, "a b/c/d~");
  ASSERT_OK_AND_ASSIGN(s, PercentDecode("%00%ff"));
  EXPECT_EQ(s, std::string("\0\xff", 2));
  ASSERT_OK_AND_ASSIGN(s, PercentDecode(""));
  EXPECT_EQ(s, "");
}

TEST(PercentDecodeTest, PlusIsLiteralUnlessAsked) {
  ASSERT_OK_AND_ASSIGN(std::string s, PercentDecode("a+b%2B"));
  EXPECT_EQ(s, "a+b+");
  ASSERT_OK_AND_ASSIGN(s, PercentDecode("a+b%2B", {.plus_as_space = true}));
  EXPECT_EQ(s, "a b+");
}

TEST(PercentDecodeTest, RejectsMalformedEscapes) {
  for (std::string_view bad : {"%", "%2", "a%zz", "%2g", "abc%", "%%41", "%-1"}) {
    auto r = PercentDecode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("offset"), std::string::npos);
  }
}

TEST(PercentEncodeTest, RoundTripsEveryByte) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  std::string encoded = PercentEncode(all);
  EXPECT_EQ(encoded.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%"),
            std::string::npos);
  ASSERT_OK_AND_ASSIGN(std::string back, PercentDecode(encoded));
  EXPECT_EQ(back, all);
  EXPECT_EQ(PercentEncode("a b/c"), "a%20b%2Fc");
  EXPECT_EQ(PercentEncode("a b/c", /*keep_slash=*/true), "a%20b/c");
}

TEST(SplitTargetTest, OriginForm) {
  ASSERT_OK_AND_ASSIGN(RequestTarget t, SplitTarget("/a/b%2Fc?x=1&y"));
  EXPECT_EQ(t.path, "/a/b%2Fc");
  EXPECT_EQ(t.query, "x=1&y");
  EXPECT_TRUE(t.has_query);
  ASSERT_OK_AND_ASSIGN(t, SplitTarget("/"));
  EXPECT_EQ(t.path, "/");
  EXPECT_FALSE(t.has_query);
  ASSERT_OK_AND_ASSIGN(t, SplitTarget("/p?"));
  EXPECT_EQ(t.path, "/p");
  EXPECT_TRUE(t.has_query);
  EXPECT_EQ(t.query, "");
  ASSERT_OK_AND_ASSIGN(t, SplitTarget("/p?a=?b"));
  EXPECT_EQ(t.query, "a=?b");
}

TEST(SplitTargetTest, AbsoluteForm) {
  ASSERT_OK_AND_ASSIGN(RequestTarget t, SplitTarget("http://example.com:8080/a/b?q=1"));
  EXPECT_EQ(t.path, "/a/b");
  EXPECT_EQ(t.query, "q=1");
  ASSERT_OK_AND_ASSIGN(t, SplitTarget("https://example.com"));
  EXPECT_EQ(t.path, "/");
  ASSERT_OK_AND_ASSIGN(t, SplitTarget("http://h?x"));
  EXPECT_EQ(t.path, "/");
  EXPECT_EQ(t.query, "x");
}

TEST(SplitTargetTest, RejectsOtherForms) {
  std::vector<std::string_view> bad = {"",
                                       "*",
                                       "example.com:443",
                                       "a/b",
                                       "/a#frag",
                                       "/a b",
                                       "/a\tb",
                                       std::string_view("/a\0b", 4),
                                       "http:///path",
                                       "1http://h/",
                                       "://h/"};
  for (std::string_view target : bad) {
    auto r = SplitTarget(target);
    ASSERT_FALSE(r.ok()) << target;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(SplitPathSegmentsTest, KeepsEncodedSlashesInsideSegments) {
  std::vector<std::string_view> segs;
  SplitPathSegments("/a/b%2Fc/", &segs);
  EXPECT_EQ(segs, (std::vector<std::string_view>{"a", "b%2Fc", ""}));
  SplitPathSegments("/", &segs);
  EXPECT_EQ(segs, (std::vector<std::string_view>{""}));
  SplitPathSegments("//x", &segs);
  EXPECT_EQ(segs, (std::vector<std::string_view>{"", "x"}));
}

TEST(ParseQueryTest, FormRules) {
  ASSERT_OK_AND_ASSIGN(QueryParams q, ParseQuery("a=1&b=x%20y+z&flag&e=&&a=2&startingTimestamp="
                                                 "2022-01-01T00%3A00%3A00Z&k%2Bey=v%3Dw=u"));
  EXPECT_EQ(q.Get("a"), "1");
  EXPECT_EQ(q.GetAll("a"), (std::vector<std::string_view>{"1", "2"}));
  EXPECT_EQ(q.Get("b"), "x y z");
  EXPECT_EQ(q.Get("flag"), "");
  EXPECT_EQ(q.Get("e"), "");
  EXPECT_EQ(q.Get("startingTimestamp"), "2022-01-01T00:00:00Z");
  EXPECT_EQ(q.Get("k+ey"), "v=w=u");
  EXPECT_FALSE(q.Get("A").has_value());  // names are case-sensitive
  EXPECT_EQ(q.size(), 7u);
  ASSERT_OK_AND_ASSIGN(q, ParseQuery(""));
  EXPECT_TRUE(q.empty());
  ASSERT_OK_AND_ASSIGN(q, ParseQuery("a;b=c"));  // ';' is not a separator
  EXPECT_EQ(q.Get("a;b"), "c");
}

TEST(ParseQueryTest, RejectsMalformedEscapesNamingTheParameter) {
  auto r = ParseQuery("ok=1&version=%zz");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'version'"), std::string::npos) << r.status();
  ASSERT_RAISES(kInvalidArgument, ParseQuery("%=1"));
}

TEST(RequestTest, MakeSplitsTargetAndSurvivesMoves) {
  ASSERT_OK_AND_ASSIGN(Request r, Request::Make(Method::kGet, "/a/b?x=%41"));
  Request moved = std::move(r);
  Request again = std::move(moved);
  EXPECT_EQ(again.path(), "/a/b");
  EXPECT_EQ(again.raw_query(), "x=%41");
  EXPECT_EQ(again.query().Get("x"), "A");
  ASSERT_OK_AND_ASSIGN(Request abs, Request::Make(Method::kGet, "http://h"));
  EXPECT_EQ(abs.path(), "/");
  ASSERT_RAISES(kInvalidArgument, Request::Make(Method::kGet, "/?a=%"));
}

TEST(RequestTest, MethodNames) {
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kDelete,
                   Method::kPatch, Method::kOptions}) {
    EXPECT_EQ(ParseMethod(MethodName(m)), m);
  }
  EXPECT_EQ(ParseMethod("get"), Method::kOther);  // methods are case-sensitive
  EXPECT_EQ(ParseMethod("PROPFIND"), Method::kOther);
}

}  // namespace
}  // namespace ds::http
