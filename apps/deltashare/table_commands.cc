// `deltashare table ...`: inspect and read Delta tables (info, history, files, scan, changes).
//
// PATH is a local directory or a file:// URI; every read goes through an ObjectStore, so
// cloud locations only need a store for the URI here.
#include <memory>
#include <optional>
#include <string>

#include "apps/deltashare/commands.h"
#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "delta/changes.h"
#include "delta/file_filter.h"
#include "delta/path_util.h"
#include "delta/scan.h"
#include "delta/table.h"
#include "expr/json_predicate.h"
#include "objstore/local_store.h"
#include "util/civil_time.h"
#include "util/json.h"
#include "util/progress.h"
#include "util/string_util.h"

namespace ds::cli {
namespace {

std::vector<std::string> SplitColumns(const std::string& s) {
  std::vector<std::string> out;
  for (auto part : Split(s, ',')) {
    std::string_view t = Trim(part);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

// A table at a local path or file:// URI; absolute file paths in its log are readable too.
Result<delta::TablePtr> OpenTable(const std::string& path) {
  std::string dir = path;
  if (StartsWith(path, "file:")) {
    std::string uri = delta::NormalizeFileUri(path);
    ASSIGN_OR_RETURN(dir, delta::PercentDecode(uri.substr(7)));
  } else if (path.find("://") != std::string::npos) {
    return Status::NotSupported("only local paths and file:// URIs are supported yet: " + path);
  }
  if (dir.empty()) return Status::InvalidArgument("empty table path");
  delta::TableOptions options;
  auto root_store = std::make_shared<objstore::LocalStore>("/");
  options.resolve_absolute =
      [root_store](
          std::string_view uri) -> Result<std::pair<objstore::ObjectStorePtr, std::string>> {
    if (!StartsWith(uri, "file:///")) {
      return Status::NotSupported("cannot read '" + std::string(uri) + "': not a local file");
    }
    return std::make_pair(objstore::ObjectStorePtr(root_store), std::string(uri.substr(8)));
  };
  return delta::Table::Open(std::make_shared<objstore::LocalStore>(dir), "", std::move(options));
}

// --timestamp: ISO 8601 ("2024-01-02T03:04:05Z", a bare date) or epoch milliseconds.
Result<int64_t> ParseTimestampArg(const std::string& text) {
  if (std::optional<int64_t> ms = ParseInt64(Trim(text))) return *ms;
  Result<int64_t> micros = ParseTimestampMicros(Trim(text));
  if (!micros.ok()) {
    return Status::InvalidArgument("--timestamp '" + text +
                                   "' is neither ISO 8601 nor epoch milliseconds");
  }
  return *micros / 1000;
}

struct SnapshotChoice {
  std::optional<int64_t> version;
  std::string timestamp;
};

void AddSnapshotOptions(CLI::App* cmd, const std::shared_ptr<SnapshotChoice>& choice) {
  auto* v = cmd->add_option("--version", choice->version, "Read the table at this version");
  cmd->add_option("--timestamp", choice->timestamp,
                  "Read the table as of this time (ISO 8601 or epoch ms): the latest version "
                  "committed at or before it")
      ->excludes(v);
}

Result<delta::SnapshotPtr> LoadSnapshot(const delta::Table& table, const SnapshotChoice& c) {
  if (c.version) return table.SnapshotAtVersion(*c.version);
  if (!c.timestamp.empty()) {
    ASSIGN_OR_RETURN(int64_t ts, ParseTimestampArg(c.timestamp));
    return table.SnapshotAtTimestamp(ts);
  }
  return table.LatestSnapshot();
}

std::string FormatMillis(int64_t ms) {
  std::string out;
  AppendTimestamp(ms, TimeUnit::kMillis, true, &out);
  return out;
}

std::string FeatureList(const std::optional<std::vector<std::string>>& features) {
  if (!features) return "";
  return " [" + Join(*features, ", ") + "]";
}

// Delta's type names ("integer", "decimal(10,2)", "array<string>", "struct<a: long>").
std::string DeltaTypeName(const columnar::DataType& t) {
  auto field = [](const columnar::Field& f) { return f.name + ": " + DeltaTypeName(*f.type); };
  switch (t.id) {
    case columnar::TypeId::kStruct: {
      std::vector<std::string> parts;
      for (const columnar::Field& f : t.fields) parts.push_back(field(f));
      return "struct<" + Join(parts, ", ") + ">";
    }
    case columnar::TypeId::kList:
      return "array<" + DeltaTypeName(*t.fields[0].type) + ">";
    case columnar::TypeId::kMap:
      return "map<" + DeltaTypeName(*t.fields[0].type) + ", " + DeltaTypeName(*t.fields[1].type) +
             ">";
    default: {
      Result<std::string> name = columnar::TypeToJsonName(t);
      return name.ok() ? *name : t.ToString();
    }
  }
}

std::string InfoText(const delta::Snapshot& s) {
  const delta::Metadata& m = s.metadata();
  const delta::Protocol& p = s.protocol();
  std::string out;
  auto line = [&](std::string_view key, const std::string& value) {
    out += std::string(key);
    out.append(key.size() < 20 ? 20 - key.size() : 1, ' ');
    out += value + "\n";
  };
  line("Table", s.table_uri());
  line("Version", std::to_string(s.version()));
  line("Id", m.id);
  if (m.name) line("Name", *m.name);
  if (m.description) line("Description", *m.description);
  if (m.created_time) line("Created", FormatMillis(*m.created_time));
  line("Format", m.format.provider);
  line("Reader version", std::to_string(p.min_reader_version) + FeatureList(p.reader_features));
  line("Writer version", std::to_string(p.min_writer_version) + FeatureList(p.writer_features));
  line("Column mapping", std::string(delta::ColumnMappingModeName(s.column_mapping_mode())));
  line("Change data feed", s.change_data_feed_enabled() ? "enabled" : "disabled");
  line("Partition columns",
       m.partition_columns.empty() ? "(none)" : Join(m.partition_columns, ", "));
  line("Files", std::to_string(s.files().num_files()) + " (" +
                    FormatBytes(static_cast<double>(s.files().total_bytes())) + ")");
  out += "Schema\n";
  for (const columnar::Field& f : s.schema().logical()->fields) {
    out += "  " + f.name + ": " + DeltaTypeName(*f.type) + (f.nullable ? "" : " not null") + "\n";
  }
  if (!m.configuration.empty()) {
    out += "Properties\n";
    for (const auto& [k, v] : m.configuration) out += "  " + k + " = " + v.value_or("null") + "\n";
  }
  for (const std::string& w : s.warnings()) out += "Warning: " + w + "\n";
  return out;
}

std::string InfoJson(const delta::Snapshot& s) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("table", s.table_uri());
  w.FieldInt("version", s.version());
  w.Key("protocol");
  w.Raw(s.protocol_json());
  w.Key("metaData");
  w.Raw(s.metadata_json());
  w.Field("columnMappingMode", delta::ColumnMappingModeName(s.column_mapping_mode()));
  w.FieldInt("numFiles", static_cast<int64_t>(s.files().num_files()));
  w.FieldInt("sizeInBytes", s.files().total_bytes());
  w.Key("warnings");
  w.BeginArray();
  for (const std::string& warning : s.warnings()) w.String(warning);
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
  return out;
}

Status Info(const std::string& path, const SnapshotChoice& choice, bool json) {
  ASSIGN_OR_RETURN(auto table, OpenTable(path));
  ASSIGN_OR_RETURN(auto snapshot, LoadSnapshot(*table, choice));
  Stdout out;
  out.Write(json ? InfoJson(*snapshot) : InfoText(*snapshot));
  return out.Flush();
}

Status History(const std::string& path, int64_t limit, bool json) {
  ASSIGN_OR_RETURN(auto table, OpenTable(path));
  ASSIGN_OR_RETURN(auto entries,
                   table->History(limit >= 0 ? std::optional<int64_t>(limit) : std::nullopt));
  Stdout out;
  std::string line;
  for (const delta::HistoryEntry& e : entries) {
    line.clear();
    if (json) {
      JsonWriter w(&line);
      w.BeginObject();
      w.FieldInt("version", e.version);
      w.FieldInt("timestamp", e.timestamp_ms);
      if (e.operation) w.Field("operation", *e.operation);
      w.Key("operationParameters");
      w.Raw(e.operation_parameters_json);
      w.Key("commitInfo");
      w.Raw(e.commit_info_json);
      w.EndObject();
    } else {
      line = std::to_string(e.version) + "  " + FormatMillis(e.timestamp_ms) + "  " +
             e.operation.value_or("-") + "  " + e.operation_parameters_json;
    }
    line.push_back('\n');
    out.Write(line);
  }
  return out.Flush();
}

Status Files(const std::string& path, const SnapshotChoice& choice, const std::string& where) {
  ASSIGN_OR_RETURN(auto table, OpenTable(path));
  ASSIGN_OR_RETURN(auto snapshot, LoadSnapshot(*table, choice));
  std::optional<delta::FileFilter> filter;
  if (!where.empty()) {
    auto predicate = expr::ParseJsonPredicate(where);
    if (!predicate.ok()) return predicate.status().WithContext("--where");
    ASSIGN_OR_RETURN(filter, delta::FileFilter::Make(snapshot->schema(), **predicate));
    for (const std::string& note : filter->notes()) {
      std::fprintf(stderr, "note: --where: %s\n", note.c_str());
    }
  }
  Stdout out;
  std::string line;
  const delta::FileTable& files = snapshot->files();
  for (size_t i = 0; i < files.num_files(); ++i) {
    delta::FileView file = files.file(i);
    if (filter && filter->Evaluate(file) == expr::Truth::kFalse) continue;
    line.clear();
    file.AppendJson({}, &line);
    // One JSON object per file: the add action's body, without the {"add":…} wrapper.
    constexpr std::string_view kWrapper = "{\"add\":";
    line = line.substr(kWrapper.size(), line.size() - kWrapper.size() - 1);
    line.push_back('\n');
    out.Write(line);
  }
  return out.Flush();
}

Status WriteRows(const columnar::RecordBatch& batch, Stdout* out, std::string* line) {
  for (int64_t r = 0; r < batch.num_rows; ++r) {
    line->clear();
    columnar::AppendRowJson(batch, r, line);
    line->push_back('\n');
    out->Write(*line);
  }
  return Status::OK();
}

Status Scan(const std::string& path, const SnapshotChoice& choice, const std::string& columns,
            int64_t limit) {
  ASSIGN_OR_RETURN(auto table, OpenTable(path));
  ASSIGN_OR_RETURN(auto snapshot, LoadSnapshot(*table, choice));
  delta::ScanOptions options;
  options.columns = SplitColumns(columns);
  options.limit = limit;
  if (limit >= 0 && limit < options.batch_size) options.batch_size = std::max<int64_t>(limit, 1);
  Progress progress("scan", 0, "rows");
  Stdout out;
  std::string line;
  RETURN_NOT_OK(
      delta::ScanSnapshot(*table, *snapshot, options, [&](const columnar::RecordBatch& batch) {
        progress.Advance(batch.num_rows);
        return WriteRows(batch, &out, &line);
      }));
  progress.Done();
  return out.Flush();
}

Status Changes(const std::string& path, int64_t from, std::optional<int64_t> to,
               const std::string& columns, int64_t limit) {
  ASSIGN_OR_RETURN(auto table, OpenTable(path));
  int64_t end = 0;
  if (to) {
    end = *to;
  } else {
    ASSIGN_OR_RETURN(end, table->LatestVersion());
  }
  delta::ChangeScanOptions options;
  options.columns = SplitColumns(columns);
  options.limit = limit;
  Progress progress("changes", 0, "rows");
  Stdout out;
  std::string line;
  RETURN_NOT_OK(
      delta::ScanChanges(*table, from, end, options, [&](const columnar::RecordBatch& batch) {
        progress.Advance(batch.num_rows);
        return WriteRows(batch, &out, &line);
      }));
  progress.Done();
  return out.Flush();
}

void RegisterTableCommands(CLI::App* app, Action* action) {
  CLI::App* group = app->add_subcommand("table", "Inspect and read Delta tables");
  group->require_subcommand(1);
  const std::string path_help = "Table directory or file:// URI";
  {
    auto* cmd = group->add_subcommand(
        "info", "Print version, protocol, metadata, partition columns, schema and file counts");
    auto path = std::make_shared<std::string>();
    auto choice = std::make_shared<SnapshotChoice>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("PATH", *path, path_help)->required();
    AddSnapshotOptions(cmd, choice);
    cmd->add_flag("--json", *json, "Print JSON instead of text");
    cmd->callback([=] { *action = [=] { return Info(*path, *choice, *json); }; });
  }
  {
    auto* cmd = group->add_subcommand("history", "Print the commits, newest first");
    auto path = std::make_shared<std::string>();
    auto limit = std::make_shared<int64_t>(-1);
    auto json = std::make_shared<bool>(false);
    cmd->add_option("PATH", *path, path_help)->required();
    cmd->add_option("--limit", *limit, "Print at most N commits")->check(CLI::NonNegativeNumber);
    cmd->add_flag("--json", *json, "One JSON object per commit, with the whole commitInfo");
    cmd->callback([=] { *action = [=] { return History(*path, *limit, *json); }; });
  }
  {
    auto* cmd = group->add_subcommand("files", "Print one JSON object per live data file");
    auto path = std::make_shared<std::string>();
    auto choice = std::make_shared<SnapshotChoice>();
    auto where = std::make_shared<std::string>();
    cmd->add_option("PATH", *path, path_help)->required();
    AddSnapshotOptions(cmd, choice);
    cmd->add_option("--where", *where,
                    "Keep only files that may hold matching rows: a Delta Sharing JSON "
                    "predicate, e.g. {\"op\":\"equal\",\"children\":[...]}");
    cmd->callback([=] { *action = [=] { return Files(*path, *choice, *where); }; });
  }
  {
    auto* cmd = group->add_subcommand(
        "scan", "Print the table's rows as JSON Lines (deletion vectors applied)");
    auto path = std::make_shared<std::string>();
    auto choice = std::make_shared<SnapshotChoice>();
    auto columns = std::make_shared<std::string>();
    auto limit = std::make_shared<int64_t>(-1);
    cmd->add_option("PATH", *path, path_help)->required();
    AddSnapshotOptions(cmd, choice);
    cmd->add_option("--columns", *columns, "Comma-separated columns to print (logical names)");
    cmd->add_option("--limit", *limit, "Print at most N rows")->check(CLI::NonNegativeNumber);
    cmd->callback([=] { *action = [=] { return Scan(*path, *choice, *columns, *limit); }; });
  }
  {
    auto* cmd = group->add_subcommand(
        "changes",
        "Print the change data feed as JSON Lines (_change_type, _commit_version, "
        "_commit_timestamp)");
    auto path = std::make_shared<std::string>();
    auto from = std::make_shared<int64_t>(0);
    auto to = std::make_shared<std::optional<int64_t>>();
    auto columns = std::make_shared<std::string>();
    auto limit = std::make_shared<int64_t>(-1);
    cmd->add_option("PATH", *path, path_help)->required();
    cmd->add_option("--from", *from, "First version (inclusive)")->required();
    cmd->add_option("--to", *to, "Last version (inclusive; default: the latest)");
    cmd->add_option("--columns", *columns, "Comma-separated data columns to print");
    cmd->add_option("--limit", *limit, "Print at most N rows")->check(CLI::NonNegativeNumber);
    cmd->callback([=] { *action = [=] { return Changes(*path, *from, *to, *columns, *limit); }; });
  }
}

}  // namespace

DS_COMMAND_GROUP(20, RegisterTableCommands);

}  // namespace ds::cli
