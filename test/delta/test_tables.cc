#include "test/delta/test_tables.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "columnar/json_rows.h"
#include "objstore/local_store.h"
#include "parquet/file_reader.h"
#include "test/testing/testing.h"
#include "util/json.h"

namespace ds::delta::testing {
namespace fs = std::filesystem;

namespace {

fs::path CacheRoot() {
  if (const char* dir = std::getenv("DS_BINARY_DIR")) return fs::path(dir) / "testdata-cache";
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return (ec ? fs::temp_directory_path() : exe.parent_path()) / "testdata-cache";
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

void AppendCanonical(const JsonValue& v, std::string* out) {
  if (v.is_object()) {
    std::vector<size_t> order(v.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return v.keys()[a] < v.keys()[b]; });
    out->push_back('{');
    for (size_t k = 0; k < order.size(); ++k) {
      if (k) out->push_back(',');
      AppendJsonString(v.keys()[order[k]], out);
      out->push_back(':');
      AppendCanonical(v.items()[order[k]], out);
    }
    out->push_back('}');
  } else if (v.is_array()) {
    out->push_back('[');
    for (size_t k = 0; k < v.size(); ++k) {
      if (k) out->push_back(',');
      AppendCanonical(v.items()[k], out);
    }
    out->push_back(']');
  } else {
    v.AppendTo(out);
  }
}

}  // namespace

std::optional<fs::path> TestTable(const std::string& group, const std::string& name) {
  std::optional<fs::path> data = ds::testing::TestDataDir();
  if (!data) return std::nullopt;
  const fs::path source = *data / "delta" / group;
  if (fs::is_directory(source / name)) return source / name;
  const fs::path archive = source / (name + ".tar.zst");
  if (!fs::exists(archive)) return std::nullopt;
  const fs::path target = CacheRoot() / group / name;
  if (fs::exists(target / ".extracted")) return target;
  // Extract into a private folder, then rename: concurrent tests never see half a table.
  const fs::path staging =
      CacheRoot() / group / (".staging-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(staging);
  fs::create_directories(staging);
  std::string cmd = "tar --zstd -xf " + ShellQuote(archive.string()) + " -C " +
                    ShellQuote(staging.string()) + " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) {
    fs::remove_all(staging);
    return std::nullopt;
  }
  // Archives hold NAME/...; tolerate archives without the top folder.
  fs::path content = fs::is_directory(staging / name) ? staging / name : staging;
  {
    std::FILE* f = std::fopen((content / ".extracted").c_str(), "w");
    if (f) std::fclose(f);
  }
  std::error_code ec;
  fs::rename(content, target, ec);
  fs::remove_all(staging, ec);
  if (!fs::exists(target / ".extracted")) return std::nullopt;
  return target;
}

std::vector<std::string> ListTestTables(const std::string& group) {
  std::vector<std::string> out;
  std::optional<fs::path> data = ds::testing::TestDataDir();
  if (!data || !fs::is_directory(*data / "delta" / group)) return out;
  for (const auto& entry : fs::directory_iterator(*data / "delta" / group)) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory()) {
      out.push_back(name);
    } else if (name.size() > 8 && name.substr(name.size() - 8) == ".tar.zst") {
      out.push_back(name.substr(0, name.size() - 8));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TablePtr OpenLocalTable(const fs::path& dir, TableOptions options) {
  return Table::Open(std::make_shared<objstore::LocalStore>(dir.string()), "", std::move(options));
}

std::string CanonicalJson(std::string_view json) {
  Result<JsonValue> v = ParseJson(json);
  if (!v.ok()) return "<invalid JSON: " + std::string(json) + ">";
  std::string out;
  AppendCanonical(*v, &out);
  return out;
}

void AppendCanonicalRows(const columnar::RecordBatch& batch, std::vector<std::string>* out) {
  // Top-level columns in name order; nested fields keep the table schema's order, which is
  // also the order Spark writes them in.
  std::vector<size_t> order(batch.columns.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return batch.schema->fields[a].name < batch.schema->fields[b].name;
  });
  std::string row;
  for (int64_t r = 0; r < batch.num_rows; ++r) {
    row.clear();
    row.push_back('{');
    for (size_t k = 0; k < order.size(); ++k) {
      if (k) row.push_back(',');
      AppendJsonString(batch.schema->fields[order[k]].name, &row);
      row.push_back(':');
      columnar::AppendValueJson(*batch.columns[order[k]], r, &row);
    }
    row.push_back('}');
    out->push_back(row);
  }
}

Result<std::vector<std::string>> SnapshotRows(const Table& table, const Snapshot& snapshot,
                                              const std::vector<std::string>& columns) {
  std::vector<std::string> rows;
  ScanOptions options;
  options.columns = columns;
  RETURN_NOT_OK(ScanSnapshot(table, snapshot, options, [&](const columnar::RecordBatch& b) {
    AppendCanonicalRows(b, &rows);
    return Status::OK();
  }));
  std::sort(rows.begin(), rows.end());
  return rows;
}

Result<std::vector<std::string>> ParquetFolderRows(const fs::path& dir) {
  std::vector<std::string> rows;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > 8 && name[0] != '.' &&
        name.substr(name.size() - 8) == ".parquet") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    ASSIGN_OR_RETURN(auto file, io::OpenLocalFile(f.string()));
    ASSIGN_OR_RETURN(auto reader, parquet::FileReader::Open(file));
    while (true) {
      ASSIGN_OR_RETURN(auto batch, reader->Next());
      if (!batch) break;
      AppendCanonicalRows(*batch, &rows);
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace ds::delta::testing
