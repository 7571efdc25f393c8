// Fuzzes the parsers of credentials from the wire: Authorization headers (Bearer, Basic),
// token text, and OAuth token-endpoint requests. The input is split at the first NUL into a
// header and a body.
#include <cstdint>
#include <string_view>

#include "access/oauth.h"
#include "access/token_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nul = input.find('\0');
  std::string_view header = input.substr(0, nul);
  std::string_view body = nul == std::string_view::npos ? "" : input.substr(nul + 1);

  auto bearer = ds::access::ParseBearerHeader(header);
  if (bearer.ok()) {
    if (bearer->empty() || bearer->size() > header.size()) __builtin_trap();
    (void)ds::access::TokenIdOf(*bearer);
  }
  (void)ds::access::TokenIdOf(input);
  (void)ds::access::ParseBasicHeader(header);
  auto request =
      ds::access::ParseClientCredentialsRequest(header, "application/x-www-form-urlencoded", body);
  (void)ds::access::OAuthError(request.status());
  return 0;
}
