// Scalar: one typed value or null, outside any array. Used for statistics (Parquet min/max,
// Delta stats), partition values and predicate literals.
#pragma once

#include <optional>
#include <string>

#include "columnar/array.h"

namespace ds::columnar {

class Scalar {
 public:
  enum class Rep : uint8_t { kNull, kBool, kInt, kUInt, kDouble, kDecimal, kBytes };

  Scalar() : type_(columnar::Null()) {}
  static Scalar MakeNull(TypePtr type);
  static Scalar MakeBool(bool v);
  // Signed integers, date (days), time and timestamp (in the type's unit).
  static Scalar MakeInt(TypePtr type, int64_t v);
  static Scalar MakeUInt(TypePtr type, uint64_t v);
  static Scalar MakeDouble(TypePtr type, double v);
  static Scalar MakeDecimal(TypePtr type, int128_t unscaled);
  // String, binary, fixed binary, uuid.
  static Scalar MakeBytes(TypePtr type, std::string bytes);
  // Slot i of a non-nested array.
  static Scalar FromArray(const Array& array, int64_t i);

  const TypePtr& type() const { return type_; }
  Rep rep() const { return rep_; }
  bool is_null() const { return rep_ == Rep::kNull; }
  bool bool_value() const { return i_ != 0; }
  int64_t int_value() const { return i_; }
  uint64_t uint_value() const { return static_cast<uint64_t>(i_); }
  double double_value() const { return d_; }
  int128_t decimal_value() const { return dec_; }
  const std::string& bytes() const { return s_; }

  // The value in deltashare's JSON row encoding ("null" when null).
  std::string ToJson() const;

 private:
  TypePtr type_;
  Rep rep_ = Rep::kNull;
  int64_t i_ = 0;
  double d_ = 0;
  int128_t dec_ = 0;
  std::string s_;
};

// Compares two non-null scalars: <0, 0 or >0. Numbers compare by value across integer,
// decimal and floating types; dates and timestamps by instant; strings and binary as
// unsigned bytes. nullopt when either is null, a float is NaN, or the types are unrelated.
std::optional<int> CompareScalars(const Scalar& a, const Scalar& b);

}  // namespace ds::columnar
