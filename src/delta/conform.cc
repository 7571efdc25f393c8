#include "delta/conform.h"

#include "delta/array_ops.h"
#include "util/string_util.h"

namespace ds::delta {

bool SameFields(const columnar::Schema& a, const columnar::Schema& b) {
  if (a.fields.size() != b.fields.size()) return false;
  for (size_t i = 0; i < a.fields.size(); ++i) {
    if (a.fields[i].name != b.fields[i].name || a.fields[i].nullable != b.fields[i].nullable ||
        !a.fields[i].type->Equals(*b.fields[i].type)) {
      return false;
    }
  }
  return true;
}

Result<columnar::RecordBatch> ConformBatch(const columnar::RecordBatch& input,
                                           const columnar::SchemaPtr& target) {
  const auto& in_fields = input.schema->fields;
  std::vector<bool> used(in_fields.size(), false);
  columnar::RecordBatch out;
  out.schema = target;
  out.num_rows = input.num_rows;
  for (const columnar::Field& field : target->fields) {
    int index = input.schema->FieldIndex(field.name);
    if (index < 0) {
      for (size_t i = 0; i < in_fields.size(); ++i) {
        if (!used[i] && EqualsIgnoreCase(in_fields[i].name, field.name)) {
          index = static_cast<int>(i);
          break;
        }
      }
    }
    if (index < 0) {
      if (!field.nullable) {
        return Status::InvalidArgument("column '" + field.name +
                                       "' is missing from the input and is not nullable");
      }
      out.columns.push_back(columnar::MakeNullArray(field.type, input.num_rows));
      continue;
    }
    used[static_cast<size_t>(index)] = true;
    const columnar::ArrayPtr& column = input.columns[static_cast<size_t>(index)];
    if (column->type->Equals(*field.type)) {
      out.columns.push_back(column);
      continue;
    }
    if (columnar::IsNested(column->type->id) || columnar::IsNested(field.type->id)) {
      return Status::InvalidArgument("column '" + field.name + "' has type " +
                                     column->type->ToString() + " in the input but " +
                                     field.type->ToString() + " in the table");
    }
    Result<columnar::ArrayPtr> cast = CastArray(column, field.type, field.name);
    if (!cast.ok()) {
      return Status::InvalidArgument("column '" + field.name + "': cannot write " +
                                     column->type->ToString() + " values as " +
                                     field.type->ToString() + ": " + cast.status().message());
    }
    out.columns.push_back(*std::move(cast));
  }
  for (size_t i = 0; i < in_fields.size(); ++i) {
    if (!used[i]) {
      return Status::InvalidArgument("input column '" + in_fields[i].name +
                                     "' is not in the table schema (evolve the schema first)");
    }
  }
  return out;
}

}  // namespace ds::delta
