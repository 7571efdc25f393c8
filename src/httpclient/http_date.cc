#include "httpclient/http_date.h"

#include <cstdio>

#include "util/civil_time.h"
#include "util/string_util.h"

namespace ds::httpclient {
namespace {

constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun",
                                 "Mon", "Tue", "Wed"};  // from 1970-01-01
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int MonthIndex(std::string_view name) {
  for (int i = 0; i < 12; ++i) {
    if (name == kMonths[i]) return i + 1;
  }
  return 0;
}

// Reads exactly `n` digits at *pos.
bool Digits(std::string_view s, size_t* pos, size_t n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Literal(std::string_view s, size_t* pos, std::string_view lit) {
  if (s.substr(*pos, lit.size()) != lit) return false;
  *pos += lit.size();
  return true;
}

bool Time(std::string_view s, size_t* pos, int* h, int* m, int* sec) {
  return Digits(s, pos, 2, h) && Literal(s, pos, ":") && Digits(s, pos, 2, m) &&
         Literal(s, pos, ":") && Digits(s, pos, 2, sec);
}

Result<int64_t> Combine(std::string_view text, int year, int month, int day, int h, int m, int s) {
  if (month < 1 || month > 12 || day < 1 || h > 23 || m > 59 || s > 60) {
    return Status::InvalidArgument("http date: field out of range in '" + std::string(text) + "'");
  }
  const int64_t days = DaysFromCivil(year, month, day);
  const CivilDate back = CivilFromDays(days);
  if (back.month != month || back.day != day) {
    return Status::InvalidArgument("http date: no such day in '" + std::string(text) + "'");
  }
  return ((days * 24 + h) * 60 + m) * 60000LL + s * 1000LL;
}

}  // namespace

std::string FormatHttpDate(int64_t epoch_ms) {
  const int64_t secs = FloorDiv(epoch_ms, 1000);
  const int64_t days = FloorDiv(secs, 86400);
  const int64_t sod = secs - days * 86400;
  const CivilDate d = CivilFromDays(days);
  const int64_t weekday = ((days % 7) + 7) % 7;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s, %02d %s %04lld %02d:%02d:%02d GMT", kDays[weekday], d.day,
                kMonths[d.month - 1], static_cast<long long>(d.year), static_cast<int>(sod / 3600),
                static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
  return buf;
}

Result<int64_t> ParseHttpDate(std::string_view text) {
  const std::string_view t = Trim(text);
  const Status bad = Status::InvalidArgument("http date: cannot parse '" + std::string(text) + "'");
  size_t comma = t.find(',');
  int day = 0, year = 0, h = 0, m = 0, s = 0;
  if (comma == 3) {  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    size_t pos = 4;
    if (!Literal(t, &pos, " ") || !Digits(t, &pos, 2, &day) || !Literal(t, &pos, " ")) return bad;
    const int month = MonthIndex(t.substr(pos, 3));
    pos += 3;
    if (month == 0 || !Literal(t, &pos, " ") || !Digits(t, &pos, 4, &year) ||
        !Literal(t, &pos, " ") || !Time(t, &pos, &h, &m, &s) || !Literal(t, &pos, " GMT") ||
        pos != t.size()) {
      return bad;
    }
    return Combine(text, year, month, day, h, m, s);
  }
  if (comma != std::string_view::npos) {  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
    size_t pos = comma + 1;
    if (!Literal(t, &pos, " ") || !Digits(t, &pos, 2, &day) || !Literal(t, &pos, "-")) return bad;
    const int month = MonthIndex(t.substr(pos, 3));
    pos += 3;
    if (month == 0 || !Literal(t, &pos, "-") || !Digits(t, &pos, 2, &year) ||
        !Literal(t, &pos, " ") || !Time(t, &pos, &h, &m, &s) || !Literal(t, &pos, " GMT") ||
        pos != t.size()) {
      return bad;
    }
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    year += year < 70 ? 2000 : 1900;
    return Combine(text, year, month, day, h, m, s);
  }
  // asctime: "Sun Nov  6 08:49:37 1994"
  if (t.size() != 24 || t[3] != ' ' || t[7] != ' ') return bad;
  const int month = MonthIndex(t.substr(4, 3));
  size_t pos = 8;
  if (t[pos] == ' ') {
    ++pos;
    if (!Digits(t, &pos, 1, &day)) return bad;
  } else if (!Digits(t, &pos, 2, &day)) {
    return bad;
  }
  if (month == 0 || !Literal(t, &pos, " ") || !Time(t, &pos, &h, &m, &s) ||
      !Literal(t, &pos, " ") || !Digits(t, &pos, 4, &year) || pos != t.size()) {
    return bad;
  }
  return Combine(text, year, month, day, h, m, s);
}

std::optional<int64_t> ParseRetryAfterMs(std::string_view value, int64_t now_ms) {
  const std::string_view v = Trim(value);
  if (!v.empty() && v.find_first_not_of("0123456789") == std::string_view::npos) {
    auto secs = ParseInt64(v);
    if (!secs || *secs > 100'000'000) return std::nullopt;  // absurd or overflowing
    return *secs * 1000;
  }
  auto when = ParseHttpDate(v);
  if (!when.ok()) return std::nullopt;
  return *when > now_ms ? *when - now_ms : 0;
}

}  // namespace ds::httpclient
