#include "delta/commit_timeline.h"

#include "delta/table_features.h"
#include "util/civil_time.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

std::string FormatMillis(int64_t ms) {
  std::string out;
  AppendTimestamp(ms, TimeUnit::kMillis, true, &out);
  return out;
}

}  // namespace

Result<std::shared_ptr<const CommitTimeline>> CommitTimeline::Load(const TableLocation& table) {
  ASSIGN_OR_RETURN(std::vector<LogFile> listing, ListLogFiles(*table.store, table.log_dir, 0));
  std::vector<LogFile> commits;
  for (LogFile& f : listing) {
    if (f.path.kind == LogFileKind::kCommit) commits.push_back(std::move(f));
  }
  auto timeline = std::shared_ptr<CommitTimeline>(new CommitTimeline());
  timeline->table_ = table;
  // Keep the contiguous run of commits that ends at the latest one.
  size_t begin = commits.size();
  while (begin > 0 && (begin == commits.size() ||
                       commits[begin - 1].path.version + 1 == commits[begin].path.version)) {
    --begin;
  }
  commits.erase(commits.begin(), commits.begin() + static_cast<std::ptrdiff_t>(begin));
  if (commits.empty()) {
    ASSIGN_OR_RETURN(int64_t latest, LatestLogVersion(*table.store, table.log_dir, table.uri));
    timeline->first_version_ = latest + 1;
    return std::shared_ptr<const CommitTimeline>(std::move(timeline));
  }
  timeline->first_version_ = commits.front().path.version;
  int64_t previous = INT64_MIN;
  for (const LogFile& c : commits) {
    int64_t ts = c.meta.mtime_ms;
    if (previous != INT64_MIN && ts <= previous) ts = previous + 1;
    timeline->mtimes_.push_back(ts);
    previous = ts;
  }
  timeline->commits_ = std::move(commits);

  ASSIGN_OR_RETURN(LogSegment segment, LoadLogSegment(*table.store, table.log_dir, {}, table.uri));
  ASSIGN_OR_RETURN(ProtocolAndMetadata pm, ReplayProtocolAndMetadata(table, segment));
  if (InCommitTimestampsEnabled(pm.protocol, pm.metadata)) {
    int64_t from = 0;
    if (auto e = pm.metadata.Property("delta.inCommitTimestampEnablementVersion")) {
      std::optional<int64_t> v = ParseInt64(Trim(*e));
      if (!v || *v < 0) {
        return Status::Corruption(table.uri +
                                  ": invalid delta.inCommitTimestampEnablementVersion '" +
                                  std::string(*e) + "'");
      }
      from = *v;
    }
    timeline->ict_from_ = from;
  }
  return std::shared_ptr<const CommitTimeline>(std::move(timeline));
}

Result<int64_t> CommitTimeline::TimestampOf(int64_t version) const {
  if (version < first_version_ || version > latest_version()) {
    if (mtimes_.empty()) {
      return Status::OutOfRange(table_.uri + " retains no commit files, so version " +
                                std::to_string(version) + " has no commit timestamp");
    }
    return Status::OutOfRange("version " + std::to_string(version) + " of " + table_.uri +
                              " has no retained commit: the commits kept are versions " +
                              std::to_string(first_version_) + " to " +
                              std::to_string(latest_version()));
  }
  if (!ict_from_ || version < *ict_from_) {
    return mtimes_[static_cast<size_t>(version - first_version_)];
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = ict_cache_.find(version); it != ict_cache_.end()) return it->second;
  }
  ASSIGN_OR_RETURN(std::optional<CommitInfo> info, ReadCommitInfo(*table_.store, commit(version)));
  if (!info || !info->in_commit_timestamp) {
    return Status::Corruption(commit(version).meta.key +
                              ": in-commit timestamps are enabled but the commit has no "
                              "commitInfo.inCommitTimestamp");
  }
  std::lock_guard<std::mutex> lock(mu_);
  ict_cache_[version] = *info->in_commit_timestamp;
  return *info->in_commit_timestamp;
}

Result<int64_t> CommitTimeline::LowerBound(int64_t lo, int64_t hi, int64_t ts) const {
  int64_t end = hi + 1;
  while (lo < end) {
    int64_t mid = lo + (end - lo) / 2;
    ASSIGN_OR_RETURN(int64_t t, TimestampOf(mid));
    if (t < ts) {
      lo = mid + 1;
    } else {
      end = mid;
    }
  }
  return lo;
}

Result<int64_t> CommitTimeline::VersionAtOrBefore(int64_t timestamp_ms) const {
  if (mtimes_.empty()) return TimestampOf(first_version_).status();
  ASSIGN_OR_RETURN(int64_t first_ts, TimestampOf(first_version_));
  if (timestamp_ms < first_ts) {
    return Status::OutOfRange("timestamp " + FormatMillis(timestamp_ms) +
                              " is before the earliest retained commit of " + table_.uri +
                              " (version " + std::to_string(first_version_) + " at " +
                              FormatMillis(first_ts) + ")");
  }
  if (timestamp_ms == INT64_MAX) return latest_version();
  ASSIGN_OR_RETURN(int64_t after, LowerBound(first_version_, latest_version(), timestamp_ms + 1));
  return after - 1;
}

Result<int64_t> CommitTimeline::VersionAtOrAfter(int64_t timestamp_ms) const {
  if (mtimes_.empty()) return TimestampOf(first_version_).status();
  ASSIGN_OR_RETURN(int64_t v, LowerBound(first_version_, latest_version(), timestamp_ms));
  if (v > latest_version()) {
    ASSIGN_OR_RETURN(int64_t last_ts, TimestampOf(latest_version()));
    return Status::OutOfRange(
        "timestamp " + FormatMillis(timestamp_ms) + " is after the latest commit of " + table_.uri +
        " (version " + std::to_string(latest_version()) + " at " + FormatMillis(last_ts) + ")");
  }
  return v;
}

}  // namespace ds::delta
