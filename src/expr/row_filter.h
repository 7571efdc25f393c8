// Row-level predicate evaluation over RecordBatches with SQL three-valued logic: a row
// passes only when the predicate is TRUE (NULL and FALSE rows are filtered out).
//
// This is the ground truth the file skipper must never contradict, and what the client
// uses to re-apply predicates to the rows it downloads. Comparison semantics are those of
// binding.h (exact decimals, IEEE floats with NaN never equal or ordered, byte-order
// strings, timestamps compared in the column's unit).
//
// Thread-safety: a RowFilter is immutable after Make; Evaluate/Select may run concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "columnar/array.h"
#include "expr/expr.h"
#include "expr/truth.h"
#include "util/result.h"

namespace ds::expr {

class RowFilter {
 public:
  // Binds `predicate` to the batches' schema (logical names; dotted paths reach into
  // structs). NotSupported, listing the reasons, if any part cannot be evaluated exactly:
  // an unknown op, a missing or non-primitive column, a value type that does not fit the
  // column, or a literal that does not convert. InvalidArgument if `schema` is null.
  static Result<RowFilter> Make(const Expr& predicate, columnar::SchemaPtr schema);

  // Writes one Truth per row (kUnknown = SQL NULL) into `out` (resized to batch.num_rows).
  // InvalidArgument if a referenced column is missing from the batch or has another type
  // than at Make time.
  Status Evaluate(const columnar::RecordBatch& batch, std::vector<Truth>* out) const;

  // The indices of the rows where the predicate is TRUE, ascending.
  Result<std::vector<int64_t>> Select(const columnar::RecordBatch& batch) const;

  struct Plan;

 private:
  explicit RowFilter(std::shared_ptr<const Plan> plan) : plan_(std::move(plan)) {}
  std::shared_ptr<const Plan> plan_;
};

}  // namespace ds::expr
