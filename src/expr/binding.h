// Binding: resolves a predicate's columns against a schema, coerces its literals into the
// columns' value domains and flattens it into a post-order plan that both evaluators run.
//
// Column names resolve to an exact top-level field first, then to a dotted path into
// structs ("a.b.c"), then case-insensitively (if unique). A predicate part that cannot be
// bound (unknown op, missing or non-primitive column, value type that does not fit the
// column, literal that does not convert) becomes a constant UNKNOWN node, with a note
// saying why; `BoundPlan::exact()` is false then.
//
// Comparison semantics (shared by file skipping and row filtering):
//   integers, decimals, dates, timestamps, bools   exact integer order at the column's
//       scale/unit; a literal between two units (5.5 vs an int column) compares exactly
//   float, double   IEEE order; NaN compares FALSE with everything (also NaN = NaN)
//   string, binary  unsigned byte order (UTF-8 code point order)
// A literal's value type must fit the column: numeric types fit numeric columns (ints,
// decimals, floats), string fits string/binary, date fits date, timestamp fits timestamp,
// bool fits bool; a string literal (SQL '2021-01-01') also converts to the column's type,
// and a date literal to a timestamp at midnight UTC.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "columnar/type.h"
#include "expr/coercion.h"
#include "expr/expr.h"
#include "expr/truth.h"
#include "util/decimal.h"

namespace ds::expr {

enum class CmpOp : uint8_t { kEq, kLt, kLe };  // > and >= bind as swapped < and <=

struct Operand {
  enum class Kind : uint8_t { kColumn, kLiteral };
  Kind kind = Kind::kLiteral;
  int32_t index = 0;  // into BoundPlan::columns or ::literals
};

struct PlanNode {
  enum class Kind : uint8_t { kConst, kCompare, kIsNull, kAnd, kOr, kNot };
  Kind kind = Kind::kConst;
  CmpOp cmp = CmpOp::kEq;
  Domain domain = Domain::kInt;
  uint8_t const_mask = kMaskAll;  // kConst
  Operand a, b;                   // kCompare: a cmp b; kIsNull: a
  int32_t first_child = 0;        // kAnd/kOr/kNot: children are
  int32_t num_children = 0;       // child_ids[first_child, first_child + num_children)
};

struct BoundColumn {
  std::string name;             // as written in the predicate
  std::vector<int> field_path;  // field indices from the top level down
  // The fields along the path; they point into the schema given to Bind.
  std::vector<const columnar::Field*> fields;
  ColumnClass column_class;
};

struct BoundPlan {
  std::vector<PlanNode> nodes;  // post-order: children precede parents; the root is last
  std::vector<int32_t> child_ids;
  std::vector<BoundColumn> columns;
  std::vector<BoundValue> literals;
  std::vector<std::string> notes;  // one per part bound as UNKNOWN

  bool exact() const { return notes.empty(); }
};

// Binds `predicate` against `schema` (logical names). Never fails: unbindable parts become
// UNKNOWN with a note. The plan's field pointers are valid while `schema` lives.
BoundPlan Bind(const Expr& predicate, const columnar::Schema& schema);

// Finds a column as described above; returns the field index path or an empty vector.
std::vector<int> ResolveColumnPath(const columnar::Schema& schema, std::string_view name);

// Returns a copy of `predicate` in which every column carries the value type of its schema
// column and every literal the same value type as its partner (SQL '2021-01-01' against a
// date column becomes a date literal), so the tree serializes to a valid JSON predicate.
// Decimal columns get "double" (the protocol has no decimal type; literals keep their exact
// text). InvalidArgument naming the part on a missing or unsupported column, a value type
// that does not fit, or a literal that does not convert. Unknown nodes are kept.
Result<ExprPtr> ResolveTypes(const Expr& predicate, const columnar::Schema& schema);

}  // namespace ds::expr
