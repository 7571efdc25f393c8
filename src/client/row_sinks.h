// Output sinks for record batches: JSON Lines (the row encoding of `deltashare parquet cat`,
// columnar/json_rows.h), CSV (RFC 4180 with a header row, readable back by
// `deltashare parquet write --input x.csv`), and Parquet (parquet/file_writer.h).
//
// CSV cells: null is an empty cell, the empty string is "" (quoted), strings are their text,
// other scalars their JSON-Lines text without quotes (decimals with exactly `scale` digits,
// dates, timestamps, base64 binary), nested values their JSON; cells holding a comma, quote,
// CR or LF are quoted with quotes doubled.
//
// Not thread-safe. A sink must be closed for its output to be complete (Parquet writes its
// footer then); a sink destroyed unclosed leaves a partial file.
#pragma once

#include <memory>
#include <string>

#include "columnar/array.h"
#include "io/file.h"
#include "parquet/file_writer.h"

namespace ds::client {

class RowSink {
 public:
  virtual ~RowSink() = default;
  // Appends the rows of `batch` (its schema must be the sink's). The output stream's errors;
  // InvalidArgument from the Parquet writer for a schema mismatch.
  virtual Status Write(const columnar::RecordBatch& batch) = 0;
  // Flushes and closes the output. Idempotent.
  virtual Status Close() = 0;
  virtual int64_t rows_written() const = 0;
};

enum class SinkFormat { kJsonLines, kCsv, kParquet };

// The format a file name asks for: .parquet, .csv, .jsonl/.ndjson/.json. InvalidArgument
// naming the path for any other extension.
Result<SinkFormat> SinkFormatForPath(const std::string& path);

// A sink writing `schema`'s rows to `out` in `format`. Parquet: InvalidArgument if the schema
// cannot be stored (see parquet::FileWriter::Open).
Result<std::unique_ptr<RowSink>> MakeRowSink(SinkFormat format, columnar::SchemaPtr schema,
                                             std::unique_ptr<io::OutputStream> out,
                                             parquet::WriterOptions parquet_options = {});

// Creates (or truncates) a local file and a sink for it, the format from its extension.
Result<std::unique_ptr<RowSink>> OpenFileSink(const std::string& path, columnar::SchemaPtr schema);

// Appends one CSV cell for slot `row` of `array` (exposed for tests).
void AppendCsvCell(const columnar::Array& array, int64_t row, std::string* out);

}  // namespace ds::client
