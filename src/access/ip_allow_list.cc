#include "access/ip_allow_list.h"

#include <arpa/inet.h>

#include <cstring>
#include <optional>

#include "util/string_util.h"

namespace ds::access {
namespace {

constexpr uint8_t kV4MappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

// inet_pton wants a NUL-terminated string; addresses are short.
bool ToCString(std::string_view text, char (&buf)[64]) {
  if (text.empty() || text.size() >= sizeof(buf)) return false;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  return true;
}

}  // namespace

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  char buf[64];
  IpAddress out;
  if (ToCString(text, buf)) {
    in_addr v4;
    if (inet_pton(AF_INET, buf, &v4) == 1) {
      std::memcpy(out.bytes.data(), kV4MappedPrefix, 12);
      std::memcpy(out.bytes.data() + 12, &v4, 4);
      out.is_v4 = true;
      return out;
    }
    in6_addr v6;
    if (inet_pton(AF_INET6, buf, &v6) == 1) {
      std::memcpy(out.bytes.data(), &v6, 16);
      out.is_v4 = std::memcmp(out.bytes.data(), kV4MappedPrefix, 12) == 0;
      return out;
    }
  }
  return Status::InvalidArgument("'" + std::string(text.substr(0, 64)) +
                                 "' is not an IPv4 or IPv6 address");
}

Result<CidrBlock> CidrBlock::Parse(std::string_view text) {
  text = Trim(text);
  std::string_view address_text = text;
  std::optional<int64_t> bits;
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    address_text = text.substr(0, slash);
    std::string_view bits_text = text.substr(slash + 1);
    bool digits = !bits_text.empty() && bits_text.size() <= 3;
    for (char c : bits_text) digits = digits && c >= '0' && c <= '9';
    if (digits) bits = ParseInt64(bits_text);
    if (!bits) {
      return Status::InvalidArgument("CIDR block '" + std::string(text.substr(0, 64)) +
                                     "': prefix length is not a number");
    }
  }
  if (address_text.find('[') != std::string_view::npos) {
    return Status::InvalidArgument("CIDR block '" + std::string(text.substr(0, 64)) +
                                   "': brackets are not allowed");
  }
  auto address = IpAddress::Parse(address_text);
  if (!address.ok()) {
    return Status::InvalidArgument("CIDR block '" + std::string(text.substr(0, 64)) +
                                   "': " + address.status().message());
  }
  const bool v4_text = address_text.find(':') == std::string_view::npos;
  const int max_bits = v4_text ? 32 : 128;
  int64_t prefix = bits.value_or(max_bits);
  if (prefix > max_bits) {
    return Status::InvalidArgument("CIDR block '" + std::string(text) + "': prefix length " +
                                   std::to_string(prefix) + " exceeds " + std::to_string(max_bits));
  }
  CidrBlock block;
  block.network_ = *address;
  block.prefix_bits_ = static_cast<int>(v4_text ? prefix + 96 : prefix);
  for (int bit = block.prefix_bits_; bit < 128; ++bit) {
    if (block.network_.bytes[bit / 8] & (0x80 >> (bit % 8))) {
      return Status::InvalidArgument("CIDR block '" + std::string(text) +
                                     "' has bits set after the prefix length");
    }
  }
  return block;
}

bool CidrBlock::Contains(const IpAddress& address) const {
  int full = prefix_bits_ / 8;
  if (std::memcmp(address.bytes.data(), network_.bytes.data(), full) != 0) return false;
  int rest = prefix_bits_ % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (address.bytes[full] & mask) == (network_.bytes[full] & mask);
}

std::string CidrBlock::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (network_.is_v4 && prefix_bits_ >= 96) {
    inet_ntop(AF_INET, network_.bytes.data() + 12, buf, sizeof(buf));
    return std::string(buf) + "/" + std::to_string(prefix_bits_ - 96);
  }
  inet_ntop(AF_INET6, network_.bytes.data(), buf, sizeof(buf));
  return std::string(buf) + "/" + std::to_string(prefix_bits_);
}

Result<IpAllowList> IpAllowList::Parse(const std::vector<std::string>& cidrs) {
  IpAllowList list;
  list.blocks_.reserve(cidrs.size());
  for (const auto& text : cidrs) {
    ASSIGN_OR_RETURN(CidrBlock block, CidrBlock::Parse(text));
    list.blocks_.push_back(block);
  }
  return list;
}

bool IpAllowList::Allows(const IpAddress& address) const {
  if (blocks_.empty()) return true;
  for (const auto& block : blocks_) {
    if (block.Contains(address)) return true;
  }
  return false;
}

bool IpAllowList::Allows(std::string_view client_address) const {
  if (blocks_.empty()) return true;
  auto address = IpAddress::Parse(client_address);
  return address.ok() && Allows(*address);
}

std::vector<std::string> IpAllowList::ToStrings() const {
  std::vector<std::string> out;
  out.reserve(blocks_.size());
  for (const auto& block : blocks_) out.push_back(block.ToString());
  return out;
}

Result<std::vector<std::string>> CanonicalCidrs(const std::vector<std::string>& cidrs) {
  ASSIGN_OR_RETURN(IpAllowList list, IpAllowList::Parse(cidrs));
  return list.ToStrings();
}

}  // namespace ds::access
