// `deltashare table ...`: inspect, read and write Delta tables (info, history, files, scan,
// changes; write, delete, checkpoint, vacuum).
//
// PATH is a local directory, a file:// URI or a cloud URI (s3://, abfss://, gs://, with
// credentials from the environment); every byte goes through an ObjectStore. `write --encrypt`
// seals the data files and the log at rest under a share's data key (access/sealed_store.h),
// for tables that `deltashare serve` serves decrypted (config `encrypted: true`).
#include <memory>
#include <optional>
#include <string>

#include "access/key_ring.h"
#include "access/sealed_store.h"
#include "apps/deltashare/commands.h"
#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "delta/changes.h"
#include "delta/checkpoint_writer.h"
#include "delta/file_filter.h"
#include "delta/merge.h"
#include "delta/path_util.h"
#include "delta/row_files.h"
#include "delta/scan.h"
#include "delta/table.h"
#include "delta/table_location.h"
#include "delta/table_writer.h"
#include "delta/vacuum.h"
#include "expr/json_predicate.h"
#include "io/file.h"
#include "objstore/location.h"
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

// A table at a local path, a file:// URI or a cloud URI (credentials from the environment).
Result<delta::TablePtr> OpenTable(const std::string& path) { return delta::OpenTableAt(path); }

// --encrypt --share SHARE_ID [--master-key-file F]: the table sealed at rest.
struct SealArgs {
  bool encrypt = false;
  std::string share_id;
  std::string master_key_file;  // "" = $DELTASHARE_MASTER_KEY
};

void AddSealFlags(CLI::App* cmd, SealArgs* a) {
  cmd->add_flag("--encrypt", a->encrypt,
                "The table is encrypted at rest (AES-256-GCM) under the data key of --share; local "
                "tables only");
  cmd->add_option("--share", a->share_id,
                  "With --encrypt: the id of the share that serves the table (the data key's "
                  "tenant)");
  cmd->add_option("--master-key-file", a->master_key_file,
                  "With --encrypt: the server's master key (default: $DELTASHARE_MASTER_KEY)");
}

// The table at `path`, through a SealedStore when --encrypt is given.
Result<delta::TablePtr> OpenTable(const std::string& path, const SealArgs& seal) {
  if (!seal.encrypt) {
    if (!seal.share_id.empty() || !seal.master_key_file.empty()) {
      return Status::InvalidArgument("--share and --master-key-file need --encrypt");
    }
    return OpenTable(path);
  }
  if (seal.share_id.empty()) {
    return Status::InvalidArgument("--encrypt needs --share (the id of the share serving it)");
  }
  ASSIGN_OR_RETURN(objstore::ParsedLocation parsed, objstore::ParseLocation(path));
  if (parsed.scheme != objstore::LocationScheme::kLocal) {
    return Status::InvalidArgument(
        "--encrypt: " + parsed.canonical_uri +
        " is not local; encrypted tables are served by deltashare itself (pre-signed cloud URLs "
        "would hand out ciphertext)");
  }
  ASSIGN_OR_RETURN(access::MasterKey master, access::MasterKey::Load(seal.master_key_file));
  auto keys = std::make_shared<const access::KeyRing>(std::move(master));
  ASSIGN_OR_RETURN(objstore::ObjectStorePtr inner, delta::OpenStoreAt(path));
  ASSIGN_OR_RETURN(objstore::ObjectStorePtr sealed,
                   access::SealedStore::Make(std::move(inner), std::move(keys), seal.share_id));
  return delta::Table::Open(std::move(sealed), "");
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
            int64_t limit, const SealArgs& seal) {
  ASSIGN_OR_RETURN(auto table, OpenTable(path, seal));
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

// ---------------------------------------------------------------------------------------
// Writing.

struct WriteArgs {
  std::string path;
  std::string input;
  std::string format;
  std::string schema;
  std::string mode = "append";
  std::string keys;
  std::string delete_keys;
  bool delete_missing = false;
  std::string partition_by;
  bool enable_cdf = false;
  std::vector<std::string> properties;
  bool merge_schema = false;
  bool allow_type_widening = false;
  SealArgs seal;
};

Result<columnar::SchemaPtr> ReadSchemaFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, io::ReadFileToString(path));
  Result<columnar::SchemaPtr> schema = columnar::SchemaFromJson(text);
  if (!schema.ok()) return schema.status().WithContext("--schema " + path);
  return schema;
}

Result<delta::StringMap> ParseProperties(const std::vector<std::string>& items, bool cdf) {
  delta::StringMap out;
  for (const std::string& item : items) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("--property '" + item + "': want key=value");
    }
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  if (cdf) out.emplace_back("delta.enableChangeDataFeed", "true");
  return out;
}

// A progress line counting the data files stored.
delta::WriteOptions WriteOptionsWithProgress(Progress* progress) {
  delta::WriteOptions options;
  options.files.on_file_stored = [progress](const delta::FileAction& f) {
    progress->Advance(1, f.size.value_or(0));
  };
  return options;
}

void PrintCommit(const std::optional<delta::CommitResult>& commit, const std::string& what) {
  Stdout out;
  if (!commit) {
    out.Write("no changes; nothing committed\n");
  } else {
    out.Write("version " + std::to_string(commit->version) + ": " + what + "\n");
    if (commit->checkpoint_version) {
      out.Write("checkpoint written for version " + std::to_string(*commit->checkpoint_version) +
                "\n");
    }
    for (const std::string& w : commit->warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  }
  (void)out.Flush();
}

std::string FilesSummary(int64_t added, int64_t removed, int64_t bytes) {
  std::string s = std::to_string(added) + " file" + (added == 1 ? "" : "s") + " added (" +
                  FormatBytes(static_cast<double>(bytes)) + ")";
  if (removed) s += ", " + std::to_string(removed) + " removed";
  return s;
}

Status Write(const WriteArgs& a) {
  ASSIGN_OR_RETURN(auto table, OpenTable(a.path, a.seal));
  delta::RowFileFormat format;
  if (a.format.empty()) {
    ASSIGN_OR_RETURN(format, delta::RowFileFormatOf(a.input));
  } else if (a.format == "jsonl") {
    format = delta::RowFileFormat::kJsonLines;
  } else if (a.format == "csv") {
    format = delta::RowFileFormat::kCsv;
  } else {
    format = delta::RowFileFormat::kParquet;
  }
  columnar::SchemaPtr schema;
  if (!a.schema.empty()) {
    ASSIGN_OR_RETURN(schema, ReadSchemaFile(a.schema));
  }
  Result<delta::SnapshotPtr> snapshot = table->LatestSnapshot();
  if (!snapshot.ok() && !snapshot.status().IsNotFound()) return snapshot.status();
  const bool exists = snapshot.ok();
  if (exists && !schema && format != delta::RowFileFormat::kParquet) {
    schema = (*snapshot)->schema().logical();
  }
  if (!exists && !schema && format != delta::RowFileFormat::kParquet) {
    return Status::InvalidArgument("there is no table at " + a.path +
                                   " yet: creating one from JSON Lines or CSV needs --schema");
  }
  ASSIGN_OR_RETURN(columnar::RecordBatch rows, delta::ReadRowFile(a.input, format, schema));
  ASSIGN_OR_RETURN(delta::StringMap properties, ParseProperties(a.properties, a.enable_cdf));
  std::vector<std::string> partition_by = SplitColumns(a.partition_by);
  std::vector<std::string> keys = SplitColumns(a.keys);
  if (a.mode == "merge" && keys.empty()) return Status::InvalidArgument("--mode merge needs --key");
  if (a.mode != "merge" && (!keys.empty() || a.delete_missing || !a.delete_keys.empty())) {
    return Status::InvalidArgument("--key, --delete-missing and --delete-keys need --mode merge");
  }
  Progress progress("write", 0, "files");
  delta::WriteOptions options = WriteOptionsWithProgress(&progress);
  options.merge_schema = a.merge_schema;
  options.allow_type_widening = a.allow_type_widening;

  if (!exists) {
    delta::CreateTableSpec spec;
    spec.schema = rows.schema;
    spec.partition_columns = partition_by;
    spec.properties = std::move(properties);
    ASSIGN_OR_RETURN(delta::WriteResult r, delta::CreateTable(table, spec, {rows}, options));
    progress.Done();
    PrintCommit(r.commit, "created the table with " + std::to_string(r.rows_written) + " rows, " +
                              FilesSummary(r.files_added, 0, r.bytes_written));
    return Status::OK();
  }
  const delta::Metadata& metadata = (*snapshot)->metadata();
  if (!partition_by.empty() && partition_by != metadata.partition_columns) {
    return Status::InvalidArgument("the table is partitioned by [" +
                                   Join(metadata.partition_columns, ", ") +
                                   "]; --partition-by can only be set when creating it");
  }
  if (!properties.empty()) {
    return Status::InvalidArgument(
        "--property and --enable-cdf apply when creating a table; this one exists");
  }
  if (a.mode == "merge") {
    delta::MergeSpec spec;
    spec.keys = keys;
    spec.delete_missing = a.delete_missing;
    if (!a.delete_keys.empty()) {
      ASSIGN_OR_RETURN(delta::RowFileFormat key_format, delta::RowFileFormatOf(a.delete_keys));
      ASSIGN_OR_RETURN(spec.delete_keys, delta::ReadRowFile(a.delete_keys, key_format,
                                                            (*snapshot)->schema().logical()));
    }
    ASSIGN_OR_RETURN(delta::MergeResult r, delta::MergeRows(table, rows, spec, options));
    progress.Done();
    PrintCommit(r.commit, "MERGE inserted " + std::to_string(r.inserted) + ", updated " +
                              std::to_string(r.updated) + ", deleted " + std::to_string(r.deleted) +
                              " rows; " +
                              FilesSummary(r.files_added, r.files_removed, r.bytes_written));
    return Status::OK();
  }
  const bool overwrite = a.mode == "overwrite";
  ASSIGN_OR_RETURN(delta::WriteResult r, delta::WriteRows(table, {rows},
                                                          overwrite ? delta::WriteMode::kOverwrite
                                                                    : delta::WriteMode::kAppend,
                                                          options));
  progress.Done();
  PrintCommit(r.commit, std::string(overwrite ? "overwrote the table with " : "appended ") +
                            std::to_string(r.rows_written) + " rows, " +
                            FilesSummary(r.files_added, r.files_removed, r.bytes_written));
  return Status::OK();
}

Status Delete(const std::string& path, const std::string& where) {
  ASSIGN_OR_RETURN(auto table, OpenTable(path));
  auto predicate = expr::ParseJsonPredicate(where);
  if (!predicate.ok()) return predicate.status().WithContext("--where");
  Progress progress("delete", 0, "files");
  ASSIGN_OR_RETURN(delta::WriteResult r,
                   delta::DeleteRows(table, **predicate, WriteOptionsWithProgress(&progress)));
  progress.Done();
  PrintCommit(r.commit, "deleted " + std::to_string(r.rows_deleted) + " rows; " +
                            FilesSummary(r.files_added, r.files_removed, r.bytes_written));
  return Status::OK();
}

Status Checkpoint(const std::string& path, std::optional<int64_t> version) {
  ASSIGN_OR_RETURN(auto table, OpenTable(path));
  delta::SnapshotPtr snapshot;
  if (version) {
    ASSIGN_OR_RETURN(snapshot, table->SnapshotAtVersion(*version));
  } else {
    ASSIGN_OR_RETURN(snapshot, table->LatestSnapshot());
  }
  ASSIGN_OR_RETURN(delta::CheckpointInfo info, delta::WriteCheckpoint(*table, *snapshot));
  Stdout out;
  out.Write("checkpoint of version " + std::to_string(info.version) + ": " +
            std::to_string(info.num_actions) + " actions (" + std::to_string(info.num_add_files) +
            " files, " + std::to_string(info.num_tombstones) + " tombstones), " +
            FormatBytes(static_cast<double>(info.size_in_bytes)) +
            (info.hint_updated ? "" : "; _last_checkpoint names a newer one and was kept") + "\n");
  return out.Flush();
}

Status Vacuum(const std::string& path, std::optional<double> retain_hours, bool dry_run,
              bool force) {
  ASSIGN_OR_RETURN(auto table, OpenTable(path));
  delta::VacuumOptions options;
  if (retain_hours) options.retention_ms = static_cast<int64_t>(*retain_hours * 3.6e6);
  options.dry_run = dry_run;
  options.force = force;
  ASSIGN_OR_RETURN(delta::VacuumResult r, delta::Vacuum(*table, options));
  Stdout out;
  for (const std::string& f : r.deleted) out.Write(f + "\n");
  RETURN_NOT_OK(out.Flush());
  std::fprintf(stderr, "%s %zu files (%s) at version %lld; kept %lld; retention %.1f hours\n",
               dry_run ? "would delete" : "deleted", r.deleted.size(),
               FormatBytes(static_cast<double>(r.deleted_bytes)).c_str(),
               static_cast<long long>(r.version), static_cast<long long>(r.files_kept),
               static_cast<double>(r.retention_ms) / 3.6e6);
  return Status::OK();
}

void RegisterWriteCommands(CLI::App* group, Action* action, const std::string& path_help) {
  {
    auto* cmd = group->add_subcommand(
        "write",
        "Write rows (JSON Lines, CSV or Parquet) to a table: append, overwrite or merge by key; "
        "creates the table when there is none");
    auto a = std::make_shared<WriteArgs>();
    cmd->add_option("PATH", a->path, path_help)->required();
    cmd->add_option("--input", a->input, "Rows to write: F.jsonl, F.csv or F.parquet")->required();
    cmd->add_option("--format", a->format, "Input format (default: from the file name)")
        ->check(CLI::IsMember({"jsonl", "csv", "parquet"}));
    cmd->add_option("--schema", a->schema,
                    "Delta schema JSON of the rows (needed to create a table from JSON Lines/CSV)");
    cmd->add_option("--mode", a->mode, "append (default), overwrite or merge")
        ->check(CLI::IsMember({"append", "overwrite", "merge"}));
    cmd->add_option("--key", a->keys, "Merge: key column(s), comma-separated");
    cmd->add_flag("--delete-missing", a->delete_missing,
                  "Merge: the input is a full snapshot; delete rows whose key it lacks");
    cmd->add_option("--delete-keys", a->delete_keys,
                    "Merge: a file of rows whose keys are deleted (JSON Lines/CSV/Parquet)");
    cmd->add_option("--partition-by", a->partition_by,
                    "New table: partition column(s), comma-separated");
    cmd->add_flag("--enable-cdf", a->enable_cdf, "New table: turn the change data feed on");
    cmd->add_option("--property", a->properties, "New table: a table property key=value")
        ->take_all();
    cmd->add_flag("--merge-schema", a->merge_schema,
                  "Add the input's new columns to the table schema");
    cmd->add_flag("--allow-type-widening", a->allow_type_widening,
                  "With --merge-schema: widen column types (int -> long, float -> double, ...)");
    AddSealFlags(cmd, &a->seal);
    cmd->callback([=] { *action = [=] { return Write(*a); }; });
  }
  {
    auto* cmd = group->add_subcommand("delete", "Delete the rows matching a predicate");
    auto path = std::make_shared<std::string>();
    auto where = std::make_shared<std::string>();
    cmd->add_option("PATH", *path, path_help)->required();
    cmd->add_option("--where", *where,
                    "A Delta Sharing JSON predicate, e.g. "
                    "{\"op\":\"equal\",\"children\":[{\"op\":\"column\",\"name\":\"id\","
                    "\"valueType\":\"long\"},{\"op\":\"literal\",\"value\":\"3\","
                    "\"valueType\":\"long\"}]}")
        ->required();
    cmd->callback([=] { *action = [=] { return Delete(*path, *where); }; });
  }
  {
    auto* cmd = group->add_subcommand(
        "checkpoint", "Write a classic Parquet checkpoint and update _last_checkpoint");
    auto path = std::make_shared<std::string>();
    auto version = std::make_shared<std::optional<int64_t>>();
    cmd->add_option("PATH", *path, path_help)->required();
    cmd->add_option("--version", *version, "Checkpoint this version (default: the latest)");
    cmd->callback([=] { *action = [=] { return Checkpoint(*path, *version); }; });
  }
  {
    auto* cmd = group->add_subcommand(
        "vacuum",
        "Delete files the table no longer references that are older than the retention; prints "
        "them");
    auto path = std::make_shared<std::string>();
    auto hours = std::make_shared<std::optional<double>>();
    auto dry_run = std::make_shared<bool>(false);
    auto force = std::make_shared<bool>(false);
    cmd->add_option("PATH", *path, path_help)->required();
    cmd->add_option("--retain-hours", *hours,
                    "Retention in hours (default: delta.deletedFileRetentionDuration, 168)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--dry-run", *dry_run, "Only list what would be deleted");
    cmd->add_flag("--force", *force, "Allow a retention shorter than the table's");
    cmd->callback([=] { *action = [=] { return Vacuum(*path, *hours, *dry_run, *force); }; });
  }
}

void RegisterTableCommands(CLI::App* app, Action* action) {
  CLI::App* group = app->add_subcommand("table", "Inspect, read and write Delta tables");
  group->require_subcommand(1);
  const std::string path_help =
      "Table directory, file:// URI or cloud URI (s3://, abfss://, gs://)";
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
    auto seal = std::make_shared<SealArgs>();
    AddSealFlags(cmd, seal.get());
    cmd->callback([=] { *action = [=] { return Scan(*path, *choice, *columns, *limit, *seal); }; });
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
  RegisterWriteCommands(group, action, path_help);
}

}  // namespace

DS_COMMAND_GROUP(20, RegisterTableCommands);

}  // namespace ds::cli
