// Fuzzes every parser of untrusted request bytes in the protocol layer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sharing/protocol/capabilities.h"
#include "sharing/protocol/profile.h"
#include "sharing/protocol/requests.h"
#include "sharing/protocol/routes.h"
#include "sharing/protocol/tokens.h"

using namespace ds::sharing::protocol;  // NOLINT

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)ParseQueryRequest(input);
  (void)ParseQueryInfoRequest(input);
  (void)ParseCredentialsLocation(input);
  (void)ParseCapabilities(input);
  (void)ParseFileIdHash(input);
  (void)MatchRoute("GET", input);
  (void)MatchRoute("POST", input);
  (void)DecodeListToken(input);
  (void)DecodeFilePageToken(input);
  (void)DecodeRefreshToken(input);
  (void)DecodeQueryId(input);
  (void)ParseProfile(input);
  // Split the input into key=value pairs for the query-parameter parsers.
  QueryParams params;
  size_t start = 0;
  while (start < input.size()) {
    size_t amp = input.find('&', start);
    if (amp == std::string_view::npos) amp = input.size();
    std::string_view pair = input.substr(start, amp - start);
    size_t eq = pair.find('=');
    params.emplace_back(std::string(pair.substr(0, eq)),
                        eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
    start = amp + 1;
  }
  (void)ParseChangesRequest(params);
  (void)ParseListRequest(params);
  (void)ParseMetadataRequest(params);
  (void)ParseVersionRequest(params);
  return 0;
}
