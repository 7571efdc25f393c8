// Base64 (RFC 4648), standard and URL-safe alphabets.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace ds {

// Standard alphabet with '=' padding.
std::string Base64Encode(std::string_view bytes);
// URL-safe alphabet ('-', '_') without padding.
std::string Base64UrlEncode(std::string_view bytes);
// Decodes either alphabet, padded or not. InvalidArgument on any other character.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace ds
