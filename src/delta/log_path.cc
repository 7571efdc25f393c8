#include "delta/log_path.h"

#include <cstdio>

#include "util/string_util.h"

namespace ds::delta {
namespace {

// Exactly `width` ASCII digits at the start of `s`, as a number (nullopt otherwise).
std::optional<int64_t> FixedDigits(std::string_view s, size_t width) {
  if (s.size() < width) return std::nullopt;
  int64_t v = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (v > (INT64_MAX - (c - '0')) / 10) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<LogPath> ParseLogFileName(std::string_view name) {
  std::optional<int64_t> version = FixedDigits(name, 20);
  if (!version || name.size() < 21 || name[20] != '.') return std::nullopt;
  std::string_view rest = name.substr(21);
  LogPath p;
  p.version = p.end_version = *version;
  if (rest == "json") {
    p.kind = LogFileKind::kCommit;
    return p;
  }
  if (rest == "crc") {
    p.kind = LogFileKind::kChecksum;
    return p;
  }
  if (rest == "checkpoint.parquet") {
    p.kind = LogFileKind::kClassicCheckpoint;
    return p;
  }
  if (StartsWith(rest, "checkpoint.")) {
    rest.remove_prefix(11);
    // Multi-part: %010d.%010d.parquet
    if (rest.size() == 10 + 1 + 10 + 8 && rest[10] == '.' && rest.substr(21) == ".parquet") {
      std::optional<int64_t> part = FixedDigits(rest, 10);
      std::optional<int64_t> parts = FixedDigits(rest.substr(11), 10);
      if (!part || !parts || *part < 1 || *part > *parts || *parts > INT32_MAX) return std::nullopt;
      p.kind = LogFileKind::kMultiPartCheckpoint;
      p.part = static_cast<int32_t>(*part);
      p.num_parts = static_cast<int32_t>(*parts);
      return p;
    }
    // UUID: <uuid>.json | <uuid>.parquet
    if (rest.size() > 37 && IsUuid(rest.substr(0, 36)) && rest[36] == '.') {
      std::string_view ext = rest.substr(37);
      if (ext != "json" && ext != "parquet") return std::nullopt;
      p.kind = LogFileKind::kUuidCheckpoint;
      p.json = ext == "json";
      return p;
    }
    return std::nullopt;
  }
  // Compaction: %020d.compacted.json after the first version.
  std::optional<int64_t> end = FixedDigits(rest, 20);
  if (end && rest.substr(20) == ".compacted.json" && *end > *version) {
    p.kind = LogFileKind::kCompaction;
    p.end_version = *end;
    return p;
  }
  return std::nullopt;
}

std::string VersionPrefix(int64_t version) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%020lld", static_cast<long long>(version));
  return buf;
}

std::string CommitFileName(int64_t version) { return VersionPrefix(version) + ".json"; }

}  // namespace ds::delta
