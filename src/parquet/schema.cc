#include "parquet/schema.h"

#include "util/string_util.h"

namespace ds::parquet {
namespace {

using columnar::Field;
using columnar::TypePtr;
using format::ConvertedType;
using format::FieldRepetitionType;
using format::LogicalType;
using format::SchemaElement;
using format::Type;

constexpr int kMaxDepth = 100;

Status BadSchema(const std::string& what) { return Status::Corruption("parquet schema: " + what); }

Status BuildTree(const std::vector<SchemaElement>& elements, size_t* pos, int depth,
                 SchemaNode* out) {
  if (depth > kMaxDepth) return BadSchema("nesting deeper than " + std::to_string(kMaxDepth));
  if (*pos >= elements.size()) return BadSchema("fewer elements than the group counts announce");
  const SchemaElement& e = elements[*pos];
  ++*pos;
  out->name = e.name;
  out->element = &e;
  if (depth > 0) {
    if (!e.repetition_type) return BadSchema("element '" + e.name + "' has no repetition type");
    out->repetition = *e.repetition_type;
    int r = static_cast<int>(out->repetition);
    if (r < 0 || r > 2) return BadSchema("element '" + e.name + "' has an invalid repetition type");
  }
  int32_t children = e.num_children.value_or(0);
  if (children < 0) return BadSchema("element '" + e.name + "' has a negative child count");
  if (children == 0 && depth > 0) {
    if (!e.type) return BadSchema("leaf '" + e.name + "' has no physical type");
    return Status::OK();
  }
  if (static_cast<size_t>(children) > elements.size() - *pos)
    return BadSchema("group '" + e.name + "' claims more children than there are elements");
  out->children.resize(static_cast<size_t>(children));
  for (auto& c : out->children) RETURN_NOT_OK(BuildTree(elements, pos, depth + 1, &c));
  return Status::OK();
}

void AssignLevels(SchemaNode* n, int16_t def, int16_t rep, std::vector<std::string>* path,
                  std::vector<ColumnDescriptor>* columns) {
  if (n->is_optional() || n->is_repeated()) ++def;
  if (n->is_repeated()) ++rep;
  n->def_level = def;
  n->rep_level = rep;
  if (n->children.empty()) {
    ColumnDescriptor c;
    c.index = static_cast<int>(columns->size());
    c.path = *path;
    c.physical_type = *n->element->type;
    c.type_length = n->element->type_length.value_or(0);
    c.max_def_level = def;
    c.max_rep_level = rep;
    c.field_id = n->element->field_id.value_or(-1);
    c.element = n->element;
    n->column = c.index;
    columns->push_back(std::move(c));
    return;
  }
  for (auto& c : n->children) {
    path->push_back(c.name);
    AssignLevels(&c, def, rep, path, columns);
    path->pop_back();
  }
}

bool IsListAnnotated(const SchemaElement& e) {
  if (e.logical_type && e.logical_type->kind == LogicalType::Kind::kList) return true;
  return e.converted_type && *e.converted_type == ConvertedType::LIST;
}

bool IsMapAnnotated(const SchemaElement& e) {
  if (e.logical_type && e.logical_type->kind == LogicalType::Kind::kMap) return true;
  return e.converted_type && (*e.converted_type == ConvertedType::MAP ||
                              *e.converted_type == ConvertedType::MAP_KEY_VALUE);
}

struct Converted {
  Field field;
  AssemblyNode node;
};

class Converter {
 public:
  explicit Converter(const std::vector<ColumnDescriptor>& columns) : columns_(columns) {}

  // `element_mode`: n is the repeated node of a list and stands for its (required) element.
  Result<Converted> Convert(const SchemaNode& n, bool element_mode) {
    if (n.is_repeated() && !element_mode) return ConvertBareRepeated(n);
    const bool nullable = n.is_optional() && !element_mode;
    if (n.is_leaf()) {
      const ColumnDescriptor& c = columns_[n.column];
      Converted out{Field(n.name, c.type, nullable), {}};
      out.node.kind = AssemblyNode::Kind::kLeaf;
      out.node.type = c.type;
      out.node.def_level = n.def_level;
      out.node.max_def_level = c.max_def_level;
      out.node.max_rep_level = c.max_rep_level;
      out.node.leaf = c.index;
      out.field.field_id = c.field_id;
      return out;
    }
    if (IsListAnnotated(*n.element)) return ConvertList(n, nullable);
    if (IsMapAnnotated(*n.element)) {
      if (n.children.size() != 1 || !n.children[0].is_repeated() || n.children[0].is_leaf())
        return BadSchema("MAP group '" + n.name + "' must have exactly one repeated group child");
      return ConvertMap(n, n.children[0], n.def_level, nullable);
    }
    return ConvertStruct(n, nullable);
  }

 private:
  // A repeated field outside any LIST/MAP group: a required list of required elements (or a
  // required map when the group is annotated MAP_KEY_VALUE).
  Result<Converted> ConvertBareRepeated(const SchemaNode& n) {
    if (!n.is_leaf() && IsMapAnnotated(*n.element)) {
      return ConvertMap(n, n, static_cast<int16_t>(n.def_level - 1), false);
    }
    ASSIGN_OR_RETURN(Converted elem, Convert(n, /*element_mode=*/true));
    return MakeList(n.name, false, static_cast<int16_t>(n.def_level - 1), n, std::move(elem));
  }

  Result<Converted> ConvertList(const SchemaNode& g, bool nullable) {
    if (g.children.size() != 1 || !g.children[0].is_repeated())
      return BadSchema("LIST group '" + g.name + "' must have exactly one repeated child");
    const SchemaNode& x = g.children[0];
    bool x_is_element =
        x.is_leaf() || x.children.size() >= 2 ||
        (x.children.size() == 1 && x.children[0].is_repeated()) ||
        (x.children.size() == 1 && (x.name == "array" || x.name == g.name + "_tuple"));
    Converted elem;
    if (x_is_element) {
      ASSIGN_OR_RETURN(elem, Convert(x, /*element_mode=*/true));
    } else {
      ASSIGN_OR_RETURN(elem, Convert(x.children[0], false));
    }
    ASSIGN_OR_RETURN(Converted out, MakeList(g.name, nullable, g.def_level, x, std::move(elem)));
    out.field.field_id = g.element->field_id.value_or(-1);
    return out;
  }

  Result<Converted> MakeList(const std::string& name, bool nullable, int16_t def_level,
                             const SchemaNode& repeated, Converted elem) {
    elem.field.name = "element";
    Converted out{Field(name, columnar::List(elem.field), nullable), {}};
    out.node.kind = AssemblyNode::Kind::kList;
    out.node.type = out.field.type;
    out.node.def_level = def_level;
    out.node.repeated_def_level = repeated.def_level;
    out.node.repeated_rep_level = repeated.rep_level;
    out.node.leaf = elem.node.leaf;
    out.node.max_rep_level = elem.node.max_rep_level;
    out.node.children.push_back(std::move(elem.node));
    return out;
  }

  Result<Converted> ConvertMap(const SchemaNode& g, const SchemaNode& kv, int16_t def_level,
                               bool nullable) {
    if (kv.is_leaf() || kv.children.empty() || kv.children.size() > 2)
      return BadSchema("map '" + g.name + "' must hold key and value fields");
    ASSIGN_OR_RETURN(Converted key, Convert(kv.children[0], false));
    Converted value;
    if (kv.children.size() == 2) {
      ASSIGN_OR_RETURN(value, Convert(kv.children[1], false));
    } else {
      // A map without values (a set): every value is null.
      value.field = Field("value", columnar::Null(), true);
      value.node.kind = AssemblyNode::Kind::kLeaf;
      value.node.type = columnar::Null();
      value.node.leaf = key.node.leaf;
      value.node.max_rep_level = key.node.max_rep_level;
      value.node.def_level = kv.def_level;
    }
    key.field.name = "key";
    value.field.name = "value";
    Converted out{Field(g.name, columnar::Map(key.field, value.field), nullable), {}};
    out.field.field_id = g.element->field_id.value_or(-1);
    out.node.kind = AssemblyNode::Kind::kMap;
    out.node.type = out.field.type;
    out.node.def_level = def_level;
    out.node.repeated_def_level = kv.def_level;
    out.node.repeated_rep_level = kv.rep_level;
    out.node.leaf = key.node.leaf;
    out.node.max_rep_level = key.node.max_rep_level;
    out.node.children.push_back(std::move(key.node));
    out.node.children.push_back(std::move(value.node));
    return out;
  }

  Result<Converted> ConvertStruct(const SchemaNode& g, bool nullable) {
    std::vector<Field> fields;
    Converted out;
    for (const SchemaNode& c : g.children) {
      ASSIGN_OR_RETURN(Converted child, Convert(c, false));
      fields.push_back(child.field);
      out.node.children.push_back(std::move(child.node));
    }
    out.field = Field(g.name, columnar::Struct(std::move(fields)), nullable);
    out.field.field_id = g.element->field_id.value_or(-1);
    out.node.kind = AssemblyNode::Kind::kStruct;
    out.node.type = out.field.type;
    out.node.def_level = g.def_level;
    out.node.leaf = out.node.children[0].leaf;
    out.node.max_rep_level = out.node.children[0].max_rep_level;
    return out;
  }

  const std::vector<ColumnDescriptor>& columns_;
};

Status AnnotationMismatch(const SchemaElement& e, const char* annotation) {
  return BadSchema("column '" + e.name + "': " + annotation + " is not valid on physical type " +
                   std::string(format::TypeName(*e.type)));
}

Result<TypePtr> DecimalType(const SchemaElement& e, int32_t precision, int32_t scale) {
  Type t = *e.type;
  if (t != Type::INT32 && t != Type::INT64 && t != Type::FIXED_LEN_BYTE_ARRAY &&
      t != Type::BYTE_ARRAY)
    return AnnotationMismatch(e, "DECIMAL");
  if (precision < 1 || scale < 0 || scale > precision)
    return BadSchema("column '" + e.name + "': invalid decimal(" + std::to_string(precision) + "," +
                     std::to_string(scale) + ")");
  if (precision > 38)
    return Status::NotSupported("column '" + e.name + "': decimal precision " +
                                std::to_string(precision) + " exceeds 38");
  return columnar::Decimal(precision, scale);
}

Result<TypePtr> IntegerType(const SchemaElement& e, int bits, bool is_signed) {
  Type t = *e.type;
  if ((bits == 64) != (t == Type::INT64) || (t != Type::INT32 && t != Type::INT64))
    return AnnotationMismatch(e, "INTEGER");
  switch (bits) {
    case 8:
      return is_signed ? columnar::Int8() : columnar::UInt8();
    case 16:
      return is_signed ? columnar::Int16() : columnar::UInt16();
    case 32:
      return is_signed ? columnar::Int32() : columnar::UInt32();
    case 64:
      return is_signed ? columnar::Int64() : columnar::UInt64();
  }
  return BadSchema("column '" + e.name + "': invalid integer bit width " + std::to_string(bits));
}

TimeUnit UnitOf(format::TimeUnit u) {
  switch (u) {
    case format::TimeUnit::kMillis:
      return TimeUnit::kMillis;
    case format::TimeUnit::kMicros:
      return TimeUnit::kMicros;
    case format::TimeUnit::kNanos:
      return TimeUnit::kNanos;
  }
  return TimeUnit::kMicros;
}

Result<TypePtr> PhysicalDefault(const SchemaElement& e) {
  switch (*e.type) {
    case Type::BOOLEAN:
      return columnar::Bool();
    case Type::INT32:
      return columnar::Int32();
    case Type::INT64:
      return columnar::Int64();
    case Type::INT96:
      return columnar::Timestamp(TimeUnit::kMicros, true);
    case Type::FLOAT:
      return columnar::Float32();
    case Type::DOUBLE:
      return columnar::Float64();
    case Type::BYTE_ARRAY:
      return columnar::Binary();
    case Type::FIXED_LEN_BYTE_ARRAY: {
      int32_t len = e.type_length.value_or(0);
      if (len <= 0)
        return BadSchema("column '" + e.name + "': FIXED_LEN_BYTE_ARRAY without a positive length");
      return columnar::FixedBinary(len);
    }
  }
  return BadSchema("column '" + e.name + "' has invalid physical type " +
                   std::to_string(static_cast<int>(*e.type)));
}

Result<TypePtr> FromLogical(const SchemaElement& e, const LogicalType& lt, bool* handled) {
  *handled = true;
  Type t = *e.type;
  using K = LogicalType::Kind;
  switch (lt.kind) {
    case K::kString:
    case K::kEnum:
    case K::kJson:
      if (t != Type::BYTE_ARRAY && t != Type::FIXED_LEN_BYTE_ARRAY)
        return AnnotationMismatch(e, "STRING");
      return t == Type::BYTE_ARRAY ? columnar::String() : PhysicalDefault(e);
    case K::kBson:
    case K::kGeometry:
    case K::kGeography:
      if (t != Type::BYTE_ARRAY) return AnnotationMismatch(e, "BSON/GEOMETRY");
      return columnar::Binary();
    case K::kUuid:
      if (t != Type::FIXED_LEN_BYTE_ARRAY || e.type_length.value_or(0) != 16)
        return AnnotationMismatch(e, "UUID");
      return columnar::Uuid();
    case K::kDecimal:
      return DecimalType(e, lt.decimal_precision, lt.decimal_scale);
    case K::kDate:
      if (t != Type::INT32) return AnnotationMismatch(e, "DATE");
      return columnar::Date();
    case K::kTime: {
      TimeUnit u = UnitOf(lt.unit);
      if ((u == TimeUnit::kMillis) != (t == Type::INT32) || (t != Type::INT32 && t != Type::INT64))
        return AnnotationMismatch(e, "TIME");
      return columnar::Time(u);
    }
    case K::kTimestamp:
      if (t != Type::INT64) return AnnotationMismatch(e, "TIMESTAMP");
      return columnar::Timestamp(UnitOf(lt.unit), lt.is_adjusted_to_utc);
    case K::kInteger:
      return IntegerType(e, lt.bit_width, lt.is_signed);
    case K::kUnknown:
      return columnar::Null();
    case K::kFloat16:
      if (t != Type::FIXED_LEN_BYTE_ARRAY || e.type_length.value_or(0) != 2)
        return AnnotationMismatch(e, "FLOAT16");
      return columnar::Float32();
    default:
      *handled = false;
      return columnar::Null();
  }
}

Result<TypePtr> FromConverted(const SchemaElement& e, ConvertedType ct, bool* handled) {
  *handled = true;
  Type t = *e.type;
  switch (ct) {
    case ConvertedType::UTF8:
    case ConvertedType::ENUM:
    case ConvertedType::JSON:
      if (t != Type::BYTE_ARRAY && t != Type::FIXED_LEN_BYTE_ARRAY)
        return AnnotationMismatch(e, "UTF8");
      return t == Type::BYTE_ARRAY ? columnar::String() : PhysicalDefault(e);
    case ConvertedType::BSON:
      return columnar::Binary();
    case ConvertedType::DECIMAL:
      return DecimalType(e, e.precision.value_or(0), e.scale.value_or(0));
    case ConvertedType::DATE:
      if (t != Type::INT32) return AnnotationMismatch(e, "DATE");
      return columnar::Date();
    case ConvertedType::TIME_MILLIS:
      if (t != Type::INT32) return AnnotationMismatch(e, "TIME_MILLIS");
      return columnar::Time(TimeUnit::kMillis);
    case ConvertedType::TIME_MICROS:
      if (t != Type::INT64) return AnnotationMismatch(e, "TIME_MICROS");
      return columnar::Time(TimeUnit::kMicros);
    case ConvertedType::TIMESTAMP_MILLIS:
      if (t != Type::INT64) return AnnotationMismatch(e, "TIMESTAMP_MILLIS");
      return columnar::Timestamp(TimeUnit::kMillis, true);
    case ConvertedType::TIMESTAMP_MICROS:
      if (t != Type::INT64) return AnnotationMismatch(e, "TIMESTAMP_MICROS");
      return columnar::Timestamp(TimeUnit::kMicros, true);
    case ConvertedType::UINT_8:
      return IntegerType(e, 8, false);
    case ConvertedType::UINT_16:
      return IntegerType(e, 16, false);
    case ConvertedType::UINT_32:
      return IntegerType(e, 32, false);
    case ConvertedType::UINT_64:
      return IntegerType(e, 64, false);
    case ConvertedType::INT_8:
      return IntegerType(e, 8, true);
    case ConvertedType::INT_16:
      return IntegerType(e, 16, true);
    case ConvertedType::INT_32:
      return IntegerType(e, 32, true);
    case ConvertedType::INT_64:
      return IntegerType(e, 64, true);
    default:
      *handled = false;
      return columnar::Null();
  }
}

}  // namespace

std::string ColumnDescriptor::PathString() const {
  std::vector<std::string> parts(path.begin(), path.end());
  return Join(parts, ".");
}

Result<TypePtr> LeafType(const SchemaElement& e) {
  if (!e.type) return BadSchema("leaf '" + e.name + "' has no physical type");
  int t = static_cast<int>(*e.type);
  if (t < 0 || t > 7)
    return BadSchema("column '" + e.name + "' has invalid physical type " + std::to_string(t));
  if (*e.type == Type::FIXED_LEN_BYTE_ARRAY && e.type_length.value_or(0) <= 0)
    return BadSchema("column '" + e.name + "': FIXED_LEN_BYTE_ARRAY without a positive length");
  bool handled = false;
  if (e.logical_type) {
    ASSIGN_OR_RETURN(TypePtr type, FromLogical(e, *e.logical_type, &handled));
    if (handled) return type;
  }
  if (e.converted_type) {
    ASSIGN_OR_RETURN(TypePtr type, FromConverted(e, *e.converted_type, &handled));
    if (handled) return type;
  }
  return PhysicalDefault(e);
}

Result<FileSchema> FileSchema::Make(const std::vector<SchemaElement>& elements) {
  if (elements.empty()) return BadSchema("no elements");
  FileSchema s;
  size_t pos = 0;
  RETURN_NOT_OK(BuildTree(elements, &pos, 0, &s.root_));
  if (pos != elements.size()) return BadSchema("elements left over after the root's children");
  if (s.root_.children.empty()) return BadSchema("the root has no fields");
  s.root_.def_level = s.root_.rep_level = 0;
  for (auto& c : s.root_.children) {
    std::vector<std::string> path{c.name};
    AssignLevels(&c, 0, 0, &path, &s.columns_);
  }
  for (auto& c : s.columns_) {
    auto t = LeafType(*c.element);
    if (!t.ok()) return t.status();
    c.type = *t;
  }
  Converter conv(s.columns_);
  auto schema = std::make_shared<columnar::Schema>();
  for (const SchemaNode& c : s.root_.children) {
    ASSIGN_OR_RETURN(Converted f, conv.Convert(c, false));
    schema->fields.push_back(std::move(f.field));
    s.assembly_.push_back(std::move(f.node));
  }
  s.schema_ = schema;
  return s;
}

std::vector<int> FileSchema::ColumnsOfField(int i) const {
  std::vector<int> out;
  std::vector<const SchemaNode*> stack{&root_.children[i]};
  while (!stack.empty()) {
    const SchemaNode* n = stack.back();
    stack.pop_back();
    if (n->is_leaf()) {
      out.push_back(n->column);
      continue;
    }
    for (auto it = n->children.rbegin(); it != n->children.rend(); ++it) stack.push_back(&*it);
  }
  return out;
}

}  // namespace ds::parquet
