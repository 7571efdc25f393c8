// Random identifiers (UUIDs for shares, tables and recipients; printable credential ids) and
// the hex form hashes are stored in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::access {

// A random (version 4) UUID in lower-case "8-4-4-4-12" form. Internal if the system random
// generator fails.
Result<std::string> NewUuid();

// True for the lower-case "8-4-4-4-12" hex form.
bool IsUuid(std::string_view text);

// `bytes` random bytes as base64url text (no padding), never starting with '-'.
Result<std::string> NewRandomId(size_t bytes);

// The bytes of hex text (either case); nullopt for odd length or a non-hex character.
std::optional<std::string> HexDecode(std::string_view text);

}  // namespace ds::access
