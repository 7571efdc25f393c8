#include "client/table_sync.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "client/changes_reader.h"
#include "client/table_reader.h"
#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "delta/conform.h"
#include "delta/data_reader.h"
#include "delta/data_file_writer.h"
#include "delta/file_rows.h"
#include "delta/merge.h"
#include "delta/row_keys.h"
#include "delta/transaction.h"
#include "delta/writer_features.h"

namespace ds::client {
namespace {

void SetProperty(delta::StringMap* map, std::string_view key, const std::string& value) {
  for (auto& [k, v] : *map) {
    if (k == key) {
      v = value;
      return;
    }
  }
  map->emplace_back(std::string(key), value);
}

// A field without Parquet ids or Delta field metadata (column mapping is not carried over).
columnar::Field PlainField(const columnar::Field& f) {
  columnar::Field out(f.name, f.type, f.nullable);
  if (!f.type->fields.empty()) {
    auto type = std::make_shared<columnar::DataType>(*f.type);
    for (columnar::Field& child : type->fields) child = PlainField(child);
    out.type = std::move(type);
  }
  return out;
}

columnar::SchemaPtr PlainSchema(const columnar::Schema& schema) {
  auto out = std::make_shared<columnar::Schema>();
  for (const columnar::Field& f : schema.fields) out->fields.push_back(PlainField(f));
  return out;
}

// Errors of a change query that mean "the feed is not available for this range" (the sync
// then copies the snapshot) rather than a failure of the run.
bool FeedRefused(const Status& st) {
  switch (st.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kPermissionDenied:
    case StatusCode::kOutOfRange:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kNotSupported:
      return true;
    default:
      return false;
  }
}

void DeleteKeys(const delta::TablePtr& dest, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) (void)dest->location().store->Delete(key);
}

// Commits `txn`; after a lost conflict the run's files are deleted (their commit cannot
// land). Other failures leave them for VACUUM (the commit's outcome may be unknown).
Result<delta::CommitResult> CommitRun(delta::Transaction* txn, const delta::TablePtr& dest,
                                      const std::vector<std::string>& written) {
  Result<delta::CommitResult> r = txn->Commit();
  if (!r.ok() && delta::IsConcurrentModification(r.status())) {
    DeleteKeys(dest, written);
    return r.status().WithContext("DEST changed during the sync (another sync?)");
  }
  return r;
}

Status CheckState(const delta::Snapshot& snapshot, const SyncState& expected) {
  std::optional<SyncState> now = SyncStateOf(snapshot);
  if (!now || now->source_id != expected.source_id ||
      now->source_version != expected.source_version) {
    return Status::FailedPrecondition(
        "DEST moved to another source version during the sync (another sync?); run again");
  }
  return Status::OK();
}

// The data columns of a change batch (without _change_type, _commit_version,
// _commit_timestamp), conformed to DEST's schema.
Result<columnar::RecordBatch> DataColumns(const columnar::RecordBatch& batch,
                                          const columnar::SchemaPtr& dest_schema) {
  columnar::RecordBatch data;
  auto schema = std::make_shared<columnar::Schema>();
  const size_t n = batch.columns.size() - 3;
  schema->fields.assign(batch.schema->fields.begin(),
                        batch.schema->fields.begin() + static_cast<std::ptrdiff_t>(n));
  data.schema = std::move(schema);
  data.num_rows = batch.num_rows;
  data.columns.assign(batch.columns.begin(), batch.columns.begin() + static_cast<std::ptrdiff_t>(n));
  return delta::ConformBatch(data, dest_schema);
}

// Rows picked from several batches of one schema, as one batch.
Result<columnar::RecordBatch> Gather(const std::vector<columnar::RecordBatch>& batches,
                                     const std::vector<std::vector<int64_t>>& picks) {
  std::vector<columnar::RecordBatch> parts;
  for (size_t b = 0; b < batches.size(); ++b) {
    if (!picks[b].empty()) parts.push_back(delta::TakeBatchRows(batches[b], picks[b]));
  }
  if (parts.empty()) return delta::TakeBatchRows(batches.front(), {});
  if (parts.size() == 1) return std::move(parts.front());
  columnar::RecordBatch out;
  out.schema = parts.front().schema;
  for (const columnar::RecordBatch& p : parts) out.num_rows += p.num_rows;
  for (size_t c = 0; c < out.schema->fields.size(); ++c) {
    std::vector<columnar::ArrayPtr> arrays;
    for (const columnar::RecordBatch& p : parts) arrays.push_back(p.columns[c]);
    ASSIGN_OR_RETURN(columnar::ArrayPtr a, columnar::Concatenate(arrays));
    out.columns.push_back(std::move(a));
  }
  return out;
}

// A row's value in all columns, as bytes equal for equal rows (full-row matching).
void RowString(const columnar::RecordBatch& batch, int64_t row, std::string* out) {
  out->clear();
  for (const columnar::ArrayPtr& col : batch.columns) {
    columnar::AppendValueJson(*col, row, out);
    out->push_back('\x1e');
  }
}

class SyncRun {
 public:
  SyncRun(SharingClient* client, const TableCoordinates& table, const delta::TablePtr& dest,
          const SyncOptions& options)
      : client_(client), table_(table), dest_(dest), options_(options) {}

  Result<SyncResult> Run();

 private:
  // Replaces DEST's rows (or creates it) by the latest snapshot.
  Result<SyncResult> CopySnapshot(std::string reason);
  // The feed V+1..L applied; nullopt (and `reason` set) when it cannot be used.
  Result<std::optional<SyncResult>> ApplyChanges(std::string* reason);
  Result<std::optional<SyncResult>> ApplyByKey(std::vector<columnar::RecordBatch> data,
                                              const std::vector<std::string>& kinds,
                                              const std::vector<int64_t>& versions);
  Result<std::optional<SyncResult>> ApplyByRow(std::vector<columnar::RecordBatch> data,
                                              const std::vector<std::string>& kinds,
                                              std::string* reason);
  // A commit holding only the txn action (the feed changed nothing DEST holds).
  Result<int64_t> CommitMarker();
  Status AfterBatch() {
    ++batches_;
    return options_.after_batch ? options_.after_batch(batches_) : Status::OK();
  }

  SharingClient* client_;
  TableCoordinates table_;
  delta::TablePtr dest_;
  const SyncOptions& options_;
  int64_t batches_ = 0;
  std::string source_id_;
  int64_t latest_ = -1;
  delta::SnapshotPtr snapshot_;  // DEST, null when absent
  std::optional<SyncState> state_;
  SyncResult result_;
};

Result<SyncResult> SyncRun::Run() {
  ASSIGN_OR_RETURN(TableResponse meta, client_->GetTableMetadata(table_));
  latest_ = meta.version;
  source_id_ = meta.metadata.metadata.id;
  Result<delta::SnapshotPtr> snap = dest_->LatestSnapshot();
  if (!snap.ok()) {
    if (snap.status().code() != StatusCode::kNotFound) return snap.status();
    return CopySnapshot("");
  }
  snapshot_ = std::move(snap).value();
  state_ = SyncStateOf(*snapshot_);
  if (!state_) {
    return Status::FailedPrecondition("DEST " + dest_->uri() +
                                      " is a Delta table that `deltashare client sync` did not "
                                      "create; sync into a new folder");
  }
  if (options_.full_refresh) return CopySnapshot("a full refresh was asked for");
  if (state_->source_id != source_id_) {
    return CopySnapshot("the shared table was replaced (its id changed)");
  }
  result_.previous_version = state_->source_version;
  if (state_->source_version > latest_) {
    return CopySnapshot("the shared table's version went back to " + std::to_string(latest_));
  }
  ASSIGN_OR_RETURN(columnar::SchemaPtr source_schema,
                   columnar::SchemaFromJson(meta.metadata.metadata.schema_string));
  if (!delta::SameFields(*PlainSchema(*source_schema), *snapshot_->schema().logical()) ||
      meta.metadata.metadata.partition_columns != snapshot_->metadata().partition_columns) {
    return CopySnapshot("the shared table's schema or partitioning changed");
  }
  if (state_->source_version == latest_) {
    result_.mode = SyncMode::kUpToDate;
    result_.source_version = latest_;
    return result_;
  }
  std::string reason;
  ASSIGN_OR_RETURN(std::optional<SyncResult> applied, ApplyChanges(&reason));
  if (applied) return std::move(applied).value();
  return CopySnapshot(reason);
}

Result<SyncResult> SyncRun::CopySnapshot(std::string reason) {
  SyncResult result;
  result.previous_version = result_.previous_version;
  result.fallback_reason = std::move(reason);
  ReadOptions ro;
  ro.download = options_.download;
  ro.batch_size = options_.batch_size;
  ro.decode_threads = options_.decode_threads;
  ASSIGN_OR_RETURN(auto reader, TableReader::Open(client_, table_, ro));
  if (options_.on_read_start) {
    options_.on_read_start("snapshot", static_cast<int64_t>(reader->num_files()),
                           reader->total_bytes());
  }
  const delta::Metadata& source = reader->response().metadata.metadata;
  columnar::SchemaPtr schema = PlainSchema(*reader->schema());
  std::unique_ptr<delta::Transaction> txn;
  if (!snapshot_) {
    delta::CreateTableSpec spec{schema, source.partition_columns, {}, std::nullopt, std::nullopt};
    SetProperty(&spec.properties, kSyncSourceIdProperty, source.id);
    SetProperty(&spec.properties, kSyncSourceProperty, table_.ToString());
    ASSIGN_OR_RETURN(delta::Metadata metadata,
                     delta::NewTableMetadata(spec, options_.write.commit.Now()));
    ASSIGN_OR_RETURN(delta::Protocol protocol, delta::ProtocolForNewTable(metadata));
    ASSIGN_OR_RETURN(txn, delta::Transaction::Begin(dest_, nullptr, options_.write.commit));
    txn->UpdateProtocol(std::move(protocol));
    txn->UpdateMetadata(std::move(metadata));
    result.mode = SyncMode::kCreated;
  } else {
    ASSIGN_OR_RETURN(txn, delta::Transaction::Begin(dest_, snapshot_, options_.write.commit));
    delta::Metadata m = snapshot_->metadata();
    if (!delta::SameFields(*schema, *snapshot_->schema().logical()) ||
        source.partition_columns != m.partition_columns) {
      ASSIGN_OR_RETURN(m.schema_string, columnar::SchemaToJson(*schema));
      m.partition_columns = source.partition_columns;
    }
    SetProperty(&m.configuration, kSyncSourceIdProperty, source.id);
    SetProperty(&m.configuration, kSyncSourceProperty, table_.ToString());
    if (!(m == snapshot_->metadata())) txn->UpdateMetadata(std::move(m));
    txn->ReadWholeTable();
    const delta::FileTable& files = snapshot_->files();
    for (size_t i = 0; i < files.num_files(); ++i) txn->Add(txn->RemoveOf(files.file(i)));
    result.files_removed = static_cast<int64_t>(files.num_files());
    result.mode = SyncMode::kSnapshot;
  }
  std::vector<std::string> written;
  delta::DataFileWriterOptions fo = options_.write.files;
  fo.record_keys = &written;
  fo.change_data = false;
  auto write = [&]() -> Result<std::vector<delta::FileAction>> {
    ASSIGN_OR_RETURN(auto writer,
                     delta::DataFileWriter::Make(dest_->location().store, dest_->location().root,
                                                 txn->protocol(), txn->metadata(), fo));
    while (true) {
      ASSIGN_OR_RETURN(auto batch, reader->Next());
      if (!batch) break;
      ASSIGN_OR_RETURN(columnar::RecordBatch conformed,
                       delta::ConformBatch(*batch, writer->input_schema()));
      RETURN_NOT_OK(writer->Write(conformed));
      result.source_rows += batch->num_rows;
      RETURN_NOT_OK(AfterBatch());
    }
    return writer->Finish();
  };
  Result<std::vector<delta::FileAction>> adds = write();
  if (!adds.ok()) {
    DeleteKeys(dest_, written);
    return adds.status();
  }
  result.rows_inserted = result.source_rows;
  result.files_added = static_cast<int64_t>(adds->size());
  txn->AddAll(std::move(adds).value());
  txn->SetAppTransaction(std::string(kSyncAppId), reader->version());
  txn->SetOperation(
      snapshot_ ? "WRITE" : "CREATE TABLE AS SELECT",
      {{"mode", "Overwrite"},
       {"partitionBy", delta::JsonNameList(source.partition_columns)},
       {"source", table_.ToString()},
       {"sourceVersion", std::to_string(reader->version())}},
      {{"numFiles", std::to_string(result.files_added)},
       {"numOutputRows", std::to_string(result.source_rows)},
       {"numRemovedFiles", std::to_string(result.files_removed)}});
  ASSIGN_OR_RETURN(delta::CommitResult committed, CommitRun(txn.get(), dest_, written));
  result.dest_version = committed.version;
  result.source_version = reader->version();
  return result;
}

Result<std::optional<SyncResult>> SyncRun::ApplyChanges(std::string* reason) {
  ChangesOptions co;
  co.starting_version = state_->source_version + 1;
  co.ending_version = latest_;
  co.download = options_.download;
  co.batch_size = options_.batch_size;
  co.decode_threads = options_.decode_threads;
  Result<std::unique_ptr<ChangesReader>> opened = ChangesReader::Open(client_, table_, co);
  if (!opened.ok()) {
    if (!FeedRefused(opened.status())) return opened.status();
    *reason = "the change data feed is not available: " + opened.status().ToString();
    return std::optional<SyncResult>();
  }
  std::unique_ptr<ChangesReader> reader = std::move(opened).value();
  for (const SharedMetadata& m : reader->response().later_metadata) {
    if (m.metadata.schema_string != reader->response().metadata.metadata.schema_string ||
        m.metadata.partition_columns != reader->response().metadata.metadata.partition_columns) {
      *reason = "the shared table's schema changed within the feed";
      return std::optional<SyncResult>();
    }
  }
  if (options_.on_read_start) {
    options_.on_read_start("changes", static_cast<int64_t>(reader->num_files()),
                           reader->total_bytes());
  }
  const columnar::SchemaPtr& dest_schema = snapshot_->schema().logical();
  std::vector<columnar::RecordBatch> data;
  // _change_type and _commit_version of every row, in order over all batches.
  std::vector<std::string> row_kinds;
  std::vector<int64_t> versions;
  while (true) {
    ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) break;
    const size_t n = batch->columns.size();
    const columnar::Array& kind = *batch->columns[n - 3];
    const columnar::Array& version = *batch->columns[n - 2];
    for (int64_t r = 0; r < batch->num_rows; ++r) {
      row_kinds.emplace_back(kind.View(r));
      versions.push_back(version.Value<int64_t>(r));
    }
    ASSIGN_OR_RETURN(columnar::RecordBatch d, DataColumns(*batch, dest_schema));
    result_.source_rows += d.num_rows;
    data.push_back(std::move(d));
    RETURN_NOT_OK(AfterBatch());
  }
  std::optional<SyncResult> applied;
  if (options_.keys.empty()) {
    ASSIGN_OR_RETURN(applied, ApplyByRow(std::move(data), row_kinds, reason));
  } else {
    ASSIGN_OR_RETURN(applied, ApplyByKey(std::move(data), row_kinds, versions));
  }
  return applied;
}

Result<std::optional<SyncResult>> SyncRun::ApplyByKey(std::vector<columnar::RecordBatch> data,
                                                     const std::vector<std::string>& kinds,
                                                     const std::vector<int64_t>& versions) {
  struct Last {
    int64_t version;
    bool upsert;
    size_t batch;
    int64_t row;
  };
  const columnar::SchemaPtr& schema = snapshot_->schema().logical();
  ASSIGN_OR_RETURN(delta::KeyEncoder keys, delta::KeyEncoder::Make(*schema, options_.keys));
  std::unordered_map<std::string, Last> last;
  std::string key;
  size_t flat = 0;
  for (size_t b = 0; b < data.size(); ++b) {
    for (int64_t r = 0; r < data[b].num_rows; ++r, ++flat) {
      const std::string& kind = kinds[flat];
      if (kind == "update_preimage") continue;
      const bool upsert = kind == "insert" || kind == "update_postimage";
      if (!upsert && kind != "delete") {
        return Status::Corruption("change row with _change_type '" + kind + "'");
      }
      if (!keys.Encode(data[b], r, &key)) {
        return Status::InvalidArgument("a change row has a null key (" +
                                       delta::DescribeKey(data[b], keys, r) +
                                       "); sync without --key");
      }
      Last now{versions[flat], upsert, b, r};
      auto [it, fresh] = last.try_emplace(key, now);
      if (fresh) continue;
      // Within one commit a delete goes before the insert or postimage of its key.
      if (now.version > it->second.version || upsert) it->second = now;
    }
  }
  if (last.empty()) {
    ASSIGN_OR_RETURN(int64_t v, CommitMarker());
    result_.mode = SyncMode::kChanges;
    result_.dest_version = v;
    result_.source_version = latest_;
    return std::optional<SyncResult>(result_);
  }
  std::vector<std::vector<int64_t>> upserts(data.size()), deletes(data.size());
  bool any_delete = false;
  for (const auto& [k, l] : last) {
    (l.upsert ? upserts : deletes)[l.batch].push_back(l.row);
    any_delete |= !l.upsert;
  }
  for (auto& v : upserts) std::sort(v.begin(), v.end());
  for (auto& v : deletes) std::sort(v.begin(), v.end());
  ASSIGN_OR_RETURN(columnar::RecordBatch source, Gather(data, upserts));
  delta::MergeSpec spec;
  spec.keys = options_.keys;
  if (any_delete) {
    ASSIGN_OR_RETURN(columnar::RecordBatch del, Gather(data, deletes));
    spec.delete_keys = std::move(del);
  }
  data.clear();
  delta::WriteOptions wo = options_.write;
  const SyncState expected = *state_;
  const std::string app_id(kSyncAppId);
  const int64_t target = latest_;
  wo.before_commit = [&](delta::Transaction* txn) -> Status {
    RETURN_NOT_OK(CheckState(*txn->snapshot(), expected));
    txn->SetAppTransaction(app_id, target);
    return Status::OK();
  };
  ASSIGN_OR_RETURN(delta::MergeResult merged, delta::MergeRows(dest_, source, spec, wo));
  result_.mode = SyncMode::kChanges;
  result_.source_version = latest_;
  result_.rows_inserted = merged.inserted;
  result_.rows_updated = merged.updated;
  result_.rows_deleted = merged.deleted;
  result_.files_added = merged.files_added;
  result_.files_removed = merged.files_removed;
  if (merged.commit) {
    result_.dest_version = merged.commit->version;
  } else {
    ASSIGN_OR_RETURN(int64_t v, CommitMarker());
    result_.dest_version = v;
  }
  return std::optional<SyncResult>(result_);
}

Result<std::optional<SyncResult>> SyncRun::ApplyByRow(std::vector<columnar::RecordBatch> data,
                                                     const std::vector<std::string>& kinds,
                                                     std::string* reason) {
  struct Net {
    int64_t count = 0;
    size_t batch = 0;
    int64_t row = 0;
  };
  std::unordered_map<std::string, Net> net;
  std::string s;
  size_t flat = 0;
  for (size_t b = 0; b < data.size(); ++b) {
    for (int64_t r = 0; r < data[b].num_rows; ++r, ++flat) {
      const std::string& kind = kinds[flat];
      int step;
      if (kind == "insert" || kind == "update_postimage") {
        step = 1;
      } else if (kind == "delete" || kind == "update_preimage") {
        step = -1;
      } else {
        return Status::Corruption("change row with _change_type '" + kind + "'");
      }
      RowString(data[b], r, &s);
      Net& n = net[s];
      n.count += step;
      if (step > 0) {  // any inserted copy of the row will do
        n.batch = b;
        n.row = r;
      }
    }
  }
  int64_t to_delete = 0;
  std::vector<std::vector<int64_t>> inserts(data.size());
  for (const auto& [k, n] : net) {
    if (n.count < 0) to_delete -= n.count;
    for (int64_t i = 0; i < n.count; ++i) inserts[n.batch].push_back(n.row);
  }
  for (auto& v : inserts) std::sort(v.begin(), v.end());

  ASSIGN_OR_RETURN(auto txn, delta::Transaction::Begin(dest_, snapshot_, options_.write.commit));
  std::vector<std::string> written;
  delta::DataFileWriterOptions fo = options_.write.files;
  fo.record_keys = &written;
  fo.change_data = false;
  int64_t deleted = 0;
  auto plan = [&]() -> Status {
    ASSIGN_OR_RETURN(auto writer,
                     delta::DataFileWriter::Make(dest_->location().store, dest_->location().root,
                                                 txn->protocol(), txn->metadata(), fo));
    if (to_delete > 0) {
      txn->ReadWholeTable();
      ASSIGN_OR_RETURN(delta::ScanSchema scan, delta::ScanSchema::Make(snapshot_->schema()));
      const delta::FileTable& files = snapshot_->files();
      for (size_t i = 0; i < files.num_files() && deleted < to_delete; ++i) {
        delta::FileView file = files.file(i);
        ASSIGN_OR_RETURN(columnar::RecordBatch rows, delta::ReadFileRows(*dest_, scan, file));
        std::vector<int64_t> keep;
        for (int64_t r = 0; r < rows.num_rows; ++r) {
          RowString(rows, r, &s);
          auto it = net.find(s);
          if (it != net.end() && it->second.count < 0) {
            ++it->second.count;
            ++deleted;
          } else {
            keep.push_back(r);
          }
        }
        if (keep.size() == static_cast<size_t>(rows.num_rows)) continue;
        txn->Add(txn->RemoveOf(file));
        ++result_.files_removed;
        if (!keep.empty()) RETURN_NOT_OK(writer->Write(delta::TakeBatchRows(rows, keep)));
      }
    }
    for (size_t b = 0; b < data.size(); ++b) {
      if (inserts[b].empty()) continue;
      RETURN_NOT_OK(writer->Write(delta::TakeBatchRows(data[b], inserts[b])));
      result_.rows_inserted += static_cast<int64_t>(inserts[b].size());
    }
    ASSIGN_OR_RETURN(std::vector<delta::FileAction> adds, writer->Finish());
    result_.files_added = static_cast<int64_t>(adds.size());
    txn->AddAll(std::move(adds));
    return Status::OK();
  };
  Status planned = plan();
  if (!planned.ok()) {
    DeleteKeys(dest_, written);
    return planned;
  }
  if (deleted < to_delete) {
    DeleteKeys(dest_, written);
    *reason = "DEST lacks " + std::to_string(to_delete - deleted) +
              " rows the change feed deletes (was DEST modified?)";
    return std::optional<SyncResult>();
  }
  result_.rows_deleted = deleted;
  txn->SetAppTransaction(std::string(kSyncAppId), latest_);
  txn->SetOperation("WRITE",
                    {{"mode", "Append"},
                     {"source", table_.ToString()},
                     {"sourceVersion", std::to_string(latest_)}},
                    {{"numFiles", std::to_string(result_.files_added)},
                     {"numOutputRows", std::to_string(result_.rows_inserted)},
                     {"numDeletedRows", std::to_string(deleted)},
                     {"numRemovedFiles", std::to_string(result_.files_removed)}});
  ASSIGN_OR_RETURN(delta::CommitResult committed, CommitRun(txn.get(), dest_, written));
  result_.mode = SyncMode::kChanges;
  result_.dest_version = committed.version;
  result_.source_version = latest_;
  return std::optional<SyncResult>(result_);
}

Result<int64_t> SyncRun::CommitMarker() {
  ASSIGN_OR_RETURN(delta::SnapshotPtr now, dest_->Update(snapshot_));
  RETURN_NOT_OK(CheckState(*now, *state_));
  ASSIGN_OR_RETURN(auto txn, delta::Transaction::Begin(dest_, now, options_.write.commit));
  txn->SetAppTransaction(std::string(kSyncAppId), latest_);
  txn->SetOperation("SET TRANSACTION", {{"source", table_.ToString()},
                                        {"sourceVersion", std::to_string(latest_)}});
  ASSIGN_OR_RETURN(delta::CommitResult committed, CommitRun(txn.get(), dest_, {}));
  return committed.version;
}

}  // namespace

std::string_view SyncModeName(SyncMode mode) {
  switch (mode) {
    case SyncMode::kUpToDate:
      return "up-to-date";
    case SyncMode::kCreated:
      return "created";
    case SyncMode::kChanges:
      return "changes";
    case SyncMode::kSnapshot:
      return "snapshot";
  }
  return "?";
}

std::optional<SyncState> SyncStateOf(const delta::Snapshot& snapshot) {
  auto txn = snapshot.transactions().find(std::string(kSyncAppId));
  if (txn == snapshot.transactions().end()) return std::nullopt;
  SyncState state;
  state.source_version = txn->second.version;
  for (const auto& [key, value] : snapshot.metadata().configuration) {
    if (key == kSyncSourceIdProperty && value) state.source_id = *value;
  }
  return state;
}

Result<SyncResult> SyncTable(SharingClient* client, const TableCoordinates& table,
                             const delta::TablePtr& dest, const SyncOptions& options) {
  SyncRun run(client, table, dest, options);
  return run.Run();
}

}  // namespace ds::client
