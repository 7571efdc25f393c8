// Scanning a snapshot: the logical rows of every live file (deletion vectors applied,
// partition columns included), batch by batch. Files are read in the snapshot's file order.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "columnar/array.h"
#include "delta/data_reader.h"
#include "delta/table.h"

namespace ds::delta {

struct ScanOptions {
  // Logical top-level columns, in output order (empty = all).
  std::vector<std::string> columns;
  // Stop after this many rows (< 0: all).
  int64_t limit = -1;
  int64_t batch_size = 65536;
};

// The DataFileOptions of one live file: its partition values and deletion vector. `dv`
// receives the loaded vector (it must outlive the reader).
Result<DataFileOptions> FileReadOptions(const Table& table, const FileView& file,
                                        std::optional<DeletionVector>* dv,
                                        int64_t batch_size = 65536);

// Calls `fn` for each non-empty batch. `fn` may stop the scan by returning a non-OK status,
// which is returned.
Status ScanSnapshot(const Table& table, const Snapshot& snapshot, const ScanOptions& options,
                    const std::function<Status(const columnar::RecordBatch&)>& fn);

}  // namespace ds::delta
