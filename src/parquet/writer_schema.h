// Maps a columnar schema to the Parquet schema elements the writer emits (parquet.md §7):
// canonical 3-level LIST and MAP groups, logicalType plus the matching ConvertedType,
// timestamps as INT64, decimals on INT32/INT64/minimal FIXED_LEN_BYTE_ARRAY, field ids.
#pragma once

#include <vector>

#include "columnar/type.h"
#include "parquet/format/parquet_types.h"

namespace ds::parquet {

// InvalidArgument for a schema Parquet cannot hold (no fields, a struct without fields).
Result<std::vector<format::SchemaElement>> ToParquetSchema(const columnar::Schema& schema);

// Bytes of the smallest FIXED_LEN_BYTE_ARRAY that holds a decimal of `precision` digits.
int DecimalBytes(int precision);

}  // namespace ds::parquet
