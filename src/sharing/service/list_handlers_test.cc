// Authentication, errors and the list endpoints (protocol.md §1-§2; §15 items 1-13), through
// SharingService::Handle.
#include <set>

#include "test/sharing/service_harness.h"
#include "test/testing/testing.h"

namespace ds::sharing::testing {
namespace {

class ListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServiceHarness::Options o;
    for (const char* share : {"alpha", "Beta", "gamma"}) {
      for (const char* schema : {"s1", "s2"}) {
        for (const char* table : {"t1", "t2", "t3"}) {
          o.tables.push_back({share, schema, table, "/nonexistent/" + std::string(table)});
        }
      }
    }
    ASSERT_OK_AND_ASSIGN(h_, ServiceHarness::Make(std::move(o)));
  }

  // Follows nextPageToken from `first` (a target without query) with maxResults=n; returns
  // every item's "name" (qualified by schema for tables) in order.
  std::vector<std::string> Walk(const std::string& first, int n) {
    std::vector<std::string> names;
    std::string token;
    for (int pages = 0; pages < 100; ++pages) {
      std::string target = first + "?maxResults=" + std::to_string(n);
      if (!token.empty()) target += "&pageToken=" + token;
      Reply r = h_->Get(target);
      EXPECT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(r.body.find('\n'), std::string::npos) << "list JSON must be one line";
      auto doc = ParseJson(r.body);
      EXPECT_TRUE(doc.ok());
      if (!doc.ok()) break;
      for (const JsonValue& item : doc->Find("items")->items()) {
        std::string name = item.Find("name")->string_value();
        if (const JsonValue* schema = item.Find("schema")) {
          name = schema->string_value() + "." + name;
        }
        names.push_back(name);
      }
      const JsonValue* next = doc->Find("nextPageToken");
      if (next == nullptr || next->string_value().empty()) break;
      token = next->string_value();
    }
    return names;
  }

  std::unique_ptr<ServiceHarness> h_;
};

TEST_F(ListTest, EveryEndpointNeedsABearerToken) {
  for (const char* target :
       {"/shares", "/shares/alpha", "/shares/alpha/schemas", "/shares/alpha/schemas/s1/tables",
        "/shares/nope/all-tables", "/shares/alpha/schemas/s1/tables/t1/version", "/nowhere"}) {
    Reply none = h_->Get(target, HeadersOf({"Authorization:"}));
    EXPECT_EQ(none.status, 401) << target;
    EXPECT_EQ(none.error_code(), "UNAUTHENTICATED") << target;
    Reply wrong = h_->Get(target, HeadersOf({"Authorization: Bearer wrong-token-0123456789"}));
    EXPECT_EQ(wrong.status, 401) << target;
    Reply basic = h_->Get(target, HeadersOf({"Authorization: Basic dXNlcjpwYXNz"}));
    EXPECT_EQ(basic.status, 401) << target;
  }
  Reply post =
      h_->Post("/shares/alpha/schemas/s1/tables/t1/query", "{}", HeadersOf({"Authorization:"}));
  EXPECT_EQ(post.status, 401);
  Reply head = h_->Send(http::Method::kHead, "/shares/alpha/schemas/s1/tables/t1", "",
                        HeadersOf({"Authorization:"}));
  EXPECT_EQ(head.status, 401);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(ListTest, ErrorsAreJsonWithCodes) {
  Reply r = h_->Get("/shares/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error_code(), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/json; charset=utf-8");
  EXPECT_EQ(h_->Get("/nowhere").status, 404);
  EXPECT_EQ(h_->Get("/shares/alpha/schemas/s1/tables/t1/nothing").status, 404);
  Reply wrong_method = h_->Get("/shares/alpha/schemas/s1/tables/t1/query");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.error_code(), "METHOD_NOT_ALLOWED");
}

TEST_F(ListTest, ListsShares) {
  Reply r = h_->Get("/shares");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(
      r.body,
      R"({"items":[{"name":"alpha","id":"share-id-alpha"},{"name":"Beta","id":"share-id-Beta"},)"
      R"({"name":"gamma","id":"share-id-gamma"}]})");
  EXPECT_EQ(h_->Get("/shares/alpha").body, R"({"share":{"name":"alpha","id":"share-id-alpha"}})");
}

TEST_F(ListTest, NamesAreCaseInsensitiveAndPercentDecoded) {
  Reply r = h_->Get("/shares/BETA");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"share":{"name":"Beta","id":"share-id-Beta"}})");
  EXPECT_EQ(h_->Get("/shares/%62eta/SCHEMAS/S1/tables").status, 200);
  EXPECT_EQ(h_->Get("/Shares/beta/Schemas/s1/Tables").status, 200);
  EXPECT_EQ(h_->Get("/shares/beta/").status, 200);  // one trailing slash is tolerated
  EXPECT_EQ(h_->Get("/shares/be%zz").status, 404);
}

TEST_F(ListTest, ListsSchemasTablesAndAllTables) {
  Reply schemas = h_->Get("/shares/alpha/schemas");
  ASSERT_EQ(schemas.status, 200);
  EXPECT_EQ(schemas.body,
            R"({"items":[{"name":"s1","share":"alpha"},{"name":"s2","share":"alpha"}]})");
  Reply tables = h_->Get("/shares/alpha/schemas/s2/tables?maxResults=1");
  ASSERT_EQ(tables.status, 200);
  ASSERT_OK_AND_ASSIGN(JsonValue doc, ParseJson(tables.body));
  const JsonValue& item = doc.Find("items")->items()[0];
  EXPECT_EQ(item.Find("name")->string_value(), "t1");
  EXPECT_EQ(item.Find("schema")->string_value(), "s2");
  EXPECT_EQ(item.Find("share")->string_value(), "alpha");
  EXPECT_EQ(item.Find("shareId")->string_value(), "share-id-alpha");
  EXPECT_EQ(item.Find("id")->string_value(), "id-alpha.s2.t1");
  EXPECT_EQ(Walk("/shares/alpha/all-tables", 500),
            (std::vector<std::string>{"s1.t1", "s1.t2", "s1.t3", "s2.t1", "s2.t2", "s2.t3"}));
  EXPECT_EQ(h_->Get("/shares/alpha/schemas/nope/tables").status, 404);
  EXPECT_EQ(h_->Get("/shares/nope/schemas").status, 404);
  EXPECT_EQ(h_->Get("/shares/nope/all-tables").status, 404);
}

TEST_F(ListTest, PaginationReturnsEveryItemOnce) {
  for (int n : {1, 2, 3, 4, 500}) {
    EXPECT_EQ(Walk("/shares", n), (std::vector<std::string>{"alpha", "Beta", "gamma"})) << n;
    EXPECT_EQ(Walk("/shares/gamma/all-tables", n).size(), 6u) << n;
    EXPECT_EQ(Walk("/shares/gamma/schemas/s1/tables", n),
              (std::vector<std::string>{"s1.t1", "s1.t2", "s1.t3"}))
        << n;
  }
  // The last page has no token.
  Reply last = h_->Get("/shares?maxResults=3");
  EXPECT_EQ(last.body.find("nextPageToken"), std::string::npos);
  // maxResults=0: no items, a token to continue.
  Reply zero = h_->Get("/shares?maxResults=0");
  ASSERT_EQ(zero.status, 200);
  ASSERT_OK_AND_ASSIGN(JsonValue doc, ParseJson(zero.body));
  EXPECT_EQ(doc.Find("items")->size(), 0u);
  EXPECT_NE(doc.Find("nextPageToken"), nullptr);
  // Beyond 500 is served as 500.
  EXPECT_EQ(h_->Get("/shares?maxResults=100000").status, 200);
}

TEST_F(ListTest, BadListParametersAre400) {
  for (const char* q : {"maxResults=-1", "maxResults=abc", "maxResults=", "maxResults=1.5",
                        "pageToken=garbage", "pageToken=AQIAAAABAAAAAAAAAAA"}) {
    Reply r = h_->Get(std::string("/shares?") + q);
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_EQ(r.error_code(), "INVALID_PARAMETER_VALUE") << q;
  }
}

TEST_F(ListTest, PageTokensBelongToOneList) {
  Reply first = h_->Get("/shares/alpha/schemas/s1/tables?maxResults=1");
  ASSERT_OK_AND_ASSIGN(JsonValue doc, ParseJson(first.body));
  const std::string token = doc.Find("nextPageToken")->string_value();
  EXPECT_EQ(h_->Get("/shares/alpha/schemas/s1/tables?pageToken=" + token).status, 200);
  // Another schema, another share, another endpoint: refused.
  EXPECT_EQ(h_->Get("/shares/alpha/schemas/s2/tables?pageToken=" + token).status, 400);
  EXPECT_EQ(h_->Get("/shares/gamma/schemas/s1/tables?pageToken=" + token).status, 400);
  EXPECT_EQ(h_->Get("/shares?pageToken=" + token).status, 400);
  // Any altered character breaks the MAC.
  std::string tampered = token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  Reply bad = h_->Get("/shares/alpha/schemas/s1/tables?pageToken=" + tampered);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.message().find("nextPageToken"), std::string::npos) << bad.message();
}

}  // namespace
}  // namespace ds::sharing::testing
