#include "columnar/schema_json.h"

#include "util/string_util.h"

namespace ds::columnar {
namespace {

Result<TypePtr> PrimitiveFromName(std::string_view name) {
  if (name == "string") return String();
  if (name == "long") return Int64();
  if (name == "integer") return Int32();
  if (name == "short") return Int16();
  if (name == "byte") return Int8();
  if (name == "float") return Float32();
  if (name == "double") return Float64();
  if (name == "boolean") return Bool();
  if (name == "binary") return Binary();
  if (name == "date") return Date();
  if (name == "timestamp") return Timestamp(TimeUnit::kMicros, true);
  if (name == "timestamp_ntz") return Timestamp(TimeUnit::kMicros, false);
  if (name == "void") return Null();
  if (StartsWith(name, "decimal")) {
    std::string_view rest = Trim(name.substr(7));
    if (rest.empty()) return Decimal(10, 0);  // Spark's default
    if (rest.front() == '(' && rest.back() == ')') {
      auto parts = Split(rest.substr(1, rest.size() - 2), ',');
      if (parts.size() == 2) {
        auto p = ParseInt64(Trim(parts[0]));
        auto s = ParseInt64(Trim(parts[1]));
        if (p && s && *p >= 1 && *p <= 38 && *s >= 0 && *s <= *p)
          return Decimal(static_cast<int32_t>(*p), static_cast<int32_t>(*s));
      }
    }
    return Status::InvalidArgument("invalid decimal type '" + std::string(name) +
                                   "' (want decimal(p,s) with 1 <= p <= 38, 0 <= s <= p)");
  }
  return Status::InvalidArgument("unknown type '" + std::string(name) + "'");
}

Result<bool> OptionalBool(const JsonValue& obj, std::string_view key, bool dflt) {
  const JsonValue* v = obj.Find(key);
  if (!v) return dflt;
  return v->GetBool();
}

Status AppendTypeJson(const DataType& t, std::string* out);

Status AppendFieldJson(const Field& f, std::string* out) {
  out->append("{\"name\":");
  AppendJsonString(f.name, out);
  out->append(",\"type\":");
  RETURN_NOT_OK_CTX(AppendTypeJson(*f.type, out), f.name);
  out->append(f.nullable ? ",\"nullable\":true" : ",\"nullable\":false");
  out->append(",\"metadata\":");
  out->append(f.metadata_json.empty() ? "{}" : f.metadata_json);
  out->push_back('}');
  return Status::OK();
}

Status AppendTypeJson(const DataType& t, std::string* out) {
  switch (t.id) {
    case TypeId::kStruct:
      out->append("{\"type\":\"struct\",\"fields\":[");
      for (size_t i = 0; i < t.fields.size(); ++i) {
        if (i) out->push_back(',');
        RETURN_NOT_OK(AppendFieldJson(t.fields[i], out));
      }
      out->append("]}");
      return Status::OK();
    case TypeId::kList:
      out->append("{\"type\":\"array\",\"elementType\":");
      RETURN_NOT_OK(AppendTypeJson(*t.fields[0].type, out));
      out->append(t.fields[0].nullable ? ",\"containsNull\":true}" : ",\"containsNull\":false}");
      return Status::OK();
    case TypeId::kMap:
      out->append("{\"type\":\"map\",\"keyType\":");
      RETURN_NOT_OK(AppendTypeJson(*t.fields[0].type, out));
      out->append(",\"valueType\":");
      RETURN_NOT_OK(AppendTypeJson(*t.fields[1].type, out));
      out->append(t.fields[1].nullable ? ",\"valueContainsNull\":true}"
                                       : ",\"valueContainsNull\":false}");
      return Status::OK();
    default: {
      ASSIGN_OR_RETURN(std::string name, TypeToJsonName(t));
      AppendJsonString(name, out);
      return Status::OK();
    }
  }
}

}  // namespace

Result<std::string> TypeToJsonName(const DataType& t) {
  switch (t.id) {
    case TypeId::kNull:
      return std::string("void");
    case TypeId::kBool:
      return std::string("boolean");
    case TypeId::kInt8:
      return std::string("byte");
    case TypeId::kInt16:
    case TypeId::kUInt8:
      return std::string("short");
    case TypeId::kInt32:
    case TypeId::kUInt16:
      return std::string("integer");
    case TypeId::kInt64:
    case TypeId::kUInt32:
      return std::string("long");
    case TypeId::kUInt64:
      return std::string("decimal(20,0)");
    case TypeId::kFloat32:
      return std::string("float");
    case TypeId::kFloat64:
      return std::string("double");
    case TypeId::kString:
      return std::string("string");
    case TypeId::kBinary:
    case TypeId::kFixedBinary:
      return std::string("binary");
    case TypeId::kUuid:
      return std::string("string");
    case TypeId::kDecimal:
      return "decimal(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
    case TypeId::kDate:
      return std::string("date");
    case TypeId::kTimestamp:
      return std::string(t.utc ? "timestamp" : "timestamp_ntz");
    case TypeId::kTime:
      return Status::NotSupported("Delta has no time type (column of type " + t.ToString() + ")");
    default:
      return Status::Internal("not a primitive type: " + t.ToString());
  }
}

Result<TypePtr> TypeFromJson(const JsonValue& v) {
  if (v.is_string()) return PrimitiveFromName(v.string_value());
  if (!v.is_object()) return Status::InvalidArgument("a type must be a string or an object");
  const JsonValue* kind = v.Find("type");
  if (!kind || !kind->is_string()) return Status::InvalidArgument("type object without \"type\"");
  const std::string& k = kind->string_value();
  if (k == "struct") {
    const JsonValue* fields = v.Find("fields");
    if (!fields || !fields->is_array())
      return Status::InvalidArgument("struct without \"fields\" array");
    std::vector<Field> out;
    for (const JsonValue& f : fields->items()) {
      if (!f.is_object()) return Status::InvalidArgument("struct field must be an object");
      const JsonValue* name = f.Find("name");
      const JsonValue* type = f.Find("type");
      if (!name || !name->is_string())
        return Status::InvalidArgument("struct field without a name");
      if (!type) return Status::InvalidArgument("field '" + name->string_value() + "' has no type");
      Field field;
      field.name = name->string_value();
      auto t = TypeFromJson(*type);
      if (!t.ok()) return t.status().WithContext("field '" + field.name + "'");
      field.type = *t;
      ASSIGN_OR_RETURN(field.nullable, OptionalBool(f, "nullable", true));
      if (const JsonValue* md = f.Find("metadata")) {
        if (!md->is_object())
          return Status::InvalidArgument("field '" + field.name + "': metadata must be an object");
        if (md->size() > 0) field.metadata_json = md->ToString();
      }
      for (const Field& prev : out) {
        if (EqualsIgnoreCase(prev.name, field.name))
          return Status::InvalidArgument("duplicate field name '" + field.name + "'");
      }
      out.push_back(std::move(field));
    }
    return Struct(std::move(out));
  }
  if (k == "array") {
    const JsonValue* et = v.Find("elementType");
    if (!et) return Status::InvalidArgument("array without \"elementType\"");
    ASSIGN_OR_RETURN(TypePtr elem, TypeFromJson(*et));
    ASSIGN_OR_RETURN(bool contains_null, OptionalBool(v, "containsNull", true));
    return List(Field("element", elem, contains_null));
  }
  if (k == "map") {
    const JsonValue* kt = v.Find("keyType");
    const JsonValue* vt = v.Find("valueType");
    if (!kt || !vt) return Status::InvalidArgument("map without \"keyType\"/\"valueType\"");
    ASSIGN_OR_RETURN(TypePtr key, TypeFromJson(*kt));
    ASSIGN_OR_RETURN(TypePtr value, TypeFromJson(*vt));
    ASSIGN_OR_RETURN(bool value_null, OptionalBool(v, "valueContainsNull", true));
    return Map(Field("key", key, false), Field("value", value, value_null));
  }
  return PrimitiveFromName(k);
}

Result<SchemaPtr> SchemaFromJsonValue(const JsonValue& v) {
  ASSIGN_OR_RETURN(TypePtr t, TypeFromJson(v));
  if (t->id != TypeId::kStruct) return Status::InvalidArgument("a schema must be a struct type");
  auto schema = std::make_shared<Schema>();
  schema->fields = t->fields;
  return SchemaPtr(schema);
}

Result<SchemaPtr> SchemaFromJson(std::string_view json) {
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(json));
  auto s = SchemaFromJsonValue(v);
  if (!s.ok()) return s.status().WithContext("invalid schema");
  return s;
}

Result<std::string> SchemaToJson(const Schema& schema) {
  std::string out = "{\"type\":\"struct\",\"fields\":[";
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    if (i) out.push_back(',');
    RETURN_NOT_OK(AppendFieldJson(schema.fields[i], &out));
  }
  out += "]}";
  return out;
}

}  // namespace ds::columnar
