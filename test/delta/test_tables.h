// Test helpers for the Delta kernel: the shared Delta test tables (extracted once from their
// .tar.zst archives into a cache under the build folder) and row comparison in deltashare's
// JSON row encoding.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "delta/scan.h"
#include "delta/table.h"

namespace ds::delta::testing {

// The folder of a table from ../shared/testdata/delta/<group> ("golden" or "kernel"):
// a plain folder as is, or the extraction of <name>.tar.zst. nullopt when the test data or
// the table is absent.
std::optional<std::filesystem::path> TestTable(const std::string& group, const std::string& name);
// The names of every table of a group (archives and plain folders), sorted.
std::vector<std::string> ListTestTables(const std::string& group);

// Opens a table folder on the local disk.
TablePtr OpenLocalTable(const std::filesystem::path& dir, TableOptions options = {});

// A JSON row with object keys sorted recursively (order-insensitive comparisons).
std::string CanonicalJson(std::string_view json);
// Appends each row of `batch` as JSON with top-level keys in name order.
void AppendCanonicalRows(const columnar::RecordBatch& batch, std::vector<std::string>* out);

// All rows of a snapshot (canonical JSON, sorted).
Result<std::vector<std::string>> SnapshotRows(const Table& table, const Snapshot& snapshot,
                                              const std::vector<std::string>& columns = {});
// All rows of the Parquet files in a folder (Spark's expected/ output; canonical, sorted).
Result<std::vector<std::string>> ParquetFolderRows(const std::filesystem::path& dir);

}  // namespace ds::delta::testing
