// Predicate expression trees: the one representation behind Delta Sharing JSON predicates
// (`jsonPredicateHints`), SQL predicate hints and per-recipient partition filters.
//
// A tree is immutable once built and shared through ExprPtr (std::shared_ptr<const Expr>),
// so any number of threads may read it. Nodes mirror the protocol's JSON ops:
//
//   column   leaf: `name` (top-level, or a dotted path into structs) + optional value type
//   literal  leaf: `value` text + value type (never null)
//   isNull   one column child
//   equal, lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual
//            two leaf children (column/literal, either order, or two of a kind)
//   and, or  two or more children; not: one child
//   unknown  an op this build does not know; evaluators treat it as UNKNOWN (see below)
//
// Leaves are also conditions on their own when they are booleans: a bool column (true
// where the value is true) or a bool literal.
//
// Every factory checks the structural rules and returns InvalidArgument naming the flaw, so
// a tree that exists is well formed: arity, leaf-only comparison operands, bool-typed bare
// leaves, same value type on both sides of a comparison (unspecified matches anything),
// parseable literal text, and a height of at most kMaxHeight (so recursive walks are safe).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace ds::expr {

// The protocol's value types. kUnspecified is for SQL column references, whose type comes
// from the table schema at bind time.
enum class ValueType : uint8_t {
  kUnspecified,
  kBool,
  kInt,
  kLong,
  kString,
  kDate,
  kFloat,
  kDouble,
  kTimestamp,
};

// "bool", "int", "long", "string", "date", "float", "double", "timestamp"; "" for
// kUnspecified.
std::string_view ValueTypeName(ValueType type);
// The inverse of ValueTypeName (exact, case-sensitive); nullopt for anything else.
std::optional<ValueType> ValueTypeFromName(std::string_view name);
bool IsNumeric(ValueType type);

enum class Op : uint8_t {
  kColumn,
  kLiteral,
  kIsNull,
  kEqual,
  kLessThan,
  kLessThanOrEqual,
  kGreaterThan,
  kGreaterThanOrEqual,
  kAnd,
  kOr,
  kNot,
  kUnknown,
};

// The protocol's op name ("isNull", "lessThanOrEqual", ...); "unknown" for kUnknown.
std::string_view OpName(Op op);
bool IsComparison(Op op);

class Expr;
using ExprPtr = std::shared_ptr<const Expr>;

// Trees deeper than this are refused (protocol limit; leaves have height 1).
constexpr int kMaxHeight = 100;

class Expr {
 public:
  // A column reference. `name` must be non-empty.
  static Result<ExprPtr> Column(std::string name, ValueType type = ValueType::kUnspecified);
  // A literal. InvalidArgument if `text` does not parse as `type`: bool "true"/"false" (any
  // case), int (32-bit), long (64-bit), float/double (also NaN, Infinity, -Infinity), date
  // "YYYY-MM-DD", timestamp ISO 8601 with 'T' or ' ' and an optional offset/Z (none = UTC).
  // `type` must not be kUnspecified.
  static Result<ExprPtr> Literal(ValueType type, std::string text);
  static Result<ExprPtr> IsNull(ExprPtr column);
  // `op` is one of the five comparisons.
  static Result<ExprPtr> Compare(Op op, ExprPtr left, ExprPtr right);
  // Two or more children; a single child is returned as is. Nested ands (ors) are flattened.
  static Result<ExprPtr> And(std::vector<ExprPtr> children);
  static Result<ExprPtr> Or(std::vector<ExprPtr> children);
  static Result<ExprPtr> Not(ExprPtr child);
  // An op this build does not know, kept verbatim: `op_name` as sent and `raw_json` (the
  // node's JSON text, re-emitted by the serializer). Evaluators treat it as UNKNOWN.
  static ExprPtr Unknown(std::string op_name, std::string raw_json);

  Op op() const { return op_; }
  // Column: the name. Unknown: the op name as sent.
  const std::string& name() const { return text_a_; }
  // Literal: the value text as given. Unknown: the raw JSON.
  const std::string& text() const { return text_b_; }
  ValueType value_type() const { return type_; }
  const std::vector<ExprPtr>& children() const { return children_; }
  int height() const { return height_; }
  bool is_leaf() const { return op_ == Op::kColumn || op_ == Op::kLiteral; }
  // True if this node or any descendant is kUnknown.
  bool contains_unknown() const { return contains_unknown_; }

  // A readable SQL-like form for messages and tests: "(a = 5 AND NOT (b IS NULL))".
  std::string ToString() const;

  // Use the factories; public only for std::make_shared.
  Expr(Op op, ValueType type, std::string a, std::string b, std::vector<ExprPtr> children);

 private:
  void AppendTo(std::string* out) const;

  Op op_;
  ValueType type_;
  std::string text_a_;
  std::string text_b_;
  std::vector<ExprPtr> children_;
  int height_ = 1;
  bool contains_unknown_ = false;
};

}  // namespace ds::expr
