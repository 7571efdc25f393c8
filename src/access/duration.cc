#include "access/duration.h"

#include <limits>

#include "util/string_util.h"

namespace ds::access {

Result<int64_t> ParseDurationSeconds(std::string_view text) {
  std::string_view s = Trim(text);
  auto bad = [&] {
    return Status::InvalidArgument("'" + std::string(text.substr(0, 64)) +
                                   "' is not a duration (examples: 90s, 15m, 24h, 7d, 1h30m)");
  };
  if (s.empty()) return bad();
  if (auto plain = ParseInt64(s)) {
    if (*plain < 0) return bad();
    return *plain;
  }
  int64_t total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start || i == s.size() || i - start > 12) return bad();
    int64_t n = *ParseInt64(s.substr(start, i - start));
    int64_t unit = 0;
    switch (s[i]) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'w':
        unit = 7 * 86400;
        break;
      default:
        return bad();
    }
    ++i;
    if (n > (std::numeric_limits<int64_t>::max() - total) / unit) return bad();
    total += n * unit;
  }
  return total;
}

std::string FormatDurationSeconds(int64_t seconds) {
  if (seconds <= 0) return "0s";
  std::string out;
  const std::pair<int64_t, char> units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (auto [size, name] : units) {
    if (seconds >= size) {
      out += std::to_string(seconds / size);
      out.push_back(name);
      seconds %= size;
    }
  }
  return out;
}

}  // namespace ds::access
