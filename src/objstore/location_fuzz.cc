// libFuzzer target: location URIs and Azure connection strings. A parsed cloud location's
// root must always be a valid directory key (no escape from the bucket).
#include <cstddef>
#include <cstdint>
#include <string>

#include "objstore/credentials.h"
#include "objstore/location.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loc = ds::objstore::ParseLocation(text);
  if (loc.ok() && loc->scheme != ds::objstore::LocationScheme::kLocal) {
    if (!ds::objstore::ValidateKey(loc->root, /*directory=*/true).ok()) __builtin_trap();
    if (loc->bucket.empty()) __builtin_trap();
    auto again = ds::objstore::ParseLocation(loc->canonical_uri);
    if (!again.ok() || again->canonical_uri != loc->canonical_uri) __builtin_trap();
  }
  (void)ds::objstore::ParseAzureConnectionString(text);
  return 0;
}
