// Reads Parquet checkpoints (classic, multi-part parts, V2 UUID .parquet and sidecars,
// delta.md §2) into actions. Columns are read by name and a missing column means "all null";
// `stats_parsed` is turned into a stats JSON string when `stats` is absent.
#pragma once

#include <string>

#include "delta/actions.h"
#include "io/file.h"

namespace ds::delta {

struct CheckpointReadOptions {
  // false: read only the protocol and metaData columns (loading table metadata).
  bool file_actions = true;
};

// Hands every action row of one Parquet checkpoint file to `handler` (file actions, protocol,
// metaData, txn, domainMetadata, sidecar, checkpointMetadata), in row order. Corruption naming
// `name` for an unreadable file or a row with missing required fields.
Status ReadParquetCheckpoint(const io::RandomAccessFilePtr& file, const std::string& name,
                             const CheckpointReadOptions& options, ActionHandler* handler);

}  // namespace ds::delta
