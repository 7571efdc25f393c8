#include "test/delta/write_test_util.h"

#include <algorithm>

#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "delta/changes.h"
#include "objstore/local_store.h"
#include "test/delta/test_tables.h"
#include "util/string_util.h"

namespace ds::delta::testing {

std::string SchemaJson(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out = R"({"type":"struct","fields":[)";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ",";
    out += R"({"name":")" + fields[i].first + R"(","type":)" + fields[i].second +
           R"(,"nullable":true,"metadata":{}})";
  }
  return out + "]}";
}

columnar::SchemaPtr ParseSchema(const std::string& json) {
  return columnar::SchemaFromJson(json).ValueOrDie();
}

columnar::RecordBatch JsonRows(const columnar::SchemaPtr& schema, const std::string& jsonl) {
  return columnar::ParseJsonLines(jsonl, schema).ValueOrDie();
}

std::vector<std::string> Canonical(const std::string& jsonl) {
  std::vector<std::string> out;
  for (std::string_view line : Split(jsonl, '\n')) {
    if (!Trim(line).empty()) out.push_back(CanonicalJson(line));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> CanonicalRows(const columnar::SchemaPtr& schema,
                                       const std::string& jsonl) {
  std::vector<std::string> out;
  AppendCanonicalRows(JsonRows(schema, jsonl), &out);
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<std::string>> LatestRows(const Table& table) {
  ASSIGN_OR_RETURN(SnapshotPtr s, table.LatestSnapshot());
  return SnapshotRows(table, *s);
}

Result<std::vector<std::string>> ChangeRows(const Table& table, int64_t start, int64_t end) {
  ASSIGN_OR_RETURN(SnapshotPtr s, table.LatestSnapshot());
  std::vector<std::string> columns;
  for (const auto& f : s->schema().logical()->fields) columns.push_back(f.name);
  ChangeScanOptions options;
  options.columns = columns;
  std::vector<std::string> rows;
  RETURN_NOT_OK(ScanChanges(table, start, end, options, [&](const columnar::RecordBatch& b) {
    columnar::RecordBatch trimmed = b;
    int ts = b.schema->FieldIndex("_commit_timestamp");
    if (ts >= 0) {
      auto schema = std::make_shared<columnar::Schema>(*b.schema);
      schema->fields.erase(schema->fields.begin() + ts);
      trimmed.schema = schema;
      trimmed.columns.erase(trimmed.columns.begin() + ts);
    }
    AppendCanonicalRows(trimmed, &rows);
    return Status::OK();
  }));
  std::sort(rows.begin(), rows.end());
  return rows;
}

LocalTable::LocalTable() {
  store = std::make_shared<objstore::LocalStore>(dir.Join("table"));
  table = Table::Open(store, "");
}

}  // namespace ds::delta::testing
