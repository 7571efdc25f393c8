// Test helper: writes small Delta tables of many Parquet files (our Parquet writer plus a
// hand-written first commit), with known rows, for client tests that need many files.
#pragma once

#include <string>
#include <vector>

#include "util/result.h"

namespace ds::client::testing {

struct GeneratedTable {
  std::string dir;
  int64_t files = 0;
  int64_t rows = 0;
  int64_t bytes = 0;
  // Every row in canonical JSON (sorted keys), sorted: {"id":…,"part":"p<k>","value":"v<id>"}.
  std::vector<std::string> expected_rows;
};

// A table partitioned by `part` (string, `partitions` values), columns id (long) and value
// (string), `files` data files of `rows_per_file` rows each, with stats. `payload_bytes`
// pads each value to make files larger (0: short values).
Result<GeneratedTable> WriteGeneratedTable(const std::string& dir, int files, int rows_per_file,
                                           int partitions = 4, int payload_bytes = 0);

}  // namespace ds::client::testing
