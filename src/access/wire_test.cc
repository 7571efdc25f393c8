// The OAuth token endpoint's request parsing and answers, and the JSON forms of the model.
#include "access/model_json.h"
#include "access/oauth.h"
#include "test/testing/testing.h"
#include "util/base64.h"

namespace ds::access {
namespace {

constexpr const char* kForm = "application/x-www-form-urlencoded";

TEST(OAuthTest, BasicHeaderAndFormBody) {
  std::string header = "Basic " + Base64Encode("dsoc_client:dsos_secret");
  ASSERT_OK_AND_ASSIGN(
      ClientCredentialsRequest req,
      ParseClientCredentialsRequest(header, "application/x-www-form-urlencoded; charset=utf-8",
                                    "grant_type=client_credentials&scope=read%20all"));
  EXPECT_EQ(req.client_id, "dsoc_client");
  EXPECT_EQ(req.client_secret, "dsos_secret");
  EXPECT_EQ(req.scope, "read all");
  ASSERT_OK_AND_ASSIGN(
      req, ParseClientCredentialsRequest(
               "", kForm, "grant_type=client_credentials&client_id=a&client_secret=b%2Bc"));
  EXPECT_EQ(req.client_id, "a");
  EXPECT_EQ(req.client_secret, "b+c");
}

TEST(OAuthTest, Errors) {
  std::string header = "Basic " + Base64Encode("id:secret");
  auto error = [](const Result<ClientCredentialsRequest>& r) { return OAuthError(r.status()); };
  OAuthErrorResponse e = error(ParseClientCredentialsRequest(header, kForm, "grant_type=password"));
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(
      e.body,
      R"({"error":"unsupported_grant_type","error_description":"only client_credentials is supported"})");
  e = error(ParseClientCredentialsRequest(header, kForm, "scope=x"));
  EXPECT_EQ(e.http_status, 400);
  EXPECT_NE(e.body.find("\"invalid_request\""), std::string::npos);
  e = error(ParseClientCredentialsRequest(header, "application/json", "{}"));
  EXPECT_EQ(e.http_status, 400);
  e = error(ParseClientCredentialsRequest(header, kForm, "grant_type=%zz"));
  EXPECT_EQ(e.http_status, 400);
  e = error(ParseClientCredentialsRequest(
      header, kForm, "grant_type=client_credentials&grant_type=client_credentials"));
  EXPECT_EQ(e.http_status, 400);
  e = error(ParseClientCredentialsRequest("", kForm, "grant_type=client_credentials"));
  EXPECT_EQ(e.http_status, 401);
  EXPECT_TRUE(e.www_authenticate);
  EXPECT_NE(e.body.find("\"invalid_client\""), std::string::npos);
  e = error(ParseClientCredentialsRequest("Basic !!", kForm, "grant_type=client_credentials"));
  EXPECT_EQ(e.http_status, 401);
  e = error(
      ParseClientCredentialsRequest(header, kForm, "grant_type=client_credentials&client_id=x"));
  EXPECT_EQ(e.http_status, 400);  // credentials twice
  e = error(ParseClientCredentialsRequest(header, kForm, std::string(20000, 'a')));
  EXPECT_EQ(e.http_status, 400);

  e = OAuthError(Status::Unauthenticated("invalid client credentials"));
  EXPECT_EQ(e.body,
            R"({"error":"invalid_client","error_description":"invalid client credentials"})");
  e = OAuthError(Status::Unavailable("db down at 10.0.0.5"));
  EXPECT_EQ(e.http_status, 503);
  EXPECT_EQ(e.body, R"({"error":"temporarily_unavailable"})");
  e = OAuthError(Status::IOError("disk"));
  EXPECT_EQ(e.http_status, 500);
  EXPECT_EQ(e.body, R"({"error":"server_error"})");
}

TEST(OAuthTest, TokenResponse) {
  OAuthAccessToken t;
  t.access_token = "dstk_x.y";
  t.expires_in_seconds = 3600;
  EXPECT_EQ(OAuthTokenResponseJson(t),
            R"({"access_token":"dstk_x.y","token_type":"Bearer","expires_in":3600})");
}

std::string ToJson(const auto& value) {
  std::string out;
  JsonWriter w(&out);
  WriteJson(value, &w);
  return out;
}

TEST(ModelJsonTest, Output) {
  Share s;
  s.name = "sales";
  s.id = "id-1";
  s.properties = {{"k", "v"}};
  s.created_at_ms = 1'700'000'000'123;
  Table t;
  t.name = "orders";
  t.id = "t-1";
  t.location = "s3://b/orders";
  t.history_shared = true;
  t.start_version = 2;
  s.schemas.push_back({"default", {t}});
  EXPECT_EQ(
      ToJson(s),
      R"({"name":"sales","id":"id-1","properties":{"k":"v"},"createdAt":"2023-11-14T22:13:20.123000Z",)"
      R"("schemas":[{"name":"default","tables":[{"name":"orders","id":"t-1","location":"s3://b/orders",)"
      R"("historyShared":true,"startVersion":2}]}]})");
  TokenRecord token;
  token.id = "tid";
  token.recipient_id = "rid";
  token.hash = "SECRET-HASH";
  token.created_at_ms = 0;
  token.expires_at_ms = 1000;
  std::string token_json;
  JsonWriter w(&token_json);
  WriteJson(token, 500, &w);
  EXPECT_EQ(token_json.find("SECRET-HASH"), std::string::npos);
  EXPECT_NE(token_json.find(R"("state":"active")"), std::string::npos);
  Grant g;
  g.recipient = "r";
  g.share = "s";
  EXPECT_EQ(ToJson(g), R"({"recipient":"r","share":"s","partitionFilter":null})");
}

TEST(ModelJsonTest, Input) {
  ASSERT_OK_AND_ASSIGN(
      Share s, ShareFromJson(R"({"name":"s","comment":"c","properties":{"b":"2","a":"1"}})"));
  EXPECT_EQ(s.name, "s");
  EXPECT_EQ(s.properties, (Properties{{"a", "1"}, {"b", "2"}}));
  ASSERT_RAISES(kInvalidArgument, ShareFromJson(R"({"name":"s","typo":1})"));
  ASSERT_RAISES(kInvalidArgument, ShareFromJson(R"({"comment":"no name"})"));
  ASSERT_RAISES(kInvalidArgument, ShareFromJson(R"({"name":"a b"})"));
  ASSERT_RAISES(kInvalidArgument, ShareFromJson(R"({"name":1})"));
  ASSERT_RAISES(kInvalidArgument, ShareFromJson("[]"));
  ASSERT_RAISES(kInvalidArgument, ShareFromJson("{"));

  ASSERT_OK_AND_ASSIGN(
      Table t,
      TableFromJson(R"({"name":"t","location":"s3://b/t","historyShared":true,"startVersion":4})"));
  EXPECT_TRUE(t.history_shared);
  EXPECT_EQ(t.start_version, std::optional<int64_t>(4));
  ASSERT_RAISES(kInvalidArgument, TableFromJson(R"({"name":"t"})"));
  ASSERT_RAISES(kInvalidArgument,
                TableFromJson(R"({"name":"t","location":"x","startVersion":"4"})"));
  ASSERT_RAISES(kInvalidArgument,
                TableFromJson(R"({"name":"t","location":"x","startVersion":1.5})"));
  ASSERT_RAISES(kInvalidArgument,
                TableFromJson(R"({"name":"t","location":"x","historyShared":1})"));

  ASSERT_OK_AND_ASSIGN(
      Recipient r,
      RecipientFromJson(
          R"({"name":"acme","tokenLifetimeSeconds":3600,"ipAllowList":["10.0.0.0/8"],"rateLimitPerMinute":60})"));
  EXPECT_EQ(r.token_lifetime_seconds, 3600);
  EXPECT_EQ(r.ip_allow, std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ(r.rate_limit_per_minute, 60);
  ASSERT_RAISES(kInvalidArgument, RecipientFromJson(R"({"name":"acme","ipAllowList":["nope"]})"));
  ASSERT_RAISES(kInvalidArgument,
                RecipientFromJson(R"({"name":"acme","ipAllowList":"10.0.0.0/8"})"));
  ASSERT_RAISES(kInvalidArgument, RecipientFromJson(R"({"name":"acme","tokenLifetimeSeconds":0})"));

  ASSERT_OK_AND_ASSIGN(auto filter,
                       PartitionFilterFromJson(R"({"partitionFilter":"region = 'EU'"})"));
  EXPECT_EQ(filter, std::optional<std::string>("region = 'EU'"));
  ASSERT_OK_AND_ASSIGN(filter, PartitionFilterFromJson(R"({"partitionFilter":null})"));
  EXPECT_FALSE(filter.has_value());
  ASSERT_OK_AND_ASSIGN(filter, PartitionFilterFromJson("{}"));
  ASSERT_RAISES(kInvalidArgument, PartitionFilterFromJson(R"({"partitionFilter":""})"));
  ASSERT_RAISES(kInvalidArgument, PartitionFilterFromJson(R"({"partitionFilter":5})"));
}

}  // namespace
}  // namespace ds::access
