#include "delta/log_segment.h"

#include <algorithm>
#include <map>

#include "delta/last_checkpoint.h"

namespace ds::delta {
namespace {

constexpr int64_t kListingWindow = 1000;

std::string NotFoundMessage(const std::string& table) {
  return "no Delta table at " + table + ": _delta_log is missing or empty";
}

// Complete checkpoints per version, best first (UUID > multi-part with most parts > classic).
std::map<int64_t, CheckpointFiles> CompleteCheckpoints(const std::vector<LogFile>& listing) {
  struct Candidates {
    std::vector<const LogFile*> uuid;
    std::map<int32_t, std::map<int32_t, const LogFile*>> multi;  // num_parts -> part -> file
    const LogFile* classic = nullptr;
  };
  std::map<int64_t, Candidates> by_version;
  for (const LogFile& f : listing) {
    switch (f.path.kind) {
      case LogFileKind::kUuidCheckpoint:
        by_version[f.path.version].uuid.push_back(&f);
        break;
      case LogFileKind::kMultiPartCheckpoint:
        by_version[f.path.version].multi[f.path.num_parts][f.path.part] = &f;
        break;
      case LogFileKind::kClassicCheckpoint:
        by_version[f.path.version].classic = &f;
        break;
      default:
        break;
    }
  }
  std::map<int64_t, CheckpointFiles> out;
  for (auto& [version, c] : by_version) {
    CheckpointFiles files;
    files.version = version;
    if (!c.uuid.empty()) {
      const LogFile* best = *std::max_element(
          c.uuid.begin(), c.uuid.end(),
          [](const LogFile* a, const LogFile* b) { return a->meta.key < b->meta.key; });
      files.kind = LogFileKind::kUuidCheckpoint;
      files.parts.push_back(*best);
      out.emplace(version, std::move(files));
      continue;
    }
    for (auto it = c.multi.rbegin(); it != c.multi.rend(); ++it) {
      if (static_cast<int32_t>(it->second.size()) != it->first) continue;  // incomplete
      files.kind = LogFileKind::kMultiPartCheckpoint;
      for (const auto& [part, file] : it->second) files.parts.push_back(*file);
      break;
    }
    if (files.parts.empty() && c.classic != nullptr) {
      files.kind = LogFileKind::kClassicCheckpoint;
      files.parts.push_back(*c.classic);
    }
    if (!files.parts.empty()) out.emplace(version, std::move(files));
  }
  return out;
}

bool HasCheckpointAtOrBelow(const std::vector<LogFile>& listing, int64_t version,
                            std::optional<int64_t> before) {
  for (const auto& [v, files] : CompleteCheckpoints(listing)) {
    if (v <= version && (!before || v < *before)) return true;
  }
  return false;
}

}  // namespace

const LogFile* LogSegment::FindCommit(int64_t v) const {
  if (checkpoint_commit && checkpoint_commit->path.version == v) return &*checkpoint_commit;
  if (commits.empty()) return nullptr;
  int64_t first = commits.front().path.version;
  if (v < first || v > commits.back().path.version) return nullptr;
  return &commits[static_cast<size_t>(v - first)];
}

Result<std::vector<LogFile>> ListLogFiles(const objstore::ObjectStore& store,
                                          const std::string& log_dir, int64_t start_version) {
  objstore::ListOptions options;
  // '~' sorts after the '.' that follows every version prefix, so this skips exactly the
  // files of versions below start_version.
  if (start_version > 0) options.start_after = log_dir + VersionPrefix(start_version - 1) + "~";
  ASSIGN_OR_RETURN(std::vector<objstore::ObjectMeta> objects, store.List(log_dir, options));
  std::vector<LogFile> out;
  out.reserve(objects.size());
  for (objstore::ObjectMeta& meta : objects) {
    std::optional<LogPath> path = ParseLogFileName(objstore::BaseName(meta.key));
    if (!path || path->version < start_version) continue;
    if (meta.size == 0 && (path->is_checkpoint() || path->kind == LogFileKind::kCompaction)) {
      continue;
    }
    out.push_back({*path, std::move(meta)});
  }
  std::sort(out.begin(), out.end(),
            [](const LogFile& a, const LogFile& b) { return a.meta.key < b.meta.key; });
  return out;
}

Result<LogSegment> SegmentFromListing(const std::vector<LogFile>& listing,
                                      const SegmentOptions& options, const std::string& table) {
  std::map<int64_t, const LogFile*> commits;
  for (const LogFile& f : listing) {
    if (f.path.kind == LogFileKind::kCommit) commits[f.path.version] = &f;
  }
  std::map<int64_t, CheckpointFiles> checkpoints = CompleteCheckpoints(listing);
  if (options.checkpoint_before) {
    checkpoints.erase(checkpoints.lower_bound(*options.checkpoint_before), checkpoints.end());
  }
  int64_t latest = -1;
  if (!commits.empty()) latest = commits.rbegin()->first;
  if (!checkpoints.empty()) latest = std::max(latest, checkpoints.rbegin()->first);
  if (latest < 0) return Status::NotFound(NotFoundMessage(table));

  // The earliest version that can be rebuilt: commit 0, else the oldest checkpoint.
  int64_t earliest = -1;
  if (commits.count(0)) {
    earliest = 0;
  } else if (!checkpoints.empty()) {
    earliest = checkpoints.begin()->first;
  }
  const int64_t target = options.version.value_or(latest);
  if (target < 0 || target > latest) {
    return Status::OutOfRange("version " + std::to_string(target) + " of " + table +
                              " does not exist: the latest version is " + std::to_string(latest));
  }
  if (earliest < 0) {
    return Status::Corruption(table +
                              ": the log has no commit 0 and no checkpoint (the earliest "
                              "commit is " +
                              std::to_string(commits.begin()->first) + ")");
  }
  if (target < earliest) {
    return Status::OutOfRange("version " + std::to_string(target) + " of " + table +
                              " can no longer be reconstructed: the available versions are " +
                              std::to_string(earliest) + " to " + std::to_string(latest));
  }

  LogSegment segment;
  segment.version = target;
  auto cp = checkpoints.upper_bound(target);
  int64_t start = 0;
  if (cp != checkpoints.begin()) {
    --cp;
    segment.checkpoint = cp->second;
    start = cp->first + 1;
    if (auto it = commits.find(cp->first); it != commits.end()) {
      segment.checkpoint_commit = *it->second;
    }
  }
  int64_t expected = start;
  for (auto it = commits.lower_bound(start); it != commits.end() && it->first <= target; ++it) {
    if (it->first != expected) {
      return Status::Corruption(table + ": versions are not contiguous: commit " +
                                std::to_string(expected) + " (" + CommitFileName(expected) +
                                ") is missing but commit " + std::to_string(it->first) + " exists");
    }
    segment.commits.push_back(*it->second);
    ++expected;
  }
  if (expected <= target) {
    return Status::Corruption(table + ": commit " + std::to_string(expected) + " (" +
                              CommitFileName(expected) + ") is missing");
  }

  // Compactions inside (checkpoint, target], widest first at each start, not overlapping.
  std::map<int64_t, const LogFile*> widest;
  for (const LogFile& f : listing) {
    if (f.path.kind != LogFileKind::kCompaction) continue;
    if (f.path.version < start || f.path.end_version > target) continue;
    auto [it, inserted] = widest.emplace(f.path.version, &f);
    if (!inserted && it->second->path.end_version < f.path.end_version) it->second = &f;
  }
  int64_t next = start;
  for (const auto& [first, file] : widest) {
    if (first < next) continue;
    segment.compactions.push_back(*file);
    next = file->path.end_version + 1;
  }
  return segment;
}

Result<LogSegment> LoadLogSegment(const objstore::ObjectStore& store, const std::string& log_dir,
                                  SegmentOptions options, const std::string& table,
                                  std::vector<std::string>* warnings) {
  auto warn = [&](std::string w) {
    if (warnings) warnings->push_back(std::move(w));
  };
  std::optional<int64_t> hint = options.hint_version;
  if (!hint) {
    Result<std::string> text = store.Get(log_dir + "_last_checkpoint");
    if (text.ok()) {
      Result<LastCheckpointHint> parsed = ParseLastCheckpoint(*text);
      if (parsed.ok()) {
        hint = parsed->version;
      } else {
        warn("ignored " + log_dir + "_last_checkpoint: " + parsed.status().message());
      }
    } else if (!text.status().IsNotFound()) {
      return text.status();
    }
  }
  if (hint && options.version && *hint > *options.version) hint.reset();
  if (hint && options.checkpoint_before && *hint >= *options.checkpoint_before) hint.reset();
  if (hint) {
    ASSIGN_OR_RETURN(std::vector<LogFile> listing, ListLogFiles(store, log_dir, *hint));
    Result<LogSegment> segment = SegmentFromListing(listing, options, table);
    if (segment.ok() && segment->checkpoint && segment->checkpoint->version >= *hint) {
      return segment;
    }
    warn("the checkpoint of version " + std::to_string(*hint) +
         " named by _last_checkpoint is missing or incomplete; listing the whole log");
  }
  int64_t start = 0;
  if (options.version) start = std::max<int64_t>(0, *options.version - (kListingWindow - 1));
  while (true) {
    ASSIGN_OR_RETURN(std::vector<LogFile> listing, ListLogFiles(store, log_dir, start));
    if (start == 0 ||
        HasCheckpointAtOrBelow(listing, *options.version, options.checkpoint_before)) {
      return SegmentFromListing(listing, options, table);
    }
    start = std::max<int64_t>(0, start - kListingWindow);
  }
}

Result<int64_t> LatestLogVersion(const objstore::ObjectStore& store, const std::string& log_dir,
                                 const std::string& table) {
  int64_t start = 0;
  Result<std::string> text = store.Get(log_dir + "_last_checkpoint");
  if (text.ok()) {
    Result<LastCheckpointHint> hint = ParseLastCheckpoint(*text);
    if (hint.ok()) start = hint->version;
  } else if (!text.status().IsNotFound()) {
    return text.status();
  }
  while (true) {
    ASSIGN_OR_RETURN(std::vector<LogFile> listing, ListLogFiles(store, log_dir, start));
    int64_t latest = -1;
    for (const LogFile& f : listing) {
      if (f.path.kind == LogFileKind::kCommit) latest = std::max(latest, f.path.version);
    }
    for (const auto& [v, files] : CompleteCheckpoints(listing)) latest = std::max(latest, v);
    if (latest >= 0) return latest;
    if (start == 0) return Status::NotFound(NotFoundMessage(table));
    start = 0;  // a stale hint beyond the log: list everything
  }
}

}  // namespace ds::delta
