#include "sharing/protocol/routes.h"

#include "sharing/protocol/errors.h"
#include "test/testing/testing.h"

namespace ds::sharing::protocol {
namespace {

TEST(RoutesTest, MatchesEveryEndpoint) {
  struct Case {
    const char* method;
    const char* path;
    Endpoint endpoint;
  } cases[] = {
      {"GET", "/shares", Endpoint::kListShares},
      {"GET", "/shares/", Endpoint::kListShares},
      {"GET", "/shares/s", Endpoint::kGetShare},
      {"GET", "/shares/s/schemas", Endpoint::kListSchemas},
      {"GET", "/shares/s/all-tables", Endpoint::kListAllTables},
      {"GET", "/shares/s/schemas/sc/tables", Endpoint::kListTables},
      {"HEAD", "/shares/s/schemas/sc/tables/t", Endpoint::kTableVersion},
      {"GET", "/shares/s/schemas/sc/tables/t/version", Endpoint::kTableVersion},
      {"GET", "/shares/s/schemas/sc/tables/t/metadata", Endpoint::kMetadata},
      {"POST", "/shares/s/schemas/sc/tables/t/query", Endpoint::kQuery},
      {"GET", "/shares/s/schemas/sc/tables/t/changes", Endpoint::kChanges},
      {"POST", "/shares/s/schemas/sc/tables/t/queries/q1", Endpoint::kQueryInfo},
      {"POST", "/shares/s/schemas/sc/tables/t/temporary-table-credentials",
       Endpoint::kTemporaryCredentials},
  };
  for (const Case& c : cases) {
    auto r = MatchRoute(c.method, c.path);
    ASSERT_TRUE(r.ok()) << c.path << ": " << r.status();
    EXPECT_EQ(r->endpoint, c.endpoint) << c.path;
  }
  auto r = MatchRoute("POST", "/shares/s/schemas/sc/tables/t/queries/q1");
  EXPECT_EQ(r->share, "s");
  EXPECT_EQ(r->schema, "sc");
  EXPECT_EQ(r->table, "t");
  EXPECT_EQ(r->query_id, "q1");
  EXPECT_TRUE(MatchRoute("HEAD", "/shares/s/schemas/sc/tables/t")->head);
}

TEST(RoutesTest, DecodesNamesOnceWithPlusAsSpace) {
  auto r = MatchRoute("GET", "/shares/my+share/schemas/a%20b/tables/t%2525/version");
  ASSERT_OK(r.status());
  EXPECT_EQ(r->share, "my share");
  EXPECT_EQ(r->schema, "a b");
  EXPECT_EQ(r->table, "t%25");
  EXPECT_TRUE(MatchRoute("GET", "/SHARES/s/Schemas/sc/TABLES/t/Metadata").ok());
}

TEST(RoutesTest, Errors) {
  ASSERT_RAISES(kNotFound, MatchRoute("GET", "/"));
  ASSERT_RAISES(kNotFound, MatchRoute("GET", "/nope"));
  ASSERT_RAISES(kNotFound, MatchRoute("GET", "/shares//schemas"));
  ASSERT_RAISES(kNotFound, MatchRoute("GET", "/shares/s/schemas/sc/tables/t/unknown"));
  ASSERT_RAISES(kNotFound, MatchRoute("GET", "/shares/s%zz"));
  ASSERT_RAISES(kNotFound, MatchRoute("GET", "/shares/s/schemas/sc/tables/t/a/b/c"));
  Status st = MatchRoute("GET", "/shares/s/schemas/sc/tables/t/query").status();
  EXPECT_EQ(ToApiError(st).http_status, 405);
  EXPECT_EQ(ToApiError(st).error_code, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(ToApiError(MatchRoute("POST", "/shares").status()).http_status, 405);
}

TEST(RoutesTest, Names) {
  EXPECT_OK(ValidateName(NameKind::kShare, "sales.eu"));
  EXPECT_OK(ValidateName(NameKind::kTable, "accounts_2024"));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kSchema, "a.b"));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kTable, "a b"));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kShare, "a/b"));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kShare, "a\x01"));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kShare, ""));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kShare, std::string(256, 'a')));
  EXPECT_OK(ValidateName(NameKind::kShare, std::string(255, 'a')));
  EXPECT_EQ(NameKey("Sales"), NameKey("sALES"));
}

}  // namespace
}  // namespace ds::sharing::protocol
