// Fuzzes trusted-proxy networks, IP parsing and X-Forwarded-For resolution. Input lines:
// networks (comma-separated), then the peer, then X-Forwarded-For header values.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/client_address.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  while (!input.empty() && lines.size() < 32) {
    size_t nl = input.find('\n');
    lines.push_back(input.substr(0, nl));
    input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  }
  if (lines.size() < 2) return 0;
  std::vector<std::string> networks;
  std::string_view list = lines[0];
  while (!list.empty()) {
    size_t comma = list.find(',');
    networks.emplace_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  auto proxies = ds::http::TrustedProxies::Parse(networks);
  if (!proxies.ok()) proxies = ds::http::TrustedProxies::Parse({"127.0.0.0/8", "::1"});
  auto ip = ds::http::IpAddress::Parse(lines[1]);
  if (ip) {
    auto again = ds::http::IpAddress::Parse(ip->ToString());
    if (!again || again->bytes != ip->bytes) __builtin_trap();  // canonical text round-trips
  }
  std::vector<std::string_view> forwarded(lines.begin() + 2, lines.end());
  std::string client = ds::http::ResolveClientAddress(lines[1], forwarded, *proxies);
  (void)client;
  return 0;
}
