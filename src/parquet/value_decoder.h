// ValueDecoder: decodes the value section of the data pages of one column chunk (and its
// dictionary page) into dense values in their final in-memory form (see columnar/type.h):
// physical decoding per encoding, then conversion (narrow integers, decimals to 128 bits,
// INT96 to microseconds, FLOAT16 to float).
//
// A page is decoded incrementally: StartPage, then Next(n) any number of times, appending
// straight into the caller's buffers, so values are never copied twice.
//
// Not thread-safe; one decoder per column chunk.
#pragma once

#include <memory>

#include "parquet/encoding/delta_binary_packed.h"
#include "parquet/encoding/rle.h"
#include "parquet/format/parquet_types.h"
#include "parquet/schema.h"

namespace ds::parquet {

// Dense values: fixed width (count * width bytes), bool (one byte per value) or var-width
// (count + 1 int64 offsets into the bytes; offsets[0] is written on first use).
struct DenseValues {
  int64_t count = 0;
  Buffer values;
  Buffer offsets;
};

class ValueDecoder {
 public:
  explicit ValueDecoder(const ColumnDescriptor& column);

  // Decodes a dictionary page of `num_values` PLAIN entries. Corruption if malformed or if a
  // dictionary was already set.
  Status SetDictionary(ByteView body, int64_t num_values);

  // Starts a data page holding `count` non-null values encoded with `encoding` in `data`,
  // which must stay valid until the page is done. NotSupported for an encoding we do not
  // implement or that is invalid for the physical type; Corruption for a bad header.
  Status StartPage(format::Encoding encoding, ByteView data, int64_t count);
  // Appends the page's next `n` values to `values`/`offsets` (the layout of DenseValues).
  // Corruption if the page holds fewer values than announced.
  Status Next(int64_t n, Buffer* values, Buffer* offsets);

 private:
  enum class Mode {
    kPlainFixed,
    kPlainBytes,
    kPlainBool,
    kRleBool,
    kDictionary,
    kDbp32,
    kDbp64,
    kBss,
    kBuffered
  };

  // Appends the next `n` physical values to `dst`.
  Status NextPhysical(int64_t n, Buffer* values, Buffer* offsets);
  Status GatherDictionary(int64_t n, Buffer* values, Buffer* offsets);
  // Converts `n` physical values at `src` (offsets for BYTE_ARRAY) to the final form.
  Status Convert(const uint8_t* src, const int64_t* offsets, int64_t n, Buffer* out);
  // Decodes a whole page into buffered_ (physical form) for encodings without streaming.
  Status BufferWholePage(format::Encoding encoding, ByteView data, int64_t count);
  Status Corrupt(const std::string& what) const;

  const ColumnDescriptor& column_;
  bool needs_conversion_;
  int physical_width_;  // bytes per fixed-width physical value (0: BYTE_ARRAY, 1: bool)
  int final_width_;     // bytes per final fixed-width value (1 for bool)
  bool has_dictionary_ = false;
  DenseValues dictionary_;  // final form

  // The current page.
  Mode mode_ = Mode::kPlainFixed;
  ByteView data_;
  size_t pos_ = 0;     // byte (or bit, for PLAIN booleans) position in data_
  int64_t left_ = 0;   // values not yet returned
  int64_t taken_ = 0;  // values returned so far
  RleBitPackedDecoder rle_;
  DeltaBinaryPackedDecoder<int32_t> dbp32_;
  DeltaBinaryPackedDecoder<int64_t> dbp64_;
  DenseValues buffered_;  // kBuffered: the whole page, physical form
  DenseValues scratch_;   // physical values awaiting conversion
  std::vector<uint32_t> indices_;
};

}  // namespace ds::parquet
