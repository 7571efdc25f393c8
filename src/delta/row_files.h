// Files of rows on the local disk (JSON Lines, CSV, Parquet) read into one batch: the
// inputs of `deltashare table write` and of the publisher's folder sources.
#pragma once

#include <string>
#include <string_view>

#include "columnar/array.h"

namespace ds::delta {

enum class RowFileFormat { kJsonLines, kCsv, kParquet };

// The format of a file name: .jsonl, .ndjson, .json -> JSON Lines; .csv -> CSV; .parquet
// -> Parquet. InvalidArgument naming the file otherwise.
Result<RowFileFormat> RowFileFormatOf(std::string_view path);

// Reads every row of `path`. Parquet files carry their schema (`schema` may be null);
// JSON Lines and CSV are parsed with `schema` (InvalidArgument when it is null). Errors of
// the parsers (InvalidArgument naming line and column, Corruption for bad Parquet) and
// NotFound/IOError from the file system, each naming the file.
Result<columnar::RecordBatch> ReadRowFile(const std::string& path, RowFileFormat format,
                                          const columnar::SchemaPtr& schema);

}  // namespace ds::delta
