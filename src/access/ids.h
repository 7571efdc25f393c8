// Random identifiers: UUIDs for shares, tables and recipients, and printable credential ids.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::access {

// A random (version 4) UUID in lower-case "8-4-4-4-12" form. Internal if the system random
// generator fails.
Result<std::string> NewUuid();

// True for the lower-case "8-4-4-4-12" hex form.
bool IsUuid(std::string_view text);

// `bytes` random bytes as base64url text (no padding).
Result<std::string> NewRandomId(size_t bytes);

}  // namespace ds::access
