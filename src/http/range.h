// The Range request header (RFC 9110 §14) for byte ranges. Pure; fuzzed by range_fuzz.cc.
//
// Only a single range is served as 206. A header that asks for several ranges is ignored
// (the whole representation is sent as 200, which RFC 9110 allows), unless none of them is
// satisfiable (416). A header with another unit or bad syntax is ignored too, as the RFC
// requires.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ds::http {

struct ByteRange {
  int64_t offset = 0;
  int64_t length = 0;
};

struct RangeRequest {
  enum class Kind : uint8_t {
    kWhole,          // no usable Range: send everything as 200
    kPartial,        // one satisfiable range (clamped to the size): 206
    kUnsatisfiable,  // no requested byte exists: 416
  };
  Kind kind = Kind::kWhole;
  ByteRange range;  // kPartial only
};

// Interprets `header` (the Range value, or nullopt when absent) for a representation of
// `size` bytes. "bytes=a-b", "bytes=a-" and "bytes=-n" (the last n bytes; all of them if
// n > size) are understood; the unit is case-insensitive and whitespace around ranges and
// commas is allowed.
RangeRequest InterpretRange(std::optional<std::string_view> header, int64_t size);

// "bytes 0-99/1000" for a 206.
std::string ContentRangeValue(ByteRange range, int64_t size);
// "bytes */1000" for a 416.
std::string UnsatisfiedRangeValue(int64_t size);

}  // namespace ds::http
