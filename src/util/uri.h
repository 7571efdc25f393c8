// Percent-encoding (RFC 3986) for URL paths, query strings and Delta log paths.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace ds {

// Decodes %XX escapes once. With `plus_as_space`, '+' becomes ' ' (form encoding, as Java's
// URLEncoder writes path segments); otherwise '+' stays literal (Delta log paths).
// InvalidArgument for a '%' not followed by two hex digits.
Result<std::string> PercentDecode(std::string_view text, bool plus_as_space = false);

// Encodes every byte except the unreserved set A-Z a-z 0-9 - . _ ~ and the bytes in `keep`
// (e.g. "/" for paths) as uppercase %XX.
std::string PercentEncode(std::string_view text, std::string_view keep = {});

}  // namespace ds
