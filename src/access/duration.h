// Durations as people type them: "90s", "15m", "24h", "7d", "1h30m", or plain seconds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::access {

// Seconds in `text`: a sequence of <number><unit> with units s, m, h, d, w, or a bare
// number of seconds. InvalidArgument for anything else, a negative value or overflow.
Result<int64_t> ParseDurationSeconds(std::string_view text);

// The shortest such form: 86400 -> "1d", 5400 -> "1h30m", 0 -> "0s".
std::string FormatDurationSeconds(int64_t seconds);

}  // namespace ds::access
