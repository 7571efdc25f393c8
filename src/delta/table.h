// Table: the entry point of the Delta read kernel. A table is an ObjectStore plus the key of
// its root; everything is read through the store (and io::RandomAccessFile for Parquet).
//
//   ASSIGN_OR_RETURN(auto table, delta::Table::Open(store, "sales/orders"));
//   ASSIGN_OR_RETURN(delta::SnapshotPtr s, table->LatestSnapshot());
//   for (size_t i = 0; i < s->files().num_files(); ++i) Use(s->files().file(i));
//   ASSIGN_OR_RETURN(s, table->Update(s));  // later: applies only the new commits
//
// Errors, everywhere: NotFound "no Delta table at …: _delta_log is missing or empty";
// OutOfRange for a version or timestamp outside the history (the message gives the range);
// NotSupported naming an unsupported reader feature or version; Corruption naming the file
// for broken logs (gaps, missing protocol/metadata, bad checkpoints); store errors as is.
//
// Thread-safety: a Table is immutable and every method may be called concurrently.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "delta/commit_timeline.h"
#include "delta/deletion_vector.h"
#include "delta/log_replay.h"
#include "delta/path_util.h"
#include "delta/snapshot.h"

namespace ds::delta {

// Maps an absolute URI found in the log (outside the table's root) to a store and key.
using AbsolutePathResolver =
    std::function<Result<std::pair<objstore::ObjectStorePtr, std::string>>(std::string_view)>;

struct TableOptions {
  ReplayOptions replay;
  // Unset: absolute paths outside the table are NotSupported when opened.
  AbsolutePathResolver resolve_absolute;
};

struct HistoryEntry {
  int64_t version = 0;
  int64_t timestamp_ms = 0;
  std::optional<std::string> operation;
  std::string operation_parameters_json;  // "{}" when absent
  std::string commit_info_json;           // the whole commitInfo, "{}" when absent
};

class Table;
using TablePtr = std::shared_ptr<const Table>;

class Table {
 public:
  // Does not touch storage (a missing table is reported by the first read).
  static TablePtr Open(objstore::ObjectStorePtr store, std::string root, TableOptions options = {});

  const TableLocation& location() const { return location_; }
  const std::string& uri() const { return location_.uri; }

  // The newest version (the hint plus one listing).
  Result<int64_t> LatestVersion() const;
  Result<SnapshotPtr> LatestSnapshot() const;
  Result<SnapshotPtr> SnapshotAtVersion(int64_t version) const;
  // Time travel: the snapshot at the greatest version whose commit timestamp is <= ts.
  Result<SnapshotPtr> SnapshotAtTimestamp(int64_t timestamp_ms) const;
  // The snapshot at `version` (nullopt: the latest) built from `base` by applying only the
  // commits after it; `base` itself when it is already there. A target older than `base`,
  // or commits no longer in the log, fall back to a full load.
  Result<SnapshotPtr> Update(const SnapshotPtr& base,
                             std::optional<int64_t> version = std::nullopt) const;
  // Protocol and metadata only (no file actions kept): cheap for metadata queries.
  Result<ProtocolAndMetadata> LoadProtocolAndMetadata(
      std::optional<int64_t> version = std::nullopt) const;

  // Commit timestamps (ICT or monotonized mtimes; commit_timeline.h). The timeline reflects
  // the log at the time of the call.
  Result<std::shared_ptr<const CommitTimeline>> Timeline() const;
  Result<int64_t> CommitTimestamp(int64_t version) const;
  Result<int64_t> VersionAtOrBefore(int64_t timestamp_ms) const;
  Result<int64_t> VersionAtOrAfter(int64_t timestamp_ms) const;

  // Commits newest first, at most `limit` (nullopt = all retained), starting at `from`
  // (nullopt = the latest).
  Result<std::vector<HistoryEntry>> History(std::optional<int64_t> limit = std::nullopt,
                                            std::optional<int64_t> from = std::nullopt) const;

  // Reads the commits start..end (inclusive) in order and hands each to `fn` with its
  // timestamp. OutOfRange if start > end or a version has no retained commit.
  Status ForEachCommit(int64_t start, int64_t end,
                       const std::function<Status(CommitActions&&)>& fn) const;

  // Resolves a path from the log (add/remove/cdc path, DV 'p' path).
  Result<FileLocation> Resolve(std::string_view log_path) const;
  // Opens a file named by a log path; `size` from the log saves a metadata request.
  Result<io::RandomAccessFilePtr> OpenFile(std::string_view log_path, int64_t size = -1) const;
  // Opens a resolved location (a key of the table's store or an absolute URI).
  Result<io::RandomAccessFilePtr> OpenLocation(const FileLocation& location,
                                               int64_t size = -1) const;
  // Where the file of a 'u' or 'p' deletion vector is (InvalidArgument for inline ones).
  Result<FileLocation> DeletionVectorLocation(const DeletionVectorDescriptor& dv) const;
  // Loads and checks a deletion vector of this table (deletion_vector.h).
  Result<DeletionVector> LoadDeletionVector(const DeletionVectorDescriptor& dv) const;

 private:
  Table(TableLocation location, TableOptions options)
      : location_(std::move(location)), options_(std::move(options)) {}
  Result<SnapshotPtr> Load(std::optional<int64_t> version) const;

  TableLocation location_;
  TableOptions options_;
};

}  // namespace ds::delta
