// Column operations the data reader needs: keeping a subset of rows (deletion vectors) and
// converting a file column to the table's type (legacy encodings and type widening).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "columnar/array.h"

namespace ds::delta {

// Value `i` of an integer (signed or unsigned up to 32 bits, or int64) or date array, widened.
int64_t IntAt(const columnar::Array& a, int64_t i);

// The rows `rows` (ascending or not, each < array.length) of `array`, in that order.
columnar::ArrayPtr TakeRows(const columnar::Array& array, std::span<const int64_t> rows);

// Converts a primitive array to `target`: the identity, integer resizing (checked), integer or
// float to double, integer or decimal to a wider decimal, date to timestamp, timestamp unit
// and time-zone flag changes, string/binary/fixed binary relabelling. Corruption naming
// `column` when the values do not fit or the types are unrelated.
Result<columnar::ArrayPtr> CastArray(const columnar::ArrayPtr& array,
                                     const columnar::TypePtr& target, std::string_view column);

}  // namespace ds::delta
