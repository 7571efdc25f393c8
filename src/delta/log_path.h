// The file-name grammar of `_delta_log/` (delta.md §1): commits, classic, multi-part and
// UUID checkpoints, log compactions and checksums. Names that do not match exactly (wrong
// padding, unknown suffixes, Hadoop ".….crc" dot-files) are not log files and are ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "objstore/object_store.h"

namespace ds::delta {

enum class LogFileKind : uint8_t {
  kCommit,               // %020d.json
  kClassicCheckpoint,    // %020d.checkpoint.parquet
  kMultiPartCheckpoint,  // %020d.checkpoint.%010d.%010d.parquet
  kUuidCheckpoint,       // %020d.checkpoint.<uuid>.json|parquet
  kCompaction,           // %020d.%020d.compacted.json
  kChecksum,             // %020d.crc
};

struct LogPath {
  LogFileKind kind = LogFileKind::kCommit;
  int64_t version = 0;      // the commit or checkpoint version; a compaction's first version
  int64_t end_version = 0;  // a compaction's last version (else == version)
  int32_t part = 0;         // multi-part: 1-based part number
  int32_t num_parts = 0;    // multi-part: number of parts
  bool json = false;        // UUID checkpoint stored as JSON (else Parquet)

  bool is_checkpoint() const {
    return kind == LogFileKind::kClassicCheckpoint || kind == LogFileKind::kMultiPartCheckpoint ||
           kind == LogFileKind::kUuidCheckpoint;
  }
};

// Parses a bare file name (no directory). nullopt when it is not a Delta log file name.
std::optional<LogPath> ParseLogFileName(std::string_view name);

// A listed log file: its parsed name and its object metadata (key, size, mtime).
struct LogFile {
  LogPath path;
  objstore::ObjectMeta meta;
  std::string_view name() const { return objstore::BaseName(meta.key); }
};

// "%020d" of a version.
std::string VersionPrefix(int64_t version);
// "%020d.json".
std::string CommitFileName(int64_t version);

}  // namespace ds::delta
