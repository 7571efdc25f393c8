// Small string helpers used across modules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

std::vector<std::string_view> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
std::string_view Trim(std::string_view s);
std::string ToLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
inline bool StartsWith(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
inline bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Parses a whole decimal integer (optional sign); nullopt on any other character or overflow.
std::optional<int64_t> ParseInt64(std::string_view s);
std::optional<uint64_t> ParseUInt64(std::string_view s);
// Parses a whole floating-point number, also "NaN", "Infinity", "-Infinity", "inf".
std::optional<double> ParseDouble(std::string_view s);

// Lower-case hex of `bytes`.
std::string HexEncode(std::string_view bytes);
// True if `s` is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Human-readable byte count: "1.5 MiB".
std::string FormatBytes(double bytes);

}  // namespace ds
