// Client address allow-lists: CIDR blocks (IPv4 and IPv6) and matching addresses against them.
//
// A block is "a.b.c.d/n" (n in 0..32) or "x:x::x/n" (n in 0..128); a bare address means a
// single host. Host bits below the prefix must be zero ("10.0.0.1/8" is refused, as a likely
// typo). IPv4-mapped IPv6 addresses ("::ffff:10.1.2.3", as dual-stack sockets report IPv4
// peers) match IPv4 blocks. Values are immutable after construction and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace ds::access {

// An IPv4 or IPv6 address as 16 bytes (IPv4 as an IPv4-mapped IPv6 address).
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool is_v4 = false;

  // Parses "10.1.2.3", "2001:db8::1", "::ffff:10.1.2.3" or "[2001:db8::1]" (the bracketed
  // form of URLs). InvalidArgument for anything else (ports, zone ids, host names).
  static Result<IpAddress> Parse(std::string_view text);
};

class CidrBlock {
 public:
  // InvalidArgument naming the problem for a malformed block.
  static Result<CidrBlock> Parse(std::string_view text);

  bool Contains(const IpAddress& address) const;
  // Canonical text: "10.0.0.0/8", "2001:db8::/32".
  std::string ToString() const;

 private:
  IpAddress network_;
  int prefix_bits_ = 0;  // over the 128-bit form
};

class IpAllowList {
 public:
  // An empty list allows every address.
  IpAllowList() = default;
  // InvalidArgument naming the first malformed entry.
  static Result<IpAllowList> Parse(const std::vector<std::string>& cidrs);

  bool empty() const { return blocks_.empty(); }
  bool Allows(const IpAddress& address) const;
  // Parses `client_address` first; an unparsable address is refused when the list is not
  // empty.
  bool Allows(std::string_view client_address) const;
  // Canonical text of every block.
  std::vector<std::string> ToStrings() const;

 private:
  std::vector<CidrBlock> blocks_;
};

// Canonical forms of `cidrs` (InvalidArgument for a malformed one).
Result<std::vector<std::string>> CanonicalCidrs(const std::vector<std::string>& cidrs);

}  // namespace ds::access
