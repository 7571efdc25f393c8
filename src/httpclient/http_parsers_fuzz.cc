// libFuzzer target: the HTTP client's text parsers (URLs, percent-decoding, HTTP dates,
// Retry-After). Round trips are checked where they are defined.
#include <cstddef>
#include <cstdint>
#include <string>

#include "httpclient/http_date.h"
#include "httpclient/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto url = ds::httpclient::ParseUrl(text);
  if (url.ok()) (void)url->Authority();
  (void)ds::httpclient::RedactUrl(text);
  auto decoded = ds::httpclient::UriDecode(text);
  const std::string encoded = ds::httpclient::UriEncode(text);
  auto back = ds::httpclient::UriDecode(encoded);
  if (!back.ok() || *back != text) __builtin_trap();
  auto date = ds::httpclient::ParseHttpDate(text);
  if (date.ok()) {
    auto again = ds::httpclient::ParseHttpDate(ds::httpclient::FormatHttpDate(*date));
    if (!again.ok() || *again != *date) __builtin_trap();
  }
  (void)ds::httpclient::ParseRetryAfterMs(text, 0);
  return 0;
}
