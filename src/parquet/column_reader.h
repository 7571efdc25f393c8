// ColumnChunkReader: reads one leaf column of one row group as whole records, page by page,
// with bounded memory (one decoded page plus the caller's batch).
//
// Not thread-safe; one reader per column chunk.
#pragma once

#include <memory>

#include "parquet/leaf_batch.h"
#include "parquet/page_reader.h"
#include "parquet/schema.h"
#include "parquet/value_decoder.h"

namespace ds::parquet {

class ColumnChunkReader {
 public:
  // `chunk` and `column` must outlive the reader. Corruption if the chunk's byte range or
  // metadata is invalid; NotSupported for encrypted or external (file_path) chunks.
  static Result<std::unique_ptr<ColumnChunkReader>> Make(io::RandomAccessFilePtr file,
                                                         int64_t footer_start,
                                                         const format::ColumnChunk& chunk,
                                                         const ColumnDescriptor& column,
                                                         PageReaderOptions options);

  // Appends up to `max_records` whole records to `out`; returns how many were appended
  // (fewer only at the end of the chunk). Corruption on malformed pages or levels.
  Result<int64_t> ReadRecords(int64_t max_records, LeafBatch* out);

 private:
  ColumnChunkReader(const ColumnDescriptor& column, std::unique_ptr<PageReader> pages,
                    int64_t expected_values);
  // Loads the next data page into the page state; false at the end of the chunk.
  Result<bool> LoadPage();
  Status DecodeLevels(format::Encoding encoding, ByteView* data, int bit_width, int16_t max,
                      bool v1, int64_t byte_length, Buffer* out, int64_t n);
  // Moves the page's next `count` entries (levels and values) to `out`.
  Status TakeEntries(int64_t count, LeafBatch* out);

  const ColumnDescriptor& column_;
  std::unique_ptr<PageReader> pages_;
  ValueDecoder decoder_;
  int64_t expected_values_;     // ColumnMetaData.num_values
  int64_t entries_loaded_ = 0;  // level entries of the data pages loaded so far
  bool seen_data_page_ = false;

  // The current page, decoded.
  int64_t page_entries_ = 0;
  Page page_;             // the current page (its body backs the value decoder)
  int64_t page_pos_ = 0;  // next entry
  Buffer page_defs_;
  Buffer page_reps_;
  double bytes_per_value_ = 16;  // of var-width values so far, to size batches
};

}  // namespace ds::parquet
