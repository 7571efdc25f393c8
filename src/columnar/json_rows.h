// Rows as JSON: deltashare's row encoding (used by `parquet cat`, `table scan`, `client load`)
// and the inverse conversion from JSON input.
//
// Encoding of one value: null; booleans; integers as JSON numbers; floats as numbers in
// shortest round-trip form ("NaN", "Infinity", "-Infinity" as strings); decimals as strings
// with exactly `scale` fraction digits; strings as strings; binary and fixed binary as
// base64; uuid as 8-4-4-4-12 hex; date "YYYY-MM-DD"; UTC timestamps
// "YYYY-MM-DDTHH:MM:SS.ffffffZ" (9 digits for nanos), local ones without "Z"; time
// "HH:MM:SS.ffffff"; struct as an object; list as an array; map as an array of
// {"key":…,"value":…} in order.
#pragma once

#include <string>
#include <string_view>

#include "columnar/array.h"
#include "columnar/builder.h"
#include "util/json.h"

namespace ds::columnar {

// Appends slot i of `array` in the encoding above.
void AppendValueJson(const Array& array, int64_t i, std::string* out);
// Appends row `row` of `batch` as one JSON object keyed by column name (no newline).
void AppendRowJson(const RecordBatch& batch, int64_t row, std::string* out);

// Appends `value` to `builder`, converting to the builder's type. Accepts the output
// encoding above plus natural alternatives (numbers for decimals, epoch integers for
// temporal types, objects for string-keyed maps). InvalidArgument naming the expected type.
Status AppendJsonValue(const JsonValue& value, ArrayBuilder* builder);

// Parses JSON Lines (one object per line; blank lines skipped) into a batch. Keys missing
// from a row are null; a key that is not a column, a null in a non-nullable column, or a
// value of the wrong type is an InvalidArgument naming the line and column.
Result<RecordBatch> ParseJsonLines(std::string_view text, const SchemaPtr& schema);

// Formats 16 big-endian bytes as a canonical UUID, and back.
std::string FormatUuid(std::string_view bytes16);
Result<std::string> ParseUuid(std::string_view text);

}  // namespace ds::columnar
