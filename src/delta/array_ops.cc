#include "delta/array_ops.h"

#include <cstring>
#include <functional>

#include "util/bit_util.h"
#include "util/decimal.h"

namespace ds::delta {
namespace {

using columnar::Array;
using columnar::ArrayPtr;
using columnar::DataType;
using columnar::TypeId;
using columnar::TypePtr;

BufferPtr TakeValidity(const Array& a, std::span<const int64_t> rows, int64_t* null_count) {
  *null_count = 0;
  if (a.validity == nullptr || a.null_count == 0) return nullptr;
  auto out = std::make_shared<Buffer>();
  out->ResizeZeroed(static_cast<size_t>(bit::BytesForBits(static_cast<int64_t>(rows.size()))));
  for (size_t i = 0; i < rows.size(); ++i) {
    if (a.IsValid(rows[i])) {
      bit::SetBit(out->data(), static_cast<int64_t>(i));
    } else {
      ++*null_count;
    }
  }
  return *null_count ? out : nullptr;
}

// New offsets for the taken list slots plus the child rows they cover.
BufferPtr TakeOffsets(const Array& a, std::span<const int64_t> rows, std::vector<int64_t>* child) {
  auto out = std::make_shared<Buffer>();
  out->Resize((rows.size() + 1) * sizeof(int64_t));
  int64_t* o = out->mutable_data_as<int64_t>();
  o[0] = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    int64_t b = a.ListBegin(rows[i]), e = a.ListEnd(rows[i]);
    for (int64_t k = b; k < e; ++k) child->push_back(k);
    o[i + 1] = o[i] + (e - b);
  }
  return out;
}


bool IsSignedOrSmallInt(TypeId id) { return columnar::IsInteger(id) && id != TypeId::kUInt64; }

template <typename T>
BufferPtr FillFixed(int64_t n, const std::function<T(int64_t)>& f) {
  auto values = std::make_shared<Buffer>();
  values->Resize(static_cast<size_t>(n) * sizeof(T));
  T* dst = values->mutable_data_as<T>();
  for (int64_t i = 0; i < n; ++i) dst[i] = f(i);
  return values;
}

}  // namespace

int64_t IntAt(const Array& a, int64_t i) {
  switch (a.type->id) {
    case TypeId::kInt8:
      return a.Value<int8_t>(i);
    case TypeId::kInt16:
      return a.Value<int16_t>(i);
    case TypeId::kInt32:
    case TypeId::kDate:
      return a.Value<int32_t>(i);
    case TypeId::kUInt8:
      return a.Value<uint8_t>(i);
    case TypeId::kUInt16:
      return a.Value<uint16_t>(i);
    case TypeId::kUInt32:
      return a.Value<uint32_t>(i);
    default:
      return a.Value<int64_t>(i);
  }
}

ArrayPtr TakeRows(const Array& a, std::span<const int64_t> rows) {
  auto out = std::make_shared<Array>();
  out->type = a.type;
  out->length = static_cast<int64_t>(rows.size());
  const TypeId id = a.type->id;
  if (id == TypeId::kNull) {
    out->null_count = out->length;
    return out;
  }
  out->validity = TakeValidity(a, rows, &out->null_count);
  if (id == TypeId::kBool) {
    auto values = std::make_shared<Buffer>();
    values->ResizeZeroed(static_cast<size_t>(bit::BytesForBits(out->length)));
    for (size_t i = 0; i < rows.size(); ++i) {
      if (a.BoolValue(rows[i])) bit::SetBit(values->data(), static_cast<int64_t>(i));
    }
    out->values = values;
  } else if (columnar::IsVarBinary(id)) {
    auto offsets = std::make_shared<Buffer>();
    offsets->Resize((rows.size() + 1) * sizeof(int64_t));
    int64_t* o = offsets->mutable_data_as<int64_t>();
    auto values = std::make_shared<Buffer>();
    o[0] = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      std::string_view v = a.View(rows[i]);
      values->Append(v);
      o[i + 1] = o[i] + static_cast<int64_t>(v.size());
    }
    out->offsets = offsets;
    out->values = values;
  } else if (id == TypeId::kStruct) {
    for (const auto& child : a.children) out->children.push_back(TakeRows(*child, rows));
  } else if (id == TypeId::kList || id == TypeId::kMap) {
    std::vector<int64_t> child_rows;
    out->offsets = TakeOffsets(a, rows, &child_rows);
    for (const auto& child : a.children) out->children.push_back(TakeRows(*child, child_rows));
  } else {
    const size_t w = static_cast<size_t>(columnar::FixedWidth(*a.type));
    auto values = std::make_shared<Buffer>();
    values->Resize(rows.size() * w);
    const uint8_t* src = a.values->data();
    uint8_t* dst = values->data();
    for (size_t i = 0; i < rows.size(); ++i) {
      std::memcpy(dst + i * w, src + static_cast<size_t>(rows[i]) * w, w);
    }
    out->values = values;
  }
  return out;
}

Result<ArrayPtr> CastArray(const ArrayPtr& array, const TypePtr& target, std::string_view column) {
  const DataType& from = *array->type;
  const DataType& to = *target;
  if (from.Equals(to)) return array;
  auto relabel = [&]() {
    auto out = std::make_shared<Array>(*array);
    out->type = target;
    return ArrayPtr(out);
  };
  auto out = std::make_shared<Array>(*array);
  out->type = target;
  const int64_t n = array->length;
  const Array& in = *array;
  auto unsupported = [&]() {
    return Status::Corruption("column '" + std::string(column) + "' is stored as " +
                              from.ToString() + ", which cannot be read as " + to.ToString());
  };

  if (columnar::IsInteger(from.id) && columnar::IsInteger(to.id)) {
    if (from.id == TypeId::kUInt64) return unsupported();
    auto values = std::make_shared<Buffer>();
    int width = columnar::FixedWidth(to);
    values->Resize(static_cast<size_t>(n) * static_cast<size_t>(width));
    for (int64_t i = 0; i < n; ++i) {
      int64_t v = IntAt(in, i);
      bool fits = true;
      switch (to.id) {
        case TypeId::kInt8:
          fits = v >= INT8_MIN && v <= INT8_MAX;
          values->mutable_data_as<int8_t>()[i] = static_cast<int8_t>(v);
          break;
        case TypeId::kInt16:
          fits = v >= INT16_MIN && v <= INT16_MAX;
          values->mutable_data_as<int16_t>()[i] = static_cast<int16_t>(v);
          break;
        case TypeId::kInt32:
          fits = v >= INT32_MIN && v <= INT32_MAX;
          values->mutable_data_as<int32_t>()[i] = static_cast<int32_t>(v);
          break;
        case TypeId::kInt64:
          values->mutable_data_as<int64_t>()[i] = v;
          break;
        default:
          return unsupported();
      }
      if (!fits && in.IsValid(i)) {
        return Status::Corruption("column '" + std::string(column) + "': value " +
                                  std::to_string(v) + " does not fit " + to.ToString());
      }
    }
    out->values = values;
    return ArrayPtr(out);
  }
  if (to.id == TypeId::kFloat64 && (from.id == TypeId::kFloat32 || IsSignedOrSmallInt(from.id))) {
    out->values = FillFixed<double>(n, [&](int64_t i) {
      return from.id == TypeId::kFloat32 ? static_cast<double>(in.Value<float>(i))
                                         : static_cast<double>(IntAt(in, i));
    });
    return ArrayPtr(out);
  }
  if (to.id == TypeId::kDecimal && (from.id == TypeId::kDecimal || IsSignedOrSmallInt(from.id))) {
    const int from_scale = from.id == TypeId::kDecimal ? from.scale : 0;
    if (to.scale < from_scale) return unsupported();
    const int128_t factor = Pow10(to.scale - from_scale);
    const int128_t limit = MaxUnscaled(to.precision);
    auto values = std::make_shared<Buffer>();
    values->Resize(static_cast<size_t>(n) * 16);
    for (int64_t i = 0; i < n; ++i) {
      int128_t v = from.id == TypeId::kDecimal ? in.DecimalValue(i) : int128_t{IntAt(in, i)};
      v *= factor;
      if (in.IsValid(i) && (v > limit || v < -limit)) {
        return Status::Corruption("column '" + std::string(column) + "': a value does not fit " +
                                  to.ToString());
      }
      std::memcpy(values->data() + i * 16, &v, 16);
    }
    out->values = values;
    return ArrayPtr(out);
  }
  if (to.id == TypeId::kTimestamp && from.id == TypeId::kDate) {
    const int64_t per_day = kMicrosPerDay / (to.unit == TimeUnit::kMillis ? 1000 : 1) *
                            (to.unit == TimeUnit::kNanos ? 1000 : 1);
    out->values = FillFixed<int64_t>(n, [&](int64_t i) { return in.Value<int32_t>(i) * per_day; });
    return ArrayPtr(out);
  }
  if (to.id == TypeId::kTimestamp && (from.id == TypeId::kTimestamp || from.id == TypeId::kInt64)) {
    const TimeUnit unit = from.id == TypeId::kTimestamp ? from.unit : to.unit;
    if (unit == to.unit) return relabel();
    int64_t mul = 1, div = 1;
    auto per_second = [](TimeUnit u) { return UnitsPerSecond(u); };
    if (per_second(to.unit) > per_second(unit)) {
      mul = per_second(to.unit) / per_second(unit);
    } else {
      div = per_second(unit) / per_second(to.unit);
    }
    out->values = FillFixed<int64_t>(n, [&](int64_t i) {
      int64_t v = in.Value<int64_t>(i);
      if (div > 1) return v >= 0 ? v / div : -((-v + div - 1) / div);
      return v * mul;
    });
    return ArrayPtr(out);
  }
  if (to.id == TypeId::kDate && from.id == TypeId::kInt32) return relabel();
  if (columnar::IsVarBinary(to.id) && columnar::IsVarBinary(from.id)) return relabel();
  if (columnar::IsVarBinary(to.id) &&
      (from.id == TypeId::kFixedBinary || from.id == TypeId::kUuid)) {
    auto offsets = std::make_shared<Buffer>();
    offsets->Resize(static_cast<size_t>(n + 1) * sizeof(int64_t));
    int64_t* o = offsets->mutable_data_as<int64_t>();
    for (int64_t i = 0; i <= n; ++i) o[i] = i * from.byte_width;
    out->offsets = offsets;
    return ArrayPtr(out);
  }
  if (to.id == TypeId::kNull) return columnar::MakeNullArray(target, n);
  return unsupported();
}

}  // namespace ds::delta
