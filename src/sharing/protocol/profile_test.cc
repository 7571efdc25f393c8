#include "sharing/protocol/profile.h"

#include "test/testing/testing.h"

namespace ds::sharing::protocol {
namespace {

TEST(ProfileTest, BearerV1) {
  ASSERT_OK_AND_ASSIGN(Profile p, ParseProfile(R"({"shareCredentialsVersion":1,
      "endpoint":"https://sharing.example.com/delta-sharing/","bearerToken":"tok",
      "expirationTime":"2021-11-12T00:12:29.0Z","extra":"ignored"})"));
  EXPECT_EQ(p.type, ProfileType::kBearer);
  EXPECT_EQ(p.endpoint, "https://sharing.example.com/delta-sharing");
  EXPECT_EQ(p.bearer_token, "tok");
  EXPECT_EQ(*p.expiration_ms, 1636675949000);
  ASSERT_OK_AND_ASSIGN(Profile back, ParseProfile(ProfileToJson(p)));
  EXPECT_EQ(back.bearer_token, "tok");
  EXPECT_EQ(*back.expiration_ms, 1636675949000);
  EXPECT_NE(ProfileToJson(p).find("\"expirationTime\": \"2021-11-12T00:12:29.000Z\""),
            std::string::npos);
}

TEST(ProfileTest, OAuthAndBasic) {
  ASSERT_OK_AND_ASSIGN(Profile p, ParseProfile(R"({"shareCredentialsVersion":2,
      "type":"oauth_client_credentials","endpoint":"http://localhost:8080/delta-sharing",
      "tokenEndpoint":"http://localhost:8080/oauth/token","clientId":"c","clientSecret":"s",
      "scope":"sharing"})"));
  EXPECT_EQ(p.type, ProfileType::kOAuthClientCredentials);
  EXPECT_EQ(p.client_id, "c");
  EXPECT_EQ(p.scope, "sharing");
  ASSERT_OK_AND_ASSIGN(Profile back, ParseProfile(ProfileToJson(p)));
  EXPECT_EQ(back.token_endpoint, "http://localhost:8080/oauth/token");
  ASSERT_OK_AND_ASSIGN(p, ParseProfile(R"({"shareCredentialsVersion":2,"type":"basic",
      "endpoint":"http://h","username":"u","password":"p"})"));
  EXPECT_EQ(p.type, ProfileType::kBasic);
}

TEST(ProfileTest, Errors) {
  const char* bad[] = {
      "",
      "[]",
      R"({"endpoint":"http://h","bearerToken":"t"})",
      R"({"shareCredentialsVersion":3,"endpoint":"http://h","bearerToken":"t"})",
      R"({"shareCredentialsVersion":1,"bearerToken":"t"})",
      R"({"shareCredentialsVersion":1,"endpoint":"ftp://h","bearerToken":"t"})",
      R"({"shareCredentialsVersion":1,"endpoint":"http://h"})",
      R"({"shareCredentialsVersion":1,"endpoint":"http://h","bearerToken":"t","expirationTime":"soon"})",
      R"({"shareCredentialsVersion":2,"type":"oauth_client_credentials","endpoint":"http://h"})",
      R"({"shareCredentialsVersion":2,"type":"magic","endpoint":"http://h"})",
  };
  for (const char* text : bad) ASSERT_RAISES(kInvalidArgument, ParseProfile(text));
}

}  // namespace
}  // namespace ds::sharing::protocol
