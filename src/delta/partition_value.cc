#include "delta/partition_value.h"

#include "columnar/builder.h"
#include "util/civil_time.h"
#include "util/decimal.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

using columnar::Scalar;
using columnar::TypeId;

template <typename T>
void AppendFixed(columnar::ArrayBuilder* b, T v, int64_t n) {
  auto* fb = b->As<columnar::FixedBuilder>();
  for (int64_t i = 0; i < n; ++i) fb->Append<T>(v);
}

}  // namespace

Result<Scalar> ParsePartitionValue(std::optional<std::string_view> text,
                                   const columnar::TypePtr& type) {
  if (!text || text->empty()) return Scalar::MakeNull(type);
  const std::string_view s = *text;
  auto bad = [&](std::string_view why = {}) {
    std::string msg = "partition value '" + std::string(s) + "' is not a valid " + type->ToString();
    if (!why.empty()) msg += ": " + std::string(why);
    return Status::Corruption(msg);
  };
  switch (type->id) {
    case TypeId::kString:
    case TypeId::kBinary:
      return Scalar::MakeBytes(type, std::string(s));
    case TypeId::kBool:
      if (EqualsIgnoreCase(s, "true")) return Scalar::MakeBool(true);
      if (EqualsIgnoreCase(s, "false")) return Scalar::MakeBool(false);
      return bad();
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64: {
      std::optional<int64_t> v = ParseInt64(Trim(s));
      if (!v) return bad();
      int bits = type->id == TypeId::kInt8    ? 8
                 : type->id == TypeId::kInt16 ? 16
                 : type->id == TypeId::kInt32 ? 32
                                              : 64;
      if (bits < 64) {
        int64_t lim = int64_t{1} << (bits - 1);
        if (*v < -lim || *v >= lim) return bad("out of range");
      }
      return Scalar::MakeInt(type, *v);
    }
    case TypeId::kFloat32:
    case TypeId::kFloat64: {
      std::optional<double> v = ParseDouble(Trim(s));
      if (!v) return bad();
      return Scalar::MakeDouble(type, *v);
    }
    case TypeId::kDecimal: {
      Result<int128_t> v = ParseDecimal(Trim(s), type->precision, type->scale);
      if (!v.ok()) return bad(v.status().message());
      return Scalar::MakeDecimal(type, *v);
    }
    case TypeId::kDate: {
      Result<int32_t> v = ParseDate(Trim(s));
      if (!v.ok()) return bad();
      return Scalar::MakeInt(type, *v);
    }
    case TypeId::kTimestamp: {
      Result<int64_t> micros = ParseTimestampMicros(Trim(s));
      if (!micros.ok()) return bad();
      int64_t v = *micros;
      if (type->unit == TimeUnit::kMillis) v = v / 1000;
      if (type->unit == TimeUnit::kNanos) v = v * 1000;
      return Scalar::MakeInt(type, v);
    }
    default:
      return Status::NotSupported("partition columns of type " + type->ToString() +
                                  " are not supported");
  }
}

Result<columnar::ArrayPtr> MakeConstantArray(const Scalar& value, int64_t length) {
  const columnar::TypePtr& type = value.type();
  if (value.is_null()) return columnar::MakeNullArray(type, length);
  auto builder = columnar::MakeBuilder(type);
  switch (type->id) {
    case TypeId::kBool:
      for (int64_t i = 0; i < length; ++i)
        builder->As<columnar::BoolBuilder>()->Append(value.bool_value());
      break;
    case TypeId::kInt8:
      AppendFixed<int8_t>(builder.get(), static_cast<int8_t>(value.int_value()), length);
      break;
    case TypeId::kInt16:
      AppendFixed<int16_t>(builder.get(), static_cast<int16_t>(value.int_value()), length);
      break;
    case TypeId::kInt32:
    case TypeId::kDate:
      AppendFixed<int32_t>(builder.get(), static_cast<int32_t>(value.int_value()), length);
      break;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      AppendFixed<int64_t>(builder.get(), value.int_value(), length);
      break;
    case TypeId::kFloat32:
      AppendFixed<float>(builder.get(), static_cast<float>(value.double_value()), length);
      break;
    case TypeId::kFloat64:
      AppendFixed<double>(builder.get(), value.double_value(), length);
      break;
    case TypeId::kDecimal: {
      int128_t v = value.decimal_value();
      for (int64_t i = 0; i < length; ++i) builder->As<columnar::FixedBuilder>()->AppendBytes(&v);
      break;
    }
    case TypeId::kString:
    case TypeId::kBinary:
      for (int64_t i = 0; i < length; ++i) {
        builder->As<columnar::BinaryBuilder>()->Append(value.bytes());
      }
      break;
    default:
      return Status::NotSupported("constant columns of type " + type->ToString());
  }
  return builder->Finish();
}

}  // namespace ds::delta
