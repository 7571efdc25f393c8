// URL helpers: RFC 3986 percent-encoding (the form every cloud signature canonicalizes to),
// decoding, and a small parser for http(s) endpoint URLs. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::httpclient {

// Appends `s` with every byte except the unreserved set (A-Z a-z 0-9 - . _ ~) written as
// %XX with upper-case hex; '/' is kept as is unless `encode_slash`. UTF-8 is encoded byte
// by byte. This is the encoding of AWS SigV4, GCS V4 and Azure paths.
void AppendUriEncoded(std::string_view s, bool encode_slash, std::string* out);
std::string UriEncode(std::string_view s, bool encode_slash = true);

// Decodes %XX escapes (either case); with `plus_is_space`, '+' becomes ' ' (form encoding).
// InvalidArgument on a truncated or non-hex escape.
Result<std::string> UriDecode(std::string_view s, bool plus_is_space = false);

// An absolute http or https URL split into parts.
struct Url {
  std::string scheme;  // "http" or "https" (lower case)
  std::string host;    // lower case; an IPv6 literal keeps its brackets
  int port = 0;        // explicit port, 0 when the URL has none
  std::string path;    // percent-encoded, starts with '/' (or "" when the URL has none)
  std::string query;   // percent-encoded, without the '?'

  // The port used on the wire (explicit or the scheme's default).
  int EffectivePort() const;
  // The Host header value: "host" or "host:port" when the port is explicit and not the
  // scheme's default.
  std::string Authority() const;
  // "scheme://authority".
  std::string Origin() const;
};

// Parses "http[s]://host[:port][/path][?query][#fragment]" (fragment dropped). InvalidArgument
// for another scheme, user info, an empty or malformed host, or a bad port.
Result<Url> ParseUrl(std::string_view text);

// The URL without its query string, fragment or user info, for error messages and logs
// (pre-signed URLs carry credentials in the query).
std::string RedactUrl(std::string_view url);

}  // namespace ds::httpclient
