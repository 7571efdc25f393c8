#include "delta/schema_evolution.h"

#include "columnar/schema_json.h"
#include "delta/table_features.h"
#include "delta/table_schema.h"
#include "delta/uuid.h"
#include "delta/writer_features.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

using columnar::Field;
using columnar::TypeId;

struct Context {
  bool allow_widening = false;
  bool column_mapping = false;
  int64_t max_column_id = 0;
  SchemaChange* change = nullptr;
};

JsonValue MetadataObject(const Field& f) {
  if (f.metadata_json.empty()) return JsonValue::Object();
  Result<JsonValue> v = ParseJson(f.metadata_json);
  return v.ok() && v->is_object() ? *std::move(v) : JsonValue::Object();
}

// Gives a new field (and its nested struct members) column mapping ids and physical names.
void AssignMapping(Field* f, Context* ctx) {
  JsonValue md = MetadataObject(*f);
  md.Set("delta.columnMapping.id", JsonValue::Int(++ctx->max_column_id));
  md.Set("delta.columnMapping.physicalName", JsonValue::String("col-" + NewUuid()));
  f->metadata_json = md.ToString();
  f->field_id = static_cast<int32_t>(ctx->max_column_id);
  if (f->type->id == TypeId::kStruct) {
    auto type = std::make_shared<columnar::DataType>(*f->type);
    for (Field& child : type->fields) AssignMapping(&child, ctx);
    f->type = type;
  }
}

Result<std::string> DeltaTypeName(const columnar::DataType& t) {
  return columnar::TypeToJsonName(t);
}

Status Merge(const std::string& path, Field* current, const Field& incoming, Context* ctx);

Status MergeFields(const std::string& prefix, std::vector<Field>* current,
                   const std::vector<Field>& incoming, Context* ctx) {
  for (const Field& in : incoming) {
    Field* match = nullptr;
    for (Field& f : *current) {
      if (EqualsIgnoreCase(f.name, in.name)) match = &f;
    }
    std::string path = prefix.empty() ? in.name : prefix + "." + in.name;
    if (match) {
      RETURN_NOT_OK(Merge(path, match, in, ctx));
      continue;
    }
    Field added = in;
    added.nullable = true;
    added.field_id = -1;
    added.metadata_json.clear();
    if (ctx->column_mapping) AssignMapping(&added, ctx);
    current->push_back(std::move(added));
    ctx->change->added.push_back(path);
  }
  return Status::OK();
}

Status Merge(const std::string& path, Field* current, const Field& incoming, Context* ctx) {
  const columnar::DataType& from = *current->type;
  const columnar::DataType& to = *incoming.type;
  if (from.id == TypeId::kStruct && to.id == TypeId::kStruct) {
    auto type = std::make_shared<columnar::DataType>(from);
    RETURN_NOT_OK(MergeFields(path, &type->fields, to.fields, ctx));
    current->type = type;
    return Status::OK();
  }
  if (from.Equals(to)) return Status::OK();
  if (columnar::IsNested(from.id) || columnar::IsNested(to.id)) {
    return Status::InvalidArgument("column '" + path + "': cannot change " + from.ToString() +
                                   " to " + to.ToString() + " (only struct members can be added)");
  }
  if (IsSupportedWidening(to, from)) return Status::OK();  // narrower input: written widened
  if (!IsSupportedWidening(from, to)) {
    return Status::InvalidArgument("column '" + path + "' has type " + from.ToString() +
                                   " in the table and " + to.ToString() +
                                   " in the input, which is not a supported widening");
  }
  if (!ctx->allow_widening) {
    return Status::InvalidArgument("column '" + path + "' would widen from " + from.ToString() +
                                   " to " + to.ToString() + "; type widening is not enabled");
  }
  ASSIGN_OR_RETURN(std::string from_name, DeltaTypeName(from));
  ASSIGN_OR_RETURN(std::string to_name, DeltaTypeName(to));
  JsonValue md = MetadataObject(*current);
  JsonValue changes = JsonValue::Array();
  if (const JsonValue* old = md.Find("delta.typeChanges"); old && old->is_array()) changes = *old;
  JsonValue entry = JsonValue::Object();
  entry.Set("toType", JsonValue::String(to_name));
  entry.Set("fromType", JsonValue::String(from_name));
  changes.Append(std::move(entry));
  md.Set("delta.typeChanges", std::move(changes));
  current->metadata_json = md.ToString();
  current->type = incoming.type;
  ctx->change->widened.push_back(path + ": " + from_name + " -> " + to_name);
  return Status::OK();
}

void SetProperty(StringMap* config, const std::string& key, std::string value) {
  for (auto& [k, v] : *config) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  config->emplace_back(key, std::move(value));
}

}  // namespace

Result<SchemaChange> MergeSchema(const Protocol& protocol, const Metadata& metadata,
                                 const columnar::Schema& incoming, bool allow_widening) {
  if (metadata.schema_string.find("\"variant\"") != std::string::npos) {
    return Status::NotSupported("schema evolution of tables with variant columns");
  }
  Result<columnar::SchemaPtr> parsed = columnar::SchemaFromJson(metadata.schema_string);
  if (!parsed.ok()) return parsed.status().WithContext("table schema");
  SchemaChange change;
  change.metadata = metadata;
  change.protocol = protocol;
  Context ctx;
  ctx.allow_widening = allow_widening;
  ctx.change = &change;
  ASSIGN_OR_RETURN(ColumnMappingMode mode, EffectiveColumnMappingMode(protocol, metadata));
  ctx.column_mapping = mode != ColumnMappingMode::kNone;
  if (ctx.column_mapping) {
    auto max = metadata.Property("delta.columnMapping.maxColumnId");
    ctx.max_column_id = max ? ParseInt64(Trim(*max)).value_or(0) : 0;
  }
  std::vector<Field> fields = (*parsed)->fields;
  RETURN_NOT_OK(MergeFields("", &fields, incoming.fields, &ctx));
  if (!change.changed()) return change;
  columnar::Schema merged;
  merged.fields = std::move(fields);
  ASSIGN_OR_RETURN(change.metadata.schema_string, columnar::SchemaToJson(merged));
  if (ctx.column_mapping) {
    SetProperty(&change.metadata.configuration, "delta.columnMapping.maxColumnId",
                std::to_string(ctx.max_column_id));
  }
  if (!change.widened.empty()) {
    SetProperty(&change.metadata.configuration, "delta.enableTypeWidening", "true");
    change.protocol = WithFeature(change.protocol, "typeWidening", true);
  }
  if (change.metadata.schema_string.find("\"timestamp_ntz\"") != std::string::npos) {
    change.protocol = WithFeature(change.protocol, "timestampNtz", true);
  }
  // The reader must accept the result (type changes, mapping).
  ASSIGN_OR_RETURN(ColumnMappingMode new_mode,
                   EffectiveColumnMappingMode(change.protocol, change.metadata));
  RETURN_NOT_OK(TableSchema::Make(change.metadata, new_mode).status());
  return change;
}

Status MergeSchemaInto(Transaction* txn, const std::vector<columnar::RecordBatch>& rows,
                       bool allow_widening) {
  for (const columnar::RecordBatch& batch : rows) {
    ASSIGN_OR_RETURN(SchemaChange change,
                     MergeSchema(txn->protocol(), txn->metadata(), *batch.schema, allow_widening));
    if (!change.changed()) continue;
    if (!(change.protocol == txn->protocol())) txn->UpdateProtocol(change.protocol);
    txn->UpdateMetadata(std::move(change.metadata));
  }
  return Status::OK();
}

Result<std::optional<CommitResult>> EvolveSchema(const TablePtr& table,
                                                 const columnar::Schema& incoming,
                                                 bool allow_widening, const WriteOptions& options) {
  auto plan = [&](const SnapshotPtr& snapshot,
                  std::vector<std::string>*) -> Result<std::unique_ptr<Transaction>> {
    ASSIGN_OR_RETURN(SchemaChange change, MergeSchema(snapshot->protocol(), snapshot->metadata(),
                                                      incoming, allow_widening));
    if (!change.changed()) return std::unique_ptr<Transaction>();
    ASSIGN_OR_RETURN(auto txn, Transaction::Begin(table, snapshot, options.commit));
    if (!(change.protocol == snapshot->protocol())) txn->UpdateProtocol(change.protocol);
    txn->UpdateMetadata(change.metadata);
    txn->SetOperation("CHANGE COLUMN", {{"added", JsonNameList(change.added)},
                                        {"widened", JsonNameList(change.widened)}});
    return txn;
  };
  return PlanAndCommit(table, false, plan, options.max_operation_attempts);
}

}  // namespace ds::delta
