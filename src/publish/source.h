// Snapshot sources: where a publisher reads the full current state of a table from.
//
// A source is one file or a directory of files (JSON Lines, CSV, Parquet; the formats of
// delta/row_files.h), read whole into one batch. A directory's files are read in name order;
// hidden files (".x", "_x") and files of other types are skipped; every file must have the
// same columns (names and types). An empty directory is an error, not an empty snapshot: a
// snapshot that lost its files must never delete every published row.
#pragma once

#include <string>

#include "columnar/array.h"

namespace ds::publish {

// The rows of `path`. JSON Lines and CSV are parsed with `schema`; Parquet carries its own
// (then `schema` may be null; when given, the file's columns must match it). InvalidArgument
// naming the file for a missing schema, a directory without data files, or files whose
// columns differ; the readers' errors (NotFound, InvalidArgument with line and column,
// Corruption).
Result<columnar::RecordBatch> ReadSnapshotSource(const std::string& path,
                                                 const columnar::SchemaPtr& schema);

}  // namespace ds::publish
