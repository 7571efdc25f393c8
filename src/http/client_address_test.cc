#include "http/client_address.h"

#include "test/testing/testing.h"

namespace ds::http {
namespace {

TEST(IpAddressTest, ParsesForms) {
  for (auto [in, out] :
       std::vector<std::pair<std::string_view, std::string_view>>{{"1.2.3.4", "1.2.3.4"},
                                                                  {"1.2.3.4:8080", "1.2.3.4"},
                                                                  {" 10.0.0.1 ", "10.0.0.1"},
                                                                  {"::1", "::1"},
                                                                  {"[::1]", "::1"},
                                                                  {"[::1]:443", "::1"},
                                                                  {"::ffff:1.2.3.4", "1.2.3.4"},
                                                                  {"FD00::0001", "fd00::1"}}) {
    auto ip = IpAddress::Parse(in);
    ASSERT_TRUE(ip.has_value()) << in;
    EXPECT_EQ(ip->ToString(), out);
  }
  for (std::string_view bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "[::1", "[::1]x",
                               "[::1]:", "host.example", "1.2.3.4:80:90x", "unknown"}) {
    EXPECT_FALSE(IpAddress::Parse(bad).has_value()) << bad;
  }
}

TEST(TrustedProxiesTest, Networks) {
  ASSERT_OK_AND_ASSIGN(TrustedProxies p,
                       TrustedProxies::Parse({"10.0.0.0/8", "192.168.1.7", "fd00::/8", "::1/128"}));
  auto contains = [&](std::string_view ip) { return p.Contains(*IpAddress::Parse(ip)); };
  EXPECT_TRUE(contains("10.200.3.4"));
  EXPECT_FALSE(contains("11.0.0.1"));
  EXPECT_TRUE(contains("192.168.1.7"));
  EXPECT_FALSE(contains("192.168.1.8"));
  EXPECT_TRUE(contains("fdab::1"));
  EXPECT_FALSE(contains("fe00::1"));
  EXPECT_TRUE(contains("::1"));
  EXPECT_TRUE(contains("::ffff:10.1.1.1"));  // mapped IPv4 matches the IPv4 network
  ASSERT_OK_AND_ASSIGN(TrustedProxies all, TrustedProxies::Parse({"0.0.0.0/0"}));
  EXPECT_TRUE(all.Contains(*IpAddress::Parse("8.8.8.8")));
  EXPECT_FALSE(all.Contains(*IpAddress::Parse("::2")));
  ASSERT_OK_AND_ASSIGN(TrustedProxies odd, TrustedProxies::Parse({"10.0.0.0/9"}));
  EXPECT_TRUE(odd.Contains(*IpAddress::Parse("10.127.0.1")));
  EXPECT_FALSE(odd.Contains(*IpAddress::Parse("10.128.0.1")));
}

TEST(TrustedProxiesTest, RejectsBadEntries) {
  for (std::string bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "x",
                          "[::1]/64", "1.2.3.4:80", "10.0.0.0/8/8"}) {
    auto r = TrustedProxies::Parse({bad});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find(bad), std::string::npos);
  }
}

TEST(ResolveClientAddressTest, OnlyTrustedPeersAreBelieved) {
  ASSERT_OK_AND_ASSIGN(TrustedProxies p, TrustedProxies::Parse({"10.0.0.0/8"}));
  // Untrusted peer: the header is ignored.
  EXPECT_EQ(ResolveClientAddress("8.8.8.8", {"1.1.1.1"}, p), "8.8.8.8");
  // Trusted peer: the right-most untrusted hop is the client.
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", {"6.6.6.6, 1.1.1.1, 10.0.0.2"}, p), "1.1.1.1");
  // Several header lines are one list.
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", {"6.6.6.6", "2.2.2.2"}, p), "2.2.2.2");
  // Every hop trusted: the left-most.
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", {"10.0.0.3, 10.0.0.2"}, p), "10.0.0.3");
  // Garbage stops the walk at the last vouched-for address.
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", {"1.1.1.1, garbage"}, p), "10.0.0.1");
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", {"garbage, 10.0.0.9"}, p), "10.0.0.9");
  // No proxies configured.
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", {"1.1.1.1"}, TrustedProxies()), "10.0.0.1");
  EXPECT_EQ(ResolveClientAddress("10.0.0.1", {" , "}, p), "10.0.0.1");
}

}  // namespace
}  // namespace ds::http
