// Request-target handling: splitting a target into path and query, percent-decoding, and
// query-string parsing. Pure functions of their input; fuzzed by uri_fuzz.cc.
//
// Paths are kept raw (still percent-encoded) and split into segments *before* decoding, so
// "%2F" inside a segment stays part of that segment and is never confused with the '/'
// that separates segments. '+' means a space only where the caller says so: always in
// query strings (HTML form encoding, which Python, Java and curl --data-urlencode produce),
// and in path segments only on request (Java's URLEncoder encodes a space as '+').
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace ds::http {

struct DecodeOptions {
  // Decode '+' as a space (form encoding). Otherwise '+' stays '+'.
  bool plus_as_space = false;
};

// Decodes "%XX" escapes (either hex case). InvalidArgument naming the offset if a '%' is not
// followed by two hex digits. Decoded bytes are returned as they are (they may be any byte,
// including NUL or invalid UTF-8): callers validate names themselves.
Result<std::string> PercentDecode(std::string_view text, DecodeOptions options = {});
// Like PercentDecode, appending to `out`; false (and `out` partly written) on a malformed
// escape. The allocation-free building block of the functions here.
bool PercentDecodeTo(std::string_view text, DecodeOptions options, std::string* out);
// True if `text` has nothing to decode ('%', or '+' when plus_as_space).
bool IsDecodedForm(std::string_view text, DecodeOptions options);

// Percent-encodes every byte outside RFC 3986 "unreserved" (A-Z a-z 0-9 - . _ ~), with
// upper-case hex. With `keep_slash`, '/' is kept (for encoding whole paths).
std::string PercentEncode(std::string_view text, bool keep_slash = false);

struct RequestTarget {
  std::string_view path;   // raw, starts with '/'
  std::string_view query;  // raw, without the '?'; empty if none
  bool has_query = false;  // a '?' was present (even if the query is empty)
};

// Splits an origin-form target ("/a/b?x=1") or an absolute-form one
// ("http://host:8080/a?x=1", whose path defaults to "/"). The views point into `target`.
// InvalidArgument for "*", authority-form, a '#' fragment, control characters, spaces, or a
// path that does not start with '/'.
Result<RequestTarget> SplitTarget(std::string_view target);

// Splits a raw path ("/a/b%2Fc/") into its raw segments ({"a", "b%2Fc", ""}). The leading
// '/' is dropped; "/" yields one empty segment. Views point into `path`.
// REQUIRES: path starts with '/'.
void SplitPathSegments(std::string_view path, std::vector<std::string_view>* segments);

// Decoded query parameters in order of appearance; duplicates are kept.
class QueryParams {
 public:
  // The first value of `name` (case-sensitive), or nullopt. A bare "flag" has value "".
  std::optional<std::string_view> Get(std::string_view name) const;
  std::vector<std::string_view> GetAll(std::string_view name) const;
  bool Contains(std::string_view name) const { return Get(name).has_value(); }
  size_t size() const { return params_.size(); }
  bool empty() const { return params_.empty(); }
  const std::pair<std::string, std::string>& operator[](size_t i) const { return params_[i]; }
  void Add(std::string name, std::string value) {
    params_.emplace_back(std::move(name), std::move(value));
  }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// Parses a raw query string ("a=1&b=x%20y&c&d=") with form rules: '&' separates pairs (';'
// does not), the first '=' splits name from value, '+' is a space, escapes are decoded in
// names and values; empty pairs ("a=1&&b=2") are skipped. InvalidArgument naming the
// parameter if an escape is malformed.
Result<QueryParams> ParseQuery(std::string_view query);

}  // namespace ds::http
