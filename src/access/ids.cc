#include "access/ids.h"

#include "crypto/crypto.h"
#include "util/base64.h"
#include "util/string_util.h"

namespace ds::access {

Result<std::string> NewUuid() {
  ASSIGN_OR_RETURN(std::string b, crypto::RandomBytes(16));
  b[6] = static_cast<char>((static_cast<uint8_t>(b[6]) & 0x0F) | 0x40);
  b[8] = static_cast<char>((static_cast<uint8_t>(b[8]) & 0x3F) | 0x80);
  std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

Result<std::string> NewRandomId(size_t bytes) {
  // Redrawn while it starts with '-' (1 in 64), so an id never reads as a command-line option.
  while (true) {
    ASSIGN_OR_RETURN(std::string b, crypto::RandomBytes(bytes));
    std::string id = Base64UrlEncode(b);
    if (id.empty() || id[0] != '-') return id;
  }
}

std::optional<std::string> HexDecode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    int hi = value(text[i]), lo = value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace ds::access
