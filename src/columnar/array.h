// Array: one column of values in an Arrow-compatible memory layout (see type.h for the
// storage of each type), and RecordBatch: equal-length columns with a schema.
//
// Arrays are built once (by a builder or a decoder) and then treated as immutable; share
// them through ArrayPtr. Validity is one bit per slot (1 = valid); a null `validity` means
// every slot is valid. Null slots still occupy space in fixed-width buffers and have empty
// ranges in offset-based ones.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "columnar/type.h"
#include "util/bit_util.h"
#include "util/buffer.h"
#include "util/decimal.h"
#include "util/result.h"

namespace ds::columnar {

struct Array {
  TypePtr type;
  int64_t length = 0;
  int64_t null_count = 0;
  BufferPtr validity;  // may be null: all valid
  BufferPtr offsets;   // int64[length + 1]: string, binary, list, map
  BufferPtr values;    // fixed-width values, bool bits, string/binary bytes
  std::vector<std::shared_ptr<Array>> children;

  bool IsValid(int64_t i) const {
    if (type->id == TypeId::kNull) return false;
    return validity == nullptr || bit::GetBit(validity->data(), i);
  }
  bool IsNull(int64_t i) const { return !IsValid(i); }

  template <typename T>
  T Value(int64_t i) const {
    return values->data_as<T>()[i];
  }
  bool BoolValue(int64_t i) const { return bit::GetBit(values->data(), i); }
  int128_t DecimalValue(int64_t i) const;
  const int64_t* offsets_data() const { return offsets->data_as<int64_t>(); }
  // The bytes of slot i: string/binary (offsets) or fixed binary/uuid (byte_width).
  std::string_view View(int64_t i) const;
  // Element range [begin, end) of a list/map slot in the child arrays.
  int64_t ListBegin(int64_t i) const { return offsets_data()[i]; }
  int64_t ListEnd(int64_t i) const { return offsets_data()[i + 1]; }
};
using ArrayPtr = std::shared_ptr<Array>;

// Checks the structural invariants (buffer sizes, monotonic in-range offsets, child lengths,
// null_count). Used on decoder output in tests and fuzzing. Internal error naming the flaw.
Status ValidateArray(const Array& array);

// An array of `length` nulls of any type.
ArrayPtr MakeNullArray(TypePtr type, int64_t length);

struct RecordBatch {
  SchemaPtr schema;
  int64_t num_rows = 0;
  std::vector<ArrayPtr> columns;
};

// Row-wise concatenation of arrays of the same type.
Result<ArrayPtr> Concatenate(const std::vector<ArrayPtr>& arrays);
// Rows [offset, offset + length) of a batch (copies the data).
Result<RecordBatch> SliceBatch(const RecordBatch& batch, int64_t offset, int64_t length);

}  // namespace ds::columnar
