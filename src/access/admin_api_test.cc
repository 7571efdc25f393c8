// The admin REST API at the value level: routes, bodies, statuses, and that what it creates
// works on the request path.
#include "access/admin_api.h"

#include "access/memory_store.h"
#include "test/testing/testing.h"
#include "util/json.h"

namespace ds::access {
namespace {

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_shared<MemoryAccessStore>();
    auto keys = std::make_shared<KeyRing>(
        MasterKey::FromText("7c2e9a4f1b8d3e6a0c5f2b9d4e7a1c3f6b8e0d2a5c7f9b1e4d6a8c0f3b5e7d9a",
                            "test")
            .ValueOrDie());
    AccessServiceOptions options;
    options.audit = false;
    service_ = AccessService::Make(store_, keys, {}, options).ValueOrDie();
    api_ = std::make_unique<AdminApi>(service_.get());
  }

  AdminResponse Call(const std::string& method, std::vector<std::string> path,
                     const std::string& body = "",
                     std::vector<std::pair<std::string, std::string>> query = {}) {
    return api_->Handle({method, std::move(path), std::move(query), body});
  }

  JsonValue Body(const AdminResponse& r) {
    auto v = ParseJson(r.body);
    EXPECT_TRUE(v.ok()) << r.body;
    return v.ok() ? std::move(v).value() : JsonValue();
  }

  std::shared_ptr<MemoryAccessStore> store_;
  std::unique_ptr<AccessService> service_;
  std::unique_ptr<AdminApi> api_;
};

TEST_F(AdminApiTest, ProvisionARecipientEndToEnd) {
  AdminResponse r = Call("POST", {"shares"}, R"({"name":"sales","comment":"c"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.operation, "admin.createShare");
  r = Call("POST", {"shares", "sales", "schemas", "eu", "tables"},
           R"({"name":"orders","location":"s3://b/orders","historyShared":true})");
  ASSERT_EQ(r.status, 201) << r.body;
  r = Call("POST", {"recipients"}, R"({"name":"acme","tokenLifetimeSeconds":3600})");
  ASSERT_EQ(r.status, 201) << r.body;
  r = Call("PUT", {"recipients", "acme", "grants", "sales"},
           R"({"partitionFilter":"region = 'EU'"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).Find("partitionFilter")->string_value(), "region = 'EU'");
  r = Call("POST", {"recipients", "acme", "tokens"}, R"({"label":"ci"})");
  ASSERT_EQ(r.status, 201) << r.body;
  std::string token = Body(r).Find("token")->string_value();
  std::string id = Body(r).Find("id")->string_value();

  ASSERT_OK_AND_ASSIGN(Principal p, service_->Authenticate("Bearer " + token, ""));
  ASSERT_OK_AND_ASSIGN(TableAccess t, service_->AuthorizeTable(p, "sales", "eu", "orders"));
  EXPECT_EQ(t.partition_filter, std::optional<std::string>("region = 'EU'"));

  r = Call("GET", {"recipients", "acme", "tokens"});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find(token), std::string::npos);  // listings never carry secrets
  EXPECT_NE(r.body.find(id), std::string::npos);
  r = Call("POST", {"tokens", id, "rotate"}, R"({"graceSeconds":0})");
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_OK(service_->Refresh());
  ASSERT_RAISES(kUnauthenticated, service_->Authenticate("Bearer " + token, ""));
  std::string successor = Body(r).Find("token")->string_value();
  ASSERT_OK(service_->Authenticate("Bearer " + successor, ""));
  r = Call("DELETE", {"recipients", "acme", "tokens"});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"revoked":1})");

  r = Call("POST", {"recipients", "acme", "oauth-clients"},
           R"({"accessTokenLifetimeSeconds":600})");
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_OK(service_->tokens().ExchangeClientCredentials(
      Body(r).Find("clientId")->string_value(), Body(r).Find("clientSecret")->string_value()));
  r = Call("POST", {"recipients", "acme", "activation-links"},
           R"({"endpoint":"https://share.example/ds/"})");
  ASSERT_EQ(r.status, 201) << r.body;
  std::string url = Body(r).Find("url")->string_value();
  ASSERT_EQ(url.rfind("https://share.example/ds/activation/", 0), 0u) << url;
  ASSERT_OK(service_->tokens().RedeemActivationLink(url.substr(url.rfind('/') + 1)));
}

TEST_F(AdminApiTest, ReadsUpdatesAndDeletes) {
  ASSERT_EQ(Call("POST", {"recipients"}, R"({"name":"acme"})").status, 201);
  AdminResponse r = Call("PUT", {"recipients", "ACME"},
                         R"({"ipAllowList":["10.0.0.0/8"],"rateLimitPerMinute":60})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).Find("rateLimitPerMinute")->number_text(), "60");
  EXPECT_EQ(Call("PUT", {"recipients", "acme"}, R"({"name":"other"})").status, 400);
  r = Call("GET", {"recipients"});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r).Find("items")->size(), 1u);
  ASSERT_EQ(Call("POST", {"shares"}, R"({"name":"s"})").status, 201);
  ASSERT_EQ(Call("PUT", {"shares", "s", "schemas", "x"}).status, 201);
  EXPECT_EQ(Call("PUT", {"shares", "s", "schemas", "x"}).status, 409);
  EXPECT_EQ(Call("GET", {"shares", "s"}).status, 200);
  EXPECT_EQ(Call("DELETE", {"shares", "s", "schemas", "x"}).status, 204);
  EXPECT_EQ(Call("DELETE", {"shares", "s"}).status, 204);
  EXPECT_EQ(Call("DELETE", {"shares", "s"}).status, 404);
  EXPECT_EQ(Call("DELETE", {"recipients", "acme"}).status, 204);
  r = Call("GET", {"keys"});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Call("POST", {"keys"}).status, 201);
  EXPECT_EQ(Call("DELETE", {"keys", "1"}).status, 204);
  EXPECT_EQ(Call("DELETE", {"keys", "2"}).status, 409);  // the last active version
  EXPECT_EQ(Call("DELETE", {"keys", "two"}).status, 400);
}

TEST_F(AdminApiTest, Errors) {
  AdminResponse r = Call("GET", {"nothing"});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body,
            R"({"errorCode":"RESOURCE_DOES_NOT_EXIST","message":"no such admin resource"})");
  EXPECT_EQ(Call("PATCH", {"shares"}).status, 405);
  EXPECT_EQ(Call("POST", {"shares"}, "{").status, 400);
  EXPECT_EQ(Call("POST", {"shares"}, R"({"name":"a b"})").status, 400);
  EXPECT_EQ(Call("POST", {"shares"}, R"({"name":"s","typo":1})").status, 400);
  ASSERT_EQ(Call("POST", {"shares"}, R"({"name":"s"})").status, 201);
  r = Call("POST", {"shares"}, R"({"name":"S"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("RESOURCE_ALREADY_EXISTS"), std::string::npos);
  EXPECT_EQ(Call("POST", {"recipients", "ghost", "tokens"}).status, 404);
  ASSERT_EQ(Call("POST", {"recipients"}, R"({"name":"acme"})").status, 201);
  EXPECT_EQ(Call("POST", {"recipients", "acme", "tokens"}, R"({"lifetimeSeconds":"x"})").status,
            400);
  EXPECT_EQ(Call("POST", {"recipients", "acme", "activation-links"}, R"({"endpoint":"x"})").status,
            400);
  EXPECT_EQ(Call("GET", {"audit"}, "", {{"limit", "abc"}}).status, 400);
  EXPECT_EQ(Call("GET", {"audit"}, "", {{"limit", "0"}}).status, 400);
  EXPECT_EQ(AdminError(Status::IOError("disk /var/x failed")).body,
            R"({"errorCode":"INTERNAL_ERROR","message":""})");
  EXPECT_EQ(AdminError(Status::Unavailable("db at 10.0.0.5")).status, 503);
}

TEST_F(AdminApiTest, AuditQuery) {
  AuditRecord a;
  a.time_ms = 1000;
  a.recipient = "acme";
  a.share = "s";
  a.status = 200;
  AuditRecord b = a;
  b.time_ms = 2000;
  b.status = 404;
  ASSERT_OK(store_->AppendAudit({a, b}));
  AdminResponse r = Call("GET", {"audit"}, "", {{"recipient", "ACME"}, {"status", "404"}});
  ASSERT_EQ(r.status, 200) << r.body;
  JsonValue v = Body(r);
  ASSERT_EQ(v.Find("items")->size(), 1u);
  r = Call("GET", {"audit"}, "", {{"since", "1500"}});
  EXPECT_EQ(Body(r).Find("items")->size(), 1u);
}

}  // namespace
}  // namespace ds::access
