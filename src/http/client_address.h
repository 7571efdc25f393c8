// Client addresses behind reverse proxies: trusted proxy networks and X-Forwarded-For.
// Pure; fuzzed by client_address_fuzz.cc.
//
// X-Forwarded-For is only believed when the TCP peer is a trusted proxy; then the list is
// walked from the right (the hop closest to us), skipping trusted proxies, and the first
// untrusted address is the client. Anything else (an untrusted peer, a malformed entry) falls
// back to the last address a trusted party vouched for, so a client cannot choose its own
// logged address by sending the header itself.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace ds::http {

// An IPv4 or IPv6 address, IPv4 stored as IPv4-mapped IPv6 (::ffff:a.b.c.d).
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool is_v4 = false;

  // Parses "1.2.3.4", "::1", "[::1]", "1.2.3.4:8080", "[::1]:8080"; nullopt otherwise.
  static std::optional<IpAddress> Parse(std::string_view text);
  // Canonical text ("1.2.3.4", "::1"; mapped IPv4 prints as IPv4).
  std::string ToString() const;
};

class TrustedProxies {
 public:
  // Parses networks ("10.0.0.0/8", "fd00::/8") and single addresses ("127.0.0.1", "::1").
  // InvalidArgument naming the bad entry (bad address, prefix out of range).
  static Result<TrustedProxies> Parse(const std::vector<std::string>& networks);

  bool empty() const { return networks_.empty(); }
  bool Contains(const IpAddress& ip) const;

 private:
  struct Network {
    IpAddress base;  // host bits cleared
    int prefix;      // over the 128-bit (mapped) form
  };
  std::vector<Network> networks_;
};

// The client's address for a connection from `peer` (an IP literal) that sent the given
// X-Forwarded-For header values (all header lines, in order).
std::string ResolveClientAddress(std::string_view peer,
                                 const std::vector<std::string_view>& forwarded_for,
                                 const TrustedProxies& trusted);

}  // namespace ds::http
