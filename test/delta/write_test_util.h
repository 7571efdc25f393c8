// Helpers for the writer tests: tables in temporary folders, rows from JSON Lines, and the
// rows of a table (or of its change feed) in canonical JSON for comparisons.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "columnar/array.h"
#include "delta/table.h"
#include "objstore/object_store.h"
#include "test/testing/testing.h"

namespace ds::delta::testing {

// A Delta schema JSON from (name, type JSON) pairs, every field nullable.
std::string SchemaJson(const std::vector<std::pair<std::string, std::string>>& fields);
columnar::SchemaPtr ParseSchema(const std::string& json);

// JSON Lines -> a batch (aborts the test binary on malformed input: test data is ours).
columnar::RecordBatch JsonRows(const columnar::SchemaPtr& schema, const std::string& jsonl);

// Canonical JSON (keys sorted) of each line, sorted.
std::vector<std::string> Canonical(const std::string& jsonl);

// The rows of `jsonl` as the reader would print them for `schema` (canonical, sorted).
std::vector<std::string> CanonicalRows(const columnar::SchemaPtr& schema, const std::string& jsonl);

// The rows of the table's latest snapshot (canonical, sorted).
Result<std::vector<std::string>> LatestRows(const Table& table);

// The change rows of version v (canonical, sorted) without _commit_timestamp.
Result<std::vector<std::string>> ChangeRows(const Table& table, int64_t start, int64_t end);

// A local table in a fresh temporary folder.
struct LocalTable {
  ds::testing::TempDir dir;
  objstore::ObjectStorePtr store;
  TablePtr table;
  LocalTable();
};

}  // namespace ds::delta::testing
