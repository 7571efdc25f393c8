#include "client/auth.h"

#include <gtest/gtest.h>

#include "client/table_ref.h"
#include "httpclient/handler_client.h"
#include "io/file.h"
#include "test/testing/testing.h"
#include "util/base64.h"

namespace ds::client {
namespace {

TEST(AuthTest, BearerTokenAndExpiry) {
  Profile p;
  p.bearer_token = "tok";
  p.expiration_ms = 1000;
  int64_t now = 999;
  auto creds = MakeCredentials(p, nullptr, [&] { return now; });
  ASSERT_OK_AND_ASSIGN(std::string header, creds->Authorization());
  EXPECT_EQ(header, "Bearer tok");
  now = 1000;
  auto expired = creds->Authorization();
  ASSERT_RAISES(kUnauthenticated, expired);
  EXPECT_NE(expired.status().message().find("expired at 1970-01-01T00:00:01"), std::string::npos)
      << expired.status();
  EXPECT_FALSE(creds->Invalidate());
}

TEST(AuthTest, BasicCredentials) {
  Profile p;
  p.type = sharing::protocol::ProfileType::kBasic;
  p.username = "alice";
  p.password = "s3cret";
  auto creds = MakeCredentials(p, nullptr);
  ASSERT_OK_AND_ASSIGN(std::string header, creds->Authorization());
  EXPECT_EQ(header, "Basic " + Base64Encode("alice:s3cret"));
}

TEST(AuthTest, TokenResponses) {
  ASSERT_OK_AND_ASSIGN(AccessToken t,
                       ParseTokenResponse(R"({"access_token":"a","expires_in":60})"));
  EXPECT_EQ(t.token, "a");
  EXPECT_EQ(t.expires_in_seconds, 60);
  ASSERT_OK_AND_ASSIGN(t, ParseTokenResponse(R"({"access_token":"a","expires_in":"3600"})"));
  EXPECT_EQ(t.expires_in_seconds, 3600);
  ASSERT_OK_AND_ASSIGN(t, ParseTokenResponse(R"({"access_token":"a","token_type":"bearer"})"));
  EXPECT_FALSE(t.expires_in_seconds);
  ASSERT_RAISES(kInvalidArgument, ParseTokenResponse("{}"));
  ASSERT_RAISES(kInvalidArgument, ParseTokenResponse(R"({"access_token":""})"));
  ASSERT_RAISES(kInvalidArgument, ParseTokenResponse(R"({"access_token":"a","expires_in":"x"})"));
  ASSERT_RAISES(kInvalidArgument, ParseTokenResponse(R"({"access_token":"a","expires_in":-1})"));
  ASSERT_RAISES(kInvalidArgument, ParseTokenResponse("nope"));
}

TEST(AuthTest, OAuthClientCredentialsFetchCacheAndRenew) {
  int calls = 0;
  std::string last_body, last_auth, last_type;
  auto http = std::make_shared<httpclient::HandlerHttpClient>(
      [&](const httpclient::HttpRequest& r) -> Result<httpclient::HttpResponse> {
        ++calls;
        EXPECT_EQ(r.method, httpclient::HttpMethod::kPost);
        EXPECT_EQ(r.url, "https://idp.example.com/token");
        last_body = std::string(r.body);
        last_auth = std::string(r.headers.Get("Authorization").value_or(""));
        last_type = std::string(r.headers.Get("Content-Type").value_or(""));
        httpclient::HttpResponse resp;
        resp.status = 200;
        resp.body = R"({"access_token":"at)" + std::to_string(calls) + R"(","expires_in":3600})";
        return resp;
      });
  Profile p;
  p.share_credentials_version = 2;
  p.type = sharing::protocol::ProfileType::kOAuthClientCredentials;
  p.token_endpoint = "https://idp.example.com/token";
  p.client_id = "cid";
  p.client_secret = "csecret";
  p.scope = "read all";
  int64_t now = 0;
  auto creds = MakeCredentials(p, http.get(), [&] { return now; });
  ASSERT_OK_AND_ASSIGN(std::string h, creds->Authorization());
  EXPECT_EQ(h, "Bearer at1");
  EXPECT_EQ(last_body, "grant_type=client_credentials&scope=read%20all");
  EXPECT_EQ(last_auth, "Basic " + Base64Encode("cid:csecret"));
  EXPECT_EQ(last_type, "application/x-www-form-urlencoded");
  now = 2'999'000;  // 3000 s of 3600: more than 600 s left, the token is reused
  ASSERT_OK_AND_ASSIGN(h, creds->Authorization());
  EXPECT_EQ(h, "Bearer at1");
  now = 3'000'000;  // 600 s left: renew
  ASSERT_OK_AND_ASSIGN(h, creds->Authorization());
  EXPECT_EQ(h, "Bearer at2");
  EXPECT_TRUE(creds->Invalidate());
  ASSERT_OK_AND_ASSIGN(h, creds->Authorization());
  EXPECT_EQ(h, "Bearer at3");
}

TEST(AuthTest, OAuthRefusalIsUnauthenticated) {
  auto http = std::make_shared<httpclient::HandlerHttpClient>(
      [](const httpclient::HttpRequest&) -> Result<httpclient::HttpResponse> {
        httpclient::HttpResponse resp;
        resp.status = 401;
        resp.body = R"({"error":"invalid_client"})";
        return resp;
      });
  Profile p;
  p.type = sharing::protocol::ProfileType::kOAuthClientCredentials;
  p.token_endpoint = "https://idp.example.com/token";
  auto creds = MakeCredentials(p, http.get());
  auto h = creds->Authorization();
  ASSERT_RAISES(kUnauthenticated, h);
  EXPECT_NE(h.status().message().find("invalid_client"), std::string::npos);
}

TEST(AuthTest, LoadProfileNamesThePath) {
  testing::TempDir dir;
  auto missing = LoadProfile(dir.Join("none.share"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("none.share"), std::string::npos);
  ASSERT_OK(io::WriteStringToFile(dir.Join("bad.share"), R"({"shareCredentialsVersion":9})"));
  auto bad = LoadProfile(dir.Join("bad.share"));
  ASSERT_RAISES(kInvalidArgument, bad);
  EXPECT_NE(bad.status().message().find("bad.share"), std::string::npos);
  ASSERT_OK(io::WriteStringToFile(
      dir.Join("ok.share"),
      R"({"shareCredentialsVersion":1,"endpoint":"https://x/delta-sharing/","bearerToken":"t"})"));
  ASSERT_OK_AND_ASSIGN(Profile ok, LoadProfile(dir.Join("ok.share")));
  EXPECT_EQ(ok.bearer_token, "t");
}

TEST(TableRefTest, ParsesProfileAndNames) {
  ASSERT_OK_AND_ASSIGN(TableUrl u, ParseTableUrl("/p/config.share#sales.eu.orders"));
  EXPECT_EQ(u.profile_path, "/p/config.share");
  EXPECT_EQ(u.table.share, "sales");
  EXPECT_EQ(u.table.schema, "eu");
  EXPECT_EQ(u.table.table, "orders");
  // Share names may contain dots; the last two parts are schema and table.
  ASSERT_OK_AND_ASSIGN(u, ParseTableUrl("a#b#my.share.s.t"));
  EXPECT_EQ(u.profile_path, "a#b");
  EXPECT_EQ(u.table.share, "my.share");
  EXPECT_EQ(u.table.ToString(), "my.share.s.t");
  ASSERT_RAISES(kInvalidArgument, ParseTableUrl("config.share"));
  ASSERT_RAISES(kInvalidArgument, ParseTableUrl("#a.b.c"));
  ASSERT_RAISES(kInvalidArgument, ParseTableUrl("p#a.b"));
  ASSERT_RAISES(kInvalidArgument, ParseTableUrl("p#a..c"));
  ASSERT_RAISES(kInvalidArgument, ParseTableUrl("p#.b.c"));
  ASSERT_RAISES(kInvalidArgument, ParseTableUrl("p#a.b."));
}

}  // namespace
}  // namespace ds::client
