// RowPipeline: what the client applies to every decoded batch: the row predicate (exactly,
// with SQL three-valued logic: only TRUE rows pass), the projection to the requested columns,
// and the row limit. Predicates and limits sent to the server are hints; this is the part
// that makes results exact.
//
// Filter is thread-safe; Limit and Apply are not (they count rows).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "columnar/array.h"
#include "delta/table_schema.h"
#include "expr/expr.h"
#include "expr/row_filter.h"

namespace ds::client {

// The columns to decode for `requested` (logical top-level names, empty = all) plus the
// top-level columns `predicate` reads. InvalidArgument naming a requested column the table
// does not have; a predicate column the table does not have is left for the filter to
// report.
Result<std::vector<std::string>> ColumnsToDecode(const delta::TableSchema& schema,
                                                 const std::vector<std::string>& requested,
                                                 const expr::Expr* predicate);

class RowPipeline {
 public:
  // `decoded`: the schema of the batches that will be applied. `keep`: the names of the
  // output columns, in order (empty = every decoded column). `limit` < 0: none.
  // InvalidArgument for a kept name missing from `decoded`; NotSupported (naming the
  // reasons) when the predicate cannot be evaluated exactly on these columns.
  static Result<RowPipeline> Make(columnar::SchemaPtr decoded, const std::vector<std::string>& keep,
                                  expr::ExprPtr predicate, int64_t limit);

  // The rows of `batch` that pass, projected (possibly none). Thread-safe.
  Result<columnar::RecordBatch> Filter(const columnar::RecordBatch& batch) const;
  // `batch` (an output of Filter) cut to what the limit still allows; counts the rows.
  columnar::RecordBatch Limit(columnar::RecordBatch batch);
  // Limit(Filter(batch)).
  Result<columnar::RecordBatch> Apply(const columnar::RecordBatch& batch);
  // True once the limit is reached.
  bool done() const { return limit_ >= 0 && emitted_ >= limit_; }
  const columnar::SchemaPtr& output_schema() const { return output_; }
  int64_t rows_emitted() const { return emitted_; }

 private:
  RowPipeline() = default;
  std::optional<expr::RowFilter> filter_;
  std::vector<int> keep_;  // decoded column per output column
  columnar::SchemaPtr output_;
  int64_t limit_ = -1;
  int64_t emitted_ = 0;
};

}  // namespace ds::client
