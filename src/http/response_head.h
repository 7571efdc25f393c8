// Serializing a response's status line and header block (internal to the server).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "http/headers.h"
#include "util/status.h"

namespace ds::http::internal {

// How the body is delimited on the wire.
enum class Framing : uint8_t {
  kNone,           // no body at all (1xx, 204, 304)
  kContentLength,  // Content-Length: content_length
  kChunked,        // Transfer-Encoding: chunked
  kClose,          // close-delimited (HTTP/1.0 clients with a stream of unknown length)
};

struct HeadParams {
  int status = 200;
  const Headers* headers = nullptr;  // from the handler
  int version = 11;                  // of the request: 10 or 11
  bool keep_alive = true;
  Framing framing = Framing::kContentLength;
  int64_t content_length = 0;
  std::string_view server_name;  // "" = no Server header
  std::string_view request_id;   // "" = no X-Request-Id header
};

// Appends the head (ending with the blank line) to `out`. InvalidArgument, naming the
// field, if a handler header has an invalid name or value or is one the server owns
// (Content-Length, Transfer-Encoding, Connection); `out` is then unspecified.
Status AppendResponseHead(const HeadParams& params, std::string* out);

// The current time as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), cached per thread
// per second.
std::string_view HttpDate();

// Lower-case hex of `n` into `buf` (at least 16 bytes); returns the digits.
std::string_view FormatHex(uint64_t n, char* buf);

}  // namespace ds::http::internal
