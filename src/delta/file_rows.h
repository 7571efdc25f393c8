// All logical rows of one live file of a snapshot as a single batch (deletion vector
// applied, partition columns filled in): what rewriting operations (delete, merge) read.
#pragma once

#include <span>

#include "columnar/array.h"
#include "delta/data_reader.h"
#include "delta/table.h"

namespace ds::delta {

// The rows of `file` in the columns of `scan`. Errors from opening and decoding the file
// (Corruption naming it, store errors).
Result<columnar::RecordBatch> ReadFileRows(const Table& table, const ScanSchema& scan,
                                           const FileView& file);

// The rows `rows` of `batch` (in that order), copied.
columnar::RecordBatch TakeBatchRows(const columnar::RecordBatch& batch,
                                    std::span<const int64_t> rows);

// `batch` plus a trailing string column holding `value` in every row; `schema` is the
// resulting schema (batch's fields plus that column, e.g. _change_type).
columnar::RecordBatch WithConstantColumn(const columnar::RecordBatch& batch,
                                         const columnar::SchemaPtr& schema, std::string_view value);

}  // namespace ds::delta
