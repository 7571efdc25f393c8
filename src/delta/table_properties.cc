#include "delta/table_properties.h"

#include "util/string_util.h"

namespace ds::delta {
namespace {

std::optional<int64_t> UnitMicros(std::string_view unit) {
  std::string u = ToLower(unit);
  if (u.size() > 1 && u.back() == 's') u.pop_back();
  if (u == "microsecond") return 1;
  if (u == "millisecond") return 1000;
  if (u == "second") return 1000LL * 1000;
  if (u == "minute") return 60LL * 1000 * 1000;
  if (u == "hour") return 3600LL * 1000 * 1000;
  if (u == "day") return 86400LL * 1000 * 1000;
  if (u == "week") return 7LL * 86400 * 1000 * 1000;
  return std::nullopt;
}

}  // namespace

Result<int64_t> ParseIntervalMs(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("invalid interval '" + std::string(text) +
                                   "': " + std::string(why));
  };
  std::vector<std::string_view> words;
  for (std::string_view w : Split(Trim(text), ' ')) {
    if (!Trim(w).empty()) words.push_back(Trim(w));
  }
  size_t i = 0;
  if (i < words.size() && EqualsIgnoreCase(words[i], "interval")) ++i;
  if (i == words.size()) return bad("no amount");
  __int128 micros = 0;
  for (; i < words.size(); i += 2) {
    if (i + 1 >= words.size()) return bad("an amount without a unit");
    std::optional<int64_t> n = ParseInt64(words[i]);
    if (!n) return bad("'" + std::string(words[i]) + "' is not an integer");
    std::optional<int64_t> unit = UnitMicros(words[i + 1]);
    if (!unit) return bad("unknown unit '" + std::string(words[i + 1]) + "'");
    micros += static_cast<__int128>(*n) * *unit;
    if (micros > INT64_MAX || micros < INT64_MIN) return bad("too large");
  }
  return static_cast<int64_t>(micros / 1000);
}

int64_t CheckpointInterval(const Metadata& metadata) {
  if (auto v = metadata.Property("delta.checkpointInterval")) {
    std::optional<int64_t> n = ParseInt64(Trim(*v));
    if (n && *n > 0) return *n;
  }
  return kDefaultCheckpointInterval;
}

Result<int64_t> DeletedFileRetentionMs(const Metadata& metadata) {
  auto v = metadata.Property("delta.deletedFileRetentionDuration");
  if (!v) return kDefaultDeletedFileRetentionMs;
  Result<int64_t> ms = ParseIntervalMs(*v);
  if (!ms.ok()) return ms.status().WithContext("table property delta.deletedFileRetentionDuration");
  return ms;
}

}  // namespace ds::delta
