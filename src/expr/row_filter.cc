#include "expr/row_filter.h"

#include <algorithm>
#include <cmath>

#include "expr/binding.h"
#include "expr/value.h"
#include "util/string_util.h"

namespace ds::expr {

struct RowFilter::Plan {
  columnar::SchemaPtr schema;
  BoundPlan bound;
};

namespace {

using columnar::Array;
using columnar::TypeId;

// One referenced column of a batch, materialized in its domain.
struct ColumnValues {
  std::vector<uint8_t> valid;
  std::vector<int128_t> ints;
  std::vector<double> doubles;
  std::vector<std::string_view> bytes;
};

int128_t IntAt(const Array& a, int64_t i) {
  switch (a.type->id) {
    case TypeId::kBool:
      return a.BoolValue(i);
    case TypeId::kInt8:
      return a.Value<int8_t>(i);
    case TypeId::kInt16:
      return a.Value<int16_t>(i);
    case TypeId::kInt32:
    case TypeId::kDate:
      return a.Value<int32_t>(i);
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      return a.Value<int64_t>(i);
    case TypeId::kUInt8:
      return a.Value<uint8_t>(i);
    case TypeId::kUInt16:
      return a.Value<uint16_t>(i);
    case TypeId::kUInt32:
      return a.Value<uint32_t>(i);
    case TypeId::kUInt64:
      return a.Value<uint64_t>(i);
    case TypeId::kDecimal:
      return a.DecimalValue(i);
    default:
      return 0;
  }
}

bool SameClass(const ColumnClass& a, const ColumnClass& b) {
  return a.value_class == b.value_class && a.scale == b.scale &&
         (a.value_class != ValueClass::kTimestamp || a.unit == b.unit);
}

Status Materialize(const columnar::RecordBatch& batch, const BoundColumn& bc, ColumnValues* out) {
  const int64_t rows = batch.num_rows;
  out->valid.assign(static_cast<size_t>(rows), 1);
  const Array* a = nullptr;
  for (size_t level = 0; level < bc.field_path.size(); ++level) {
    size_t idx = static_cast<size_t>(bc.field_path[level]);
    const std::vector<std::shared_ptr<Array>>& kids = level == 0 ? batch.columns : a->children;
    if (idx >= kids.size() || kids[idx] == nullptr || kids[idx]->length < rows) {
      return Status::InvalidArgument("row filter: batch has no column " + bc.name);
    }
    if (level > 0 && a->type->id != TypeId::kStruct) {
      return Status::InvalidArgument("row filter: " + bc.name + " is not inside a struct");
    }
    a = kids[idx].get();
    for (int64_t i = 0; i < rows; ++i) {
      if (a->IsNull(i)) out->valid[static_cast<size_t>(i)] = 0;
    }
  }
  if (!SameClass(ClassOf(*a->type), bc.column_class)) {
    return Status::InvalidArgument("row filter: column " + bc.name + " has type " +
                                   a->type->ToString() + " in the batch, another than bound");
  }
  switch (DomainOf(bc.column_class.value_class)) {
    case Domain::kInt:
      out->ints.resize(static_cast<size_t>(rows));
      for (int64_t i = 0; i < rows; ++i) {
        out->ints[static_cast<size_t>(i)] = out->valid[static_cast<size_t>(i)] ? IntAt(*a, i) : 0;
      }
      break;
    case Domain::kDouble:
      out->doubles.resize(static_cast<size_t>(rows));
      for (int64_t i = 0; i < rows; ++i) {
        if (!out->valid[static_cast<size_t>(i)]) continue;
        out->doubles[static_cast<size_t>(i)] =
            a->type->id == TypeId::kFloat32 ? a->Value<float>(i) : a->Value<double>(i);
      }
      break;
    case Domain::kBytes:
      out->bytes.resize(static_cast<size_t>(rows));
      for (int64_t i = 0; i < rows; ++i) {
        if (out->valid[static_cast<size_t>(i)]) out->bytes[static_cast<size_t>(i)] = a->View(i);
      }
      break;
  }
  return Status::OK();
}

// Reads operand values row by row: a materialized column or a constant literal.
struct OperandView {
  const ColumnValues* column = nullptr;
  const BoundValue* literal = nullptr;

  bool Valid(size_t i) const { return column == nullptr || column->valid[i]; }
  int128_t Int(size_t i) const { return column ? column->ints[i] : literal->i; }
  bool Frac() const { return column == nullptr && literal->frac; }
  double Double(size_t i) const { return column ? column->doubles[i] : literal->d; }
  std::string_view Bytes(size_t i) const { return column ? column->bytes[i] : literal->bytes; }
};

// One row's singleton mask -> its SQL value (NULL is kUnknown).
inline Truth RowTruth(uint8_t m) {
  return m == kMaskTrue ? Truth::kTrue : (m == kMaskFalse ? Truth::kFalse : Truth::kUnknown);
}

inline bool Holds(CmpOp cmp, int c) {
  return cmp == CmpOp::kEq ? c == 0 : (cmp == CmpOp::kLt ? c < 0 : c <= 0);
}

void CompareRows(const PlanNode& n, const OperandView& a, const OperandView& b, size_t rows,
                 uint8_t* out) {
  for (size_t i = 0; i < rows; ++i) {
    if (!a.Valid(i) || !b.Valid(i)) {
      out[i] = kMaskNull;
      continue;
    }
    bool r = false;
    switch (n.domain) {
      case Domain::kInt:
        r = Holds(n.cmp, CompareScaled(a.Int(i), a.Frac(), b.Int(i), b.Frac()));
        break;
      case Domain::kDouble: {
        double x = a.Double(i), y = b.Double(i);
        r = !std::isnan(x) && !std::isnan(y) && Holds(n.cmp, x < y ? -1 : (x > y ? 1 : 0));
        break;
      }
      case Domain::kBytes:
        r = Holds(n.cmp, a.Bytes(i).compare(b.Bytes(i)));
        break;
    }
    out[i] = r ? kMaskTrue : kMaskFalse;
  }
}

}  // namespace

Result<RowFilter> RowFilter::Make(const Expr& predicate, columnar::SchemaPtr schema) {
  if (schema == nullptr) return Status::InvalidArgument("row filter: no schema");
  auto plan = std::make_shared<Plan>();
  plan->schema = std::move(schema);
  plan->bound = Bind(predicate, *plan->schema);
  if (!plan->bound.exact()) {
    return Status::NotSupported("row filter: cannot evaluate " + predicate.ToString() + ": " +
                                Join(plan->bound.notes, "; "));
  }
  return RowFilter(std::move(plan));
}

Status RowFilter::Evaluate(const columnar::RecordBatch& batch, std::vector<Truth>* out) const {
  const BoundPlan& bp = plan_->bound;
  const size_t rows = static_cast<size_t>(batch.num_rows);
  std::vector<ColumnValues> columns(bp.columns.size());
  for (size_t c = 0; c < bp.columns.size(); ++c) {
    RETURN_NOT_OK(Materialize(batch, bp.columns[c], &columns[c]));
  }
  auto view = [&](const Operand& o) {
    OperandView v;
    if (o.kind == Operand::Kind::kColumn) {
      v.column = &columns[static_cast<size_t>(o.index)];
    } else {
      v.literal = &bp.literals[static_cast<size_t>(o.index)];
    }
    return v;
  };
  std::vector<std::vector<uint8_t>> masks(bp.nodes.size());
  for (size_t k = 0; k < bp.nodes.size(); ++k) {
    const PlanNode& n = bp.nodes[k];
    std::vector<uint8_t>& m = masks[k];
    m.resize(rows);
    switch (n.kind) {
      case PlanNode::Kind::kConst:
        std::fill(m.begin(), m.end(), n.const_mask);
        break;
      case PlanNode::Kind::kCompare:
        CompareRows(n, view(n.a), view(n.b), rows, m.data());
        break;
      case PlanNode::Kind::kIsNull: {
        OperandView a = view(n.a);
        for (size_t i = 0; i < rows; ++i) m[i] = a.Valid(i) ? kMaskFalse : kMaskTrue;
        break;
      }
      case PlanNode::Kind::kAnd:
      case PlanNode::Kind::kOr: {
        m = masks[static_cast<size_t>(bp.child_ids[n.first_child])];
        for (int32_t c = 1; c < n.num_children; ++c) {
          const auto& other = masks[static_cast<size_t>(bp.child_ids[n.first_child + c])];
          for (size_t i = 0; i < rows; ++i) {
            m[i] =
                n.kind == PlanNode::Kind::kAnd ? AndMasks(m[i], other[i]) : OrMasks(m[i], other[i]);
          }
        }
        break;
      }
      case PlanNode::Kind::kNot: {
        const auto& child = masks[static_cast<size_t>(bp.child_ids[n.first_child])];
        for (size_t i = 0; i < rows; ++i) m[i] = NotMask(child[i]);
        break;
      }
    }
  }
  out->resize(rows);
  const std::vector<uint8_t>& root = masks.back();
  for (size_t i = 0; i < rows; ++i) (*out)[i] = RowTruth(root[i]);
  return Status::OK();
}

Result<std::vector<int64_t>> RowFilter::Select(const columnar::RecordBatch& batch) const {
  std::vector<Truth> truth;
  RETURN_NOT_OK(Evaluate(batch, &truth));
  std::vector<int64_t> rows;
  for (size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] == Truth::kTrue) rows.push_back(static_cast<int64_t>(i));
  }
  return rows;
}

}  // namespace ds::expr
