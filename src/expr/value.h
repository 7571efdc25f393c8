// Exact value arithmetic shared by the evaluators: decimal text parsed without passing through
// double, values at a target scale as (floor, has-fraction) pairs, and the text forms of
// Delta partition values and stats (delta.md §8, §9).
//
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "util/civil_time.h"
#include "util/decimal.h"

namespace ds::expr {

// A decimal number read exactly from text: value = unscaled x 10^-scale (scale may be
// negative). At most 38 significant digits are kept; `truncated` says nonzero digits beyond
// them were dropped (the true magnitude is then slightly larger than unscaled x 10^-scale).
struct ExactNumber {
  int128_t unscaled = 0;
  int32_t scale = 0;
  bool truncated = false;
};

// Parses "[+-]digits[.digits][(e|E)[+-]digits]" (also ".5" and "5."); nullopt on anything
// else, including NaN/Infinity and exponents beyond +-100000.
std::optional<ExactNumber> ParseExactNumber(std::string_view text);

// A value at a fixed scale: floor (an integer count of 10^-scale units) plus a flag saying
// the value lies strictly between floor and floor + 1. Values beyond +-10^38 units are
// clamped to +-10^38 (above every decimal(38) value), with `clamped` set.
struct ScaledValue {
  int128_t floor = 0;
  bool frac = false;
  bool clamped = false;
};

constexpr int128_t kClampMagnitude = static_cast<int128_t>(10'000'000'000'000'000'000ULL) *
                                     static_cast<int128_t>(10'000'000'000'000'000'000ULL);

// Converts to `scale` (0..38). Exact: frac is set iff digits below the scale are nonzero.
ScaledValue ToScaled(const ExactNumber& number, int32_t scale);

// Three-way comparison of scaled values: <0, 0, >0. Two values with frac and the same floor
// compare equal; callers never compare two fractional values (only literals can be).
inline int CompareScaled(int128_t a, bool a_frac, int128_t b, bool b_frac) {
  if (a != b) return a < b ? -1 : 1;
  return static_cast<int>(a_frac) - static_cast<int>(b_frac);
}

// Parses a number that is exactly representable at `scale` (e.g. "12.50" at scale 2 ->
// 1250, "1E3" at 0 -> 1000); nullopt for malformed text, digits below the scale, or a
// magnitude of 10^38 units or more.
std::optional<int128_t> ParseExactAtScale(std::string_view text, int32_t scale);

// Parses a float or double: decimal/scientific text, NaN, Infinity, -Infinity (Java
// toString forms). `as_float32` rounds the text straight to float (not via double).
std::optional<double> ParseFloating(std::string_view text, bool as_float32);

// Bool text "true"/"false" (any case).
std::optional<bool> ParseBoolText(std::string_view text);

// Microseconds -> `unit`, rounding down (floor) or up (ceil).
int128_t MicrosToUnitFloor(int128_t micros, TimeUnit unit);
int128_t MicrosToUnitCeil(int128_t micros, TimeUnit unit);

// Number of Unicode code points in UTF-8 text (counts non-continuation bytes).
size_t CodePointCount(std::string_view utf8);

}  // namespace ds::expr
