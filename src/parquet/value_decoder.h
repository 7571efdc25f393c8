// ValueDecoder: decodes the value section of data pages (and the dictionary page) of one
// column into dense values in their final in-memory form (see columnar/type.h): physical
// decoding per encoding, then conversion (narrow integers, decimals to 128 bits, INT96 to
// microseconds, FLOAT16 to float).
//
// Not thread-safe; one decoder per column chunk.
#pragma once

#include "parquet/format/parquet_types.h"
#include "parquet/schema.h"

namespace ds::parquet {

struct DenseValues {
  int64_t count = 0;
  Buffer values;   // fixed width: count * width; bool: one byte per value; var: the bytes
  Buffer offsets;  // var only: count + 1 int64 offsets (offsets[0] written on first use)
};

class ValueDecoder {
 public:
  explicit ValueDecoder(const ColumnDescriptor& column);

  // Decodes a dictionary page of `num_values` PLAIN entries. Corruption if malformed or if a
  // dictionary was already set.
  Status SetDictionary(ByteView body, int64_t num_values);
  bool has_dictionary() const { return has_dictionary_; }

  // Decodes `count` non-null values from `data` and appends them to `out`. The whole of
  // `data` belongs to this page's values. Corruption if the data holds fewer values (or, for
  // encodings with an exact size, more bytes than the values need); NotSupported for an
  // encoding we do not implement or that is invalid for the physical type.
  Status Decode(format::Encoding encoding, ByteView data, int64_t count, DenseValues* out);

 private:
  // Decodes physical values (no conversion) into `out`.
  Status DecodePhysical(format::Encoding encoding, ByteView data, int64_t count, DenseValues* out);
  Status DecodeDictionaryIndices(ByteView data, int64_t count, DenseValues* out);
  // Converts physical values in `in` to the final form, appending to `out`.
  Status Convert(DenseValues* in, DenseValues* out);

  const ColumnDescriptor& column_;
  bool needs_conversion_;
  int physical_width_;  // bytes per fixed-width physical value (0 for BYTE_ARRAY, 1 for bool)
  int final_width_;     // bytes per final fixed-width value
  bool has_dictionary_ = false;
  DenseValues dictionary_;
  DenseValues scratch_;
  std::vector<uint32_t> indices_;
};

}  // namespace ds::parquet
