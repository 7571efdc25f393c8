// Names, durations, CIDR allow-lists, the rate limiter and credential text forms.
#include "access/duration.h"
#include "access/ip_allow_list.h"
#include "access/names.h"
#include "access/rate_limiter.h"
#include "access/token_format.h"
#include "test/testing/testing.h"
#include "util/base64.h"

namespace ds::access {
namespace {

TEST(NamesTest, ProtocolRules) {
  EXPECT_OK(ValidateName(NameKind::kShare, "sales.eu"));
  EXPECT_OK(ValidateName(NameKind::kRecipient, "acme-corp_1"));
  EXPECT_OK(ValidateName(NameKind::kTable, "Ünïcode"));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kSchema, "a.b"));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kTable, "a.b"));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kShare, ""));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kShare, "a b"));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kShare, "a/b"));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kShare, "a\x7f"));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kShare, std::string("a\0b", 3)));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kShare, "\xff\xfe"));
  EXPECT_OK(ValidateName(NameKind::kShare, std::string(255, 'x')));
  ASSERT_RAISES(kInvalidArgument, ValidateName(NameKind::kShare, std::string(256, 'x')));
  // 255 two-byte characters are 255 characters.
  std::string wide;
  for (int i = 0; i < 255; ++i) wide += "\xc3\xa9";
  EXPECT_OK(ValidateName(NameKind::kShare, wide));
  Status st = ValidateName(NameKind::kTable, "bad\x01name");
  EXPECT_NE(st.message().find("'bad\\x01name'"), std::string::npos) << st;
  EXPECT_TRUE(SameName("Sales", "sALES"));
  EXPECT_FALSE(SameName("Sales", "Sale"));
  EXPECT_EQ(NameKey("MiXed"), "mixed");
}

TEST(DurationTest, ParseAndFormat) {
  EXPECT_EQ(ParseDurationSeconds("90").ValueOr(-1), 90);
  EXPECT_EQ(ParseDurationSeconds("0").ValueOr(-1), 0);
  EXPECT_EQ(ParseDurationSeconds("15m").ValueOr(-1), 900);
  EXPECT_EQ(ParseDurationSeconds("24h").ValueOr(-1), 86400);
  EXPECT_EQ(ParseDurationSeconds("1h30m").ValueOr(-1), 5400);
  EXPECT_EQ(ParseDurationSeconds("2w").ValueOr(-1), 14 * 86400);
  EXPECT_EQ(ParseDurationSeconds(" 7d ").ValueOr(-1), 7 * 86400);
  for (const char* bad : {"", "h", "1x", "-5", "1h-", "1.5h", "999999999999999999d"}) {
    ASSERT_RAISES(kInvalidArgument, ParseDurationSeconds(bad));
  }
  EXPECT_EQ(FormatDurationSeconds(86400), "1d");
  EXPECT_EQ(FormatDurationSeconds(5400), "1h30m");
  EXPECT_EQ(FormatDurationSeconds(0), "0s");
  EXPECT_EQ(FormatDurationSeconds(61), "1m1s");
}

bool Allows(const std::vector<std::string>& cidrs, std::string_view address) {
  auto list = IpAllowList::Parse(cidrs);
  EXPECT_TRUE(list.ok()) << list.status();
  return list.ok() && list->Allows(address);
}

TEST(IpAllowListTest, Ipv4Blocks) {
  EXPECT_TRUE(Allows({"10.0.0.0/8"}, "10.200.3.4"));
  EXPECT_FALSE(Allows({"10.0.0.0/8"}, "11.0.0.1"));
  EXPECT_TRUE(Allows({"192.168.1.0/24"}, "192.168.1.255"));
  EXPECT_FALSE(Allows({"192.168.1.0/24"}, "192.168.2.0"));
  EXPECT_TRUE(Allows({"192.168.1.7"}, "192.168.1.7"));
  EXPECT_FALSE(Allows({"192.168.1.7"}, "192.168.1.8"));
  EXPECT_TRUE(Allows({"172.16.0.0/12"}, "172.31.255.255"));
  EXPECT_FALSE(Allows({"172.16.0.0/12"}, "172.32.0.0"));
  EXPECT_TRUE(Allows({"0.0.0.0/0"}, "8.8.8.8"));
  EXPECT_FALSE(Allows({"0.0.0.0/0"}, "2001:db8::1"));
  // Dual-stack sockets report IPv4 peers as mapped IPv6 addresses.
  EXPECT_TRUE(Allows({"10.0.0.0/8"}, "::ffff:10.1.2.3"));
  EXPECT_FALSE(Allows({"10.0.0.0/8"}, "::ffff:11.1.2.3"));
}

TEST(IpAllowListTest, Ipv6Blocks) {
  EXPECT_TRUE(Allows({"2001:db8::/32"}, "2001:db8:ffff::1"));
  EXPECT_FALSE(Allows({"2001:db8::/32"}, "2001:db9::1"));
  EXPECT_TRUE(Allows({"2001:db8::/33"}, "2001:db8:7fff::1"));
  EXPECT_FALSE(Allows({"2001:db8::/33"}, "2001:db8:8000::1"));
  EXPECT_TRUE(Allows({"::1"}, "::1"));
  EXPECT_TRUE(Allows({"::1"}, "[::1]"));
  EXPECT_TRUE(Allows({"::/0"}, "fe80::1"));
  EXPECT_TRUE(Allows({"::ffff:10.0.0.0/104"}, "10.9.9.9"));
  EXPECT_TRUE(Allows({"2001:db8::/32", "10.0.0.0/8"}, "10.0.0.1"));
}

TEST(IpAllowListTest, EmptyListAllowsEverythingAndGarbageIsRefused) {
  IpAllowList any;
  EXPECT_TRUE(any.Allows("anything"));
  EXPECT_FALSE(Allows({"10.0.0.0/8"}, "not-an-ip"));
  EXPECT_FALSE(Allows({"10.0.0.0/8"}, "10.0.0.1:443"));
  EXPECT_FALSE(Allows({"10.0.0.0/8"}, ""));
}

TEST(IpAllowListTest, MalformedBlocks) {
  for (const char* bad : {"10.0.0.1/8", "10.0.0.0/33", "2001:db8::/129", "10.0.0/8", "300.1.1.1",
                          "10.0.0.0/", "10.0.0.0/a", "/8", "", "example.com", "[::1]/128",
                          "10.0.0.0/8/8", "fe80::1%eth0", "10.0.0.0/-1", "10.0.0.0/0008"}) {
    EXPECT_FALSE(CidrBlock::Parse(bad).ok()) << bad;
  }
  Status st = CidrBlock::Parse("10.0.0.1/8").status();
  EXPECT_NE(st.message().find("bits set after the prefix"), std::string::npos) << st;
}

TEST(IpAllowListTest, CanonicalForms) {
  ASSERT_OK_AND_ASSIGN(auto canonical,
                       CanonicalCidrs({"10.0.0.0/8", "2001:DB8:0::/32", "1.2.3.4", "::1"}));
  EXPECT_EQ(canonical,
            (std::vector<std::string>{"10.0.0.0/8", "2001:db8::/32", "1.2.3.4/32", "::1/128"}));
}

TEST(RateLimiterTest, BucketRefillsAtTheRate) {
  RateLimiter limiter;
  // 60 a minute: a burst of 60, then one a second.
  for (int i = 0; i < 60; ++i) EXPECT_TRUE(limiter.Admit("t", 60, 1000).allowed) << i;
  RateDecision refused = limiter.Admit("t", 60, 1000);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_FALSE(limiter.Admit("t", 60, 1500).allowed);
  EXPECT_TRUE(limiter.Admit("t", 60, 2000).allowed);
  EXPECT_FALSE(limiter.Admit("t", 60, 2000).allowed);
  // Other keys have their own bucket; no limit means no bucket.
  EXPECT_TRUE(limiter.Admit("other", 60, 2000).allowed);
  EXPECT_TRUE(limiter.Admit("free", 0, 2000).allowed);
  EXPECT_EQ(limiter.size(), 2u);
}

TEST(RateLimiterTest, RetryAfterCountsWholeSeconds) {
  RateLimiter limiter;
  EXPECT_TRUE(limiter.Admit("t", 2, 0).allowed);
  EXPECT_TRUE(limiter.Admit("t", 2, 0).allowed);
  RateDecision d = limiter.Admit("t", 2, 0);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 30);  // one request per 30 s
  d = limiter.Admit("t", 2, 29'500);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 1);
  EXPECT_TRUE(limiter.Admit("t", 2, 30'000).allowed);
}

TEST(RateLimiterTest, ClockGoingBackwardsNeverRefills) {
  RateLimiter limiter;
  EXPECT_TRUE(limiter.Admit("t", 1, 100'000).allowed);
  EXPECT_FALSE(limiter.Admit("t", 1, 50'000).allowed);
  EXPECT_FALSE(limiter.Admit("t", 1, 100'001).allowed);
}

TEST(TokenFormatTest, MintedTokensParse) {
  ASSERT_OK_AND_ASSIGN(MintedToken a, MintToken());
  ASSERT_OK_AND_ASSIGN(MintedToken b, MintToken());
  EXPECT_NE(a.text, b.text);
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(a.text.size(), kTokenChars);
  EXPECT_TRUE(a.text.rfind("dstk_", 0) == 0);
  ASSERT_OK_AND_ASSIGN(std::string_view id, TokenIdOf(a.text));
  EXPECT_EQ(id, a.id);
  // The secret part carries 256 random bits.
  ASSERT_OK_AND_ASSIGN(std::string secret, Base64Decode(a.text.substr(a.text.find('.') + 1)));
  EXPECT_EQ(secret.size(), 32u);
  ASSERT_OK_AND_ASSIGN(std::string client, MintClientId());
  EXPECT_TRUE(client.rfind("dsoc_", 0) == 0);
  ASSERT_OK_AND_ASSIGN(std::string client_secret, MintClientSecret());
  EXPECT_EQ(client_secret.size(), 5u + 43u);
}

TEST(TokenFormatTest, MalformedTokens) {
  ASSERT_OK_AND_ASSIGN(MintedToken t, MintToken());
  std::string text = t.text;
  ASSERT_RAISES(kInvalidArgument, TokenIdOf(""));
  ASSERT_RAISES(kInvalidArgument, TokenIdOf(text.substr(1)));
  ASSERT_RAISES(kInvalidArgument, TokenIdOf(text + "x"));
  ASSERT_RAISES(kInvalidArgument, TokenIdOf("xstk_" + text.substr(5)));
  std::string no_dot = text;
  no_dot[5 + 16] = '_';
  ASSERT_RAISES(kInvalidArgument, TokenIdOf(no_dot));
  std::string bad_char = text;
  bad_char[30] = '+';
  ASSERT_RAISES(kInvalidArgument, TokenIdOf(bad_char));
}

TEST(TokenFormatTest, BearerHeader) {
  EXPECT_EQ(ParseBearerHeader("Bearer abc.DEF-_~+/=").ValueOr(""), "abc.DEF-_~+/=");
  EXPECT_EQ(ParseBearerHeader("bearer   tok  ").ValueOr(""), "tok");
  EXPECT_EQ(ParseBearerHeader("BEARER\ttok").ValueOr(""), "tok");
  ASSERT_RAISES(kUnauthenticated, ParseBearerHeader(""));
  ASSERT_RAISES(kUnauthenticated, ParseBearerHeader("   "));
  ASSERT_RAISES(kUnauthenticated, ParseBearerHeader("Bearer"));
  ASSERT_RAISES(kUnauthenticated, ParseBearerHeader("Bearer "));
  ASSERT_RAISES(kUnauthenticated, ParseBearerHeader("Basic dXNlcjpwdw=="));
  ASSERT_RAISES(kUnauthenticated, ParseBearerHeader("Bearertok"));
  ASSERT_RAISES(kUnauthenticated, ParseBearerHeader("Bearer a b"));
  ASSERT_RAISES(kUnauthenticated, ParseBearerHeader("Bearer a=b"));
  ASSERT_RAISES(kUnauthenticated, ParseBearerHeader("Bearer \"tok\""));
  ASSERT_RAISES(kUnauthenticated, ParseBearerHeader("Bearer " + std::string(5000, 'a')));
  EXPECT_EQ(ParseBearerHeader("").status().message(), "missing bearer token");
}

TEST(TokenFormatTest, BasicHeader) {
  // RFC 6749 §2.3.1: form-urlencoded parts, then base64.
  ASSERT_OK_AND_ASSIGN(BasicCredentials c, ParseBasicHeader("Basic " + Base64Encode("id:s%3Ae+t")));
  EXPECT_EQ(c.user, "id");
  EXPECT_EQ(c.password, "s:e t");
  ASSERT_OK_AND_ASSIGN(c, ParseBasicHeader("basic " + Base64Encode("a:b:c")));
  EXPECT_EQ(c.password, "b:c");
  ASSERT_RAISES(kUnauthenticated, ParseBasicHeader(""));
  ASSERT_RAISES(kUnauthenticated, ParseBasicHeader("Basic " + Base64Encode("nocolon")));
  ASSERT_RAISES(kUnauthenticated, ParseBasicHeader("Basic " + Base64Encode(":pw")));
  ASSERT_RAISES(kUnauthenticated, ParseBasicHeader("Basic !!!"));
  ASSERT_RAISES(kUnauthenticated, ParseBasicHeader("Basic " + Base64Encode("a%zz:b")));
  ASSERT_RAISES(kUnauthenticated, ParseBasicHeader("Bearer x"));
}

}  // namespace
}  // namespace ds::access
