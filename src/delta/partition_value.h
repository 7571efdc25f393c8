// Partition values (delta.md §8): the strings of add.partitionValues typed by the column,
// and constant columns built from them.
#pragma once

#include <optional>
#include <string_view>

#include "columnar/array.h"
#include "columnar/scalar.h"

namespace ds::delta {

// Parses one partition value. JSON null and "" are NULL for every type. Timestamps accept
// "yyyy-MM-dd HH:mm:ss[.ffffff]" (UTC assumed) and ISO forms with an offset; decimals are
// plain text rescaled to the column's scale. Corruption naming the value and type when it
// does not parse; NotSupported for nested types.
Result<columnar::Scalar> ParsePartitionValue(std::optional<std::string_view> text,
                                             const columnar::TypePtr& type);

// An array of `length` copies of `value` (of the value's type).
Result<columnar::ArrayPtr> MakeConstantArray(const columnar::Scalar& value, int64_t length);

}  // namespace ds::delta
