#include "expr/binding.h"

#include <cmath>

#include "expr/value.h"
#include "util/civil_time.h"
#include "util/string_util.h"

namespace ds::expr {

namespace {

using columnar::TypeId;

// Mask of `a cmp b` for two non-null points.
uint8_t ComparePoints(Domain d, CmpOp cmp, const BoundValue& a, const BoundValue& b) {
  int c = 0;
  switch (d) {
    case Domain::kInt:
      c = CompareScaled(a.i, a.frac, b.i, b.frac);
      break;
    case Domain::kDouble:
      if (std::isnan(a.d) || std::isnan(b.d)) return kMaskFalse;
      c = a.d < b.d ? -1 : (a.d > b.d ? 1 : 0);
      break;
    case Domain::kBytes:
      c = a.bytes.compare(b.bytes);
      break;
  }
  bool r = cmp == CmpOp::kEq ? c == 0 : (cmp == CmpOp::kLt ? c < 0 : c <= 0);
  return r ? kMaskTrue : kMaskFalse;
}

class Binder {
 public:
  explicit Binder(const columnar::Schema& schema) : schema_(schema) {}

  BoundPlan Run(const Expr& predicate) {
    BindCondition(predicate);
    return std::move(plan_);
  }

 private:
  int32_t AddNode(const PlanNode& n) {
    plan_.nodes.push_back(n);
    return static_cast<int32_t>(plan_.nodes.size() - 1);
  }
  int32_t Const(uint8_t mask) {
    PlanNode n;
    n.kind = PlanNode::Kind::kConst;
    n.const_mask = mask;
    return AddNode(n);
  }
  int32_t Unknown(std::string note) {
    plan_.notes.push_back(std::move(note));
    return Const(kMaskAll);
  }
  int32_t AddLiteral(BoundValue v) {
    plan_.literals.push_back(std::move(v));
    return static_cast<int32_t>(plan_.literals.size() - 1);
  }

  // The column index of `col`, or an error saying why it cannot be used.
  Result<int32_t> ColumnIndex(const Expr& col) {
    std::vector<int> path = ResolveColumnPath(schema_, col.name());
    if (path.empty()) {
      return Status::InvalidArgument("column " + col.ToString() + " is not in the table schema");
    }
    for (size_t i = 0; i < plan_.columns.size(); ++i) {
      if (plan_.columns[i].field_path == path) return static_cast<int32_t>(i);
    }
    BoundColumn bc;
    bc.name = col.name();
    const std::vector<columnar::Field>* fields = &schema_.fields;
    for (int idx : path) {
      const columnar::Field& f = (*fields)[idx];
      bc.fields.push_back(&f);
      fields = &f.type->fields;
    }
    bc.field_path = std::move(path);
    bc.column_class = ClassOf(*bc.fields.back()->type);
    if (bc.column_class.value_class == ValueClass::kUnsupported) {
      return Status::InvalidArgument("column " + col.ToString() + " has type " +
                                     bc.fields.back()->type->ToString() +
                                     ", which predicates cannot compare");
    }
    if (!DeclaredTypeFits(col.value_type(), bc.column_class.value_class)) {
      return Status::InvalidArgument("column " + col.ToString() + " is declared " +
                                     std::string(ValueTypeName(col.value_type())) +
                                     " but the table has " + TypeLabel(bc.column_class));
    }
    plan_.columns.push_back(std::move(bc));
    return static_cast<int32_t>(plan_.columns.size() - 1);
  }

  int32_t BindCondition(const Expr& e) {
    switch (e.op()) {
      case Op::kLiteral: {
        auto b = ParseBoolText(e.text());
        if (e.value_type() != ValueType::kBool || !b) {
          return Unknown("literal " + e.ToString() + " is not a condition");
        }
        return Const(*b ? kMaskTrue : kMaskFalse);
      }
      case Op::kColumn: {
        auto idx = ColumnIndex(e);
        if (!idx.ok()) return Unknown(idx.status().message());
        const BoundColumn& c = plan_.columns[*idx];
        if (c.column_class.value_class != ValueClass::kBool) {
          return Unknown("column " + e.ToString() + " is not boolean, so not a condition");
        }
        BoundValue t;
        t.i = 1;
        PlanNode n;
        n.kind = PlanNode::Kind::kCompare;
        n.cmp = CmpOp::kEq;
        n.domain = Domain::kInt;
        n.a = {Operand::Kind::kColumn, *idx};
        n.b = {Operand::Kind::kLiteral, AddLiteral(std::move(t))};
        return AddNode(n);
      }
      case Op::kIsNull: {
        auto idx = ColumnIndex(*e.children()[0]);
        if (!idx.ok()) return Unknown(idx.status().message());
        PlanNode n;
        n.kind = PlanNode::Kind::kIsNull;
        n.a = {Operand::Kind::kColumn, *idx};
        return AddNode(n);
      }
      case Op::kEqual:
      case Op::kLessThan:
      case Op::kLessThanOrEqual:
      case Op::kGreaterThan:
      case Op::kGreaterThanOrEqual:
        return BindCompare(e);
      case Op::kAnd:
      case Op::kOr:
      case Op::kNot: {
        std::vector<int32_t> kids;
        kids.reserve(e.children().size());
        for (const auto& c : e.children()) kids.push_back(BindCondition(*c));
        PlanNode n;
        n.kind = e.op() == Op::kAnd  ? PlanNode::Kind::kAnd
                 : e.op() == Op::kOr ? PlanNode::Kind::kOr
                                     : PlanNode::Kind::kNot;
        n.first_child = static_cast<int32_t>(plan_.child_ids.size());
        n.num_children = static_cast<int32_t>(kids.size());
        plan_.child_ids.insert(plan_.child_ids.end(), kids.begin(), kids.end());
        return AddNode(n);
      }
      case Op::kUnknown:
        return Unknown("op '" + e.name() + "' is not supported");
    }
    return Unknown("unhandled op");
  }

  int32_t BindCompare(const Expr& e) {
    const Expr* left = e.children()[0].get();
    const Expr* right = e.children()[1].get();
    CmpOp cmp = CmpOp::kEq;
    switch (e.op()) {
      case Op::kLessThan:
        cmp = CmpOp::kLt;
        break;
      case Op::kLessThanOrEqual:
        cmp = CmpOp::kLe;
        break;
      case Op::kGreaterThan:
        cmp = CmpOp::kLt;
        std::swap(left, right);
        break;
      case Op::kGreaterThanOrEqual:
        cmp = CmpOp::kLe;
        std::swap(left, right);
        break;
      default:
        break;
    }
    std::string what = e.ToString();
    if (left->op() == Op::kLiteral && right->op() == Op::kLiteral) {
      ColumnClass c = ClassForValueType(left->value_type());
      auto a = CoerceLiteral(*left, c);
      auto b = CoerceLiteral(*right, c);
      if (!a.ok() || !b.ok()) return Unknown(what + ": " + (a.ok() ? b : a).status().message());
      return Const(ComparePoints(DomainOf(c.value_class), cmp, *a, *b));
    }
    PlanNode n;
    n.kind = PlanNode::Kind::kCompare;
    n.cmp = cmp;
    if (left->op() == Op::kColumn && right->op() == Op::kColumn) {
      auto ia = ColumnIndex(*left);
      if (!ia.ok()) return Unknown(what + ": " + ia.status().message());
      auto ib = ColumnIndex(*right);
      if (!ib.ok()) return Unknown(what + ": " + ib.status().message());
      const ColumnClass& ca = plan_.columns[*ia].column_class;
      const ColumnClass& cb = plan_.columns[*ib].column_class;
      if (!ClassesComparable(ca, cb)) {
        return Unknown(what + ": cannot compare a " + TypeLabel(ca) + " column with a " +
                       TypeLabel(cb) + " column");
      }
      n.domain = DomainOf(ca.value_class);
      n.a = {Operand::Kind::kColumn, *ia};
      n.b = {Operand::Kind::kColumn, *ib};
      return AddNode(n);
    }
    bool column_first = left->op() == Op::kColumn;
    const Expr& col = column_first ? *left : *right;
    const Expr& lit = column_first ? *right : *left;
    auto idx = ColumnIndex(col);
    if (!idx.ok()) return Unknown(what + ": " + idx.status().message());
    const ColumnClass& cc = plan_.columns[*idx].column_class;
    auto value = CoerceLiteral(lit, cc);
    if (!value.ok()) return Unknown(what + ": " + value.status().message());
    n.domain = DomainOf(cc.value_class);
    Operand column_op{Operand::Kind::kColumn, *idx};
    Operand literal_op{Operand::Kind::kLiteral, AddLiteral(std::move(value).value())};
    n.a = column_first ? column_op : literal_op;
    n.b = column_first ? literal_op : column_op;
    return AddNode(n);
  }

  const columnar::Schema& schema_;
  BoundPlan plan_;
};

Result<ValueType> ColumnValueType(const Expr& col, const columnar::Schema& schema) {
  std::vector<int> path = ResolveColumnPath(schema, col.name());
  if (path.empty()) {
    return Status::InvalidArgument("column " + col.ToString() + " is not in the table schema");
  }
  const columnar::Field* f = nullptr;
  const std::vector<columnar::Field>* fields = &schema.fields;
  for (int idx : path) {
    f = &(*fields)[idx];
    fields = &f->type->fields;
  }
  ValueType t = NaturalValueType(*f->type);
  if (t == ValueType::kUnspecified) {
    return Status::InvalidArgument("column " + col.ToString() + " has type " + f->type->ToString() +
                                   ", which predicates cannot compare");
  }
  if (!DeclaredTypeFits(col.value_type(), ClassOf(*f->type).value_class)) {
    return Status::InvalidArgument("column " + col.ToString() + " is declared " +
                                   std::string(ValueTypeName(col.value_type())) +
                                   " but the table has " + f->type->ToString());
  }
  return t;
}

const columnar::Field* FieldAt(const columnar::Schema& schema, const std::vector<int>& path) {
  const columnar::Field* f = nullptr;
  const std::vector<columnar::Field>* fields = &schema.fields;
  for (int idx : path) {
    f = &(*fields)[idx];
    fields = &f->type->fields;
  }
  return f;
}

Result<ExprPtr> Retype(const Expr& e, const columnar::Schema& schema) {
  switch (e.op()) {
    case Op::kLiteral:
    case Op::kUnknown:
      return std::make_shared<const Expr>(e);
    case Op::kColumn: {  // a bare condition
      ASSIGN_OR_RETURN(ValueType t, ColumnValueType(e, schema));
      if (t != ValueType::kBool) {
        return Status::InvalidArgument("column " + e.ToString() + " is not boolean");
      }
      return Expr::Column(e.name(), t);
    }
    case Op::kIsNull: {
      const Expr& col = *e.children()[0];
      ASSIGN_OR_RETURN(ValueType t, ColumnValueType(col, schema));
      ASSIGN_OR_RETURN(auto c, Expr::Column(col.name(), t));
      return Expr::IsNull(std::move(c));
    }
    case Op::kAnd:
    case Op::kOr:
    case Op::kNot: {
      std::vector<ExprPtr> kids;
      for (const auto& c : e.children()) {
        ASSIGN_OR_RETURN(auto k, Retype(*c, schema));
        kids.push_back(std::move(k));
      }
      if (e.op() == Op::kNot) return Expr::Not(std::move(kids[0]));
      return e.op() == Op::kAnd ? Expr::And(std::move(kids)) : Expr::Or(std::move(kids));
    }
    default:
      break;
  }
  // A comparison.
  const Expr& a = *e.children()[0];
  const Expr& b = *e.children()[1];
  std::string what = e.ToString();
  if (a.op() == Op::kLiteral && b.op() == Op::kLiteral) return std::make_shared<const Expr>(e);
  if (a.op() == Op::kColumn && b.op() == Op::kColumn) {
    ASSIGN_OR_RETURN(ValueType ta, ColumnValueType(a, schema));
    ASSIGN_OR_RETURN(ValueType tb, ColumnValueType(b, schema));
    ColumnClass ca = ClassOf(*FieldAt(schema, ResolveColumnPath(schema, a.name()))->type);
    ColumnClass cb = ClassOf(*FieldAt(schema, ResolveColumnPath(schema, b.name()))->type);
    if (!ClassesComparable(ca, cb)) {
      return Status::InvalidArgument(what + ": cannot compare a " + TypeLabel(ca) +
                                     " column with a " + TypeLabel(cb) + " column");
    }
    if (ta != tb) {  // JSON wants one type on both sides: widen int/float to long/double
      ta = tb = ca.value_class == ValueClass::kInteger ? ValueType::kLong : ValueType::kDouble;
    }
    ASSIGN_OR_RETURN(auto ca_expr, Expr::Column(a.name(), ta));
    ASSIGN_OR_RETURN(auto cb_expr, Expr::Column(b.name(), tb));
    return Expr::Compare(e.op(), std::move(ca_expr), std::move(cb_expr));
  }
  bool column_first = a.op() == Op::kColumn;
  const Expr& col = column_first ? a : b;
  const Expr& lit = column_first ? b : a;
  ASSIGN_OR_RETURN(ValueType t, ColumnValueType(col, schema));
  ColumnClass cc = ClassOf(*FieldAt(schema, ResolveColumnPath(schema, col.name()))->type);
  auto coerced = CoerceLiteral(lit, cc);
  if (!coerced.ok()) return coerced.status().WithContext(what);
  // A float literal is parsed as float32, anything else as double: keep that distinction.
  if (t == ValueType::kFloat && lit.value_type() != ValueType::kFloat) t = ValueType::kDouble;
  // Keep the literal's text; retype it to the column's type when the text is valid there,
  // else (5.5 against an int column) type both sides with the literal's numeric type.
  auto typed = Expr::Literal(t, lit.text());
  ExprPtr new_lit;
  if (typed.ok()) {
    new_lit = std::move(typed).value();
  } else if (IsNumeric(lit.value_type()) && IsNumeric(t)) {
    t = lit.value_type();
    new_lit = std::make_shared<const Expr>(lit);
  } else {
    return typed.status().WithContext(what);
  }
  ASSIGN_OR_RETURN(auto new_col, Expr::Column(col.name(), t));
  return column_first ? Expr::Compare(e.op(), std::move(new_col), std::move(new_lit))
                      : Expr::Compare(e.op(), std::move(new_lit), std::move(new_col));
}

}  // namespace

std::vector<int> ResolveColumnPath(const columnar::Schema& schema, std::string_view name) {
  int top = schema.FieldIndex(name);
  if (top >= 0) return {top};
  // A dotted path into structs.
  if (name.find('.') != std::string_view::npos) {
    std::vector<int> path;
    const std::vector<columnar::Field>* fields = &schema.fields;
    bool ok = true;
    for (std::string_view part : Split(name, '.')) {
      if (fields == nullptr) {
        ok = false;
        break;
      }
      int found = -1;
      for (size_t i = 0; i < fields->size(); ++i) {
        if ((*fields)[i].name == part) found = static_cast<int>(i);
      }
      if (found < 0) {
        ok = false;
        break;
      }
      path.push_back(found);
      const columnar::Field& f = (*fields)[found];
      fields = f.type->id == TypeId::kStruct ? &f.type->fields : nullptr;
    }
    if (ok) return path;
  }
  // Case-insensitive, if unique.
  int match = -1;
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    if (EqualsIgnoreCase(schema.fields[i].name, name)) {
      if (match >= 0) return {};
      match = static_cast<int>(i);
    }
  }
  if (match >= 0) return {match};
  return {};
}

BoundPlan Bind(const Expr& predicate, const columnar::Schema& schema) {
  return Binder(schema).Run(predicate);
}

Result<ExprPtr> ResolveTypes(const Expr& predicate, const columnar::Schema& schema) {
  return Retype(predicate, schema);
}

}  // namespace ds::expr
