// Value classes and literal coercion: how a column's values compare (integer order at a
// scale or unit, IEEE doubles, unsigned bytes) and how a predicate literal converts into a
// column's domain, exactly. Shared by binding (both evaluators) and ResolveTypes.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "columnar/type.h"
#include "expr/expr.h"
#include "util/decimal.h"
#include "util/result.h"

namespace ds::expr {

enum class ValueClass : uint8_t {
  kUnsupported,
  kBool,
  kInteger,
  kDecimal,
  kFloat32,
  kFloat64,
  kString,
  kBinary,
  kDate,
  kTimestamp,
};

struct ColumnClass {
  ValueClass value_class = ValueClass::kUnsupported;
  int32_t scale = 0;                  // kDecimal
  TimeUnit unit = TimeUnit::kMicros;  // kTimestamp
};

// Unsigned integers are integers; fixed binary and uuid are binary; time, null and nested
// types are unsupported.
ColumnClass ClassOf(const columnar::DataType& type);

enum class Domain : uint8_t { kInt, kDouble, kBytes };
Domain DomainOf(ValueClass value_class);

// A literal converted into a column's domain.
struct BoundValue {
  int128_t i = 0;     // kInt: floor at the column's scale/unit ...
  bool frac = false;  // ... plus "strictly between floor and floor + 1"
  double d = 0;       // kDouble
  std::string bytes;  // kBytes
};

// "integer", "decimal", "string", ... for messages.
std::string TypeLabel(const ColumnClass& c);

// Whether a predicate's declared column value type fits a schema column of class `c`
// (kUnspecified fits anything; numeric types fit every numeric class).
bool DeclaredTypeFits(ValueType declared, ValueClass c);

// The class a literal of `type` has on its own (literal-vs-literal comparisons).
ColumnClass ClassForValueType(ValueType type);

// Converts a literal into the domain of a column of class `c`, exactly (see binding.h for
// the rules). InvalidArgument naming the literal and the column type when the literal's
// type does not fit or its text does not convert (NaN against a non-float column too).
Result<BoundValue> CoerceLiteral(const Expr& literal, const ColumnClass& c);

// Whether two columns can be compared with each other: same domain, and for integer-order
// classes the same class, scale and unit.
bool ClassesComparable(const ColumnClass& a, const ColumnClass& b);

// The JSON predicate value type a schema column is written with (decimal -> double).
ValueType NaturalValueType(const columnar::DataType& type);

}  // namespace ds::expr
