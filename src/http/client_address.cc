#include "http/client_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "util/string_util.h"

namespace ds::http {
namespace {

// Leaves only the address of "[v6]:port", "[v6]", "v4:port".
std::string_view StripPortAndBrackets(std::string_view text) {
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return {};
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || rest.size() == 1)) return {};
    return text.substr(1, close - 1);
  }
  size_t colon = text.find(':');
  if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    return text.substr(0, colon);  // exactly one ':': IPv4 with a port
  }
  return text;
}

// Parses an address without port or brackets.
std::optional<IpAddress> ParseBare(std::string_view addr) {
  if (addr.empty() || addr.size() > 45) return std::nullopt;
  char buf[64];
  std::memcpy(buf, addr.data(), addr.size());
  buf[addr.size()] = '\0';
  IpAddress ip;
  in_addr v4;
  if (inet_pton(AF_INET, buf, &v4) == 1) {
    ip.is_v4 = true;
    ip.bytes[10] = ip.bytes[11] = 0xff;
    std::memcpy(ip.bytes.data() + 12, &v4, 4);
    return ip;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, buf, &v6) == 1) {
    std::memcpy(ip.bytes.data(), &v6, 16);
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    ip.is_v4 = std::memcmp(ip.bytes.data(), kMapped, 12) == 0;
    return ip;
  }
  return std::nullopt;
}

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  return ParseBare(StripPortAndBrackets(Trim(text)));
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  if (is_v4) {
    inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof(buf));
  } else {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof(buf));
  }
  return buf;
}

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& networks) {
  TrustedProxies out;
  for (const std::string& entry : networks) {
    std::string_view text = Trim(entry);
    size_t slash = text.find('/');
    std::optional<IpAddress> ip = ParseBare(text.substr(0, slash));
    if (!ip) {
      return Status::InvalidArgument("trusted proxy '" + entry +
                                     "' is not an IP address or network");
    }
    int max_prefix = ip->is_v4 ? 32 : 128;
    int prefix = max_prefix;
    if (slash != std::string_view::npos) {
      std::string_view digits = text.substr(slash + 1);
      bool all_digits = !digits.empty() && digits.size() <= 3 &&
                        digits.find_first_not_of("0123456789") == std::string_view::npos;
      std::optional<int64_t> p = all_digits ? ParseInt64(digits) : std::nullopt;
      if (!p || *p > max_prefix) {
        return Status::InvalidArgument("trusted proxy '" + entry +
                                       "' has a prefix length outside 0-" +
                                       std::to_string(max_prefix));
      }
      prefix = static_cast<int>(*p);
    }
    Network n{*ip, ip->is_v4 ? prefix + 96 : prefix};
    for (int bit = n.prefix; bit < 128; ++bit) n.base.bytes[bit / 8] &= ~(0x80 >> (bit % 8));
    out.networks_.push_back(n);
  }
  return out;
}

bool TrustedProxies::Contains(const IpAddress& ip) const {
  for (const Network& n : networks_) {
    int full = n.prefix / 8;
    if (std::memcmp(ip.bytes.data(), n.base.bytes.data(), full) != 0) continue;
    int rest = n.prefix % 8;
    if (rest != 0) {
      uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
      if ((ip.bytes[full] & mask) != n.base.bytes[full]) continue;
    }
    return true;
  }
  return false;
}

std::string ResolveClientAddress(std::string_view peer,
                                 const std::vector<std::string_view>& forwarded_for,
                                 const TrustedProxies& trusted) {
  std::optional<IpAddress> peer_ip = IpAddress::Parse(peer);
  if (!peer_ip) return std::string(peer);
  std::string best = peer_ip->ToString();
  if (trusted.empty() || forwarded_for.empty() || !trusted.Contains(*peer_ip)) return best;
  // Walk the hops right to left: header lines last to first, entries last to first.
  for (size_t line = forwarded_for.size(); line-- > 0;) {
    std::string_view list = forwarded_for[line];
    while (true) {
      size_t comma = list.rfind(',');
      std::string_view entry =
          Trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
      if (!entry.empty()) {
        std::optional<IpAddress> hop = IpAddress::Parse(entry);
        if (!hop) return best;  // garbage: keep the last vouched-for address
        best = hop->ToString();
        if (!trusted.Contains(*hop)) return best;
      }
      if (comma == std::string_view::npos) break;
      list = list.substr(0, comma);
    }
  }
  return best;
}

}  // namespace ds::http
