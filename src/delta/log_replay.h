// Log replay (delta.md §3): builds a Snapshot from a log segment (checkpoint, sidecars,
// compactions, commits), or from an older snapshot plus the commits after it.
//
// Errors: Corruption naming the file for unreadable or malformed log files, and when the
// protocol or metaData action is missing; NotSupported from the protocol check
// (table_features.h); store errors as returned by the store.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "delta/log_segment.h"
#include "delta/snapshot.h"
#include "objstore/object_store.h"

namespace ds::delta {

// Where a table lives.
struct TableLocation {
  objstore::ObjectStorePtr store;
  std::string root;     // the table's key prefix in the store ("" = the store's root)
  std::string log_dir;  // "<root>/_delta_log/"
  std::string uri;      // the store's URI of the root, for messages

  static TableLocation Make(objstore::ObjectStorePtr store, std::string root);
};

struct ReplayOptions {
  // Replace runs of commits by log compaction files when the segment has them.
  bool use_compactions = true;
};

// Replays `segment` in full. When reading the checkpoint's files fails, sets
// *checkpoint_unreadable (if non-null) so the caller may retry with an older checkpoint.
Result<SnapshotPtr> ReplaySegment(const TableLocation& table, LogSegment segment,
                                  std::vector<std::string> warnings, const ReplayOptions& options,
                                  bool* checkpoint_unreadable = nullptr);

// Builds the snapshot at the last of `commits` (which must be base.version()+1, +2, ...)
// from `base`, reading only those commits; `base` is unchanged and shares its storage with
// the result.
Result<SnapshotPtr> ReplayNewCommits(const TableLocation& table, const SnapshotPtr& base,
                                     std::vector<LogFile> commits);

struct ProtocolAndMetadata {
  int64_t version = -1;
  Protocol protocol;
  Metadata metadata;
};

// The protocol and metadata at the segment's version, reading commits newest first and the
// checkpoint's protocol/metaData columns only when needed (no file actions are kept).
Result<ProtocolAndMetadata> ReplayProtocolAndMetadata(const TableLocation& table,
                                                      const LogSegment& segment);

// The commitInfo of one commit file (the first line is tried first, as commitInfo leads a
// commit when in-commit timestamps are on); nullopt when the commit has none.
Result<std::optional<CommitInfo>> ReadCommitInfo(const objstore::ObjectStore& store,
                                                 const LogFile& commit);

// Reads one NDJSON log file (commit or compaction) into `handler`.
Status ReadCommitFile(const objstore::ObjectStore& store, const LogFile& file,
                      ActionHandler* handler);

}  // namespace ds::delta
