// Conforming input rows to a table's schema before writing: columns matched by name (exact,
// then case-insensitive), put in schema order, primitive types converted (integer widening,
// timestamp units, ...), absent nullable columns filled with nulls.
#pragma once

#include "columnar/array.h"

namespace ds::delta {

// `input` as a batch with exactly `target`'s fields. InvalidArgument naming the column when
// an input column is not in the table, a non-nullable column is absent, or a type cannot be
// converted (nested types must match exactly); Corruption-free: values that do not fit the
// target type are InvalidArgument too.
Result<columnar::RecordBatch> ConformBatch(const columnar::RecordBatch& input,
                                           const columnar::SchemaPtr& target);

// True if `a` and `b` have the same names, types and nullability (field ids and metadata
// ignored).
bool SameFields(const columnar::Schema& a, const columnar::Schema& b);

}  // namespace ds::delta
