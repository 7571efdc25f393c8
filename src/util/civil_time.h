// Calendar arithmetic (proleptic Gregorian, UTC) and the text forms deltashare prints and
// parses for dates, times and timestamps. No time zones: values are UTC instants or wall
// clock readings, as the caller says.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ds {

enum class TimeUnit : uint8_t { kMillis, kMicros, kNanos };

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400LL * kMicrosPerSecond;

struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

// Days since 1970-01-01 of a civil date, and back (valid for any int64 day count that
// does not overflow the year).
int64_t DaysFromCivil(int64_t year, int month, int day);
CivilDate CivilFromDays(int64_t days);

// "YYYY-MM-DD"; years outside 0..9999 are printed with as many digits as needed and a '-'
// sign when negative.
void AppendDate(int64_t days, std::string* out);
// "YYYY-MM-DDTHH:MM:SS.ffffff" (+"Z" when utc); nanosecond units print 9 fraction digits.
void AppendTimestamp(int64_t value, TimeUnit unit, bool utc, std::string* out);
// "HH:MM:SS.ffffff" (9 digits for nanoseconds).
void AppendTime(int64_t value, TimeUnit unit, std::string* out);

// Units per second for a unit.
int64_t UnitsPerSecond(TimeUnit unit);

// "YYYY-MM-DD" -> days since the epoch. InvalidArgument if malformed or not a real date.
Result<int32_t> ParseDate(std::string_view text);
// ISO 8601 "YYYY-MM-DD[T| ]HH:MM[:SS[.fffffffff]][Z|+HH[:MM]|-HH[:MM]]" or a bare date, as
// microseconds since the epoch (the offset, if any, is applied; none means UTC). `had_zone`
// (optional) reports whether an offset or Z was present. Sub-microsecond digits truncate.
Result<int64_t> ParseTimestampMicros(std::string_view text, bool* had_zone = nullptr);
// "HH:MM[:SS[.ffffff]]" -> microseconds since midnight.
Result<int64_t> ParseTimeMicros(std::string_view text);

}  // namespace ds
