// `deltashare client ...`: read shared tables as a recipient (list, version, metadata, load,
// changes, sync), through the client library (src/client).
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "apps/deltashare/commands.h"
#include "client/changes_reader.h"
#include "client/row_sinks.h"
#include "client/table_reader.h"
#include "client/table_sync.h"
#include "columnar/schema_json.h"
#include "delta/table_location.h"
#include "util/json.h"
#include "util/progress.h"
#include "util/string_util.h"

namespace ds::cli {
namespace {

struct ConnectionFlags {
  std::string proxy;
  std::string ca_file;
  bool insecure = false;
  int parallelism = 8;
  int64_t window_mb = 256;
};

void AddConnectionFlags(CLI::App* cmd, const std::shared_ptr<ConnectionFlags>& f, bool downloads) {
  cmd->add_option("--proxy", f->proxy,
                  "HTTP(S) proxy URL (default: the http_proxy/https_proxy/no_proxy variables)");
  cmd->add_option("--cacert", f->ca_file, "Trust the CA certificates in this PEM file");
  cmd->add_flag("--insecure", f->insecure, "Do not verify TLS certificates (testing only)");
  if (downloads) {
    cmd->add_option("--parallelism", f->parallelism, "Files downloaded at once")
        ->check(CLI::Range(1, 256));
    cmd->add_option("--window-mb", f->window_mb,
                    "Downloaded-ahead bytes held in memory at most (MiB)")
        ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  }
}

Result<std::unique_ptr<client::SharingClient>> Connect(const std::string& profile_path,
                                                       const ConnectionFlags& f) {
  ASSIGN_OR_RETURN(client::Profile profile, client::LoadProfile(profile_path));
  client::ClientOptions options;
  options.http.proxy = f.proxy;
  options.http.ca_file = f.ca_file;
  options.http.insecure_skip_verify = f.insecure;
  if (f.insecure) std::fprintf(stderr, "warning: TLS certificates are not verified\n");
  return client::SharingClient::Make(std::move(profile), std::move(options));
}

std::vector<std::string> SplitColumns(const std::string& s) {
  std::vector<std::string> out;
  for (auto part : Split(s, ',')) {
    std::string_view t = Trim(part);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

// Standard output as an io::OutputStream (JSON Lines and CSV without -o).
class StdoutStream final : public io::OutputStream {
 public:
  Status Write(ByteView bytes) override {
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) {
      return Status::IOError("cannot write to standard output");
    }
    written_ += static_cast<int64_t>(bytes.size());
    return Status::OK();
  }
  int64_t Tell() const override { return written_; }
  Status Close() override {
    return std::fflush(stdout) == 0 ? Status::OK()
                                    : Status::IOError("cannot write to standard output");
  }

 private:
  int64_t written_ = 0;
};

// Download progress: bytes and files as workers report them, drawn once the file count is
// known (util/progress.h draws only on a terminal).
class DownloadProgress {
 public:
  void Attach(std::string label, int64_t files) {
    std::lock_guard<std::mutex> lock(mu_);
    progress_ = std::make_unique<Progress>(std::move(label), files, "files");
    progress_->Advance(files_, bytes_);
  }
  void Bytes(int64_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    if (progress_) {
      progress_->Advance(0, n);
    } else {
      bytes_ += n;
    }
  }
  void File() {
    std::lock_guard<std::mutex> lock(mu_);
    if (progress_) {
      progress_->Advance(1, 0);
    } else {
      ++files_;
    }
  }
  void Done() {
    std::lock_guard<std::mutex> lock(mu_);
    if (progress_) progress_->Done();
  }

 private:
  std::mutex mu_;
  std::unique_ptr<Progress> progress_;
  int64_t files_ = 0, bytes_ = 0;
};

client::DownloadOptions DownloadOptionsFor(const ConnectionFlags& f,
                                           const std::shared_ptr<DownloadProgress>& progress) {
  client::DownloadOptions d;
  d.parallelism = f.parallelism;
  d.window_bytes = f.window_mb << 20;
  d.on_bytes = [progress](int64_t n) { progress->Bytes(n); };
  d.on_file_done = [progress] { progress->File(); };
  return d;
}

Result<std::unique_ptr<client::RowSink>> SinkFor(const std::string& output,
                                                 const columnar::SchemaPtr& schema) {
  if (!output.empty()) return client::OpenFileSink(output, schema);
  return client::MakeRowSink(client::SinkFormat::kJsonLines, schema,
                             std::make_unique<StdoutStream>());
}

Status Drain(client::BatchReader* reader, client::RowSink* sink) {
  while (true) {
    ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) break;
    RETURN_NOT_OK(sink->Write(*batch));
  }
  return sink->Close();
}

// ---- list -----------------------------------------------------------------------------

Status List(const std::string& profile, const ConnectionFlags& flags, bool json) {
  ASSIGN_OR_RETURN(auto c, Connect(profile, flags));
  ASSIGN_OR_RETURN(std::vector<client::ShareInfo> shares, c->ListShares());
  Stdout out;
  std::string doc;
  JsonWriter w(&doc);
  w.BeginObject();
  w.Key("shares");
  w.BeginArray();
  for (const client::ShareInfo& share : shares) {
    ASSIGN_OR_RETURN(std::vector<client::SchemaInfo> schemas, c->ListSchemas(share.name));
    if (!json) out.Write(share.name + "\n");
    w.BeginObject();
    w.Key("name");
    w.String(share.name);
    if (!share.id.empty()) {
      w.Key("id");
      w.String(share.id);
    }
    w.Key("schemas");
    w.BeginArray();
    for (const client::SchemaInfo& schema : schemas) {
      ASSIGN_OR_RETURN(std::vector<client::TableInfo> tables,
                       c->ListTables(share.name, schema.name));
      if (!json) out.Write("  " + schema.name + "\n");
      w.BeginObject();
      w.Key("name");
      w.String(schema.name);
      w.Key("tables");
      w.BeginArray();
      for (const client::TableInfo& t : tables) {
        if (!json) out.Write("    " + t.name + "\n");
        w.String(t.name);
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  if (json) out.Write(doc + "\n");
  return out.Flush();
}

// ---- version / metadata ---------------------------------------------------------------

Status Version(const std::string& url, const ConnectionFlags& flags,
               const std::optional<std::string>& timestamp) {
  ASSIGN_OR_RETURN(client::TableUrl t, client::ParseTableUrl(url));
  ASSIGN_OR_RETURN(auto c, Connect(t.profile_path, flags));
  ASSIGN_OR_RETURN(int64_t v, c->GetTableVersion(t.table, timestamp));
  Stdout out;
  out.Write(std::to_string(v) + "\n");
  return out.Flush();
}

void WriteStringMap(JsonWriter* w, const delta::StringMap& map) {
  w->BeginObject();
  for (const auto& [k, v] : map) {
    w->Key(k);
    if (v) {
      w->String(*v);
    } else {
      w->Null();
    }
  }
  w->EndObject();
}

Status Metadata(const std::string& url, const ConnectionFlags& flags,
                const client::MetadataParams& params, bool json) {
  ASSIGN_OR_RETURN(client::TableUrl t, client::ParseTableUrl(url));
  ASSIGN_OR_RETURN(auto c, Connect(t.profile_path, flags));
  ASSIGN_OR_RETURN(client::TableResponse r, c->GetTableMetadata(t.table, params));
  const delta::Metadata& m = r.metadata.metadata;
  const delta::Protocol& p = r.protocol.protocol;
  Stdout out;
  if (json) {
    std::string doc;
    JsonWriter w(&doc);
    w.BeginObject();
    w.Key("version");
    w.Int(r.version);
    w.Key("format");
    w.String(sharing::protocol::FormatName(r.format));
    w.Key("minReaderVersion");
    w.Int(p.min_reader_version);
    if (p.reader_features) {
      w.Key("readerFeatures");
      w.BeginArray();
      for (const std::string& f : *p.reader_features) w.String(f);
      w.EndArray();
    }
    w.Key("id");
    w.String(m.id);
    if (m.name) {
      w.Key("name");
      w.String(*m.name);
    }
    if (m.description) {
      w.Key("description");
      w.String(*m.description);
    }
    w.Key("partitionColumns");
    w.BeginArray();
    for (const std::string& col : m.partition_columns) w.String(col);
    w.EndArray();
    w.Key("configuration");
    WriteStringMap(&w, m.configuration);
    if (r.metadata.size) {
      w.Key("size");
      w.Int(*r.metadata.size);
    }
    if (r.metadata.num_files) {
      w.Key("numFiles");
      w.Int(*r.metadata.num_files);
    }
    w.Key("schemaString");
    w.String(m.schema_string);
    w.EndObject();
    out.Write(doc + "\n");
    return out.Flush();
  }
  std::string text = "version: " + std::to_string(r.version) + "\n";
  text += "format: " + std::string(sharing::protocol::FormatName(r.format)) + "\n";
  text += "minReaderVersion: " + std::to_string(p.min_reader_version) + "\n";
  if (p.reader_features) text += "readerFeatures: " + Join(*p.reader_features, ", ") + "\n";
  text += "id: " + m.id + "\n";
  if (m.name) text += "name: " + *m.name + "\n";
  if (m.description) text += "description: " + *m.description + "\n";
  text += "partitionColumns: " + Join(m.partition_columns, ", ") + "\n";
  for (const auto& [k, v] : m.configuration) text += "property: " + k + "=" + v.value_or("") + "\n";
  if (r.metadata.num_files) text += "numFiles: " + std::to_string(*r.metadata.num_files) + "\n";
  if (r.metadata.size) text += "size: " + FormatBytes(static_cast<double>(*r.metadata.size)) + "\n";
  auto schema = columnar::SchemaFromJson(m.schema_string);
  if (schema.ok()) {
    text += "schema:\n";
    for (const columnar::Field& f : (*schema)->fields) {
      text += "  " + f.name + ": " + f.type->ToString() + (f.nullable ? "" : " not null") + "\n";
    }
  } else {
    text += "schemaString: " + m.schema_string + "\n";
  }
  out.Write(text);
  return out.Flush();
}

// ---- load / changes -------------------------------------------------------------------

struct ReadFlags {
  std::string output;
  std::string columns;
  std::string where;
  int64_t limit = -1;
};

Status Load(const std::string& url, const ConnectionFlags& flags, const ReadFlags& read,
            std::optional<int64_t> version, std::optional<std::string> timestamp) {
  ASSIGN_OR_RETURN(client::TableUrl t, client::ParseTableUrl(url));
  ASSIGN_OR_RETURN(auto c, Connect(t.profile_path, flags));
  auto progress = std::make_shared<DownloadProgress>();
  client::ReadOptions options;
  options.columns = SplitColumns(read.columns);
  if (!read.where.empty()) options.predicate_json = read.where;
  options.limit = read.limit;
  options.version = version;
  options.timestamp = std::move(timestamp);
  options.download = DownloadOptionsFor(flags, progress);
  ASSIGN_OR_RETURN(auto reader, client::TableReader::Open(c.get(), t.table, options));
  progress->Attach("load", static_cast<int64_t>(reader->num_files()));
  ASSIGN_OR_RETURN(auto sink, SinkFor(read.output, reader->schema()));
  Status st = Drain(reader.get(), sink.get());
  progress->Done();
  return st;
}

Status Changes(const std::string& url, const ConnectionFlags& flags, const ReadFlags& read,
               const client::ChangesOptions& range) {
  ASSIGN_OR_RETURN(client::TableUrl t, client::ParseTableUrl(url));
  ASSIGN_OR_RETURN(auto c, Connect(t.profile_path, flags));
  auto progress = std::make_shared<DownloadProgress>();
  client::ChangesOptions options = range;
  options.columns = SplitColumns(read.columns);
  if (!read.where.empty()) options.predicate_json = read.where;
  options.limit = read.limit;
  options.download = DownloadOptionsFor(flags, progress);
  ASSIGN_OR_RETURN(auto reader, client::ChangesReader::Open(c.get(), t.table, options));
  progress->Attach("changes", static_cast<int64_t>(reader->num_files()));
  ASSIGN_OR_RETURN(auto sink, SinkFor(read.output, reader->schema()));
  Status st = Drain(reader.get(), sink.get());
  progress->Done();
  return st;
}

// ---- sync -----------------------------------------------------------------------------

struct SyncFlags {
  std::string dest;
  std::vector<std::string> keys;
  bool full = false;
  std::string every;
  bool json = false;
};

// "30s", "5m", "1h", "500ms", "2" (seconds) -> milliseconds.
Result<int64_t> ParseInterval(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string unit = text.substr(digits);
  int64_t scale = unit.empty() || unit == "s" ? 1000
                  : unit == "ms"               ? 1
                  : unit == "m"                ? 60000
                  : unit == "h"                ? 3600000
                                               : -1;
  if (digits == 0 || digits > 9 || scale < 0) {
    return Status::InvalidArgument("--every wants a duration like 30s, 5m, 1h or 500ms, not '" +
                                   text + "'");
  }
  const int64_t ms = std::stoll(text.substr(0, digits)) * scale;
  if (ms < 100) return Status::InvalidArgument("--every must be at least 100ms");
  return ms;
}

std::atomic<int> g_stop_signals{0};
void OnStopSignal(int) {
  // After the first signal the next one has the default action (terminate).
  g_stop_signals.fetch_add(1);
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
}

std::string SyncSummary(const client::SyncResult& r, const std::string& dest, bool json) {
  if (json) {
    std::string doc;
    JsonWriter w(&doc);
    w.BeginObject();
    w.Key("mode");
    w.String(client::SyncModeName(r.mode));
    if (r.previous_version) {
      w.Key("previousVersion");
      w.Int(*r.previous_version);
    }
    w.Key("sourceVersion");
    w.Int(r.source_version);
    if (r.dest_version) {
      w.Key("destVersion");
      w.Int(*r.dest_version);
    }
    if (!r.fallback_reason.empty()) {
      w.Key("fallbackReason");
      w.String(r.fallback_reason);
    }
    w.Key("sourceRows");
    w.Int(r.source_rows);
    w.Key("inserted");
    w.Int(r.rows_inserted);
    w.Key("updated");
    w.Int(r.rows_updated);
    w.Key("deleted");
    w.Int(r.rows_deleted);
    w.Key("filesAdded");
    w.Int(r.files_added);
    w.Key("filesRemoved");
    w.Int(r.files_removed);
    w.EndObject();
    return doc + "\n";
  }
  std::string text = dest + ": ";
  switch (r.mode) {
    case client::SyncMode::kUpToDate:
      return text + "up to date at source version " + std::to_string(r.source_version) + "\n";
    case client::SyncMode::kCreated:
      text += "created from source version " + std::to_string(r.source_version);
      break;
    case client::SyncMode::kChanges:
      text += "applied changes " + std::to_string(r.previous_version.value_or(-1) + 1) + ".." +
              std::to_string(r.source_version);
      break;
    case client::SyncMode::kSnapshot:
      text += "replaced by the snapshot at source version " + std::to_string(r.source_version) +
              " (" + r.fallback_reason + ")";
      break;
  }
  text += ": " + std::to_string(r.rows_inserted) + " inserted, " +
          std::to_string(r.rows_updated) + " updated, " + std::to_string(r.rows_deleted) +
          " deleted; DEST version " + std::to_string(r.dest_version.value_or(-1)) + "\n";
  return text;
}

Status SyncOnce(client::SharingClient* c, const client::TableUrl& t, const delta::TablePtr& dest,
                const ConnectionFlags& flags, const SyncFlags& sync) {
  auto progress = std::make_shared<DownloadProgress>();
  client::SyncOptions options;
  for (const std::string& k : sync.keys) {
    for (std::string& part : SplitColumns(k)) options.keys.push_back(std::move(part));
  }
  options.full_refresh = sync.full;
  options.download = DownloadOptionsFor(flags, progress);
  options.on_read_start = [progress](const char* phase, int64_t files, int64_t) {
    progress->Attach(std::string("sync ") + phase, files);
  };
  Result<client::SyncResult> r = client::SyncTable(c, t.table, dest, options);
  progress->Done();
  if (!r.ok()) return r.status();
  Stdout out;
  out.Write(SyncSummary(*r, sync.dest, sync.json));
  return out.Flush();
}

Status Sync(const std::string& url, const ConnectionFlags& flags, const SyncFlags& sync) {
  ASSIGN_OR_RETURN(client::TableUrl t, client::ParseTableUrl(url));
  int64_t every_ms = 0;
  if (!sync.every.empty()) {
    ASSIGN_OR_RETURN(every_ms, ParseInterval(sync.every));
  }
  ASSIGN_OR_RETURN(auto c, Connect(t.profile_path, flags));
  ASSIGN_OR_RETURN(delta::TablePtr dest, delta::OpenTableAt(sync.dest));
  if (every_ms == 0) return SyncOnce(c.get(), t, dest, flags, sync);
  // Loop until SIGINT/SIGTERM: a signal during a run lets the run finish (one commit or
  // none), a second one terminates at once (DEST stays consistent either way).
  ::signal(SIGINT, OnStopSignal);
  ::signal(SIGTERM, OnStopSignal);
  while (g_stop_signals.load() == 0) {
    Status st = SyncOnce(c.get(), t, dest, flags, sync);
    if (!st.ok()) {
      // Transient failures are retried at the next tick; the error is reported.
      std::fprintf(stderr, "deltashare: sync failed: %s\n", st.ToString().c_str());
      if (st.code() == StatusCode::kInvalidArgument ||
          st.code() == StatusCode::kUnauthenticated) {
        return st;
      }
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(every_ms);
    while (g_stop_signals.load() == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  std::fprintf(stderr, "deltashare: stopped\n");
  return Status::OK();
}

void AddReadFlags(CLI::App* cmd, const std::shared_ptr<ReadFlags>& r) {
  cmd->add_option("-o,--output", r->output,
                  "Write to FILE (.parquet, .csv or .jsonl) instead of JSON Lines on stdout");
  cmd->add_option("--columns", r->columns, "Only these top-level columns (a,b,c), in this order");
  cmd->add_option("--where", r->where,
                  "A Delta Sharing JSON predicate: sent as a hint and applied to every row");
  cmd->add_option("--limit", r->limit, "At most N rows")->check(CLI::NonNegativeNumber);
}

const char kTableHelp[] = "PROFILE#share.schema.table (PROFILE: a profile file)";

void RegisterClientCommands(CLI::App* app, Action* action) {
  CLI::App* group =
      app->add_subcommand("client", "Read shared tables as a recipient (Delta Sharing client)");
  group->require_subcommand(1);
  {
    auto* cmd = group->add_subcommand("list", "List the shares, schemas and tables a profile sees");
    auto profile = std::make_shared<std::string>();
    auto flags = std::make_shared<ConnectionFlags>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("PROFILE", *profile, "Profile file")->required();
    cmd->add_flag("--json", *json, "Print one JSON document instead of a tree");
    AddConnectionFlags(cmd, flags, false);
    cmd->callback([=] { *action = [=] { return List(*profile, *flags, *json); }; });
  }
  {
    auto* cmd = group->add_subcommand("version", "Print a table's current version");
    auto url = std::make_shared<std::string>();
    auto flags = std::make_shared<ConnectionFlags>();
    auto ts = std::make_shared<std::string>();
    cmd->add_option("TABLE", *url, kTableHelp)->required();
    cmd->add_option("--timestamp", *ts,
                    "The earliest version committed at or after this time (ISO 8601)");
    AddConnectionFlags(cmd, flags, false);
    cmd->callback([=] {
      *action = [=] {
        return Version(*url, *flags, ts->empty() ? std::nullopt : std::optional(*ts));
      };
    });
  }
  {
    auto* cmd = group->add_subcommand("metadata", "Print a table's protocol, metadata and schema");
    auto url = std::make_shared<std::string>();
    auto flags = std::make_shared<ConnectionFlags>();
    auto version = std::make_shared<int64_t>(-1);
    auto ts = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("TABLE", *url, kTableHelp)->required();
    auto* v =
        cmd->add_option("--version", *version, "As of this version")->check(CLI::NonNegativeNumber);
    cmd->add_option("--timestamp", *ts, "As of this time (ISO 8601)")->excludes(v);
    cmd->add_flag("--json", *json, "Print JSON");
    AddConnectionFlags(cmd, flags, false);
    cmd->callback([=] {
      *action = [=] {
        client::MetadataParams params;
        if (*version >= 0) params.version = *version;
        if (!ts->empty()) params.timestamp = *ts;
        return Metadata(*url, *flags, params, *json);
      };
    });
  }
  {
    auto* cmd = group->add_subcommand(
        "load", "Read a table snapshot (JSON Lines on stdout, or -o FILE.parquet|.csv|.jsonl)");
    auto url = std::make_shared<std::string>();
    auto flags = std::make_shared<ConnectionFlags>();
    auto read = std::make_shared<ReadFlags>();
    auto version = std::make_shared<int64_t>(-1);
    auto ts = std::make_shared<std::string>();
    cmd->add_option("TABLE", *url, kTableHelp)->required();
    auto* v = cmd->add_option("--version", *version, "Read this version (time travel)")
                  ->check(CLI::NonNegativeNumber);
    cmd->add_option("--timestamp", *ts, "Read the version current at this time (ISO 8601)")
        ->excludes(v);
    AddReadFlags(cmd, read);
    AddConnectionFlags(cmd, flags, true);
    cmd->callback([=] {
      *action = [=] {
        return Load(*url, *flags, *read, *version >= 0 ? std::optional(*version) : std::nullopt,
                    ts->empty() ? std::nullopt : std::optional(*ts));
      };
    });
  }
  {
    auto* cmd =
        group->add_subcommand("changes",
                              "Read the change data feed with _change_type, _commit_version, "
                              "_commit_timestamp");
    auto url = std::make_shared<std::string>();
    auto flags = std::make_shared<ConnectionFlags>();
    auto read = std::make_shared<ReadFlags>();
    auto from = std::make_shared<int64_t>(-1);
    auto to = std::make_shared<int64_t>(-1);
    auto from_ts = std::make_shared<std::string>();
    auto to_ts = std::make_shared<std::string>();
    cmd->add_option("TABLE", *url, kTableHelp)->required();
    auto* f = cmd->add_option("--from-version", *from, "First version (inclusive)")
                  ->check(CLI::NonNegativeNumber);
    cmd->add_option("--from-timestamp", *from_ts,
                    "Start at the first version committed at or after this time")
        ->excludes(f);
    auto* t = cmd->add_option("--to-version", *to, "Last version (inclusive; default latest)")
                  ->check(CLI::NonNegativeNumber);
    cmd->add_option("--to-timestamp", *to_ts, "End at the last version committed by this time")
        ->excludes(t);
    AddReadFlags(cmd, read);
    AddConnectionFlags(cmd, flags, true);
    cmd->callback([=] {
      *action = [=]() -> Status {
        client::ChangesOptions range;
        if (*from >= 0) range.starting_version = *from;
        if (!from_ts->empty()) range.starting_timestamp = *from_ts;
        if (*to >= 0) range.ending_version = *to;
        if (!to_ts->empty()) range.ending_timestamp = *to_ts;
        if (!range.starting_version && !range.starting_timestamp) {
          return Status::InvalidArgument("give --from-version or --from-timestamp");
        }
        return Changes(*url, *flags, *read, range);
      };
    });
  }
  {
    auto* cmd = group->add_subcommand(
        "sync",
        "Keep a local Delta table in step with a shared table (change feed when possible, "
        "else the snapshot); one commit per run");
    auto url = std::make_shared<std::string>();
    auto flags = std::make_shared<ConnectionFlags>();
    auto sync = std::make_shared<SyncFlags>();
    cmd->add_option("TABLE", *url, kTableHelp)->required();
    cmd->add_option("DEST", sync->dest, "The local Delta table (folder or URI), created if absent")
        ->required();
    cmd->add_option("--key", sync->keys,
                    "Key column(s), unique in the source (repeat or a,b): changes are applied "
                    "as upserts/deletes by key (default: rows matched on all columns)");
    cmd->add_flag("--full", sync->full, "Replace DEST by the latest snapshot");
    cmd->add_option("--every", sync->every,
                    "Sync again at this interval (30s, 5m, 1h) until SIGINT/SIGTERM");
    cmd->add_flag("--json", sync->json, "Print each run's outcome as a JSON line");
    AddConnectionFlags(cmd, flags, true);
    cmd->callback([=] { *action = [=] { return Sync(*url, *flags, *sync); }; });
  }
}

}  // namespace

DS_COMMAND_GROUP(40, RegisterClientCommands);

}  // namespace ds::cli
