// `deltashare publish ...`: keep per-tenant Delta tables in step with full snapshots of
// source data (snapshot), and register the tenants' shares in the access store (register).
//
//   deltashare publish snapshot --source exports/accounts/ --table accounts --dest lake/
//       --key account_id --tenant-column tenant_id --every 5m --store sqlite:access.db
//
// Each run merges the snapshot by key into LAKE/<tenant>/<table> (publish/publisher.h): only
// the difference is written, with the change data feed on, and an unchanged snapshot makes
// no commit. Output: one line per tenant on stdout; progress on a terminal only.
#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <thread>

#include "access/access_store.h"
#include "access/duration.h"
#include "apps/deltashare/commands.h"
#include "columnar/schema_json.h"
#include "delta/table_location.h"
#include "io/file.h"
#include "publish/publisher.h"
#include "publish/share_register.h"
#include "publish/source.h"
#include "util/progress.h"
#include "util/string_util.h"

namespace ds::cli {
namespace {

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  for (auto part : Split(s, ',')) {
    std::string_view t = Trim(part);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

// SIGINT/SIGTERM between runs of --every: finish the run in progress, then stop.
std::atomic<int> g_stop_signal{0};
extern "C" void OnStopSignal(int sig) { g_stop_signal.store(sig); }

class StopSignals {
 public:
  StopSignals() {
    struct sigaction sa {};
    sa.sa_handler = OnStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  // Sleeps up to `seconds`; false when a signal came.
  static bool SleepFor(int64_t seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
      if (g_stop_signal.load()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return g_stop_signal.load() == 0;
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

struct SnapshotArgs {
  std::string source;
  std::string table;
  std::string dest;
  std::string keys;
  std::string schema;
  std::string tenant_column;
  std::string partition_by;
  std::string every;
  std::string store;
  std::string share;  // without a tenant column: the share to register the table in
  std::string share_schema = "crm";
};

std::string Describe(const publish::PublishResult& r) {
  if (!r.commit) return "unchanged (" + std::to_string(r.source_rows) + " rows), no commit";
  std::string s = "version " + std::to_string(r.commit->version) + ": ";
  if (r.created) {
    s += "created with " + std::to_string(r.inserted) + " rows";
  } else {
    s += "inserted " + std::to_string(r.inserted) + ", updated " + std::to_string(r.updated) +
         ", deleted " + std::to_string(r.deleted);
  }
  s += "; " + std::to_string(r.files_added) + " files added";
  if (r.files_removed) s += ", " + std::to_string(r.files_removed) + " removed";
  s += " (" + FormatBytes(static_cast<double>(r.bytes_written)) + ")";
  return s;
}

Status RunSnapshotOnce(const SnapshotArgs& a, const access::AccessStorePtr& store) {
  columnar::SchemaPtr schema;
  if (!a.schema.empty()) {
    ASSIGN_OR_RETURN(std::string text, io::ReadFileToString(a.schema));
    Result<columnar::SchemaPtr> parsed = columnar::SchemaFromJson(text);
    if (!parsed.ok()) return parsed.status().WithContext("--schema " + a.schema);
    schema = *parsed;
  }
  ASSIGN_OR_RETURN(columnar::RecordBatch rows, publish::ReadSnapshotSource(a.source, schema));
  publish::PublishSpec spec;
  spec.keys = SplitList(a.keys);
  spec.partition_by = SplitList(a.partition_by);
  Progress progress("publish " + a.table, 0, "files");
  delta::WriteOptions options;
  options.files.on_file_stored = [&progress](const delta::FileAction& f) {
    progress.Advance(1, f.size.value_or(0));
  };
  ASSIGN_OR_RETURN(auto runs,
                   publish::PublishSnapshot(a.dest, a.table, rows, spec, a.tenant_column, options));
  progress.Done();
  Stdout out;
  int failed = 0;
  Status first_error;
  for (const publish::TenantPublish& run : runs) {
    const std::string who = run.tenant.empty() ? a.table : run.tenant + "/" + a.table;
    if (!run.status.ok()) {
      ++failed;
      if (first_error.ok()) first_error = run.status.WithContext(who);
      std::fprintf(stderr, "error: %s: %s\n", who.c_str(), run.status.ToString().c_str());
      continue;
    }
    out.Write(who + ": " + Describe(run.result) + "\n");
    for (const std::string& w : run.result.commit ? run.result.commit->warnings
                                                  : std::vector<std::string>{}) {
      std::fprintf(stderr, "warning: %s: %s\n", who.c_str(), w.c_str());
    }
    if (store) {
      const std::string share = run.tenant.empty() ? a.share : run.tenant;
      Result<publish::RegisterResult> reg = publish::RegisterTenantShare(
          *store, share, a.share_schema, {{a.table, run.location}});
      if (!reg.ok()) {
        ++failed;
        if (first_error.ok()) first_error = reg.status().WithContext("registering " + who);
        std::fprintf(stderr, "error: registering %s: %s\n", who.c_str(),
                     reg.status().ToString().c_str());
      } else if (reg->share_created || reg->tables_added || reg->tables_moved) {
        out.Write(who + ": shared as " + share + "." + a.share_schema + "." + a.table + "\n");
      }
    }
  }
  RETURN_NOT_OK(out.Flush());
  if (failed) {
    return Status(first_error.code(), std::to_string(failed) + " of " +
                                          std::to_string(runs.size()) +
                                          " tenant(s) failed; first: " + first_error.message());
  }
  return Status::OK();
}

Status Snapshot(const SnapshotArgs& a) {
  if (!a.store.empty() && a.tenant_column.empty() && a.share.empty()) {
    return Status::InvalidArgument("--store without --tenant-column needs --share NAME");
  }
  int64_t every = 0;
  if (!a.every.empty()) {
    ASSIGN_OR_RETURN(every, access::ParseDurationSeconds(a.every));
    if (every <= 0) return Status::InvalidArgument("--every must be a positive duration");
  }
  access::AccessStorePtr store;
  if (!a.store.empty()) {
    ASSIGN_OR_RETURN(store, access::OpenAccessStore(a.store));
  }
  if (!every) return RunSnapshotOnce(a, store);
  StopSignals signals;
  for (;;) {
    Status st = RunSnapshotOnce(a, store);
    // A failed run is reported and retried at the next tick (the source may be mid-export).
    if (!st.ok()) std::fprintf(stderr, "error: %s\n", st.ToString().c_str());
    if (!StopSignals::SleepFor(every)) break;
  }
  std::fprintf(stderr, "deltashare publish: signal %d, stopped\n", g_stop_signal.load());
  return Status::OK();
}

Status Register(const std::string& store_url, const std::string& lake, const std::string& tenant,
                const std::string& schema, const std::string& tables) {
  const std::string dir = publish::TableLocation(lake, "", tenant);
  std::vector<publish::SharedTable> list;
  if (tables.empty()) {
    ASSIGN_OR_RETURN(list, publish::FindLocalTables(dir));
  } else {
    for (const std::string& name : SplitList(tables)) {
      list.push_back({name, publish::TableLocation(lake, tenant, name)});
    }
  }
  ASSIGN_OR_RETURN(access::AccessStorePtr store, access::OpenAccessStore(store_url));
  ASSIGN_OR_RETURN(publish::RegisterResult r,
                   publish::RegisterTenantShare(*store, tenant, schema, list));
  Stdout out;
  out.Write(std::string("share ") + tenant + (r.share_created ? " created" : " exists") + ": " +
            std::to_string(r.tables_added) + " table(s) added, " +
            std::to_string(r.tables_moved) + " re-pointed, " +
            std::to_string(r.tables_unchanged) + " unchanged in schema " + schema + "\n");
  return out.Flush();
}

void RegisterPublishCommands(CLI::App* app, Action* action) {
  CLI::App* group = app->add_subcommand(
      "publish", "Publish source snapshots as per-tenant Delta tables and register their shares");
  group->require_subcommand(1);
  {
    auto* cmd = group->add_subcommand(
        "snapshot",
        "Merge a full snapshot (JSON Lines, CSV or Parquet; a file or a folder of files) into "
        "LAKE/<tenant>/<table> by key: inserts, updates and deletes only what changed, change "
        "data feed on, no commit when nothing changed");
    auto a = std::make_shared<SnapshotArgs>();
    cmd->add_option("--source", a->source, "Snapshot file, or a folder of files")->required();
    cmd->add_option("--table", a->table, "Table name (letters, digits, '_', '-')")->required();
    cmd->add_option("--dest", a->dest, "Lake root: a folder or a URI (s3://, abfss://, gs://)")
        ->required();
    cmd->add_option("--key", a->keys, "Key column(s), comma-separated")->required();
    cmd->add_option("--schema", a->schema,
                    "Delta schema JSON of the source rows (needed for JSON Lines and CSV)");
    cmd->add_option("--tenant-column", a->tenant_column,
                    "Split rows by this column into LAKE/<tenant>/<table> (the column is dropped)");
    cmd->add_option("--partition-by", a->partition_by,
                    "New tables: partition column(s), comma-separated");
    cmd->add_option("--every", a->every,
                    "Repeat every DURATION (e.g. 30s, 5m) until SIGINT/SIGTERM");
    cmd->add_option("--store", a->store,
                    "Also register each tenant's table in share <tenant> of this access store "
                    "(sqlite:PATH, postgresql://...)")
        ->envname("DELTASHARE_STORE");
    cmd->add_option("--share", a->share, "With --store and no tenant column: the share name");
    cmd->add_option("--share-schema", a->share_schema, "Schema of the share holding the tables")
        ->capture_default_str();
    cmd->callback([=] { *action = [=] { return Snapshot(*a); }; });
  }
  {
    auto* cmd = group->add_subcommand(
        "register",
        "Create or update share TENANT in the access store with every table under LAKE/TENANT "
        "(history shared)");
    auto store = std::make_shared<std::string>();
    auto lake = std::make_shared<std::string>();
    auto tenant = std::make_shared<std::string>();
    auto schema = std::make_shared<std::string>("crm");
    auto tables = std::make_shared<std::string>();
    cmd->add_option("--store", *store, "Access store: sqlite:PATH, postgresql://...")
        ->envname("DELTASHARE_STORE")
        ->required();
    cmd->add_option("--lake", *lake, "Lake root the tables were published to")->required();
    cmd->add_option("--tenant", *tenant, "Tenant (and share) name")->required();
    cmd->add_option("--schema", *schema, "Schema of the share")->capture_default_str();
    cmd->add_option("--tables", *tables,
                    "Tables to share, comma-separated (default: every table under LAKE/TENANT; "
                    "required for cloud lakes)");
    cmd->callback(
        [=] { *action = [=] { return Register(*store, *lake, *tenant, *schema, *tables); }; });
  }
}

}  // namespace

DS_COMMAND_GROUP(25, RegisterPublishCommands);

}  // namespace ds::cli
