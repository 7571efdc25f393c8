#include "http/range.h"

#include <limits>

#include "util/string_util.h"

namespace ds::http {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// Parses 1*DIGIT, saturating at kMax; nullopt if empty or not all digits.
std::optional<int64_t> ParseDigits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    int d = c - '0';
    v = v > (kMax - d) / 10 ? kMax : v * 10 + d;
  }
  return v;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One range-spec: nullopt if malformed, else a RangeRequest of kPartial or kUnsatisfiable.
std::optional<RangeRequest> ParseSpec(std::string_view spec, int64_t size) {
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view first = spec.substr(0, dash);
  std::string_view last = spec.substr(dash + 1);
  RangeRequest r;
  if (first.empty()) {  // suffix-range: "-n"
    std::optional<int64_t> n = ParseDigits(last);
    if (!n) return std::nullopt;
    if (*n == 0 || size == 0) {
      r.kind = RangeRequest::Kind::kUnsatisfiable;
      return r;
    }
    int64_t len = std::min(*n, size);
    r.kind = RangeRequest::Kind::kPartial;
    r.range = {size - len, len};
    return r;
  }
  std::optional<int64_t> a = ParseDigits(first);
  if (!a) return std::nullopt;
  int64_t b = kMax;
  if (!last.empty()) {
    std::optional<int64_t> parsed = ParseDigits(last);
    if (!parsed || *parsed < *a) return std::nullopt;
    b = *parsed;
  }
  if (*a >= size) {
    r.kind = RangeRequest::Kind::kUnsatisfiable;
    return r;
  }
  b = std::min(b, size - 1);
  r.kind = RangeRequest::Kind::kPartial;
  r.range = {*a, b - *a + 1};
  return r;
}

}  // namespace

RangeRequest InterpretRange(std::optional<std::string_view> header, int64_t size) {
  RangeRequest whole;
  if (!header) return whole;
  std::string_view v = TrimOws(*header);
  size_t eq = v.find('=');
  if (eq == std::string_view::npos || !EqualsIgnoreCase(TrimOws(v.substr(0, eq)), "bytes")) {
    return whole;
  }
  std::string_view set = v.substr(eq + 1);
  int specs = 0;
  bool any_satisfiable = false;
  RangeRequest only;
  while (true) {
    size_t comma = set.find(',');
    std::string_view spec = TrimOws(set.substr(0, comma));
    if (!spec.empty()) {  // RFC 9110's list syntax allows empty elements
      std::optional<RangeRequest> r = ParseSpec(spec, size);
      if (!r) return whole;
      ++specs;
      if (r->kind == RangeRequest::Kind::kPartial) any_satisfiable = true;
      only = *r;
    }
    if (comma == std::string_view::npos) break;
    set.remove_prefix(comma + 1);
  }
  if (specs == 0) return whole;
  if (!any_satisfiable) {
    RangeRequest r;
    r.kind = RangeRequest::Kind::kUnsatisfiable;
    return r;
  }
  return specs == 1 ? only : whole;
}

std::string ContentRangeValue(ByteRange range, int64_t size) {
  return "bytes " + std::to_string(range.offset) + "-" +
         std::to_string(range.offset + range.length - 1) + "/" + std::to_string(size);
}

std::string UnsatisfiedRangeValue(int64_t size) { return "bytes */" + std::to_string(size); }

}  // namespace ds::http
