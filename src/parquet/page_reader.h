// PageReader: iterates the pages of one column chunk, reading ranged windows of the file,
// verifying CRCs and decompressing. The server never calls this; it is for data files and
// checkpoints.
//
// Not thread-safe; one reader per column chunk.
#pragma once

#include <memory>

#include "io/file.h"
#include "parquet/compression/codec.h"
#include "parquet/format/parquet_types.h"

namespace ds::parquet {

struct Page {
  format::PageHeader header;
  // The decompressed page body. For DATA_PAGE_V2 the (never compressed) level sections come
  // first, then the decompressed values, so every page body has the same shape.
  Buffer body;
};

struct PageReaderOptions {
  bool verify_crc = true;
  // Pages whose uncompressed size exceeds this are refused (ResourceExhausted): a guard
  // against memory bombs in hostile files.
  int64_t max_page_bytes = int64_t{1} << 31;
};

// Maps the footer's codec id to a Codec; NotSupported for ids outside the spec.
Result<Codec> CodecFromFormat(format::CompressionCodec codec);

class PageReader {
 public:
  // Reads pages from [start, start + length) of `file`. `slack` extra bytes may be read past
  // the declared length (old writers under-reported total_compressed_size), up to `limit`.
  PageReader(io::RandomAccessFilePtr file, int64_t start, int64_t length, int64_t limit,
             Codec codec, PageReaderOptions options);

  // The next page, or nullopt at the end of the range. Corruption on a malformed header, a
  // CRC mismatch, a page running past the range, or a decompression failure.
  Result<std::optional<Page>> Next();

  // Where the next page header starts, relative to the chunk start.
  int64_t position() const { return pos_; }

 private:
  // Makes [pos_, pos_ + n) available in the window (n is clipped to the readable range).
  Result<ByteView> Window(int64_t n);

  io::RandomAccessFilePtr file_;
  int64_t start_;
  int64_t length_;  // declared chunk length
  int64_t limit_;   // readable bytes from start (>= length_)
  Codec codec_;
  PageReaderOptions options_;
  int64_t pos_ = 0;
  Buffer window_;
  int64_t window_pos_ = 0;  // chunk-relative offset of window_[0]
};

}  // namespace ds::parquet
