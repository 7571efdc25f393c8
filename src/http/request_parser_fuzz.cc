// Fuzzes the request parser (Beast's grammar plus our framing rules and limits) on a stream
// of pipelined requests fed in odd-sized pieces, then target and query decoding.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "http/request_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t piece = 1 + data[0] % 64;  // how the bytes arrive
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (int requests = 0; requests < 16 && !input.empty(); ++requests) {
    ds::http::Request request;
    ds::http::internal::RequestParser parser(&request, 4096, 65536);
    std::string pending;
    size_t fed = 0;
    boost::beast::error_code ec;
    while (!parser.is_done()) {
      if (fed == input.size() && pending.empty()) return 0;  // incomplete: wait for more
      size_t take = std::min(piece, input.size() - fed);
      pending.append(input.substr(fed, take));
      fed += take;
      size_t used = parser.put(boost::asio::buffer(pending), ec);
      pending.erase(0, used);
      if (ec == boost::beast::http::error::need_more) {
        ec = {};
        if (fed == input.size()) return 0;
        continue;
      }
      if (ec) return 0;  // a malformed request: the server answers 4xx and closes
    }
    (void)request.ParseTarget();
    input.remove_prefix(fed - pending.size());
  }
  return 0;
}
