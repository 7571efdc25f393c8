// VACUUM (delta.md §12.5): deletes the files under a table's root that its current
// snapshot does not reference and that are older than the retention period: data files of
// removed adds whose tombstones expired, orphans of commits that never landed, and change
// data files. `_delta_log/` and hidden paths (a segment starting with '_' or '.', except
// partition directories "col=…", `_change_data` and `_delta_index`) are never touched.
//
// Kept: every live add and its deletion vector file, every tombstone younger than the
// retention and its deletion vector file, and anything modified within the retention (a
// concurrent writer's uncommitted files).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "delta/table.h"

namespace ds::delta {

struct VacuumOptions {
  // nullopt: the table's delta.deletedFileRetentionDuration (default 7 days).
  std::optional<int64_t> retention_ms;
  // Allows a retention shorter than the table's: files that time travel, concurrent readers
  // or writers still need may then be deleted.
  bool force = false;
  // List what would be deleted without deleting.
  bool dry_run = false;
  // Now, ms since the epoch; default: the system clock.
  std::function<int64_t()> clock_ms;
};

struct VacuumResult {
  int64_t version = -1;  // the snapshot vacuumed
  int64_t retention_ms = 0;
  std::vector<std::string> deleted;  // keys relative to the table root, sorted
  int64_t deleted_bytes = 0;
  int64_t files_kept = 0;  // listed files that were kept
};

// Vacuums the latest snapshot of `table`. FailedPrecondition when the retention is shorter
// than the table's and `force` is off, or negative; NotSupported when deltashare cannot
// write the table's protocol; InvalidArgument for an unparsable retention property; store
// errors as returned (files deleted before the error stay deleted, which is harmless).
Result<VacuumResult> Vacuum(const Table& table, const VacuumOptions& options = {});

}  // namespace ds::delta
