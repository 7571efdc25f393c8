#include "client/row_pipeline.h"

#include <numeric>
#include <set>

#include "delta/array_ops.h"
#include "expr/binding.h"

namespace ds::client {
namespace {

void CollectColumns(const expr::Expr& e, std::vector<std::string>* out) {
  if (e.op() == expr::Op::kColumn) out->push_back(e.name());
  for (const expr::ExprPtr& c : e.children()) CollectColumns(*c, out);
}

}  // namespace

Result<std::vector<std::string>> ColumnsToDecode(const delta::TableSchema& schema,
                                                 const std::vector<std::string>& requested,
                                                 const expr::Expr* predicate) {
  const columnar::Schema& logical = *schema.logical();
  for (const std::string& c : requested) {
    if (logical.FieldIndex(c) < 0) {
      return Status::InvalidArgument("the table has no column '" + c + "'");
    }
  }
  if (requested.empty()) return requested;  // every column, predicate columns included
  std::vector<std::string> out = requested;
  std::set<std::string> have(requested.begin(), requested.end());
  if (predicate != nullptr) {
    std::vector<std::string> names;
    CollectColumns(*predicate, &names);
    for (const std::string& name : names) {
      std::vector<int> path = expr::ResolveColumnPath(logical, name);
      if (path.empty()) continue;
      const std::string& top = logical.fields[static_cast<size_t>(path[0])].name;
      if (have.insert(top).second) out.push_back(top);
    }
  }
  return out;
}

Result<RowPipeline> RowPipeline::Make(columnar::SchemaPtr decoded,
                                      const std::vector<std::string>& keep, expr::ExprPtr predicate,
                                      int64_t limit) {
  RowPipeline p;
  p.limit_ = limit;
  if (predicate) {
    auto filter = expr::RowFilter::Make(*predicate, decoded);
    if (!filter.ok()) {
      return filter.status().WithContext("the predicate " + predicate->ToString() +
                                         " cannot be applied to the rows exactly");
    }
    p.filter_ = std::move(filter).value();
  }
  auto output = std::make_shared<columnar::Schema>();
  if (keep.empty()) {
    p.keep_.resize(decoded->fields.size());
    std::iota(p.keep_.begin(), p.keep_.end(), 0);
  } else {
    for (const std::string& name : keep) {
      const int i = decoded->FieldIndex(name);
      if (i < 0) return Status::InvalidArgument("no decoded column '" + name + "'");
      p.keep_.push_back(i);
    }
  }
  for (int i : p.keep_) output->fields.push_back(decoded->fields[static_cast<size_t>(i)]);
  p.output_ = std::move(output);
  return p;
}

Result<columnar::RecordBatch> RowPipeline::Filter(const columnar::RecordBatch& batch) const {
  columnar::RecordBatch out;
  out.schema = output_;
  std::optional<std::vector<int64_t>> rows;
  if (filter_) {
    ASSIGN_OR_RETURN(rows, filter_->Select(batch));
    if (static_cast<int64_t>(rows->size()) == batch.num_rows) rows.reset();  // all pass
  }
  out.num_rows = rows ? static_cast<int64_t>(rows->size()) : batch.num_rows;
  out.columns.reserve(keep_.size());
  for (int i : keep_) {
    const columnar::ArrayPtr& column = batch.columns[static_cast<size_t>(i)];
    out.columns.push_back(rows ? delta::TakeRows(*column, *rows) : column);
  }
  return out;
}

columnar::RecordBatch RowPipeline::Limit(columnar::RecordBatch batch) {
  if (limit_ >= 0 && batch.num_rows > limit_ - emitted_) {
    const int64_t n = std::max<int64_t>(0, limit_ - emitted_);
    std::vector<int64_t> rows(static_cast<size_t>(n));
    std::iota(rows.begin(), rows.end(), int64_t{0});
    for (columnar::ArrayPtr& c : batch.columns) c = delta::TakeRows(*c, rows);
    batch.num_rows = n;
  }
  emitted_ += batch.num_rows;
  return batch;
}

Result<columnar::RecordBatch> RowPipeline::Apply(const columnar::RecordBatch& batch) {
  if (done()) {
    columnar::RecordBatch out;
    out.schema = output_;
    return out;
  }
  ASSIGN_OR_RETURN(columnar::RecordBatch out, Filter(batch));
  return Limit(std::move(out));
}

}  // namespace ds::client
