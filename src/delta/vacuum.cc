#include "delta/vacuum.h"

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include "delta/path_util.h"
#include "delta/table_properties.h"
#include "delta/writer_features.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

// True for paths VACUUM must not look at (relative to the table root).
bool Hidden(std::string_view relative) {
  if (StartsWith(relative, "_delta_log/")) return true;
  size_t start = 0;
  bool first = true;
  while (start < relative.size()) {
    size_t end = relative.find('/', start);
    if (end == std::string_view::npos) end = relative.size();
    std::string_view segment = relative.substr(start, end - start);
    const bool is_dir = end < relative.size();
    if (!segment.empty() && (segment[0] == '.' || segment[0] == '_')) {
      bool allowed =
          is_dir && (segment.find('=') != std::string_view::npos ||
                     (first && (segment == "_change_data" || segment == "_delta_index")));
      if (!allowed) return true;
    }
    first = false;
    start = end + 1;
  }
  return false;
}

std::string FormatHours(int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", static_cast<double>(ms) / 3.6e6);
  return buf;
}

}  // namespace

Result<VacuumResult> Vacuum(const Table& table, const VacuumOptions& options) {
  const TableLocation& loc = table.location();
  ASSIGN_OR_RETURN(SnapshotPtr snapshot, table.LatestSnapshot());
  RETURN_NOT_OK(CheckWritable(snapshot->protocol(), snapshot->metadata())
                    .WithContext("cannot vacuum " + loc.uri));
  ASSIGN_OR_RETURN(int64_t table_retention, DeletedFileRetentionMs(snapshot->metadata()));
  VacuumResult result;
  result.version = snapshot->version();
  result.retention_ms = options.retention_ms.value_or(table_retention);
  if (result.retention_ms < 0) {
    return Status::FailedPrecondition("vacuum retention must not be negative");
  }
  if (result.retention_ms < table_retention && !options.force) {
    return Status::FailedPrecondition(
        "a retention of " + FormatHours(result.retention_ms) +
        " hours is shorter than the table's delta.deletedFileRetentionDuration (" +
        FormatHours(table_retention) +
        " hours): files that readers at older versions or writers in progress still need "
        "could be deleted; force it only when no one else uses the table");
  }
  const int64_t now = options.clock_ms ? options.clock_ms()
                                       : std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count();
  const int64_t cutoff = now - result.retention_ms;

  // Keys (relative to the store) of every file the snapshot still needs.
  std::unordered_set<std::string> keep;
  auto keep_file = [&](const FileView& f) -> Status {
    Result<FileLocation> where = table.Resolve(f.path());
    if (where.ok() && !where->absolute) keep.insert(where->location);
    if (std::optional<DeletionVectorView> dv = f.deletion_vector()) {
      if (dv->storage_type != 'i') {
        Result<FileLocation> dv_where = table.DeletionVectorLocation(dv->ToOwned());
        if (dv_where.ok() && !dv_where->absolute) keep.insert(dv_where->location);
      }
    }
    return Status::OK();
  };
  const FileTable& files = snapshot->files();
  for (size_t i = 0; i < files.num_files(); ++i) RETURN_NOT_OK(keep_file(files.file(i)));
  for (size_t i = 0; i < files.num_tombstones(); ++i) {
    FileView t = files.tombstone(i);
    if (t.deletion_timestamp().value_or(0) > cutoff) RETURN_NOT_OK(keep_file(t));
  }

  const std::string prefix = loc.root.empty() ? "" : loc.root + "/";
  ASSIGN_OR_RETURN(std::vector<objstore::ObjectMeta> listing,
                   loc.store->List(prefix, {.recursive = true}));
  for (const objstore::ObjectMeta& object : listing) {
    std::string_view relative = std::string_view(object.key).substr(prefix.size());
    if (Hidden(relative)) continue;
    if (keep.count(object.key) || object.mtime_ms >= cutoff) {
      ++result.files_kept;
      continue;
    }
    if (!options.dry_run) {
      RETURN_NOT_OK(loc.store->Delete(object.key).WithContext("vacuum of " + loc.uri));
    }
    result.deleted.emplace_back(relative);
    result.deleted_bytes += object.size;
  }
  std::sort(result.deleted.begin(), result.deleted.end());
  return result;
}

}  // namespace ds::delta
