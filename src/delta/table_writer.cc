#include "delta/table_writer.h"

#include <set>

#include "columnar/schema_json.h"
#include "delta/array_ops.h"
#include "delta/conform.h"
#include "delta/file_filter.h"
#include "delta/file_rows.h"
#include "delta/partition_path.h"
#include "delta/schema_evolution.h"
#include "delta/stats_collector.h"
#include "delta/table_features.h"
#include "delta/uuid.h"
#include "delta/writer_features.h"
#include "expr/row_filter.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

void DeleteKeys(objstore::ObjectStore& store, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) (void)store.Delete(key);
}

// The writer options of one plan: files recorded into `written`.
DataFileWriterOptions Recording(const DataFileWriterOptions& base,
                                std::vector<std::string>* written, bool change_data = false) {
  DataFileWriterOptions o = base;
  o.record_keys = written;
  o.change_data = change_data;
  return o;
}

Status WriteAll(DataFileWriter* writer, const std::vector<columnar::RecordBatch>& rows) {
  for (const columnar::RecordBatch& batch : rows) {
    ASSIGN_OR_RETURN(columnar::RecordBatch conformed, ConformBatch(batch, writer->input_schema()));
    RETURN_NOT_OK(writer->Write(conformed));
  }
  return Status::OK();
}

std::string PropertiesJson(const StringMap& properties) {
  std::string out;
  AppendStringMapJson(properties, &out);
  return out;
}

}  // namespace

bool IsConcurrentModification(const Status& status) {
  return status.code() == StatusCode::kFailedPrecondition &&
         status.message().find("concurrent modification") != std::string::npos;
}

std::string JsonNameList(const std::vector<std::string>& names) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  for (const std::string& n : names) w.String(n);
  w.EndArray();
  return out;
}

Result<Metadata> NewTableMetadata(const CreateTableSpec& spec, int64_t now_ms) {
  if (!spec.schema || spec.schema->fields.empty()) {
    return Status::InvalidArgument("a new table needs a schema with at least one column");
  }
  const auto& fields = spec.schema->fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name.empty()) return Status::InvalidArgument("a column has an empty name");
    for (size_t j = 0; j < i; ++j) {
      if (EqualsIgnoreCase(fields[i].name, fields[j].name)) {
        return Status::InvalidArgument("duplicate column name '" + fields[i].name + "'");
      }
    }
  }
  std::set<std::string> seen;
  for (const std::string& p : spec.partition_columns) {
    int index = spec.schema->FieldIndex(p);
    if (index < 0) {
      return Status::InvalidArgument("partition column '" + p + "' is not a column of the table");
    }
    if (!seen.insert(p).second) {
      return Status::InvalidArgument("partition column '" + p + "' is listed twice");
    }
    const columnar::DataType& type = *fields[static_cast<size_t>(index)].type;
    if (!IsPartitionableType(type)) {
      return Status::InvalidArgument("partition column '" + p + "' has type " + type.ToString() +
                                     ", which cannot be partitioned by");
    }
  }
  if (!spec.partition_columns.empty() && spec.partition_columns.size() == fields.size()) {
    return Status::InvalidArgument(
        "every column is a partition column; a table needs at least one data column");
  }
  Result<std::string> schema_json = columnar::SchemaToJson(*spec.schema);
  if (!schema_json.ok()) return schema_json.status().WithContext("table schema");
  Metadata m;
  m.id = NewUuid();
  m.name = spec.name;
  m.description = spec.description;
  m.schema_string = *std::move(schema_json);
  m.partition_columns = spec.partition_columns;
  m.configuration = spec.properties;
  m.created_time = now_ms;
  return m;
}

Result<std::optional<CommitResult>> PlanAndCommit(const TablePtr& table, bool create,
                                                  const CommitPlanner& plan, int max_attempts) {
  objstore::ObjectStore& store = *table->location().store;
  SnapshotPtr snapshot;
  for (int attempt = 1;; ++attempt) {
    if (!create) {
      if (snapshot) {
        ASSIGN_OR_RETURN(snapshot, table->Update(snapshot));
      } else {
        ASSIGN_OR_RETURN(snapshot, table->LatestSnapshot());
      }
    }
    std::vector<std::string> written;
    Result<std::unique_ptr<Transaction>> txn = plan(snapshot, &written);
    if (!txn.ok()) {
      DeleteKeys(store, written);
      return txn.status();
    }
    if (*txn == nullptr) {
      DeleteKeys(store, written);
      return std::optional<CommitResult>();
    }
    Result<CommitResult> committed = (*txn)->Commit();
    if (committed.ok()) return std::optional<CommitResult>(*std::move(committed));
    if (IsConcurrentModification(committed.status())) {
      DeleteKeys(store, written);
      if (attempt < max_attempts) continue;
      return committed.status().WithContext("gave up after " + std::to_string(attempt) +
                                            " attempts");
    }
    return committed.status();
  }
}

Result<WriteResult> CreateTable(const TablePtr& table, const CreateTableSpec& spec,
                                const std::vector<columnar::RecordBatch>& rows,
                                const WriteOptions& options) {
  WriteResult result;
  auto plan = [&](const SnapshotPtr&,
                  std::vector<std::string>* written) -> Result<std::unique_ptr<Transaction>> {
    result = {};
    ASSIGN_OR_RETURN(Metadata metadata, NewTableMetadata(spec, options.commit.Now()));
    ASSIGN_OR_RETURN(Protocol protocol, ProtocolForNewTable(metadata));
    ASSIGN_OR_RETURN(auto txn, Transaction::Begin(table, nullptr, options.commit));
    ASSIGN_OR_RETURN(auto writer,
                     DataFileWriter::Make(table->location().store, table->location().root, protocol,
                                          metadata, Recording(options.files, written)));
    RETURN_NOT_OK(WriteAll(writer.get(), rows));
    ASSIGN_OR_RETURN(std::vector<FileAction> adds, writer->Finish());
    result.rows_written = writer->rows_written();
    result.bytes_written = writer->bytes_written();
    result.files_added = static_cast<int64_t>(adds.size());
    txn->UpdateProtocol(protocol);
    txn->UpdateMetadata(metadata);
    txn->AddAll(std::move(adds));
    txn->SetOperation(rows.empty() ? "CREATE TABLE" : "CREATE TABLE AS SELECT",
                      {{"isManaged", "false"},
                       {"description", spec.description.value_or("")},
                       {"partitionBy", JsonNameList(spec.partition_columns)},
                       {"properties", PropertiesJson(spec.properties)}},
                      {{"numFiles", std::to_string(result.files_added)},
                       {"numOutputRows", std::to_string(result.rows_written)},
                       {"numOutputBytes", std::to_string(result.bytes_written)}});
    return txn;
  };
  ASSIGN_OR_RETURN(result.commit, PlanAndCommit(table, true, plan, 1));
  return result;
}

Result<WriteResult> WriteRows(const TablePtr& table, const std::vector<columnar::RecordBatch>& rows,
                              WriteMode mode, const WriteOptions& options) {
  WriteResult result;
  const bool overwrite = mode == WriteMode::kOverwrite;
  auto plan = [&](const SnapshotPtr& snapshot,
                  std::vector<std::string>* written) -> Result<std::unique_ptr<Transaction>> {
    result = {};
    ASSIGN_OR_RETURN(auto txn, Transaction::Begin(table, snapshot, options.commit));
    if (options.merge_schema) {
      RETURN_NOT_OK(MergeSchemaInto(txn.get(), rows, options.allow_type_widening));
    }
    ASSIGN_OR_RETURN(
        auto writer,
        DataFileWriter::Make(table->location().store, table->location().root, txn->protocol(),
                             txn->metadata(), Recording(options.files, written)));
    RETURN_NOT_OK(WriteAll(writer.get(), rows));
    ASSIGN_OR_RETURN(std::vector<FileAction> adds, writer->Finish());
    result.rows_written = writer->rows_written();
    result.bytes_written = writer->bytes_written();
    result.files_added = static_cast<int64_t>(adds.size());
    if (overwrite) {
      txn->ReadWholeTable();
      const FileTable& files = snapshot->files();
      for (size_t i = 0; i < files.num_files(); ++i) {
        txn->Add(txn->RemoveOf(files.file(i)));
      }
      result.files_removed = static_cast<int64_t>(files.num_files());
    }
    if (adds.empty() && result.files_removed == 0 && txn->metadata() == snapshot->metadata()) {
      return std::unique_ptr<Transaction>();
    }
    txn->AddAll(std::move(adds));
    OperationFields metrics = {{"numFiles", std::to_string(result.files_added)},
                               {"numOutputRows", std::to_string(result.rows_written)},
                               {"numOutputBytes", std::to_string(result.bytes_written)}};
    if (overwrite) metrics.emplace_back("numRemovedFiles", std::to_string(result.files_removed));
    txn->SetOperation("WRITE",
                      {{"mode", overwrite ? "Overwrite" : "Append"},
                       {"partitionBy", JsonNameList(snapshot->metadata().partition_columns)}},
                      std::move(metrics));
    if (options.before_commit) RETURN_NOT_OK(options.before_commit(txn.get()));
    return txn;
  };
  ASSIGN_OR_RETURN(result.commit,
                   PlanAndCommit(table, false, plan, options.max_operation_attempts));
  return result;
}

Result<WriteResult> DeleteRows(const TablePtr& table, const expr::Expr& predicate,
                               const WriteOptions& options) {
  WriteResult result;
  auto plan = [&](const SnapshotPtr& snapshot,
                  std::vector<std::string>* written) -> Result<std::unique_ptr<Transaction>> {
    result = {};
    ASSIGN_OR_RETURN(auto txn, Transaction::Begin(table, snapshot, options.commit));
    txn->ReadWholeTable();
    ASSIGN_OR_RETURN(FileFilter filter, FileFilter::Make(snapshot->schema(), predicate));
    Result<expr::RowFilter> rows = expr::RowFilter::Make(predicate, snapshot->schema().logical());
    if (!rows.ok()) return rows.status().WithContext("delete predicate");
    ASSIGN_OR_RETURN(ScanSchema scan, ScanSchema::Make(snapshot->schema()));
    const bool cdf = ChangeDataFeedEnabled(snapshot->metadata());
    ASSIGN_OR_RETURN(
        auto data,
        DataFileWriter::Make(table->location().store, table->location().root, snapshot->protocol(),
                             snapshot->metadata(), Recording(options.files, written)));
    ASSIGN_OR_RETURN(
        auto changes,
        DataFileWriter::Make(table->location().store, table->location().root, snapshot->protocol(),
                             snapshot->metadata(), Recording(options.files, written, true)));
    // Deleted rows per rewritten file, kept until we know whether cdc files are needed.
    std::vector<columnar::RecordBatch> deleted;
    std::vector<FileView> whole_files;
    const FileTable& files = snapshot->files();
    for (size_t i = 0; i < files.num_files(); ++i) {
      FileView file = files.file(i);
      expr::Truth t = filter.Evaluate(file);
      if (t == expr::Truth::kFalse) continue;
      if (t == expr::Truth::kTrue) {
        whole_files.push_back(file);
        continue;
      }
      ASSIGN_OR_RETURN(columnar::RecordBatch batch, ReadFileRows(*table, scan, file));
      ASSIGN_OR_RETURN(std::vector<int64_t> hit, rows->Select(batch));
      if (hit.empty()) continue;
      std::vector<int64_t> keep;
      keep.reserve(static_cast<size_t>(batch.num_rows) - hit.size());
      for (int64_t r = 0, h = 0; r < batch.num_rows; ++r) {
        if (h < static_cast<int64_t>(hit.size()) && hit[static_cast<size_t>(h)] == r) {
          ++h;
        } else {
          keep.push_back(r);
        }
      }
      txn->Add(txn->RemoveOf(file));
      ++result.files_removed;
      result.rows_deleted += static_cast<int64_t>(hit.size());
      if (!keep.empty()) {
        RETURN_NOT_OK(data->Write(TakeBatchRows(batch, keep)));
      }
      if (cdf) {
        deleted.push_back(TakeBatchRows(batch, hit));
      }
    }
    // A commit with cdc files is read from them alone: whole-file deletes then need theirs.
    const bool write_cdc = cdf && !deleted.empty();
    for (const FileView& file : whole_files) {
      txn->Add(txn->RemoveOf(file));
      ++result.files_removed;
      if (write_cdc) {
        ASSIGN_OR_RETURN(columnar::RecordBatch batch, ReadFileRows(*table, scan, file));
        result.rows_deleted += batch.num_rows;
        deleted.push_back(std::move(batch));
      } else {
        result.rows_deleted += file.stats() ? StatsNumRecords(*file.stats()).value_or(0) : 0;
      }
    }
    if (result.files_removed == 0) return std::unique_ptr<Transaction>();
    if (write_cdc) {
      for (const columnar::RecordBatch& batch : deleted) {
        RETURN_NOT_OK(changes->Write(WithConstantColumn(batch, changes->input_schema(), "delete")));
      }
    }
    ASSIGN_OR_RETURN(std::vector<FileAction> adds, data->Finish());
    ASSIGN_OR_RETURN(std::vector<FileAction> cdc, changes->Finish());
    result.rows_written = data->rows_written();
    result.bytes_written = data->bytes_written() + changes->bytes_written();
    result.files_added = static_cast<int64_t>(adds.size());
    result.change_files_added = static_cast<int64_t>(cdc.size());
    txn->AddAll(std::move(adds));
    txn->AddAll(std::move(cdc));
    txn->SetOperation("DELETE", {{"predicate", JsonNameList({predicate.ToString()})}},
                      {{"numRemovedFiles", std::to_string(result.files_removed)},
                       {"numAddedFiles", std::to_string(result.files_added)},
                       {"numDeletedRows", std::to_string(result.rows_deleted)},
                       {"numCopiedRows", std::to_string(result.rows_written)},
                       {"numAddedChangeFiles", std::to_string(result.change_files_added)}});
    if (options.before_commit) RETURN_NOT_OK(options.before_commit(txn.get()));
    return txn;
  };
  ASSIGN_OR_RETURN(result.commit,
                   PlanAndCommit(table, false, plan, options.max_operation_attempts));
  return result;
}

}  // namespace ds::delta
