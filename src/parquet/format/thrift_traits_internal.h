// Internal to parquet/format: the wire type of each C++ member type, shared by the struct
// reader (parquet_types_read.cc) and writer (parquet_types_write.cc).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "parquet/format/compact_protocol.h"
#include "parquet/format/parquet_types.h"

namespace ds::parquet::format::internal {

// Thrift enums travel as i32.
template <typename T>
inline constexpr bool kIsThriftEnum =
    std::is_same_v<T, Type> || std::is_same_v<T, FieldRepetitionType> ||
    std::is_same_v<T, ConvertedType> || std::is_same_v<T, Encoding> ||
    std::is_same_v<T, CompressionCodec> || std::is_same_v<T, PageType> ||
    std::is_same_v<T, BoundaryOrder> || std::is_same_v<T, EdgeInterpolationAlgorithm>;

template <typename T>
inline constexpr bool kIsVector = false;
template <typename T>
inline constexpr bool kIsVector<std::vector<T>> = true;

// The wire type of a member of type T; bool maps to kBoolTrue (either bool code matches).
template <typename T>
constexpr WireType WireOf() {
  if constexpr (std::is_same_v<T, bool>) {
    return WireType::kBoolTrue;
  } else if constexpr (std::is_same_v<T, int8_t>) {
    return WireType::kByte;
  } else if constexpr (std::is_same_v<T, int16_t>) {
    return WireType::kI16;
  } else if constexpr (std::is_same_v<T, int32_t> || kIsThriftEnum<T>) {
    return WireType::kI32;
  } else if constexpr (std::is_same_v<T, int64_t>) {
    return WireType::kI64;
  } else if constexpr (std::is_same_v<T, double>) {
    return WireType::kDouble;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return WireType::kBinary;
  } else if constexpr (kIsVector<T>) {
    return WireType::kList;
  } else {
    static_assert(std::is_class_v<T>, "no wire type for this member type");
    return WireType::kStruct;
  }
}

}  // namespace ds::parquet::format::internal
