#include "parquet/writer_schema.h"

#include <cmath>

namespace ds::parquet {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::TypeId;
using format::ConvertedType;
using format::FieldRepetitionType;
using format::LogicalType;
using format::SchemaElement;
using format::Type;

format::TimeUnit FormatUnit(TimeUnit u) {
  switch (u) {
    case TimeUnit::kMillis:
      return format::TimeUnit::kMillis;
    case TimeUnit::kMicros:
      return format::TimeUnit::kMicros;
    case TimeUnit::kNanos:
      return format::TimeUnit::kNanos;
  }
  return format::TimeUnit::kMicros;
}

LogicalType Logical(LogicalType::Kind kind) {
  LogicalType lt;
  lt.kind = kind;
  return lt;
}

LogicalType IntLogical(int bits, bool is_signed) {
  LogicalType lt = Logical(LogicalType::Kind::kInteger);
  lt.bit_width = static_cast<int8_t>(bits);
  lt.is_signed = is_signed;
  return lt;
}

void SetLeaf(const DataType& t, SchemaElement* e) {
  auto set = [&](Type type, std::optional<LogicalType> lt = std::nullopt,
                 std::optional<ConvertedType> ct = std::nullopt) {
    e->type = type;
    e->logical_type = lt;
    e->converted_type = ct;
  };
  switch (t.id) {
    case TypeId::kNull:
      set(Type::INT32, Logical(LogicalType::Kind::kUnknown));
      break;
    case TypeId::kBool:
      set(Type::BOOLEAN);
      break;
    case TypeId::kInt8:
      set(Type::INT32, IntLogical(8, true), ConvertedType::INT_8);
      break;
    case TypeId::kInt16:
      set(Type::INT32, IntLogical(16, true), ConvertedType::INT_16);
      break;
    case TypeId::kInt32:
      set(Type::INT32);
      break;
    case TypeId::kInt64:
      set(Type::INT64);
      break;
    case TypeId::kUInt8:
      set(Type::INT32, IntLogical(8, false), ConvertedType::UINT_8);
      break;
    case TypeId::kUInt16:
      set(Type::INT32, IntLogical(16, false), ConvertedType::UINT_16);
      break;
    case TypeId::kUInt32:
      set(Type::INT32, IntLogical(32, false), ConvertedType::UINT_32);
      break;
    case TypeId::kUInt64:
      set(Type::INT64, IntLogical(64, false), ConvertedType::UINT_64);
      break;
    case TypeId::kFloat32:
      set(Type::FLOAT);
      break;
    case TypeId::kFloat64:
      set(Type::DOUBLE);
      break;
    case TypeId::kString:
      set(Type::BYTE_ARRAY, Logical(LogicalType::Kind::kString), ConvertedType::UTF8);
      break;
    case TypeId::kBinary:
      set(Type::BYTE_ARRAY);
      break;
    case TypeId::kFixedBinary:
      set(Type::FIXED_LEN_BYTE_ARRAY);
      e->type_length = t.byte_width;
      break;
    case TypeId::kUuid:
      set(Type::FIXED_LEN_BYTE_ARRAY, Logical(LogicalType::Kind::kUuid));
      e->type_length = 16;
      break;
    case TypeId::kDecimal: {
      LogicalType lt = Logical(LogicalType::Kind::kDecimal);
      lt.decimal_precision = t.precision;
      lt.decimal_scale = t.scale;
      Type physical = t.precision <= 9    ? Type::INT32
                      : t.precision <= 18 ? Type::INT64
                                          : Type::FIXED_LEN_BYTE_ARRAY;
      set(physical, lt, ConvertedType::DECIMAL);
      if (physical == Type::FIXED_LEN_BYTE_ARRAY) e->type_length = DecimalBytes(t.precision);
      e->precision = t.precision;
      e->scale = t.scale;
      break;
    }
    case TypeId::kDate:
      set(Type::INT32, Logical(LogicalType::Kind::kDate), ConvertedType::DATE);
      break;
    case TypeId::kTime: {
      LogicalType lt = Logical(LogicalType::Kind::kTime);
      lt.unit = FormatUnit(t.unit);
      lt.is_adjusted_to_utc = true;
      std::optional<ConvertedType> ct;
      if (t.unit == TimeUnit::kMillis) ct = ConvertedType::TIME_MILLIS;
      if (t.unit == TimeUnit::kMicros) ct = ConvertedType::TIME_MICROS;
      set(t.unit == TimeUnit::kMillis ? Type::INT32 : Type::INT64, lt, ct);
      break;
    }
    case TypeId::kTimestamp: {
      LogicalType lt = Logical(LogicalType::Kind::kTimestamp);
      lt.unit = FormatUnit(t.unit);
      lt.is_adjusted_to_utc = t.utc;
      std::optional<ConvertedType> ct;
      // The legacy annotations mean "UTC instant": never put them on local timestamps.
      if (t.utc && t.unit == TimeUnit::kMillis) ct = ConvertedType::TIMESTAMP_MILLIS;
      if (t.utc && t.unit == TimeUnit::kMicros) ct = ConvertedType::TIMESTAMP_MICROS;
      set(Type::INT64, lt, ct);
      break;
    }
    default:
      break;
  }
}

Status AddField(const Field& f, FieldRepetitionType repetition, std::vector<SchemaElement>* out) {
  SchemaElement e;
  e.name = f.name;
  e.repetition_type = repetition;
  if (f.field_id >= 0) e.field_id = f.field_id;
  const DataType& t = *f.type;
  auto rep_of = [](const Field& c) {
    return c.nullable ? FieldRepetitionType::OPTIONAL : FieldRepetitionType::REQUIRED;
  };
  switch (t.id) {
    case TypeId::kStruct: {
      if (t.fields.empty())
        return Status::InvalidArgument("Parquet cannot store the empty struct '" + f.name + "'");
      e.num_children = static_cast<int32_t>(t.fields.size());
      out->push_back(std::move(e));
      for (const Field& c : t.fields) RETURN_NOT_OK(AddField(c, rep_of(c), out));
      return Status::OK();
    }
    case TypeId::kList: {
      e.num_children = 1;
      e.logical_type = Logical(LogicalType::Kind::kList);
      e.converted_type = ConvertedType::LIST;
      out->push_back(std::move(e));
      SchemaElement list;
      list.name = "list";
      list.repetition_type = FieldRepetitionType::REPEATED;
      list.num_children = 1;
      out->push_back(std::move(list));
      Field element = t.fields[0];
      element.name = "element";
      return AddField(element, rep_of(t.fields[0]), out);
    }
    case TypeId::kMap: {
      e.num_children = 1;
      e.logical_type = Logical(LogicalType::Kind::kMap);
      e.converted_type = ConvertedType::MAP;
      out->push_back(std::move(e));
      SchemaElement kv;
      kv.name = "key_value";
      kv.repetition_type = FieldRepetitionType::REPEATED;
      kv.num_children = 2;
      out->push_back(std::move(kv));
      Field key = t.fields[0];
      key.name = "key";
      RETURN_NOT_OK(AddField(key, FieldRepetitionType::REQUIRED, out));
      Field value = t.fields[1];
      value.name = "value";
      return AddField(value, rep_of(t.fields[1]), out);
    }
    default:
      SetLeaf(t, &e);
      out->push_back(std::move(e));
      return Status::OK();
  }
}

}  // namespace

int DecimalBytes(int precision) {
  // Smallest n with 10^precision - 1 <= 2^(8n-1) - 1.
  for (int n = 1; n <= 16; ++n) {
    if (precision <= static_cast<int>(std::floor((8.0 * n - 1) * std::log10(2.0)))) return n;
  }
  return 16;
}

Result<std::vector<SchemaElement>> ToParquetSchema(const columnar::Schema& schema) {
  if (schema.fields.empty())
    return Status::InvalidArgument("Parquet cannot store a schema without columns");
  std::vector<SchemaElement> out;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema.fields.size());
  out.push_back(std::move(root));
  for (const Field& f : schema.fields) {
    RETURN_NOT_OK(AddField(
        f, f.nullable ? FieldRepetitionType::OPTIONAL : FieldRepetitionType::REQUIRED, &out));
  }
  return out;
}

}  // namespace ds::parquet
