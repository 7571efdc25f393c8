#include "columnar/scalar.h"

#include <cmath>
#include <cstring>

#include "columnar/builder.h"
#include "columnar/json_rows.h"

namespace ds::columnar {

Scalar Scalar::MakeNull(TypePtr type) {
  Scalar s;
  s.type_ = std::move(type);
  return s;
}
Scalar Scalar::MakeBool(bool v) {
  Scalar s;
  s.type_ = Bool();
  s.rep_ = Rep::kBool;
  s.i_ = v;
  return s;
}
Scalar Scalar::MakeInt(TypePtr type, int64_t v) {
  Scalar s;
  s.type_ = std::move(type);
  s.rep_ = Rep::kInt;
  s.i_ = v;
  return s;
}
Scalar Scalar::MakeUInt(TypePtr type, uint64_t v) {
  Scalar s;
  s.type_ = std::move(type);
  s.rep_ = Rep::kUInt;
  s.i_ = static_cast<int64_t>(v);
  return s;
}
Scalar Scalar::MakeDouble(TypePtr type, double v) {
  Scalar s;
  s.type_ = std::move(type);
  s.rep_ = Rep::kDouble;
  s.d_ = v;
  return s;
}
Scalar Scalar::MakeDecimal(TypePtr type, int128_t unscaled) {
  Scalar s;
  s.type_ = std::move(type);
  s.rep_ = Rep::kDecimal;
  s.dec_ = unscaled;
  return s;
}
Scalar Scalar::MakeBytes(TypePtr type, std::string bytes) {
  Scalar s;
  s.type_ = std::move(type);
  s.rep_ = Rep::kBytes;
  s.s_ = std::move(bytes);
  return s;
}

Scalar Scalar::FromArray(const Array& a, int64_t i) {
  if (a.IsNull(i) || IsNested(a.type->id)) return MakeNull(a.type);
  switch (a.type->id) {
    case TypeId::kBool:
      return MakeBool(a.BoolValue(i));
    case TypeId::kInt8:
      return MakeInt(a.type, a.Value<int8_t>(i));
    case TypeId::kInt16:
      return MakeInt(a.type, a.Value<int16_t>(i));
    case TypeId::kInt32:
    case TypeId::kDate:
      return MakeInt(a.type, a.Value<int32_t>(i));
    case TypeId::kTime:
      return MakeInt(a.type,
                     a.type->unit == TimeUnit::kMillis ? a.Value<int32_t>(i) : a.Value<int64_t>(i));
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      return MakeInt(a.type, a.Value<int64_t>(i));
    case TypeId::kUInt8:
      return MakeUInt(a.type, a.Value<uint8_t>(i));
    case TypeId::kUInt16:
      return MakeUInt(a.type, a.Value<uint16_t>(i));
    case TypeId::kUInt32:
      return MakeUInt(a.type, a.Value<uint32_t>(i));
    case TypeId::kUInt64:
      return MakeUInt(a.type, a.Value<uint64_t>(i));
    case TypeId::kFloat32:
      return MakeDouble(a.type, a.Value<float>(i));
    case TypeId::kFloat64:
      return MakeDouble(a.type, a.Value<double>(i));
    case TypeId::kDecimal:
      return MakeDecimal(a.type, a.DecimalValue(i));
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kFixedBinary:
    case TypeId::kUuid:
      return MakeBytes(a.type, std::string(a.View(i)));
    default:
      return MakeNull(a.type);
  }
}

std::string Scalar::ToJson() const {
  if (is_null()) return "null";
  auto b = MakeBuilder(type_);
  switch (type_->id) {
    case TypeId::kBool:
      b->As<BoolBuilder>()->Append(bool_value());
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      b->As<BinaryBuilder>()->Append(s_);
      break;
    case TypeId::kFixedBinary:
    case TypeId::kUuid:
      b->As<FixedBuilder>()->AppendBytes(s_.data());
      break;
    case TypeId::kFloat32:
      b->As<FixedBuilder>()->Append<float>(static_cast<float>(d_));
      break;
    case TypeId::kFloat64:
      b->As<FixedBuilder>()->Append<double>(d_);
      break;
    case TypeId::kDecimal:
      b->As<FixedBuilder>()->Append<int128_t>(dec_);
      break;
    default: {
      auto* fb = b->As<FixedBuilder>();
      int64_t v = i_;
      switch (fb->width()) {
        case 1:
          fb->Append<int8_t>(static_cast<int8_t>(v));
          break;
        case 2:
          fb->Append<int16_t>(static_cast<int16_t>(v));
          break;
        case 4:
          fb->Append<int32_t>(static_cast<int32_t>(v));
          break;
        default:
          fb->Append<int64_t>(v);
          break;
      }
    }
  }
  ArrayPtr a = b->Finish();
  std::string out;
  AppendValueJson(*a, 0, &out);
  return out;
}

namespace {

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

bool IsNumeric(const Scalar& s) {
  TypeId id = s.type()->id;
  return IsInteger(id) || id == TypeId::kFloat32 || id == TypeId::kFloat64 ||
         id == TypeId::kDecimal;
}

// A numeric value as (unscaled int128, scale), or as a double when it is floating point.
struct Num {
  bool is_float = false;
  long double f = 0;
  int128_t v = 0;
  int scale = 0;
};

Num ToNum(const Scalar& s) {
  Num n;
  switch (s.rep()) {
    case Scalar::Rep::kInt:
      n.v = s.int_value();
      break;
    case Scalar::Rep::kUInt:
      n.v = static_cast<int128_t>(s.uint_value());
      break;
    case Scalar::Rep::kDecimal:
      n.v = s.decimal_value();
      n.scale = s.type()->scale;
      break;
    case Scalar::Rep::kDouble:
      n.is_float = true;
      n.f = s.double_value();
      break;
    default:
      break;
  }
  return n;
}

std::optional<int> CompareNumbers(const Num& a, const Num& b) {
  if (a.is_float || b.is_float) {
    long double x = a.is_float ? a.f : static_cast<long double>(a.v) / std::pow(10.0L, a.scale);
    long double y = b.is_float ? b.f : static_cast<long double>(b.v) / std::pow(10.0L, b.scale);
    if (std::isnan(x) || std::isnan(y)) return std::nullopt;
    return Cmp(x, y);
  }
  if (a.scale == b.scale) return Cmp(a.v, b.v);
  // Compare integer parts, then the fractions at the larger scale (< 10^38, so no overflow).
  int128_t pa = Pow10(a.scale), pb = Pow10(b.scale);
  int128_t qa = a.v / pa, qb = b.v / pb;
  if (qa != qb) return Cmp(qa, qb);
  int s = std::max(a.scale, b.scale);
  return Cmp((a.v % pa) * Pow10(s - a.scale), (b.v % pb) * Pow10(s - b.scale));
}

// Instant of a date/timestamp in nanoseconds (as int128 to avoid overflow).
std::optional<int128_t> ToNanos(const Scalar& s) {
  const DataType& t = *s.type();
  if (t.id == TypeId::kDate) return static_cast<int128_t>(s.int_value()) * 86400 * 1000000000LL;
  if (t.id == TypeId::kTimestamp || t.id == TypeId::kTime) {
    int128_t per = t.unit == TimeUnit::kMillis ? 1000000 : t.unit == TimeUnit::kMicros ? 1000 : 1;
    return static_cast<int128_t>(s.int_value()) * per;
  }
  return std::nullopt;
}

}  // namespace

std::optional<int> CompareScalars(const Scalar& a, const Scalar& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  TypeId x = a.type()->id, y = b.type()->id;
  if (IsNumeric(a) && IsNumeric(b)) return CompareNumbers(ToNum(a), ToNum(b));
  if (a.rep() == Scalar::Rep::kBytes && b.rep() == Scalar::Rep::kBytes) {
    int c = std::memcmp(a.bytes().data(), b.bytes().data(),
                        std::min(a.bytes().size(), b.bytes().size()));
    if (c != 0) return c < 0 ? -1 : 1;
    return Cmp(a.bytes().size(), b.bytes().size());
  }
  if (x == TypeId::kBool && y == TypeId::kBool) return Cmp(a.bool_value(), b.bool_value());
  bool ta = x == TypeId::kDate || x == TypeId::kTimestamp;
  bool tb = y == TypeId::kDate || y == TypeId::kTimestamp;
  if ((ta && tb) || (x == TypeId::kTime && y == TypeId::kTime)) {
    auto na = ToNanos(a), nb = ToNanos(b);
    return Cmp(*na, *nb);
  }
  return std::nullopt;
}

}  // namespace ds::columnar
