#include "publish/source.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

#include "delta/row_files.h"

namespace ds::publish {
namespace {

namespace fs = std::filesystem;

bool SameColumns(const columnar::Schema& a, const columnar::Schema& b) {
  if (a.fields.size() != b.fields.size()) return false;
  for (size_t i = 0; i < a.fields.size(); ++i) {
    if (a.fields[i].name != b.fields[i].name || !a.fields[i].type->Equals(*b.fields[i].type)) {
      return false;
    }
  }
  return true;
}

Result<std::vector<std::string>> DataFilesIn(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || name[0] == '_') continue;
    if (!it->is_regular_file(ec)) continue;
    if (!delta::RowFileFormatOf(name).ok()) continue;
    files.push_back(it->path().string());
  }
  if (ec) return Status::IOError("source " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    return Status::InvalidArgument("source " + dir +
                                   " has no data files (.jsonl, .csv, .parquet); refusing to "
                                   "treat it as an empty snapshot");
  }
  return files;
}

}  // namespace

Result<columnar::RecordBatch> ReadSnapshotSource(const std::string& path,
                                                 const columnar::SchemaPtr& schema) {
  std::error_code ec;
  const bool is_dir = fs::is_directory(path, ec);
  std::vector<std::string> files;
  if (is_dir) {
    ASSIGN_OR_RETURN(files, DataFilesIn(path));
  } else {
    files.push_back(path);
  }
  std::vector<columnar::RecordBatch> batches;
  for (const std::string& file : files) {
    ASSIGN_OR_RETURN(delta::RowFileFormat format, delta::RowFileFormatOf(file));
    if (format != delta::RowFileFormat::kParquet && !schema) {
      return Status::InvalidArgument("source " + file +
                                     ": JSON Lines and CSV sources need a schema (--schema)");
    }
    ASSIGN_OR_RETURN(columnar::RecordBatch batch, delta::ReadRowFile(file, format, schema));
    const columnar::Schema& want = batches.empty() ? (schema ? *schema : *batch.schema)
                                                   : *batches.front().schema;
    if (!SameColumns(*batch.schema, want)) {
      return Status::InvalidArgument("source " + file + " has columns " +
                                     batch.schema->ToString() + ", expected " + want.ToString());
    }
    batches.push_back(std::move(batch));
  }
  if (batches.size() == 1) return std::move(batches.front());
  columnar::RecordBatch out;
  out.schema = batches.front().schema;
  for (const auto& b : batches) out.num_rows += b.num_rows;
  for (size_t c = 0; c < out.schema->fields.size(); ++c) {
    std::vector<columnar::ArrayPtr> parts;
    for (const auto& b : batches) parts.push_back(b.columns[c]);
    ASSIGN_OR_RETURN(columnar::ArrayPtr column, columnar::Concatenate(parts));
    out.columns.push_back(std::move(column));
  }
  return out;
}

}  // namespace ds::publish
