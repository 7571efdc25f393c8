#include "sharing/service/file_filter.h"

#include "expr/json_predicate.h"
#include "expr/sql_predicate.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::sharing::service {
namespace {

expr::SkippingTable SkippingTableOf(const delta::TableSchema& schema,
                                    const delta::Metadata& metadata) {
  expr::SkippingTable t;
  t.schema = schema.logical();
  t.partition_columns = metadata.partition_columns;
  if (schema.mode() != delta::ColumnMappingMode::kNone) t.physical_name = PhysicalNameOf;
  return t;
}

}  // namespace

std::string PhysicalNameOf(const columnar::Field& field) {
  if (field.metadata_json.empty()) return field.name;
  auto doc = ParseJson(field.metadata_json, /*max_depth=*/16);
  if (!doc.ok()) return field.name;
  const JsonValue* name = doc->Find("delta.columnMapping.physicalName");
  return name != nullptr && name->is_string() ? name->string_value() : field.name;
}

std::optional<int64_t> NumRecordsOf(std::string_view stats) {
  constexpr std::string_view kKey = "\"numRecords\"";
  const size_t pos = stats.find(kKey);
  if (pos == std::string_view::npos) return std::nullopt;
  size_t i = pos + kKey.size();
  while (i < stats.size() && (stats[i] == ' ' || stats[i] == ':')) ++i;
  size_t j = i;
  while (j < stats.size() && stats[j] >= '0' && stats[j] <= '9') ++j;
  return ParseInt64(stats.substr(i, j - i));
}

Result<FileFilter> FileFilter::Make(const delta::TableSchema& schema,
                                    const delta::Metadata& metadata,
                                    const std::optional<std::string>& grant_filter,
                                    const protocol::QueryRequest* hints, bool use_json_hints,
                                    bool use_sql_hints) {
  FileFilter f;
  const expr::SkippingTable table = SkippingTableOf(schema, metadata);
  if (grant_filter) {
    auto parsed = expr::ParseSqlPredicate(*grant_filter);
    if (!parsed.ok()) {
      return Status::PermissionDenied("the share's partition filter cannot be applied: " +
                                      parsed.status().message());
    }
    auto skipper = expr::FileSkipper::Make(**parsed, table);
    if (!skipper.ok() || !skipper->partition_only()) {
      return Status::PermissionDenied(
          "the share's partition filter cannot be applied to this table: it must reference "
          "only its partition columns");
    }
    f.enforced_ = std::move(skipper).value();
  }
  if (hints != nullptr) {
    std::vector<expr::ExprPtr> parts;
    if (use_json_hints && hints->json_predicate_hints) {
      auto parsed = expr::ParseJsonPredicate(*hints->json_predicate_hints);
      if (parsed.ok()) parts.push_back(std::move(parsed).value());
    }
    if (use_sql_hints && !hints->predicate_hints.empty()) {
      expr::SqlHints sql = expr::ParseSqlPredicateHints(hints->predicate_hints);
      if (sql.predicate) parts.push_back(std::move(sql.predicate));
    }
    if (!parts.empty()) {
      expr::ExprPtr combined = parts[0];
      if (parts.size() > 1) {
        auto both = expr::Expr::And(std::move(parts));
        if (both.ok()) combined = std::move(both).value();
      }
      auto skipper = expr::FileSkipper::Make(*combined, table);
      if (skipper.ok()) f.hinted_ = std::move(skipper).value();
    }
  }
  return f;
}

bool FileFilter::Admit(const delta::FileView& file) {
  if (!enforced_ && !hinted_) return true;
  scratch_.clear();
  for (size_t i = 0; i < file.num_partition_values(); ++i) {
    const delta::StringPairView pv = file.partition_value(i);
    scratch_.push_back(
        {pv.key, pv.value_is_null ? std::nullopt : std::optional<std::string_view>(pv.value)});
  }
  expr::FileView view{scratch_, file.stats()};
  if (enforced_ && enforced_->Evaluate(view) != expr::Truth::kTrue) return false;
  if (hinted_ && hinted_->Evaluate(view) == expr::Truth::kFalse) {
    ++skipped_;
    return false;
  }
  return true;
}

bool FileFilter::AdmitPartitions(const delta::FileActionView& action) {
  if (!enforced_) return true;
  scratch_.clear();
  for (const delta::StringPairView& pv : action.partition_values) {
    scratch_.push_back(
        {pv.key, pv.value_is_null ? std::nullopt : std::optional<std::string_view>(pv.value)});
  }
  return enforced_->Evaluate(expr::FileView{scratch_, std::nullopt}) == expr::Truth::kTrue;
}

}  // namespace ds::sharing::service
