// Commit timestamps and timestamp -> version resolution (delta.md §10).
//
// Without in-commit timestamps a version's timestamp is the modification time of its commit
// file, made strictly increasing over the retained log (ts[v] = max(mtime[v], ts[v-1] + 1)).
// With in-commit timestamps (from the enablement version E on) it is commitInfo's
// inCommitTimestamp, read on demand: finding a version by timestamp binary-searches the
// commits >= E and reads O(log n) of them.
//
// Thread-safe: ICT values are cached under a mutex.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "delta/log_replay.h"

namespace ds::delta {

class CommitTimeline {
 public:
  // Lists the log and reads the latest protocol/metadata to learn about ICT. Errors from
  // listing (NotFound without a table) and from reading the metadata.
  static Result<std::shared_ptr<const CommitTimeline>> Load(const TableLocation& table);

  int64_t earliest_version() const { return first_version_; }
  int64_t latest_version() const {
    return first_version_ + static_cast<int64_t>(mtimes_.size()) - 1;
  }
  // The commit file of a retained version.
  const LogFile& commit(int64_t version) const {
    return commits_[static_cast<size_t>(version - first_version_)];
  }

  // OutOfRange (naming the retained range) for a version without a retained commit;
  // Corruption when an ICT commit lacks its inCommitTimestamp.
  Result<int64_t> TimestampOf(int64_t version) const;
  // The greatest version with timestamp <= ts. OutOfRange if ts is before the earliest
  // retained commit.
  Result<int64_t> VersionAtOrBefore(int64_t timestamp_ms) const;
  // The least version with timestamp >= ts. OutOfRange if ts is after the latest commit.
  Result<int64_t> VersionAtOrAfter(int64_t timestamp_ms) const;

 private:
  CommitTimeline() = default;
  // The least version v in [lo, hi] with TimestampOf(v) >= ts, or hi + 1.
  Result<int64_t> LowerBound(int64_t lo, int64_t hi, int64_t ts) const;

  TableLocation table_;
  int64_t first_version_ = 0;
  std::vector<LogFile> commits_;
  std::vector<int64_t> mtimes_;      // monotonized
  std::optional<int64_t> ict_from_;  // enablement version E, when ICT is on
  mutable std::mutex mu_;
  mutable std::map<int64_t, int64_t> ict_cache_;
};

}  // namespace ds::delta
