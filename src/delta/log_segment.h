// Log listing and log segments (delta.md §1): which checkpoint and which commits make up the
// snapshot at a version.
//
// A segment for version N is the newest complete checkpoint c <= N (UUID > multi-part with
// the most parts > classic at one version) plus the commits c+1..N, which must be
// contiguous; without a checkpoint the commits must start at 0. The commit file *at* c is
// kept too (its commitInfo and in-commit timestamp). Compactions [x, y] with c < x and
// y <= N are recorded so replay may use them instead of commits x..y.
//
// Errors: NotFound when `_delta_log/` is missing or holds no log file; OutOfRange for a
// version that does not exist or can no longer be reconstructed (the message gives the
// range that exists); Corruption for gaps or a missing commit 0, naming the versions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "delta/log_path.h"
#include "objstore/object_store.h"

namespace ds::delta {

struct CheckpointFiles {
  int64_t version = 0;
  LogFileKind kind = LogFileKind::kClassicCheckpoint;
  std::vector<LogFile> parts;  // one file, or parts 1..p of a multi-part checkpoint in order
};

struct LogSegment {
  int64_t version = -1;  // the snapshot version N
  std::optional<CheckpointFiles> checkpoint;
  std::vector<LogFile> commits;              // versions checkpoint+1 (or 0) .. N, ascending
  std::optional<LogFile> checkpoint_commit;  // the commit at the checkpoint version, if kept
  std::vector<LogFile> compactions;          // usable compactions, ascending, not overlapping

  // The commit file of version v if it is part of the segment (checkpoint commit included).
  const LogFile* FindCommit(int64_t v) const;
};

// Lists the log files of `log_dir` (a directory key ending in "_delta_log/") with version >=
// `start_version`, sorted by name, skipping names that are not log files, 0-byte
// checkpoints and 0-byte compactions. Store errors are returned as is.
Result<std::vector<LogFile>> ListLogFiles(const objstore::ObjectStore& store,
                                          const std::string& log_dir, int64_t start_version);

struct SegmentOptions {
  // The snapshot version; nullopt = the latest.
  std::optional<int64_t> version;
  // Use only checkpoints strictly older than this version (fallback after an unreadable
  // checkpoint); nullopt = any.
  std::optional<int64_t> checkpoint_before;
  // Where a `_last_checkpoint` hint says listing may start (nullopt = no hint).
  std::optional<int64_t> hint_version;
};

// Builds the segment from a listing (pure: for tests and for the store-driven variant).
// `listing` must be sorted by name and hold every log file from its first version on.
Result<LogSegment> SegmentFromListing(const std::vector<LogFile>& listing,
                                      const SegmentOptions& options, const std::string& table);

// Reads the hint (ignoring it when missing, corrupt or newer than the target), lists from
// it (or scans backwards in windows of 1000 versions from the target), and builds the
// segment. A hinted checkpoint that is gone triggers a full re-listing. Messages name
// `table` (a URI). Warnings about ignored hints are appended to `warnings` when non-null.
Result<LogSegment> LoadLogSegment(const objstore::ObjectStore& store, const std::string& log_dir,
                                  SegmentOptions options, const std::string& table,
                                  std::vector<std::string>* warnings = nullptr);

// The newest version in the log (cheap: the hint plus one listing). Errors as above.
Result<int64_t> LatestLogVersion(const objstore::ObjectStore& store, const std::string& log_dir,
                                 const std::string& table);

}  // namespace ds::delta
