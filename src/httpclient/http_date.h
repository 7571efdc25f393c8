// HTTP dates (RFC 9110 §5.6.7) and the Retry-After header. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::httpclient {

// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate) for ms since the epoch (ms truncated).
std::string FormatHttpDate(int64_t epoch_ms);
// Parses IMF-fixdate, the obsolete RFC 850 form ("Sunday, 06-Nov-94 08:49:37 GMT") and the
// asctime form ("Sun Nov  6 08:49:37 1994") into ms since the epoch. InvalidArgument
// otherwise (also for impossible dates such as Feb 30).
Result<int64_t> ParseHttpDate(std::string_view text);

// The wait a Retry-After value asks for, in ms from `now_ms`: delay-seconds or an HTTP
// date (a date in the past gives 0). nullopt when the value is neither.
std::optional<int64_t> ParseRetryAfterMs(std::string_view value, int64_t now_ms);

}  // namespace ds::httpclient
