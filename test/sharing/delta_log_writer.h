// Test helper: writes small Delta tables (JSON commits with chosen commit times) for the
// sharing server's tests. The server reads only the log, so data files are optional; write
// them with WriteFile when a test downloads them. Test-only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace ds::sharing::testing {

using PartitionValues = std::vector<std::pair<std::string, std::optional<std::string>>>;

class DeltaLogWriter {
 public:
  explicit DeltaLogWriter(std::filesystem::path table_dir);

  // Writes the next commit (version 0, 1, ...) with one action per line and sets the commit
  // file's modification time to `timestamp_ms` (the commit time readers derive).
  Status Commit(const std::vector<std::string>& actions, int64_t timestamp_ms);
  // Writes `bytes` at `relative` under the table (folders created).
  Status WriteFile(const std::string& relative, std::string_view bytes) const;

  int64_t next_version() const { return next_version_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  int64_t next_version_ = 0;
};

// Action lines.
std::string ProtocolAction(int reader, int writer,
                           const std::vector<std::string>& reader_features = {},
                           const std::vector<std::string>& writer_features = {});
// `schema_json` is a Spark schema; configuration entries become string properties.
std::string MetadataAction(
    std::string_view schema_json, const std::vector<std::string>& partition_columns,
    const std::vector<std::pair<std::string, std::string>>& configuration = {},
    std::string_view id = "00000000-0000-0000-0000-000000000001");
// `stats` and `deletion_vector` are raw JSON ("" = omitted).
std::string AddAction(std::string_view path, const PartitionValues& partition_values, int64_t size,
                      std::string_view stats = "", bool data_change = true,
                      std::string_view deletion_vector = "");
std::string RemoveAction(std::string_view path, const PartitionValues& partition_values,
                         int64_t size, bool data_change = true,
                         std::string_view deletion_vector = "");
std::string CdcAction(std::string_view path, const PartitionValues& partition_values, int64_t size);
// `metrics` is the raw operationMetrics object.
std::string CommitInfoAction(std::string_view operation, std::string_view metrics = "{}");

// {"type":"struct","fields":[…]} of nullable columns given as (name, type) pairs.
std::string SimpleSchema(const std::vector<std::pair<std::string, std::string>>& columns);

}  // namespace ds::sharing::testing
