#include "util/civil_time.h"

#include <cstdio>
#include <cstdlib>

namespace ds {
namespace {

// Floor division and modulo for possibly negative values.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t FloorMod(int64_t a, int64_t b) {
  int64_t r = a % b;
  return r < 0 ? r + b : r;
}

void AppendPadded(int64_t v, int width, std::string* out) {
  char buf[24];
  int n = std::snprintf(buf, sizeof(buf), "%0*lld", width, static_cast<long long>(v));
  out->append(buf, n);
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysInMonth(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// A tiny cursor over the text being parsed.
struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool Done() const { return i >= s.size(); }
  char Peek() const { return Done() ? '\0' : s[i]; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i;
    return true;
  }
  // Reads exactly n digits.
  bool Digits(int n, int64_t* v) {
    if (i + n > s.size()) return false;
    int64_t acc = 0;
    for (int k = 0; k < n; ++k) {
      char c = s[i + k];
      if (c < '0' || c > '9') return false;
      acc = acc * 10 + (c - '0');
    }
    i += n;
    *v = acc;
    return true;
  }
};

bool ParseDateAt(Cursor* c, int64_t* days) {
  int64_t y, m, d;
  bool neg = c->Eat('-');
  // Years may have more than 4 digits.
  size_t start = c->i;
  while (!c->Done() && c->Peek() >= '0' && c->Peek() <= '9') ++c->i;
  size_t len = c->i - start;
  if (len < 4 || len > 9) return false;
  c->i = start;
  if (!c->Digits(static_cast<int>(len), &y)) return false;
  if (neg) y = -y;
  if (!c->Eat('-') || !c->Digits(2, &m) || !c->Eat('-') || !c->Digits(2, &d)) return false;
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, static_cast<int>(m))) return false;
  *days = DaysFromCivil(y, static_cast<int>(m), static_cast<int>(d));
  return true;
}

// HH:MM[:SS[.f+]] -> micros; nanos digits beyond 6 are dropped.
bool ParseTimeAt(Cursor* c, int64_t* micros) {
  int64_t h, mi, sec = 0, frac = 0;
  if (!c->Digits(2, &h) || !c->Eat(':') || !c->Digits(2, &mi)) return false;
  if (c->Eat(':')) {
    if (!c->Digits(2, &sec)) return false;
    if (c->Eat('.')) {
      int digits = 0;
      while (!c->Done() && c->Peek() >= '0' && c->Peek() <= '9') {
        if (digits < 6) frac = frac * 10 + (c->Peek() - '0');
        ++digits;
        ++c->i;
      }
      if (digits == 0) return false;
      for (int k = digits; k < 6; ++k) frac *= 10;
    }
  }
  if (h > 23 || mi > 59 || sec > 60) return false;
  *micros = ((h * 60 + mi) * 60 + sec) * kMicrosPerSecond + frac;
  return true;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {y + (m <= 2), m, d};
}

void AppendDate(int64_t days, std::string* out) {
  CivilDate c = CivilFromDays(days);
  if (c.year < 0) {
    out->push_back('-');
    AppendPadded(-c.year, 4, out);
  } else {
    AppendPadded(c.year, 4, out);
  }
  out->push_back('-');
  AppendPadded(c.month, 2, out);
  out->push_back('-');
  AppendPadded(c.day, 2, out);
}

int64_t UnitsPerSecond(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis:
      return 1000;
    case TimeUnit::kMicros:
      return 1'000'000;
    case TimeUnit::kNanos:
      return 1'000'000'000;
  }
  return 1;
}

void AppendTime(int64_t value, TimeUnit unit, std::string* out) {
  int64_t per_sec = UnitsPerSecond(unit);
  int64_t secs = FloorDiv(value, per_sec);
  int64_t frac = FloorMod(value, per_sec);
  AppendPadded(secs / 3600, 2, out);
  out->push_back(':');
  AppendPadded(secs / 60 % 60, 2, out);
  out->push_back(':');
  AppendPadded(secs % 60, 2, out);
  out->push_back('.');
  switch (unit) {
    case TimeUnit::kMillis:
      AppendPadded(frac * 1000, 6, out);
      break;
    case TimeUnit::kMicros:
      AppendPadded(frac, 6, out);
      break;
    case TimeUnit::kNanos:
      AppendPadded(frac, 9, out);
      break;
  }
}

void AppendTimestamp(int64_t value, TimeUnit unit, bool utc, std::string* out) {
  int64_t per_day = 86400 * UnitsPerSecond(unit);
  int64_t days = FloorDiv(value, per_day);
  AppendDate(days, out);
  out->push_back('T');
  AppendTime(FloorMod(value, per_day), unit, out);
  if (utc) out->push_back('Z');
}

Result<int32_t> ParseDate(std::string_view text) {
  Cursor c{text};
  int64_t days;
  if (!ParseDateAt(&c, &days) || !c.Done() || days < INT32_MIN || days > INT32_MAX)
    return Status::InvalidArgument("invalid date '" + std::string(text) + "' (want YYYY-MM-DD)");
  return static_cast<int32_t>(days);
}

Result<int64_t> ParseTimestampMicros(std::string_view text, bool* had_zone) {
  auto bad = [&] {
    return Status::InvalidArgument("invalid timestamp '" + std::string(text) +
                                   "' (want ISO 8601, e.g. 2024-01-31T12:00:00Z)");
  };
  Cursor c{text};
  int64_t days, micros = 0;
  if (!ParseDateAt(&c, &days)) return bad();
  bool zone = false;
  if (c.Eat('T') || c.Eat(' ')) {
    if (!ParseTimeAt(&c, &micros)) return bad();
    int64_t offset_min = 0;
    if (c.Eat('Z') || c.Eat('z')) {
      zone = true;
    } else if (c.Peek() == '+' || c.Peek() == '-') {
      int sign = c.Peek() == '-' ? -1 : 1;
      ++c.i;
      int64_t oh, om = 0;
      if (!c.Digits(2, &oh)) return bad();
      if (c.Eat(':')) {
        if (!c.Digits(2, &om)) return bad();
      } else if (!c.Done()) {
        if (!c.Digits(2, &om)) return bad();
      }
      if (oh > 18 || om > 59) return bad();
      offset_min = sign * (oh * 60 + om);
      zone = true;
    }
    micros -= offset_min * 60 * kMicrosPerSecond;
  }
  if (!c.Done()) return bad();
  if (had_zone) *had_zone = zone;
  if (days > INT64_MAX / kMicrosPerDay - 1 || days < INT64_MIN / kMicrosPerDay + 1) return bad();
  return days * kMicrosPerDay + micros;
}

Result<int64_t> ParseTimeMicros(std::string_view text) {
  Cursor c{text};
  int64_t micros;
  if (!ParseTimeAt(&c, &micros) || !c.Done())
    return Status::InvalidArgument("invalid time '" + std::string(text) + "' (want HH:MM:SS)");
  return micros;
}

}  // namespace ds
