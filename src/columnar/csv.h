// CSV input (RFC 4180) with a header row naming the columns.
#pragma once

#include <string_view>

#include "columnar/array.h"

namespace ds::columnar {

// Parses CSV text into a batch with `schema`. The header names a subset of the schema's
// columns in any order (absent columns are null). An empty unquoted cell is null, a quoted
// one ("") is the empty string. Cells of nested columns hold JSON. InvalidArgument naming
// the line and column on an unknown header, ragged row, unterminated quote or bad value.
Result<RecordBatch> ParseCsv(std::string_view text, const SchemaPtr& schema);

}  // namespace ds::columnar
