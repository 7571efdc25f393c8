#include "expr/coercion.h"

#include <cmath>

#include "expr/value.h"
#include "util/civil_time.h"
#include "util/string_util.h"

namespace ds::expr {

using columnar::TypeId;

std::string TypeLabel(const ColumnClass& c) {
  switch (c.value_class) {
    case ValueClass::kBool:
      return "boolean";
    case ValueClass::kInteger:
      return "integer";
    case ValueClass::kDecimal:
      return "decimal";
    case ValueClass::kFloat32:
      return "float";
    case ValueClass::kFloat64:
      return "double";
    case ValueClass::kString:
      return "string";
    case ValueClass::kBinary:
      return "binary";
    case ValueClass::kDate:
      return "date";
    case ValueClass::kTimestamp:
      return "timestamp";
    case ValueClass::kUnsupported:
      break;
  }
  return "unsupported";
}

bool DeclaredTypeFits(ValueType declared, ValueClass c) {
  switch (declared) {
    case ValueType::kUnspecified:
      return true;
    case ValueType::kBool:
      return c == ValueClass::kBool;
    case ValueType::kInt:
    case ValueType::kLong:
    case ValueType::kFloat:
    case ValueType::kDouble:
      return c == ValueClass::kInteger || c == ValueClass::kDecimal || c == ValueClass::kFloat32 ||
             c == ValueClass::kFloat64;
    case ValueType::kString:
      return c == ValueClass::kString || c == ValueClass::kBinary;
    case ValueType::kDate:
      return c == ValueClass::kDate;
    case ValueType::kTimestamp:
      return c == ValueClass::kTimestamp;
  }
  return false;
}

// The class a literal of `type` has on its own (for literal-vs-literal comparisons).
ColumnClass ClassForValueType(ValueType type) {
  ColumnClass c;
  switch (type) {
    case ValueType::kBool:
      c.value_class = ValueClass::kBool;
      break;
    case ValueType::kInt:
    case ValueType::kLong:
      c.value_class = ValueClass::kInteger;
      break;
    case ValueType::kFloat:
      c.value_class = ValueClass::kFloat32;
      break;
    case ValueType::kDouble:
      c.value_class = ValueClass::kFloat64;
      break;
    case ValueType::kString:
      c.value_class = ValueClass::kString;
      break;
    case ValueType::kDate:
      c.value_class = ValueClass::kDate;
      break;
    case ValueType::kTimestamp:
      c.value_class = ValueClass::kTimestamp;
      break;
    case ValueType::kUnspecified:
      break;
  }
  return c;
}

namespace {

// Microseconds since the epoch -> a literal in `unit` (exact: frac when between units).
BoundValue MicrosToUnit(int128_t micros, TimeUnit unit) {
  BoundValue v;
  v.i = MicrosToUnitFloor(micros, unit);
  v.frac = unit == TimeUnit::kMillis && v.i * 1000 != micros;
  return v;
}

}  // namespace

Result<BoundValue> CoerceLiteral(const Expr& lit, const ColumnClass& c) {
  const std::string& text = lit.text();
  const ValueType t = lit.value_type();
  auto mismatch = [&]() {
    return Status::InvalidArgument("a " + std::string(ValueTypeName(t)) + " literal " +
                                   lit.ToString() + " does not fit a " + TypeLabel(c) + " column");
  };
  auto unparsable = [&]() {
    return Status::InvalidArgument("literal " + lit.ToString() + " is not a valid " + TypeLabel(c) +
                                   " value");
  };
  BoundValue v;
  switch (c.value_class) {
    case ValueClass::kBool: {
      if (t != ValueType::kBool && t != ValueType::kString) return mismatch();
      auto b = ParseBoolText(text);
      if (!b) return unparsable();
      v.i = *b;
      return v;
    }
    case ValueClass::kInteger:
    case ValueClass::kDecimal: {
      if (!IsNumeric(t) && t != ValueType::kString) return mismatch();
      int32_t scale = c.value_class == ValueClass::kDecimal ? c.scale : 0;
      if (auto n = ParseExactNumber(text)) {
        ScaledValue s = ToScaled(*n, scale);
        v.i = s.floor;
        v.frac = s.frac;
        return v;
      }
      auto d = ParseDouble(text);
      if (!d) return unparsable();
      if (std::isnan(*d)) {
        return Status::InvalidArgument("NaN literal " + lit.ToString() + " compared with a " +
                                       TypeLabel(c) + " column");
      }
      v.i = *d > 0 ? kClampMagnitude : -kClampMagnitude;  // +-Infinity
      return v;
    }
    case ValueClass::kFloat32:
    case ValueClass::kFloat64: {
      if (!IsNumeric(t) && t != ValueType::kString) return mismatch();
      auto d = ParseFloating(text, t == ValueType::kFloat);
      if (!d) return unparsable();
      v.d = *d;
      return v;
    }
    case ValueClass::kString:
    case ValueClass::kBinary:
      if (t != ValueType::kString) return mismatch();
      v.bytes = text;
      return v;
    case ValueClass::kDate: {
      if (t != ValueType::kDate && t != ValueType::kString) return mismatch();
      auto days = ParseDate(text);
      if (!days.ok()) return unparsable();
      v.i = *days;
      return v;
    }
    case ValueClass::kTimestamp: {
      if (t == ValueType::kDate) {
        auto days = ParseDate(text);
        if (!days.ok()) return unparsable();
        return MicrosToUnit(static_cast<int128_t>(*days) * kMicrosPerDay, c.unit);
      }
      if (t != ValueType::kTimestamp && t != ValueType::kString) return mismatch();
      auto micros = ParseTimestampMicros(text);
      if (!micros.ok()) return unparsable();
      return MicrosToUnit(*micros, c.unit);
    }
    case ValueClass::kUnsupported:
      break;
  }
  return mismatch();
}

bool ClassesComparable(const ColumnClass& a, const ColumnClass& b) {
  Domain da = DomainOf(a.value_class), db = DomainOf(b.value_class);
  if (a.value_class == ValueClass::kUnsupported || b.value_class == ValueClass::kUnsupported ||
      da != db) {
    return false;
  }
  if (da != Domain::kInt) return true;
  if (a.value_class != b.value_class) return false;
  if (a.value_class == ValueClass::kDecimal) return a.scale == b.scale;
  if (a.value_class == ValueClass::kTimestamp) return a.unit == b.unit;
  return true;
}

// The value type a schema column is written with in JSON predicates.
ValueType NaturalValueType(const columnar::DataType& type) {
  switch (ClassOf(type).value_class) {
    case ValueClass::kBool:
      return ValueType::kBool;
    case ValueClass::kInteger:
      return type.id == TypeId::kInt8 || type.id == TypeId::kInt16 || type.id == TypeId::kInt32 ||
                     type.id == TypeId::kUInt8 || type.id == TypeId::kUInt16
                 ? ValueType::kInt
                 : ValueType::kLong;
    case ValueClass::kDecimal:
    case ValueClass::kFloat64:
      return ValueType::kDouble;
    case ValueClass::kFloat32:
      return ValueType::kFloat;
    case ValueClass::kString:
    case ValueClass::kBinary:
      return ValueType::kString;
    case ValueClass::kDate:
      return ValueType::kDate;
    case ValueClass::kTimestamp:
      return ValueType::kTimestamp;
    case ValueClass::kUnsupported:
      break;
  }
  return ValueType::kUnspecified;
}

ColumnClass ClassOf(const columnar::DataType& type) {
  ColumnClass c;
  switch (type.id) {
    case TypeId::kBool:
      c.value_class = ValueClass::kBool;
      break;
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kUInt8:
    case TypeId::kUInt16:
    case TypeId::kUInt32:
    case TypeId::kUInt64:
      c.value_class = ValueClass::kInteger;
      break;
    case TypeId::kDecimal:
      c.value_class = ValueClass::kDecimal;
      c.scale = type.scale;
      break;
    case TypeId::kFloat32:
      c.value_class = ValueClass::kFloat32;
      break;
    case TypeId::kFloat64:
      c.value_class = ValueClass::kFloat64;
      break;
    case TypeId::kString:
      c.value_class = ValueClass::kString;
      break;
    case TypeId::kBinary:
    case TypeId::kFixedBinary:
    case TypeId::kUuid:
      c.value_class = ValueClass::kBinary;
      break;
    case TypeId::kDate:
      c.value_class = ValueClass::kDate;
      break;
    case TypeId::kTimestamp:
      c.value_class = ValueClass::kTimestamp;
      c.unit = type.unit;
      break;
    default:
      break;
  }
  return c;
}

Domain DomainOf(ValueClass value_class) {
  switch (value_class) {
    case ValueClass::kFloat32:
    case ValueClass::kFloat64:
      return Domain::kDouble;
    case ValueClass::kString:
    case ValueClass::kBinary:
      return Domain::kBytes;
    default:
      return Domain::kInt;
  }
}

}  // namespace ds::expr
