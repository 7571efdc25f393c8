// Row identity for merge-by-key: key columns encoded as comparable bytes, and deep equality
// of two rows.
#pragma once

#include <string>
#include <vector>

#include "columnar/array.h"

namespace ds::delta {

class KeyEncoder {
 public:
  KeyEncoder() = default;
  // Key columns by name in `schema` (exact, then case-insensitive). InvalidArgument naming
  // the column when it is missing, listed twice, or not of a primitive type.
  static Result<KeyEncoder> Make(const columnar::Schema& schema,
                                 const std::vector<std::string>& keys);

  // Appends row `row`'s key to `out` (cleared first): equal keys give equal bytes for
  // batches of the same schema. Returns false, with `out` unspecified, when a key value is
  // null (SQL: a null key matches nothing).
  bool Encode(const columnar::RecordBatch& batch, int64_t row, std::string* out) const;
  const std::vector<int>& columns() const { return columns_; }

 private:
  std::vector<int> columns_;
};

// Deep equality of a[i] and b[j] (same type): nulls equal nulls, floats compare by bits,
// nested values member by member.
bool SlotsEqual(const columnar::Array& a, int64_t i, const columnar::Array& b, int64_t j);

// True if every column of row i of `a` equals row j of `b` (same schema).
bool RowsEqual(const columnar::RecordBatch& a, int64_t i, const columnar::RecordBatch& b,
               int64_t j);

// A readable form of a key for messages: the key columns of the row as JSON.
std::string DescribeKey(const columnar::RecordBatch& batch, const KeyEncoder& keys, int64_t row);

}  // namespace ds::delta
