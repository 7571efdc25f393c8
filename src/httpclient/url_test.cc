#include "httpclient/url.h"

#include "test/testing/testing.h"

namespace ds::httpclient {
namespace {

TEST(UrlTest, EncodesAllButUnreserved) {
  EXPECT_EQ(UriEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(UriEncode("a b+c%d=e/f"), "a%20b%2Bc%25d%3De%2Ff");
  EXPECT_EQ(UriEncode("a b/c=1", /*encode_slash=*/false), "a%20b/c%3D1");
  EXPECT_EQ(UriEncode("caf\xc3\xa9"), "caf%C3%A9");
  EXPECT_EQ(UriEncode(std::string("\0\xff", 2)), "%00%FF");
  EXPECT_EQ(UriEncode(""), "");
}

TEST(UrlTest, DecodeRoundTripsAndRejectsBadEscapes) {
  const std::string raw = "p=1/x y+z%~\xe2\x82\xac";
  ASSERT_OK_AND_ASSIGN(std::string back, UriDecode(UriEncode(raw)));
  EXPECT_EQ(back, raw);
  ASSERT_OK_AND_ASSIGN(std::string plus, UriDecode("a+b%2b", /*plus_is_space=*/true));
  EXPECT_EQ(plus, "a b+");
  ASSERT_OK_AND_ASSIGN(std::string lower, UriDecode("%c3%a9"));
  EXPECT_EQ(lower, "\xc3\xa9");
  ASSERT_RAISES(kInvalidArgument, UriDecode("%"));
  ASSERT_RAISES(kInvalidArgument, UriDecode("ab%4"));
  ASSERT_RAISES(kInvalidArgument, UriDecode("%zz"));
}

TEST(UrlTest, ParsesEndpoints) {
  ASSERT_OK_AND_ASSIGN(Url u, ParseUrl("HTTPS://Bucket.S3.amazonaws.com/a%20b/c?x=1#frag"));
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "bucket.s3.amazonaws.com");
  EXPECT_EQ(u.port, 0);
  EXPECT_EQ(u.EffectivePort(), 443);
  EXPECT_EQ(u.path, "/a%20b/c");
  EXPECT_EQ(u.query, "x=1");
  EXPECT_EQ(u.Authority(), "bucket.s3.amazonaws.com");
  ASSERT_OK_AND_ASSIGN(Url local, ParseUrl("http://127.0.0.1:10000"));
  EXPECT_EQ(local.port, 10000);
  EXPECT_EQ(local.path, "");
  EXPECT_EQ(local.Authority(), "127.0.0.1:10000");
  EXPECT_EQ(local.Origin(), "http://127.0.0.1:10000");
  ASSERT_OK_AND_ASSIGN(Url v6, ParseUrl("http://[::1]:8080/p"));
  EXPECT_EQ(v6.host, "[::1]");
  EXPECT_EQ(v6.port, 8080);
  ASSERT_OK_AND_ASSIGN(Url default_port, ParseUrl("http://h:80/"));
  EXPECT_EQ(default_port.Authority(), "h");
}

TEST(UrlTest, RejectsMalformedEndpoints) {
  for (const char* bad :
       {"ftp://h/x", "h/x", "http://", "http://:80/", "http://h:0/", "http://h:99999/",
        "http://h:-1/", "http://u:p@h/", "http://[::1/", "http://h h/", "http://h:8a/"}) {
    EXPECT_EQ(ParseUrl(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(UrlTest, RedactsCredentials) {
  EXPECT_EQ(RedactUrl("https://b.s3.amazonaws.com/k?X-Amz-Signature=abc#f"),
            "https://b.s3.amazonaws.com/k");
  EXPECT_EQ(RedactUrl("http://user:pw@host/p?q"), "http://host/p");
  EXPECT_EQ(RedactUrl("not a url"), "not a url");
}

}  // namespace
}  // namespace ds::httpclient
