#include "delta/table_schema.h"

#include "columnar/schema_json.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::TypeId;
using columnar::TypePtr;

constexpr std::string_view kPhysicalName = "delta.columnMapping.physicalName";
constexpr std::string_view kColumnId = "delta.columnMapping.id";
constexpr std::string_view kTypeChanges = "delta.typeChanges";
// Marks the members of a variant's struct form, which column mapping does not name.
constexpr std::string_view kVariantMember = "__deltashare.variantMember";

JsonValue VariantStruct() {
  auto field = [](std::string name) {
    JsonValue f = JsonValue::Object();
    f.Set("name", JsonValue::String(std::move(name)));
    f.Set("type", JsonValue::String("binary"));
    f.Set("nullable", JsonValue::Bool(false));
    JsonValue metadata = JsonValue::Object();
    metadata.Set(std::string(kVariantMember), JsonValue::Bool(true));
    f.Set("metadata", std::move(metadata));
    return f;
  };
  JsonValue fields = JsonValue::Array();
  fields.Append(field("metadata"));
  fields.Append(field("value"));
  JsonValue s = JsonValue::Object();
  s.Set("type", JsonValue::String("struct"));
  s.Set("fields", std::move(fields));
  return s;
}

// Rewrites a type position in place.
void ReplaceVariantInType(JsonValue* type) {
  if (type->is_string()) {
    if (type->string_value() == "variant") *type = VariantStruct();
    return;
  }
  if (!type->is_object()) return;
  for (std::string_view key : {"elementType", "keyType", "valueType"}) {
    if (JsonValue* t = type->FindMutable(key)) ReplaceVariantInType(t);
  }
  if (JsonValue* fields = type->FindMutable("fields"); fields && fields->is_array()) {
    for (JsonValue& f : fields->mutable_items()) {
      if (JsonValue* t = f.FindMutable("type")) ReplaceVariantInType(t);
    }
  }
}

Result<JsonValue> FieldMetadata(const Field& f) {
  if (f.metadata_json.empty()) return JsonValue::Object();
  return ParseJson(f.metadata_json);
}

// Applies column mapping to one field (recursively): sets field ids on the logical field and
// builds its physical twin.
Status MapField(const Field& in, ColumnMappingMode mode, const std::string& path, Field* logical,
                Field* physical);

Status MapType(const TypePtr& in, ColumnMappingMode mode, const std::string& path, TypePtr* logical,
               TypePtr* physical) {
  if (in->id != TypeId::kStruct && in->id != TypeId::kList && in->id != TypeId::kMap) {
    *logical = *physical = in;
    return Status::OK();
  }
  auto l = std::make_shared<DataType>(*in);
  auto p = std::make_shared<DataType>(*in);
  for (size_t i = 0; i < in->fields.size(); ++i) {
    const Field& child = in->fields[i];
    if (in->id == TypeId::kStruct) {
      RETURN_NOT_OK(MapField(child, mode, path + "." + child.name, &l->fields[i], &p->fields[i]));
    } else {
      RETURN_NOT_OK(MapType(child.type, mode, path + "." + child.name, &l->fields[i].type,
                            &p->fields[i].type));
    }
  }
  *logical = l;
  *physical = p;
  return Status::OK();
}

Status CheckTypeChanges(const JsonValue& metadata, const std::string& path) {
  const JsonValue* changes = metadata.Find(kTypeChanges);
  if (changes == nullptr || !changes->is_array()) return Status::OK();
  for (const JsonValue& c : changes->items()) {
    const JsonValue* from = c.Find("fromType");
    const JsonValue* to = c.Find("toType");
    if (from == nullptr || to == nullptr) {
      return Status::Corruption("column " + path +
                                ": delta.typeChanges entry without fromType/toType");
    }
    Result<TypePtr> f = columnar::TypeFromJson(*from);
    Result<TypePtr> t = columnar::TypeFromJson(*to);
    if (!f.ok() || !t.ok() || !IsSupportedWidening(**f, **t)) {
      return Status::NotSupported("column " + path + ": unsupported type change " +
                                  from->ToString() + " -> " + to->ToString());
    }
  }
  return Status::OK();
}

Status MapField(const Field& in, ColumnMappingMode mode, const std::string& path, Field* logical,
                Field* physical) {
  *logical = in;
  *physical = in;
  ASSIGN_OR_RETURN(JsonValue metadata, FieldMetadata(in));
  RETURN_NOT_OK(CheckTypeChanges(metadata, path));
  if (mode != ColumnMappingMode::kNone && metadata.Find(kVariantMember) == nullptr) {
    const JsonValue* name = metadata.Find(kPhysicalName);
    if (name == nullptr || !name->is_string() || name->string_value().empty()) {
      return Status::Corruption("column " + path + " has no " + std::string(kPhysicalName) +
                                " although column mapping mode is " +
                                std::string(ColumnMappingModeName(mode)));
    }
    physical->name = name->string_value();
    const JsonValue* id = metadata.Find(kColumnId);
    if (id != nullptr && id->is_number()) {
      Result<int64_t> v = id->GetInt64();
      if (!v.ok() || *v < 0 || *v > INT32_MAX) {
        return Status::Corruption("column " + path + ": invalid " + std::string(kColumnId));
      }
      logical->field_id = physical->field_id = static_cast<int32_t>(*v);
    } else if (mode == ColumnMappingMode::kId) {
      return Status::Corruption("column " + path + " has no " + std::string(kColumnId) +
                                " although column mapping mode is id");
    }
  }
  return MapType(in.type, mode, path, &logical->type, &physical->type);
}

int IntegerRank(TypeId id) {
  switch (id) {
    case TypeId::kInt8:
      return 1;
    case TypeId::kInt16:
      return 2;
    case TypeId::kInt32:
      return 3;
    case TypeId::kInt64:
      return 4;
    default:
      return 0;
  }
}

}  // namespace

bool IsSupportedWidening(const DataType& from, const DataType& to) {
  const int fr = IntegerRank(from.id), tr = IntegerRank(to.id);
  if (fr && tr) return fr <= tr;
  if (from.id == TypeId::kFloat32 && to.id == TypeId::kFloat64) return true;
  if (fr && fr <= 3 && to.id == TypeId::kFloat64) return true;
  if (from.id == TypeId::kDate && to.id == TypeId::kTimestamp && !to.utc) return true;
  if (to.id == TypeId::kDecimal) {
    if (from.id == TypeId::kDecimal) {
      int k1 = to.precision - from.precision, k2 = to.scale - from.scale;
      return k2 >= 0 && k1 >= k2;
    }
    // An integer fits when the decimal keeps its digits left of the point.
    static constexpr int kDigits[] = {0, 3, 5, 10, 20};
    if (fr) return to.precision - to.scale >= kDigits[fr];
  }
  return from.Equals(to);
}

Result<std::string> ReplaceVariantTypes(std::string_view schema_json) {
  if (schema_json.find("\"variant\"") == std::string_view::npos) return std::string(schema_json);
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(schema_json));
  ReplaceVariantInType(&v);
  return v.ToString();
}

const PartitionColumn* TableSchema::PartitionColumnAt(int field_index) const {
  for (const PartitionColumn& c : partition_columns_) {
    if (c.field_index == field_index) return &c;
  }
  return nullptr;
}

Result<TableSchema> TableSchema::Make(const Metadata& metadata, ColumnMappingMode mode) {
  // Some old writers left schemaString out; such a table has no columns.
  auto text = ReplaceVariantTypes(metadata.schema_string.empty()
                                      ? std::string_view(R"({"type":"struct","fields":[]})")
                                      : std::string_view(metadata.schema_string));
  if (!text.ok()) return Status::Corruption("invalid schemaString: " + text.status().message());
  auto parsed = columnar::SchemaFromJson(*text);
  if (!parsed.ok())
    return Status::Corruption("metaData.schemaString: " + parsed.status().message());
  TableSchema out;
  out.mode_ = mode;
  auto logical = std::make_shared<columnar::Schema>();
  auto physical = std::make_shared<columnar::Schema>();
  for (const Field& f : (*parsed)->fields) {
    Field l, p;
    RETURN_NOT_OK(MapField(f, mode, f.name, &l, &p));
    logical->fields.push_back(std::move(l));
    physical->fields.push_back(std::move(p));
  }
  out.logical_ = logical;
  out.physical_ = physical;
  for (const std::string& name : metadata.partition_columns) {
    int index = logical->FieldIndex(name);
    if (index < 0) {
      for (size_t i = 0; i < logical->fields.size(); ++i) {
        if (EqualsIgnoreCase(logical->fields[i].name, name)) index = static_cast<int>(i);
      }
    }
    if (index < 0) {
      return Status::Corruption("partition column '" + name + "' is not in the table schema");
    }
    PartitionColumn c;
    c.name = logical->fields[index].name;
    c.physical_name = physical->fields[index].name;
    c.type = logical->fields[index].type;
    c.field_index = index;
    out.partition_columns_.push_back(std::move(c));
  }
  return out;
}

}  // namespace ds::delta
