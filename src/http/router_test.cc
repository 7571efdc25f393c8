#include "http/router.h"

#include "http/headers.h"
#include "test/testing/testing.h"

namespace ds::http {
namespace {

Handler Named(std::string name) {
  return [name](const Request&) { return Response::Text(200, name); };
}

// The name of the matched route's handler ("" and a test failure if nothing matched).
std::string Call(const Router::Match& m) {
  if (m.kind != Router::Match::Kind::kFound || m.route == nullptr) {
    ADD_FAILURE() << "no route matched";
    return "";
  }
  Request req = Request::Make(Method::kGet, "/").ValueOrDie();
  return m.route->handler(req).body;
}

TEST(RouterTest, LiteralAndParameterSegments) {
  Router router;
  ASSERT_OK(router.Add(Method::kGet, "/shares", Named("list")));
  ASSERT_OK(router.Add(Method::kGet, "/shares/{share}", Named("get")));
  ASSERT_OK(router.Add(Method::kGet, "/shares/{share}/schemas/{schema}/tables", Named("tables")));
  EXPECT_EQ(Call(router.Find(Method::kGet, "/shares")), "list");
  Router::Match m = router.Find(Method::kGet, "/shares/my%20share");
  EXPECT_EQ(Call(m), "get");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "share");
  EXPECT_EQ(m.params[0].second, "my share");
  m = router.Find(Method::kGet, "/shares/s/schemas/sc/tables");
  EXPECT_EQ(Call(m), "tables");
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[1].second, "sc");
}

TEST(RouterTest, EncodedSlashStaysInsideTheParameter) {
  Router router;
  ASSERT_OK(router.Add(Method::kGet, "/shares/{share}/schemas", Named("schemas")));
  Router::Match m = router.Find(Method::kGet, "/shares/a%2Fb/schemas");
  EXPECT_EQ(Call(m), "schemas");
  EXPECT_EQ(m.params[0].second, "a/b");
  EXPECT_EQ(router.Find(Method::kGet, "/shares/a/b/schemas").kind, Router::Match::Kind::kNotFound);
}

TEST(RouterTest, PlusAsSpaceIsPerRoute) {
  Router router;
  RouteOptions java;
  java.plus_as_space = true;
  ASSERT_OK(router.Add(Method::kGet, "/a/{x}", Named("a"), java));
  ASSERT_OK(router.Add(Method::kGet, "/b/{x}", Named("b")));
  EXPECT_EQ(router.Find(Method::kGet, "/a/x+y%2B").params[0].second, "x y+");
  EXPECT_EQ(router.Find(Method::kGet, "/b/x+y%2B").params[0].second, "x+y+");
}

TEST(RouterTest, CaseInsensitiveLiteralsArePerRoute) {
  Router router;
  RouteOptions ci;
  ci.case_insensitive = true;
  ASSERT_OK(router.Add(Method::kGet, "/Shares/{s}", Named("ci"), ci));
  ASSERT_OK(router.Add(Method::kGet, "/exact", Named("exact")));
  Router::Match m = router.Find(Method::kGet, "/sHARES/MyShare");
  EXPECT_EQ(Call(m), "ci");
  EXPECT_EQ(m.params[0].second, "MyShare");  // values are passed as sent
  EXPECT_EQ(router.Find(Method::kGet, "/EXACT").kind, Router::Match::Kind::kNotFound);
  // An escaped literal still matches (RFC 3986 equivalence).
  EXPECT_EQ(Call(router.Find(Method::kGet, "/%65xact")), "exact");
}

TEST(RouterTest, EmptySegmentsAndTrailingSlashes) {
  Router router;
  ASSERT_OK(router.Add(Method::kGet, "/shares/{share}", Named("get")));
  ASSERT_OK(router.Add(Method::kGet, "/", Named("root")));
  EXPECT_EQ(router.Find(Method::kGet, "/shares/").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "/shares/x/").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "//x").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(Call(router.Find(Method::kGet, "/")), "root");
}

TEST(RouterTest, TailCapturesTheRawRest) {
  Router router;
  ASSERT_OK(router.Add(Method::kGet, "/files/{*path}", Named("files")));
  Router::Match m = router.Find(Method::kGet, "/files/a/b%2Fc.parquet");
  EXPECT_EQ(Call(m), "files");
  EXPECT_EQ(m.params[0].second, "a/b%2Fc.parquet");
  m = router.Find(Method::kGet, "/files/");
  EXPECT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.params[0].second, "");
  EXPECT_EQ(router.Find(Method::kGet, "/files").kind, Router::Match::Kind::kNotFound);
}

TEST(RouterTest, MethodsHeadFallbackAnd405) {
  Router router;
  ASSERT_OK(router.Add(Method::kGet, "/t/{x}", Named("get")));
  ASSERT_OK(router.Add(Method::kPost, "/t/{x}/query", Named("query")));
  ASSERT_OK(router.Add(Method::kHead, "/t/{x}/query", Named("head-query")));
  EXPECT_EQ(Call(router.Find(Method::kHead, "/t/1")), "get");
  EXPECT_EQ(Call(router.Find(Method::kHead, "/t/1/query")), "head-query");
  Router::Match m = router.Find(Method::kDelete, "/t/1");
  EXPECT_EQ(m.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD");
  m = router.Find(Method::kGet, "/t/1/query");
  EXPECT_EQ(m.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "POST, HEAD");
}

TEST(RouterTest, FirstAddedWins) {
  Router router;
  ASSERT_OK(router.Add(Method::kGet, "/a/all", Named("literal")));
  ASSERT_OK(router.Add(Method::kGet, "/a/{x}", Named("param")));
  EXPECT_EQ(Call(router.Find(Method::kGet, "/a/all")), "literal");
  EXPECT_EQ(Call(router.Find(Method::kGet, "/a/other")), "param");
}

TEST(RouterTest, MalformedEscapeIsABadPath) {
  Router router;
  ASSERT_OK(router.Add(Method::kGet, "/a/{x}", Named("a")));
  Router::Match m = router.Find(Method::kGet, "/a/%zz");
  EXPECT_EQ(m.kind, Router::Match::Kind::kBadPath);
  EXPECT_NE(m.error.find("%zz"), std::string::npos);
}

TEST(RouterTest, RejectsBadPatterns) {
  Router router;
  ASSERT_RAISES(kInvalidArgument, router.Add(Method::kGet, "shares", Named("x")));
  ASSERT_RAISES(kInvalidArgument, router.Add(Method::kGet, "/a/{}", Named("x")));
  ASSERT_RAISES(kInvalidArgument, router.Add(Method::kGet, "/a/{x}/{x}", Named("x")));
  ASSERT_RAISES(kInvalidArgument, router.Add(Method::kGet, "/a/b{x}", Named("x")));
  ASSERT_RAISES(kInvalidArgument, router.Add(Method::kGet, "/a/{*x}/b", Named("x")));
  ASSERT_RAISES(kInvalidArgument, router.Add(Method::kOther, "/a", Named("x")));
  ASSERT_OK(router.Add(Method::kGet, "/a", Named("x")));
  ASSERT_RAISES(kInvalidArgument, router.Add(Method::kGet, "/a", Named("y")));
  ASSERT_OK(router.Add(Method::kPost, "/a", Named("y")));
}

}  // namespace
}  // namespace ds::http
