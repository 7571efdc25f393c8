// Writing classic checkpoints (delta.md §12.4): one `_delta_log/<v>.checkpoint.parquet`
// holding the reconciled state of a snapshot, then the `_last_checkpoint` hint.
//
// Rows: protocol, metaData, the txns (minus those older than
// delta.setTransactionRetentionDuration when set), live domains, every live add (with
// dataChange=false, stats as a JSON string) and the tombstones younger than
// delta.deletedFileRetentionDuration (default one week). Columns use Spark's checkpoint
// schema (txn, add, remove, metaData, protocol, domainMetadata), so Spark, delta-rs, the
// kernels, DuckDB and our reader all read it.
//
// The file is written with one Put (atomic; rewriting a checkpoint gives the same content).
// The hint is then replaced unless it already names a newer checkpoint: it never regresses.
// Thread-safe as far as the store is.
#pragma once

#include <functional>

#include "delta/snapshot.h"
#include "delta/table.h"

namespace ds::delta {

struct CheckpointOptions {
  // Now, in ms since the epoch (tombstone and txn retention); default: the system clock.
  std::function<int64_t()> clock_ms;
};

struct CheckpointInfo {
  int64_t version = 0;
  int64_t num_actions = 0;  // rows
  int64_t size_in_bytes = 0;
  int64_t num_add_files = 0;
  int64_t num_tombstones = 0;
  // False when a newer checkpoint's hint was left in place.
  bool hint_updated = false;
};

// Writes the checkpoint of `snapshot` (a snapshot of `table`). NotSupported for tables with
// the v2Checkpoint feature (deltashare writes classic checkpoints only); NotFound when the
// snapshot's commit file is gone; InvalidArgument for an unparsable retention property;
// store errors as returned.
Result<CheckpointInfo> WriteCheckpoint(const Table& table, const Snapshot& snapshot,
                                       const CheckpointOptions& options = {});

}  // namespace ds::delta
