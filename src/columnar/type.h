// The logical type system of in-memory columnar data (Arrow-compatible layouts).
//
// Every Parquet column, Delta schema field and client output column maps to one DataType.
// Types are immutable and shared (TypePtr). Storage per type:
//   kBool                      bit-packed values (LSB first)
//   kInt8..kUInt64, kFloat*    native little-endian values
//   kDate                      int32 days since 1970-01-01
//   kTime                      int32 (millis) or int64 (micros, nanos) since midnight
//   kTimestamp                 int64 in `unit` since the epoch; `utc` = instant vs wall clock
//   kDecimal                   16-byte two's complement little-endian unscaled value
//   kFixedBinary, kUuid        `byte_width` bytes per value (kUuid: 16, big-endian UUID)
//   kString, kBinary           int64 offsets (length + 1) + bytes
//   kList                      int64 offsets + one child (the element)
//   kMap                       int64 offsets + two children (keys, values)
//   kStruct                    one child per field
//   kNull                      nothing (every slot is null)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/civil_time.h"

namespace ds::columnar {

enum class TypeId : uint8_t {
  kNull,
  kBool,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kFloat32,
  kFloat64,
  kString,
  kBinary,
  kFixedBinary,
  kUuid,
  kDecimal,
  kDate,
  kTime,
  kTimestamp,
  kStruct,
  kList,
  kMap,
};

struct DataType;
using TypePtr = std::shared_ptr<const DataType>;

struct Field {
  std::string name;
  TypePtr type;
  bool nullable = true;
  // Parquet field_id / Delta column mapping id; -1 when absent.
  int32_t field_id = -1;
  // Extra metadata as a raw JSON object (Delta field metadata: comments, column mapping);
  // empty means none.
  std::string metadata_json;

  Field() = default;
  Field(std::string n, TypePtr t, bool null = true)
      : name(std::move(n)), type(std::move(t)), nullable(null) {}
};

struct DataType {
  TypeId id = TypeId::kNull;
  int32_t byte_width = 0;             // kFixedBinary, kUuid
  int32_t precision = 0;              // kDecimal
  int32_t scale = 0;                  // kDecimal
  TimeUnit unit = TimeUnit::kMicros;  // kTime, kTimestamp
  bool utc = true;                    // kTimestamp
  std::vector<Field> fields;          // kStruct: members; kList: [element]; kMap: [key, value]

  // "int64", "decimal(10,2)", "timestamp[us, UTC]", "struct<a: int32, b: list<string>>".
  std::string ToString() const;
  bool Equals(const DataType& other) const;
};

bool IsInteger(TypeId id);
bool IsNested(TypeId id);
// True for types stored as int64 offsets + bytes.
bool IsVarBinary(TypeId id);
// Bytes per value for fixed-width storage; 0 for kBool (bits), var-width and nested types.
int FixedWidth(const DataType& type);

// Factories. Primitive types without parameters are shared singletons.
TypePtr Null();
TypePtr Bool();
TypePtr Int8();
TypePtr Int16();
TypePtr Int32();
TypePtr Int64();
TypePtr UInt8();
TypePtr UInt16();
TypePtr UInt32();
TypePtr UInt64();
TypePtr Float32();
TypePtr Float64();
TypePtr String();
TypePtr Binary();
TypePtr Date();
TypePtr Uuid();
TypePtr FixedBinary(int32_t width);
TypePtr Decimal(int32_t precision, int32_t scale);
TypePtr Time(TimeUnit unit);
TypePtr Timestamp(TimeUnit unit, bool utc);
TypePtr Struct(std::vector<Field> fields);
TypePtr List(Field element);
TypePtr Map(Field key, Field value);

// A list of top-level fields (a table's or batch's columns).
struct Schema {
  std::vector<Field> fields;

  // Index of the field named `name` (exact match), or -1.
  int FieldIndex(std::string_view name) const;
  std::string ToString() const;
};
using SchemaPtr = std::shared_ptr<const Schema>;

}  // namespace ds::columnar
