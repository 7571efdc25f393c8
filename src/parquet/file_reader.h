// FileReader: reads a Parquet file into columnar record batches.
//
//   ASSIGN_OR_RETURN(auto file, io::OpenLocalFile(path));
//   ASSIGN_OR_RETURN(auto reader, parquet::FileReader::Open(file, {.columns = {"a", "b"}}));
//   while (true) {
//     ASSIGN_OR_RETURN(auto batch, reader->Next());
//     if (!batch) break;
//     ...
//   }
//
// Reads go through io::RandomAccessFile in ranged windows, so the same code reads local files
// and objects in remote stores. Memory is bounded by one decoded page per projected column
// plus the batch. Every malformation of the file yields a Status, never a crash.
//
// Not thread-safe; open one reader per thread (they may share the RandomAccessFile).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "columnar/array.h"
#include "io/file.h"
#include "parquet/column_reader.h"
#include "parquet/format/parquet_types.h"
#include "parquet/schema.h"

namespace ds::parquet {

class FileReader;

// Decides from a row group's metadata whether it may hold matching rows. Returning false
// skips the row group; it must only do so when no row can match.
using RowGroupFilter = std::function<bool(const FileReader& reader, int row_group)>;

struct ReaderOptions {
  // Top-level columns to read, in output order; empty = all.
  std::vector<std::string> columns;
  // Rows per batch (the last batch of a row group may be smaller).
  int64_t batch_size = 65536;
  bool verify_crc = true;
  int64_t max_page_bytes = int64_t{1} << 31;
  RowGroupFilter row_group_filter;
};

class FileReader {
 public:
  // Reads and validates the footer and schema. NotSupported for encrypted footers;
  // Corruption for anything malformed; InvalidArgument for an unknown projected column.
  static Result<std::unique_ptr<FileReader>> Open(io::RandomAccessFilePtr file,
                                                  ReaderOptions options = {});

  const format::FileMetaData& metadata() const { return metadata_; }
  const FileSchema& file_schema() const { return schema_; }
  // The schema of the batches (the projected top-level fields).
  const columnar::SchemaPtr& schema() const { return output_schema_; }
  int num_row_groups() const { return static_cast<int>(metadata_.row_groups.size()); }
  // Sum of the row groups' row counts (FileMetaData.num_rows is not always right).
  int64_t num_rows() const;
  const std::string& path() const { return file_->name(); }
  int64_t file_size() const { return file_->size(); }

  // The next batch, or nullopt after the last one.
  Result<std::optional<columnar::RecordBatch>> Next();
  // Reads every remaining row into one batch.
  Result<columnar::RecordBatch> ReadAll();

 private:
  FileReader() = default;
  Status StartRowGroup(int index);

  io::RandomAccessFilePtr file_;
  ReaderOptions options_;
  int64_t footer_start_ = 0;
  format::FileMetaData metadata_;
  FileSchema schema_;
  columnar::SchemaPtr output_schema_;
  std::vector<int> fields_;  // projected top-level field indices
  std::vector<int> leaves_;  // projected leaf column indices

  int next_row_group_ = 0;
  int current_row_group_ = -1;
  int64_t rows_left_ = 0;
  std::vector<std::unique_ptr<ColumnChunkReader>> readers_;  // indexed by column index
};

}  // namespace ds::parquet
