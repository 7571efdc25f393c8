#include "delta/table.h"

namespace ds::delta {

TablePtr Table::Open(objstore::ObjectStorePtr store, std::string root, TableOptions options) {
  return TablePtr(
      new Table(TableLocation::Make(std::move(store), std::move(root)), std::move(options)));
}

Result<int64_t> Table::LatestVersion() const {
  return LatestLogVersion(*location_.store, location_.log_dir, location_.uri);
}

Result<SnapshotPtr> Table::Load(std::optional<int64_t> version) const {
  std::vector<std::string> warnings;
  SegmentOptions options;
  options.version = version;
  ASSIGN_OR_RETURN(LogSegment segment, LoadLogSegment(*location_.store, location_.log_dir, options,
                                                      location_.uri, &warnings));
  while (true) {
    bool checkpoint_unreadable = false;
    std::optional<int64_t> checkpoint_version;
    if (segment.checkpoint) checkpoint_version = segment.checkpoint->version;
    Result<SnapshotPtr> snapshot =
        ReplaySegment(location_, segment, warnings, options_.replay, &checkpoint_unreadable);
    if (snapshot.ok() || !checkpoint_unreadable) return snapshot;
    // An unreadable checkpoint: retry with an older one (or commit 0) if the log allows it.
    options.checkpoint_before = checkpoint_version;
    options.version = segment.version;
    Result<LogSegment> older =
        LoadLogSegment(*location_.store, location_.log_dir, options, location_.uri, nullptr);
    if (!older.ok()) return snapshot.status();
    warnings.push_back("checkpoint " + std::to_string(*checkpoint_version) + " is unreadable (" +
                       snapshot.status().message() + "); replayed from an older checkpoint");
    segment = std::move(older).value();
  }
}

Result<SnapshotPtr> Table::LatestSnapshot() const { return Load(std::nullopt); }

Result<SnapshotPtr> Table::SnapshotAtVersion(int64_t version) const {
  if (version < 0) {
    return Status::OutOfRange("version " + std::to_string(version) + " of " + uri() +
                              " does not exist: versions start at 0");
  }
  return Load(version);
}

Result<SnapshotPtr> Table::SnapshotAtTimestamp(int64_t timestamp_ms) const {
  ASSIGN_OR_RETURN(int64_t version, VersionAtOrBefore(timestamp_ms));
  return Load(version);
}

Result<SnapshotPtr> Table::Update(const SnapshotPtr& base, std::optional<int64_t> version) const {
  int64_t target = 0;
  if (version) {
    target = *version;
  } else {
    ASSIGN_OR_RETURN(target, LatestVersion());
  }
  if (target == base->version()) return base;
  if (target < base->version()) return SnapshotAtVersion(target);
  ASSIGN_OR_RETURN(std::vector<LogFile> listing,
                   ListLogFiles(*location_.store, location_.log_dir, base->version() + 1));
  std::vector<LogFile> commits;
  int64_t expected = base->version() + 1;
  for (LogFile& f : listing) {
    if (f.path.kind != LogFileKind::kCommit || f.path.version > target) continue;
    if (f.path.version != expected) break;
    commits.push_back(std::move(f));
    ++expected;
  }
  if (expected <= target) {
    // The commits after `base` are not all there: let a full load find out why.
    return Load(target);
  }
  return ReplayNewCommits(location_, base, std::move(commits));
}

Result<ProtocolAndMetadata> Table::LoadProtocolAndMetadata(std::optional<int64_t> version) const {
  SegmentOptions options;
  options.version = version;
  ASSIGN_OR_RETURN(LogSegment segment,
                   LoadLogSegment(*location_.store, location_.log_dir, options, location_.uri));
  return ReplayProtocolAndMetadata(location_, segment);
}

Result<std::shared_ptr<const CommitTimeline>> Table::Timeline() const {
  return CommitTimeline::Load(location_);
}

Result<int64_t> Table::CommitTimestamp(int64_t version) const {
  ASSIGN_OR_RETURN(auto timeline, Timeline());
  return timeline->TimestampOf(version);
}

Result<int64_t> Table::VersionAtOrBefore(int64_t timestamp_ms) const {
  ASSIGN_OR_RETURN(auto timeline, Timeline());
  return timeline->VersionAtOrBefore(timestamp_ms);
}

Result<int64_t> Table::VersionAtOrAfter(int64_t timestamp_ms) const {
  ASSIGN_OR_RETURN(auto timeline, Timeline());
  return timeline->VersionAtOrAfter(timestamp_ms);
}

Result<std::vector<HistoryEntry>> Table::History(std::optional<int64_t> limit,
                                                 std::optional<int64_t> from) const {
  ASSIGN_OR_RETURN(auto timeline, Timeline());
  std::vector<HistoryEntry> out;
  int64_t v = from.value_or(timeline->latest_version());
  if (v > timeline->latest_version() || v < timeline->earliest_version()) {
    return timeline->TimestampOf(v).status();
  }
  for (; v >= timeline->earliest_version(); --v) {
    if (limit && static_cast<int64_t>(out.size()) >= *limit) break;
    HistoryEntry e;
    e.version = v;
    ASSIGN_OR_RETURN(e.timestamp_ms, timeline->TimestampOf(v));
    ASSIGN_OR_RETURN(std::optional<CommitInfo> info,
                     ReadCommitInfo(*location_.store, timeline->commit(v)));
    e.operation_parameters_json = "{}";
    e.commit_info_json = "{}";
    if (info) {
      e.operation = info->operation;
      if (!info->operation_parameters_json.empty()) {
        e.operation_parameters_json = info->operation_parameters_json;
      }
      e.commit_info_json = info->json;
    }
    out.push_back(std::move(e));
  }
  return out;
}

Status Table::ForEachCommit(int64_t start, int64_t end,
                            const std::function<Status(CommitActions&&)>& fn) const {
  if (start > end) {
    return Status::OutOfRange("the version range " + std::to_string(start) + " to " +
                              std::to_string(end) + " is empty (start > end)");
  }
  ASSIGN_OR_RETURN(auto timeline, Timeline());
  for (int64_t v = start; v <= end; ++v) {
    CommitActions commit;
    commit.version = v;
    ASSIGN_OR_RETURN(commit.timestamp_ms, timeline->TimestampOf(v));
    CollectingHandler handler(&commit);
    RETURN_NOT_OK(ReadCommitFile(*location_.store, timeline->commit(v), &handler));
    RETURN_NOT_OK(fn(std::move(commit)));
  }
  return Status::OK();
}

Result<FileLocation> Table::Resolve(std::string_view log_path) const {
  return ResolveLogPath(log_path, location_.root, location_.uri);
}

Result<io::RandomAccessFilePtr> Table::OpenLocation(const FileLocation& location,
                                                    int64_t size) const {
  if (!location.absolute) return location_.store->OpenRead(location.location, size);
  if (!options_.resolve_absolute) {
    return Status::NotSupported("file '" + location.location + "' lies outside the table " + uri() +
                                " and no resolver for absolute paths is configured");
  }
  ASSIGN_OR_RETURN(auto target, options_.resolve_absolute(location.location));
  return target.first->OpenRead(target.second, size);
}

Result<io::RandomAccessFilePtr> Table::OpenFile(std::string_view log_path, int64_t size) const {
  ASSIGN_OR_RETURN(FileLocation location, Resolve(log_path));
  return OpenLocation(location, size);
}

Result<FileLocation> Table::DeletionVectorLocation(const DeletionVectorDescriptor& dv) const {
  if (dv.storage_type == 'u') {
    ASSIGN_OR_RETURN(std::string relative, RelativeDeletionVectorPath(dv));
    FileLocation location;
    location.location = objstore::JoinKey(location_.root, relative);
    return location;
  }
  if (dv.storage_type == 'p') return Resolve(dv.path_or_inline_dv);
  return Status::InvalidArgument(std::string("a deletion vector of storage type '") +
                                 dv.storage_type + "' has no file");
}

Result<DeletionVector> Table::LoadDeletionVector(const DeletionVectorDescriptor& dv) const {
  return delta::LoadDeletionVector(
      dv, [this](const DeletionVectorDescriptor& d) -> Result<io::RandomAccessFilePtr> {
        ASSIGN_OR_RETURN(FileLocation location, DeletionVectorLocation(d));
        return OpenLocation(location);
      });
}

}  // namespace ds::delta
