#include "util/decimal.h"

#include <algorithm>

namespace ds {

int128_t Pow10(int n) {
  int128_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

void AppendInt128(int128_t v, std::string* out) {
  char buf[48];
  int pos = 48;
  bool neg = v < 0;
  // Work with the magnitude as unsigned so INT128_MIN is safe.
  unsigned __int128 u = neg ? static_cast<unsigned __int128>(0) - static_cast<unsigned __int128>(v)
                            : static_cast<unsigned __int128>(v);
  do {
    buf[--pos] = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u != 0);
  if (neg) buf[--pos] = '-';
  out->append(buf + pos, 48 - pos);
}

void AppendDecimal(int128_t unscaled, int scale, std::string* out) {
  std::string digits;
  bool neg = unscaled < 0;
  unsigned __int128 u =
      neg ? static_cast<unsigned __int128>(0) - static_cast<unsigned __int128>(unscaled)
          : static_cast<unsigned __int128>(unscaled);
  AppendInt128(static_cast<int128_t>(u), &digits);
  if (scale <= 0) {
    if (neg) out->push_back('-');
    out->append(digits);
    for (int i = 0; i < -scale; ++i) out->push_back('0');
    return;
  }
  if (static_cast<int>(digits.size()) <= scale) {
    digits.insert(0, static_cast<size_t>(scale) - digits.size() + 1, '0');
  }
  if (neg) out->push_back('-');
  out->append(digits, 0, digits.size() - scale);
  out->push_back('.');
  out->append(digits, digits.size() - scale, std::string::npos);
}

Result<int128_t> ParseDecimal(std::string_view text, int precision, int scale) {
  auto bad = [&](const char* why) {
    return Status::InvalidArgument("invalid decimal '" + std::string(text) + "' for decimal(" +
                                   std::to_string(precision) + "," + std::to_string(scale) +
                                   "): " + why);
  };
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  std::string digits;  // all significant digits, without the point
  int frac_digits = 0;
  bool seen_point = false, any = false;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      any = true;
      if (!(digits.empty() && c == '0')) digits.push_back(c);
      if (seen_point) ++frac_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any) return bad("no digits");
  int64_t exponent = 0;
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return bad("unexpected character");
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
    if (i >= s.size()) return bad("empty exponent");
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return bad("unexpected character in exponent");
      exponent = exponent * 10 + (s[i] - '0');
      if (exponent > 1000) return bad("exponent out of range");
    }
    if (eneg) exponent = -exponent;
  }
  // value = digits * 10^(exponent - frac_digits); we want value * 10^scale.
  int64_t shift = exponent - frac_digits + scale;
  if (digits.empty()) return int128_t(0);
  if (shift > 0) {
    if (static_cast<int64_t>(digits.size()) + shift > 38) return bad("too many digits");
    digits.append(static_cast<size_t>(shift), '0');
  } else if (shift < 0) {
    int64_t drop = -shift;
    bool round_up = false;
    if (drop > static_cast<int64_t>(digits.size())) {
      digits.clear();
    } else {
      round_up = digits[digits.size() - drop] >= '5';
      digits.resize(digits.size() - drop);
    }
    if (digits.size() > 38) return bad("too many digits");
    int128_t v = 0;
    for (char c : digits) v = v * 10 + (c - '0');
    if (round_up) ++v;
    if (v > MaxUnscaled(precision)) return bad("value exceeds the precision");
    return neg ? -v : v;
  }
  if (digits.size() > 38) return bad("too many digits");
  int128_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  if (v > MaxUnscaled(precision)) return bad("value exceeds the precision");
  return neg ? -v : v;
}

}  // namespace ds
