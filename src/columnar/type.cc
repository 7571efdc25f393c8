#include "columnar/type.h"

namespace ds::columnar {
namespace {

TypePtr MakeSimple(TypeId id) {
  auto t = std::make_shared<DataType>();
  t->id = id;
  return t;
}

const char* UnitName(TimeUnit u) {
  switch (u) {
    case TimeUnit::kMillis:
      return "ms";
    case TimeUnit::kMicros:
      return "us";
    case TimeUnit::kNanos:
      return "ns";
  }
  return "?";
}

}  // namespace

bool IsInteger(TypeId id) { return id >= TypeId::kInt8 && id <= TypeId::kUInt64; }
bool IsNested(TypeId id) {
  return id == TypeId::kStruct || id == TypeId::kList || id == TypeId::kMap;
}
bool IsVarBinary(TypeId id) { return id == TypeId::kString || id == TypeId::kBinary; }

int FixedWidth(const DataType& t) {
  switch (t.id) {
    case TypeId::kInt8:
    case TypeId::kUInt8:
      return 1;
    case TypeId::kInt16:
    case TypeId::kUInt16:
      return 2;
    case TypeId::kInt32:
    case TypeId::kUInt32:
    case TypeId::kFloat32:
    case TypeId::kDate:
      return 4;
    case TypeId::kInt64:
    case TypeId::kUInt64:
    case TypeId::kFloat64:
    case TypeId::kTimestamp:
      return 8;
    case TypeId::kTime:
      return t.unit == TimeUnit::kMillis ? 4 : 8;
    case TypeId::kDecimal:
      return 16;
    case TypeId::kFixedBinary:
    case TypeId::kUuid:
      return t.byte_width;
    default:
      return 0;
  }
}

#define DS_SINGLETON(Name, Id)               \
  TypePtr Name() {                           \
    static const TypePtr t = MakeSimple(Id); \
    return t;                                \
  }
DS_SINGLETON(Null, TypeId::kNull)
DS_SINGLETON(Bool, TypeId::kBool)
DS_SINGLETON(Int8, TypeId::kInt8)
DS_SINGLETON(Int16, TypeId::kInt16)
DS_SINGLETON(Int32, TypeId::kInt32)
DS_SINGLETON(Int64, TypeId::kInt64)
DS_SINGLETON(UInt8, TypeId::kUInt8)
DS_SINGLETON(UInt16, TypeId::kUInt16)
DS_SINGLETON(UInt32, TypeId::kUInt32)
DS_SINGLETON(UInt64, TypeId::kUInt64)
DS_SINGLETON(Float32, TypeId::kFloat32)
DS_SINGLETON(Float64, TypeId::kFloat64)
DS_SINGLETON(String, TypeId::kString)
DS_SINGLETON(Binary, TypeId::kBinary)
DS_SINGLETON(Date, TypeId::kDate)
#undef DS_SINGLETON

TypePtr Uuid() {
  static const TypePtr t = [] {
    auto d = std::make_shared<DataType>();
    d->id = TypeId::kUuid;
    d->byte_width = 16;
    return d;
  }();
  return t;
}

TypePtr FixedBinary(int32_t width) {
  auto t = std::make_shared<DataType>();
  t->id = TypeId::kFixedBinary;
  t->byte_width = width;
  return t;
}

TypePtr Decimal(int32_t precision, int32_t scale) {
  auto t = std::make_shared<DataType>();
  t->id = TypeId::kDecimal;
  t->precision = precision;
  t->scale = scale;
  return t;
}

TypePtr Time(TimeUnit unit) {
  auto t = std::make_shared<DataType>();
  t->id = TypeId::kTime;
  t->unit = unit;
  return t;
}

TypePtr Timestamp(TimeUnit unit, bool utc) {
  auto t = std::make_shared<DataType>();
  t->id = TypeId::kTimestamp;
  t->unit = unit;
  t->utc = utc;
  return t;
}

TypePtr Struct(std::vector<Field> fields) {
  auto t = std::make_shared<DataType>();
  t->id = TypeId::kStruct;
  t->fields = std::move(fields);
  return t;
}

TypePtr List(Field element) {
  auto t = std::make_shared<DataType>();
  t->id = TypeId::kList;
  t->fields.push_back(std::move(element));
  return t;
}

TypePtr Map(Field key, Field value) {
  auto t = std::make_shared<DataType>();
  t->id = TypeId::kMap;
  t->fields.push_back(std::move(key));
  t->fields.push_back(std::move(value));
  return t;
}

std::string DataType::ToString() const {
  switch (id) {
    case TypeId::kNull:
      return "null";
    case TypeId::kBool:
      return "bool";
    case TypeId::kInt8:
      return "int8";
    case TypeId::kInt16:
      return "int16";
    case TypeId::kInt32:
      return "int32";
    case TypeId::kInt64:
      return "int64";
    case TypeId::kUInt8:
      return "uint8";
    case TypeId::kUInt16:
      return "uint16";
    case TypeId::kUInt32:
      return "uint32";
    case TypeId::kUInt64:
      return "uint64";
    case TypeId::kFloat32:
      return "float";
    case TypeId::kFloat64:
      return "double";
    case TypeId::kString:
      return "string";
    case TypeId::kBinary:
      return "binary";
    case TypeId::kFixedBinary:
      return "fixed_binary(" + std::to_string(byte_width) + ")";
    case TypeId::kUuid:
      return "uuid";
    case TypeId::kDecimal:
      return "decimal(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
    case TypeId::kDate:
      return "date";
    case TypeId::kTime:
      return std::string("time[") + UnitName(unit) + "]";
    case TypeId::kTimestamp:
      return std::string("timestamp[") + UnitName(unit) + (utc ? ", UTC]" : "]");
    case TypeId::kList:
      return "list<" + fields[0].type->ToString() + ">";
    case TypeId::kMap:
      return "map<" + fields[0].type->ToString() + ", " + fields[1].type->ToString() + ">";
    case TypeId::kStruct: {
      std::string s = "struct<";
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i) s += ", ";
        s += fields[i].name + ": " + fields[i].type->ToString();
      }
      return s + ">";
    }
  }
  return "?";
}

bool DataType::Equals(const DataType& o) const {
  if (id != o.id || byte_width != o.byte_width || precision != o.precision || scale != o.scale)
    return false;
  if ((id == TypeId::kTime || id == TypeId::kTimestamp) && unit != o.unit) return false;
  if (id == TypeId::kTimestamp && utc != o.utc) return false;
  if (fields.size() != o.fields.size()) return false;
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field& a = fields[i];
    const Field& b = o.fields[i];
    if (a.name != b.name || a.nullable != b.nullable || !a.type->Equals(*b.type)) return false;
  }
  return true;
}

int Schema::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  return -1;
}

std::string Schema::ToString() const {
  std::string s;
  for (const Field& f : fields) {
    s += f.name + ": " + f.type->ToString() + (f.nullable ? "" : " not null") + "\n";
  }
  return s;
}

}  // namespace ds::columnar
