// Column chunk encoding for the writer: one leaf column of one row group, from shredded
// levels and dense values to compressed pages plus the chunk's metadata and page index
// entries (parquet.md §7).
//
// Pages are v1 data pages with RLE levels and either RLE_DICTIONARY (after a PLAIN
// dictionary page) or PLAIN values; a chunk whose dictionary would exceed the limit is
// written PLAIN throughout. Pages end at record boundaries. Statistics follow the column's
// sort order (signed, unsigned, IEEE with NaN excluded, unsigned bytes with truncation).
#pragma once

#include <string>
#include <vector>

#include "parquet/compression/codec.h"
#include "parquet/format/parquet_types.h"
#include "parquet/leaf_batch.h"
#include "parquet/schema.h"

namespace ds::parquet {

struct ColumnWriterOptions {
  Codec codec = Codec::kSnappy;
  int compression_level = 0;
  int64_t page_bytes = 1 << 20;
  int64_t page_rows = 20000;
  int64_t dictionary_bytes = 1 << 20;
  bool dictionary = true;
  bool statistics = true;
  bool crc = true;
  size_t max_stat_bytes = 64;  // longer binary bounds are truncated
};

// One data page, for the page index.
struct PageIndexEntry {
  int64_t offset = 0;           // relative to the chunk start
  int32_t compressed_size = 0;  // header included
  int64_t first_row = 0;
  bool null_page = false;
  bool has_stats = false;  // min/max are set
  std::string min, max;    // statistics bytes (empty for null pages)
  int64_t null_count = 0;
};

struct EncodedChunk {
  std::string bytes;            // dictionary page (if any) and data pages
  format::ColumnMetaData meta;  // offsets relative to the chunk start
  std::vector<PageIndexEntry> pages;
};

// Encodes a whole column chunk. `data` is consumed. InvalidArgument if a value cannot be
// written (e.g. a decimal out of its precision).
Result<EncodedChunk> EncodeColumnChunk(const ColumnDescriptor& column, LeafBatch data,
                                       const ColumnWriterOptions& options);

}  // namespace ds::parquet
