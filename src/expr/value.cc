#include "expr/value.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "util/string_util.h"

namespace ds::expr {

namespace {

constexpr int kMaxDigits = 38;
constexpr int64_t kMaxExponent = 100000;

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<ExactNumber> ParseExactNumber(std::string_view s) {
  size_t i = 0, n = s.size();
  bool negative = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  ExactNumber out;
  int digits = 0;     // significant digits kept
  int64_t scale = 0;  // fraction digits kept minus integer digits dropped
  bool any_digit = false;
  bool seen_point = false;
  for (; i < n; ++i) {
    char c = s[i];
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (!IsDigit(c)) break;
    any_digit = true;
    int d = c - '0';
    if (digits == 0 && d == 0) {
      if (seen_point) ++scale;  // leading zeros after the point still shift the scale
      continue;
    }
    if (digits < kMaxDigits) {
      out.unscaled = out.unscaled * 10 + d;
      ++digits;
      if (seen_point) ++scale;
    } else {
      if (d != 0) out.truncated = true;
      if (!seen_point) --scale;
    }
  }
  if (!any_digit) return std::nullopt;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
    if (i >= n) return std::nullopt;
    int64_t exp = 0;
    for (; i < n && IsDigit(s[i]); ++i) {
      exp = exp * 10 + (s[i] - '0');
      if (exp > kMaxExponent) return std::nullopt;
    }
    if (i < n) return std::nullopt;
    scale += exp_negative ? exp : -exp;
  }
  if (i != n) return std::nullopt;
  if (out.unscaled == 0) scale = 0;
  if (scale > INT32_MAX / 2 || scale < INT32_MIN / 2) return std::nullopt;
  out.scale = static_cast<int32_t>(scale);
  if (negative) out.unscaled = -out.unscaled;
  return out;
}

ScaledValue ToScaled(const ExactNumber& number, int32_t scale) {
  ScaledValue out;
  const int128_t u = number.unscaled;
  const bool negative = u < 0;
  if (u == 0) return out;
  int64_t k = static_cast<int64_t>(scale) - number.scale;
  if (k >= 0) {
    int128_t magnitude = negative ? -u : u;
    if (k > kMaxDigits || magnitude > kClampMagnitude / Pow10(static_cast<int>(k))) {
      out.floor = negative ? -kClampMagnitude : kClampMagnitude;
      out.clamped = true;
      return out;
    }
    out.floor = u * Pow10(static_cast<int>(k));
    if (number.truncated) {
      out.frac = true;
      if (negative) out.floor -= 1;
    }
    return out;
  }
  int128_t q = 0, r = u;
  if (-k <= kMaxDigits) {
    int128_t p = Pow10(static_cast<int>(-k));
    q = u / p;
    r = u % p;
  }
  bool inexact = r != 0 || number.truncated;
  out.floor = q;
  if (inexact) {
    out.frac = true;
    if (negative) out.floor -= 1;
  }
  return out;
}

std::optional<int128_t> ParseExactAtScale(std::string_view text, int32_t scale) {
  auto n = ParseExactNumber(text);
  if (!n) return std::nullopt;
  ScaledValue v = ToScaled(*n, scale);
  if (v.frac || v.clamped || v.floor >= kClampMagnitude || v.floor <= -kClampMagnitude) {
    return std::nullopt;
  }
  return v.floor;
}

std::optional<double> ParseFloating(std::string_view text, bool as_float32) {
  if (!as_float32) return ParseDouble(text);
  std::string_view s = text;
  if (s == "NaN" || s == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (s == "Infinity" || s == "+Infinity" || s == "inf") {
    return std::numeric_limits<double>::infinity();
  }
  if (s == "-Infinity" || s == "-inf") return -std::numeric_limits<double>::infinity();
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  float v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (p != s.data() + s.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Overflow rounds to infinity, underflow to zero, as Java's Float.parseFloat does.
    auto d = ParseDouble(s);
    if (!d) return std::nullopt;
    if (std::fabs(*d) > 1) return std::copysign(std::numeric_limits<double>::infinity(), *d);
    return std::copysign(0.0, *d);
  }
  if (ec != std::errc()) return std::nullopt;
  return static_cast<double>(v);
}

std::optional<bool> ParseBoolText(std::string_view text) {
  if (EqualsIgnoreCase(text, "true")) return true;
  if (EqualsIgnoreCase(text, "false")) return false;
  return std::nullopt;
}

int128_t MicrosToUnitFloor(int128_t micros, TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis: {
      int128_t q = micros / 1000;
      return micros % 1000 < 0 ? q - 1 : q;
    }
    case TimeUnit::kNanos:
      return micros * 1000;
    case TimeUnit::kMicros:
      break;
  }
  return micros;
}

int128_t MicrosToUnitCeil(int128_t micros, TimeUnit unit) {
  if (unit != TimeUnit::kMillis) return MicrosToUnitFloor(micros, unit);
  int128_t q = micros / 1000;
  return micros % 1000 > 0 ? q + 1 : q;
}

size_t CodePointCount(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace ds::expr
