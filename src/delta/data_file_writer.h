// DataFileWriter: turns a table's logical rows into Parquet data files (or change data
// files) in the table's store, and the add (or cdc) actions that describe them (delta.md
// §8, §9, §12.3).
//
// Rows are split by partition values into Hive-style directories ("col=value/", escaped,
// __HIVE_DEFAULT_PARTITION__ for NULL); partition columns are not stored in the files. Each
// file gets a fresh UUID name, is written whole with ObjectStore::Put once it is complete
// (past `target_file_bytes`, or at Finish), and its action carries the percent-encoded
// relative path, every partition column's value (physical keys), the exact size, the
// object's modification time and the file's stats.
//
// Change data mode writes cdc files under `_change_data/` whose last column is
// `_change_type`, described by cdc actions (dataChange=false, no stats).
//
// Files already written stay in the store if the caller never commits them: they are
// orphans that VACUUM deletes after the retention period (written_keys() lets a caller
// delete them at once). Not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "columnar/array.h"
#include "delta/actions.h"
#include "delta/stats_collector.h"
#include "delta/table_schema.h"
#include "objstore/object_store.h"
#include "parquet/file_writer.h"

namespace ds::delta {

// The name of the change-type column of cdc files.
constexpr std::string_view kChangeTypeColumn = "_change_type";

struct DataFileWriterOptions {
  // A file is closed and stored once its Parquet bytes reach this size.
  int64_t target_file_bytes = 128LL << 20;
  parquet::WriterOptions parquet;
  bool change_data = false;
  // If set, the key of every stored file is also appended here (owned by the caller).
  std::vector<std::string>* record_keys = nullptr;
  // If set, called after each file is stored (progress reporting).
  std::function<void(const FileAction& file)> on_file_stored;
};

class DataFileWriter {
 public:
  ~DataFileWriter();
  // A writer for the table whose root is `root` in `store`, with the schema and properties
  // (stats options) of `metadata`. Errors from the schema (TableSchema::Make) and the stats
  // properties; NotSupported for a partition column of a nested type.
  static Result<std::unique_ptr<DataFileWriter>> Make(objstore::ObjectStorePtr store,
                                                      std::string root, const Protocol& protocol,
                                                      const Metadata& metadata,
                                                      DataFileWriterOptions options = {});

  // The schema Write expects: the table's logical columns in order (partition columns
  // included), plus a trailing string column _change_type in change data mode.
  const columnar::SchemaPtr& input_schema() const { return input_schema_; }

  // Writes the rows of `batch` (see input_schema; use ConformBatch for other inputs).
  // InvalidArgument for another schema or a null in a non-nullable column; store errors as
  // the store returns them.
  Status Write(const columnar::RecordBatch& batch);
  // Stores the files still open and returns one action per file, in the order the files
  // were completed. The writer is then empty and may be reused.
  Result<std::vector<FileAction>> Finish();

  // Every key stored so far (relative to the store), e.g. to delete them when a commit is
  // abandoned.
  const std::vector<std::string>& written_keys() const { return written_keys_; }
  int64_t rows_written() const { return rows_written_; }
  int64_t bytes_written() const { return bytes_written_; }

 private:
  struct OpenFile;
  DataFileWriter() = default;
  Result<OpenFile*> FileFor(const std::string& group_key, const columnar::RecordBatch& batch,
                            int64_t row);
  Status WriteRows(OpenFile* file, const columnar::RecordBatch& batch,
                   const std::vector<int64_t>* rows);
  Status CloseFile(OpenFile* file);

  objstore::ObjectStorePtr store_;
  std::string root_;
  DataFileWriterOptions options_;
  TableSchema schema_;
  StatsOptions stats_options_;
  columnar::SchemaPtr input_schema_;
  columnar::SchemaPtr file_schema_;  // physical data columns (+ _change_type)
  std::vector<columnar::Field> stats_logical_, stats_physical_;
  std::vector<int> data_columns_;            // input column index per file column
  std::vector<int> partition_columns_;       // input column index per partition column
  std::vector<std::string> partition_keys_;  // physical names
  std::string codec_suffix_;
  std::unordered_map<std::string, std::unique_ptr<OpenFile>> open_;
  std::vector<FileAction> done_;
  std::vector<std::string> written_keys_;
  int64_t rows_written_ = 0;
  int64_t bytes_written_ = 0;
};

}  // namespace ds::delta
