// FileWriter: writes columnar record batches to a Parquet file.
//
//   ASSIGN_OR_RETURN(auto out, io::OpenLocalOutput(path));
//   ASSIGN_OR_RETURN(auto w, parquet::FileWriter::Open(std::move(out), schema, options));
//   RETURN_NOT_OK(w->Write(batch));   // any number of times
//   RETURN_NOT_OK(w->Close());        // footer; the file is complete only after this
//
// Row groups are cut when the buffered data reaches a target size or row count. Memory is
// bounded by one row group of raw data plus its encoded chunks. Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "columnar/array.h"
#include "io/file.h"
#include "parquet/column_writer.h"
#include "parquet/format/parquet_types.h"
#include "parquet/schema.h"

namespace ds::parquet {

struct WriterOptions {
  Codec codec = Codec::kSnappy;
  int compression_level = 0;            // 0 = the codec's default
  int64_t row_group_bytes = 128 << 20;  // raw (uncompressed) bytes per row group
  int64_t row_group_rows = 1 << 20;
  int64_t page_bytes = 1 << 20;
  int64_t page_rows = 20000;
  int64_t dictionary_bytes = 1 << 20;
  bool dictionary = true;
  bool statistics = true;
  bool page_index = true;
  bool crc = true;
  std::vector<format::KeyValue> key_value_metadata;
};

// The created_by string of files we write: "deltashare version X.Y.Z (build <sha>)".
std::string CreatedBy();

class FileWriter {
 public:
  // Writes the leading magic. InvalidArgument if the schema cannot be stored in Parquet or
  // the codec cannot be written.
  static Result<std::unique_ptr<FileWriter>> Open(std::unique_ptr<io::OutputStream> sink,
                                                  columnar::SchemaPtr schema,
                                                  WriterOptions options = {});
  ~FileWriter();

  // Appends the rows of `batch`, whose schema must match the writer's. InvalidArgument for a
  // schema mismatch or a null in a non-nullable column (nothing of that batch is written).
  Status Write(const columnar::RecordBatch& batch);
  // Flushes the last row group, writes page indexes and the footer, and closes the sink.
  Status Close();

  // Valid after Close.
  const format::FileMetaData& metadata() const { return metadata_; }
  int64_t bytes_written() const { return sink_->Tell(); }
  int64_t rows_written() const { return rows_written_; }

 private:
  FileWriter() = default;
  Status FlushRowGroup();
  // Sizes the buffers of top-level leaf columns for the rows of `batch` up front.
  void ReserveFlatLeaves(const columnar::RecordBatch& batch);
  int64_t BufferedBytes() const;

  std::unique_ptr<io::OutputStream> sink_;
  columnar::SchemaPtr schema_;
  WriterOptions options_;
  ColumnWriterOptions column_options_;
  format::FileMetaData metadata_;
  FileSchema file_schema_;
  std::vector<LeafBatch> pending_;
  int64_t pending_rows_ = 0;
  int64_t rows_written_ = 0;
  bool closed_ = false;
  // Page index entries per row group and column, written at Close.
  std::vector<std::vector<std::vector<PageIndexEntry>>> page_index_;
};

// Writes one batch to a new file at `path` (created or truncated).
Status WriteParquetFile(const std::string& path, const columnar::RecordBatch& batch,
                        const WriterOptions& options = {});

}  // namespace ds::parquet
