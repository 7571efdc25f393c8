#include "delta/file_filter.h"

#include "util/json.h"

namespace ds::delta {

std::string PhysicalName(const columnar::Field& field, ColumnMappingMode mode) {
  if (mode == ColumnMappingMode::kNone || field.metadata_json.empty()) return field.name;
  Result<JsonValue> metadata = ParseJson(field.metadata_json);
  if (!metadata.ok()) return field.name;
  const JsonValue* name = metadata->Find("delta.columnMapping.physicalName");
  return name != nullptr && name->is_string() ? name->string_value() : field.name;
}

Result<FileFilter> FileFilter::Make(const TableSchema& schema, const expr::Expr& predicate) {
  expr::SkippingTable table;
  table.schema = schema.logical();
  for (const PartitionColumn& c : schema.partition_columns())
    table.partition_columns.push_back(c.name);
  const ColumnMappingMode mode = schema.mode();
  table.physical_name = [mode](const columnar::Field& f) { return PhysicalName(f, mode); };
  ASSIGN_OR_RETURN(expr::FileSkipper skipper, expr::FileSkipper::Make(predicate, table));
  return FileFilter(std::move(skipper));
}

expr::Truth FileFilter::Evaluate(const FileView& file) {
  partition_values_.clear();
  for (size_t i = 0, n = file.num_partition_values(); i < n; ++i) {
    StringPairView p = file.partition_value(i);
    partition_values_.push_back(
        {p.key, p.value_is_null ? std::nullopt : std::optional<std::string_view>(p.value)});
  }
  expr::FileView view;
  view.partition_values = partition_values_;
  view.stats = file.stats();
  return skipper_.Evaluate(view);
}

}  // namespace ds::delta
