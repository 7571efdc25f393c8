#include "delta/transaction.h"

#include <chrono>
#include <thread>

#include "delta/action_json.h"
#include "delta/checkpoint_writer.h"
#include "delta/log_path.h"
#include "delta/table_features.h"
#include "delta/table_properties.h"
#include "delta/table_schema.h"
#include "delta/uuid.h"
#include "delta/writer_features.h"
#include "util/json.h"
#include "util/string_util.h"
#include "util/version.h"

namespace ds::delta {
namespace {

constexpr int kUnavailableRetries = 3;

const Protocol& DefaultProtocol() {
  static const Protocol p;
  return p;
}

const Metadata& DefaultMetadata() {
  static const Metadata m;
  return m;
}

void AppendFields(const OperationFields& fields, JsonWriter* w) {
  w->BeginObject();
  for (const auto& [k, v] : fields) w->Field(k, v);
  w->EndObject();
}

// The log file of a commit version, as listed (Head gives size and mtime).
Result<LogFile> CommitLogFile(const objstore::ObjectStore& store, const std::string& log_dir,
                              int64_t version) {
  LogFile f;
  f.path.kind = LogFileKind::kCommit;
  f.path.version = f.path.end_version = version;
  ASSIGN_OR_RETURN(f.meta, store.Head(log_dir + CommitFileName(version)));
  return f;
}

}  // namespace

int64_t WriterOptions::Now() const {
  if (clock_ms) return clock_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Transaction::Transaction(TablePtr table, SnapshotPtr snapshot, WriterOptions options)
    : table_(std::move(table)),
      snapshot_(std::move(snapshot)),
      options_(std::move(options)),
      txn_id_(NewUuid()) {
  if (options_.engine_info.empty()) options_.engine_info = std::string("deltashare/") + kVersion;
}

Result<std::unique_ptr<Transaction>> Transaction::Begin(TablePtr table, SnapshotPtr snapshot,
                                                        WriterOptions options) {
  if (snapshot) {
    RETURN_NOT_OK(CheckWritable(snapshot->protocol(), snapshot->metadata())
                      .WithContext("cannot write " + table->uri()));
  }
  return std::unique_ptr<Transaction>(
      new Transaction(std::move(table), std::move(snapshot), std::move(options)));
}

const Protocol& Transaction::protocol() const {
  if (new_protocol_) return *new_protocol_;
  return snapshot_ ? snapshot_->protocol() : DefaultProtocol();
}

const Metadata& Transaction::metadata() const {
  if (new_metadata_) return *new_metadata_;
  return snapshot_ ? snapshot_->metadata() : DefaultMetadata();
}

void Transaction::UpdateProtocol(Protocol protocol) {
  new_protocol_ = std::move(protocol);
  summary_.changes_protocol = true;
}

void Transaction::UpdateMetadata(Metadata metadata) {
  new_metadata_ = std::move(metadata);
  summary_.changes_metadata = true;
}

void Transaction::Add(FileAction action) {
  if (action.kind == FileActionKind::kRemove) summary_.removed_keys.insert(action.Key());
  files_.push_back(std::move(action));
}

void Transaction::AddAll(std::vector<FileAction> actions) {
  for (FileAction& a : actions) Add(std::move(a));
}

void Transaction::SetAppTransaction(std::string app_id, int64_t version) {
  summary_.app_ids.insert(app_id);
  app_transactions_.push_back({std::move(app_id), version, std::nullopt});
}

void Transaction::SetOperation(std::string operation, OperationFields parameters,
                               OperationFields metrics) {
  operation_ = std::move(operation);
  parameters_ = std::move(parameters);
  metrics_ = std::move(metrics);
}

FileAction Transaction::RemoveOf(const FileView& file, bool data_change) const {
  FileAction remove = file.ToOwned();
  remove.kind = FileActionKind::kRemove;
  remove.modification_time.reset();
  remove.clustering_provider.reset();
  remove.deletion_timestamp = options_.Now();
  remove.extended_file_metadata = true;
  remove.data_change = data_change;
  if (!remove.partition_values) remove.partition_values.emplace();
  return remove;
}

std::string Transaction::CommitBytes(int64_t now, std::optional<int64_t> ict) const {
  std::string out;
  {
    bool blind =
        !summary_.read_whole_table && summary_.removed_keys.empty() && summary_.app_ids.empty();
    JsonWriter w(&out);
    w.BeginObject();
    w.Key("commitInfo");
    w.BeginObject();
    if (ict) w.FieldInt("inCommitTimestamp", *ict);
    w.FieldInt("timestamp", now);
    w.Field("operation", operation_);
    w.Key("operationParameters");
    AppendFields(parameters_, &w);
    if (snapshot_) w.FieldInt("readVersion", snapshot_->version());
    w.Field("isolationLevel", "WriteSerializable");
    w.FieldBool("isBlindAppend", blind);
    w.Key("operationMetrics");
    AppendFields(metrics_, &w);
    w.Field("engineInfo", options_.engine_info);
    w.Field("txnId", txn_id_);
    w.EndObject();
    w.EndObject();
  }
  out.push_back('\n');
  if (new_protocol_) {
    out += "{\"protocol\":" + ProtocolJson(*new_protocol_) + "}\n";
  }
  if (new_metadata_) {
    out += "{\"metaData\":" + MetadataJson(*new_metadata_) + "}\n";
  }
  for (const SetTransaction& t : app_transactions_) {
    JsonWriter w(&out);
    w.BeginObject();
    w.Key("txn");
    w.BeginObject();
    w.Field("appId", t.app_id);
    w.FieldInt("version", t.version);
    w.FieldInt("lastUpdated", now);
    w.EndObject();
    w.EndObject();
    out.push_back('\n');
  }
  for (const FileAction& f : files_) {
    AppendFileActionJson(f, {}, &out);
    out.push_back('\n');
  }
  return out;
}

Result<std::optional<int64_t>> Transaction::PreviousTimestampForIct(int64_t version) const {
  if (version == 0) return std::optional<int64_t>();
  const TableLocation& loc = table_->location();
  ASSIGN_OR_RETURN(LogFile previous, CommitLogFile(*loc.store, loc.log_dir, version - 1));
  ASSIGN_OR_RETURN(std::optional<CommitInfo> info, ReadCommitInfo(*loc.store, previous));
  if (info && info->in_commit_timestamp) return info->in_commit_timestamp;
  return std::optional<int64_t>(previous.meta.mtime_ms);
}

Result<CommitResult> Transaction::Commit() {
  if (committed_) return Status::FailedPrecondition("transaction already committed");
  const TableLocation& loc = table_->location();
  const bool creating = snapshot_ == nullptr;
  if (creating && (!new_protocol_ || !new_metadata_)) {
    return Status::InvalidArgument("creating table " + loc.uri +
                                   ": version 0 needs a protocol and a metaData action");
  }
  RETURN_NOT_OK(CheckWritable(protocol(), metadata()).WithContext("cannot write " + loc.uri));
  ASSIGN_OR_RETURN(ColumnMappingMode mode, EffectiveColumnMappingMode(protocol(), metadata()));
  ASSIGN_OR_RETURN(TableSchema schema, TableSchema::Make(metadata(), mode));
  const bool ict = InCommitTimestampsEnabled(protocol(), metadata());
  if (ict && !creating &&
      !InCommitTimestampsEnabled(snapshot_->protocol(), snapshot_->metadata())) {
    return Status::NotSupported("enabling in-commit timestamps on an existing table");
  }
  for (const FileAction& f : files_) {
    if (f.kind == FileActionKind::kRemove && f.data_change && AppendOnly(metadata())) {
      return Status::FailedPrecondition(
          loc.uri + " is append-only (delta.appendOnly=true): cannot remove " + f.path);
    }
    if (f.path.empty()) return Status::InvalidArgument("file action with an empty path");
    if (f.kind == FileActionKind::kRemove) continue;
    for (const PartitionColumn& pc : schema.partition_columns()) {
      if (!f.partition_values || FindKey(*f.partition_values, pc.physical_name) == nullptr) {
        return Status::InvalidArgument(std::string(FileActionKindName(f.kind)) + " " + f.path +
                                       " lacks a value for partition column '" + pc.name + "'");
      }
    }
  }
  if (creating) {
    ASSIGN_OR_RETURN(auto existing, loc.store->List(loc.log_dir, {.limit = 1}));
    if (!existing.empty()) {
      return Status::AlreadyExists("a Delta table already exists at " + loc.uri);
    }
  }

  CommitResult result;
  int64_t version = read_version() + 1;
  int unavailable = 0;
  for (int attempt = 1; attempt <= options_.max_commit_attempts; ++attempt) {
    int64_t now = options_.Now();
    std::optional<int64_t> ict_value;
    if (ict) {
      ASSIGN_OR_RETURN(std::optional<int64_t> previous, PreviousTimestampForIct(version));
      ict_value = previous ? std::max(now, *previous + 1) : now;
    }
    std::string bytes = CommitBytes(now, ict_value);
    const std::string key = loc.log_dir + CommitFileName(version);
    Status st = loc.store->PutIfAbsent(key, bytes);
    result.attempts = attempt;
    if (st.ok()) {
      committed_ = true;
      result.version = version;
      MaybeCheckpoint(version, &result);
      return result;
    }
    if (st.code() == StatusCode::kUnavailable && unavailable < kUnavailableRetries) {
      ++unavailable;
      --attempt;
      std::this_thread::sleep_for(std::chrono::milliseconds(50 * unavailable));
      continue;
    }
    if (!st.IsAlreadyExists()) {
      return st.WithContext("commit of version " + std::to_string(version) + " to " + loc.uri);
    }
    if (creating && version == 0) {
      return Status::AlreadyExists("a Delta table already exists at " + loc.uri);
    }
    // Another writer took the version: read its commit and decide.
    ASSIGN_OR_RETURN(LogFile winner_file, CommitLogFile(*loc.store, loc.log_dir, version));
    CommitActions winner;
    winner.version = version;
    CollectingHandler handler(&winner);
    RETURN_NOT_OK(ReadCommitFile(*loc.store, winner_file, &handler));
    if (winner.commit_info &&
        winner.commit_info->json.find("\"txnId\":\"" + txn_id_ + "\"") != std::string::npos) {
      committed_ = true;  // our own commit, whose success the store did not confirm
      result.version = version;
      MaybeCheckpoint(version, &result);
      return result;
    }
    RETURN_NOT_OK(CheckConflicts(summary_, winner).WithContext(loc.uri));
    ++version;
  }
  return Status::Unavailable("commit to " + loc.uri + " lost " +
                             std::to_string(options_.max_commit_attempts) +
                             " races to concurrent writers; giving up");
}

void Transaction::MaybeCheckpoint(int64_t version, CommitResult* result) const {
  if (!options_.checkpoints || version == 0) return;
  if (version % CheckpointInterval(metadata()) != 0) return;
  Result<SnapshotPtr> snapshot =
      snapshot_ ? table_->Update(snapshot_, version) : table_->SnapshotAtVersion(version);
  Status st = snapshot.ok()
                  ? WriteCheckpoint(*table_, **snapshot, {.clock_ms = options_.clock_ms}).status()
                  : snapshot.status();
  if (st.ok()) {
    result->checkpoint_version = version;
  } else {
    result->warnings.push_back("checkpoint of version " + std::to_string(version) +
                               " not written: " + st.ToString());
  }
}

}  // namespace ds::delta
