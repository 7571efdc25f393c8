// The `_delta_log/_last_checkpoint` hint (delta.md §1). It only says where listing may
// start; a missing, corrupt or stale hint must never change the snapshot a reader builds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::delta {

struct LastCheckpointHint {
  int64_t version = 0;
  int64_t size = 0;              // action rows
  std::optional<int32_t> parts;  // multi-part checkpoints
  std::optional<int64_t> num_of_add_files;
  std::optional<std::string> v2_path;  // bare file name of a UUID checkpoint
};

// Parses the hint. Corruption naming the problem for malformed JSON or missing/ill-typed
// `version`/`size` (callers treat any error as "no hint").
Result<LastCheckpointHint> ParseLastCheckpoint(std::string_view json);

}  // namespace ds::delta
