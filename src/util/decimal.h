// 128-bit decimal helpers: unscaled integers with a scale, as Parquet and Delta store them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ds {

using int128_t = __int128;

// Appends `unscaled` x 10^-scale with exactly `scale` fraction digits ("-1.50" for -150, 2).
void AppendDecimal(int128_t unscaled, int scale, std::string* out);
// Appends a plain integer.
void AppendInt128(int128_t v, std::string* out);

// Parses "[-+]digits[.digits][e[-+]digits]" into an unscaled value at `scale`, rounding
// half away from zero (as Spark's cast does). InvalidArgument if malformed or if the result
// needs more than `precision` digits.
Result<int128_t> ParseDecimal(std::string_view text, int precision, int scale);

// 10^n for n in [0, 38].
int128_t Pow10(int n);

// Largest |unscaled| for a precision: 10^p - 1.
inline int128_t MaxUnscaled(int precision) { return Pow10(precision) - 1; }

}  // namespace ds
