#include "delta/merge.h"

#include <unordered_map>
#include <unordered_set>

#include "delta/conform.h"
#include "delta/file_rows.h"
#include "delta/key_skipping.h"
#include "delta/row_keys.h"
#include "delta/schema_evolution.h"
#include "delta/table_features.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

// The key columns of `batch` (by name, case-insensitive fallback), conformed to the table's
// key column types.
Result<columnar::RecordBatch> KeyColumns(const columnar::RecordBatch& batch,
                                         const columnar::Schema& table, const KeyEncoder& keys) {
  auto key_schema = std::make_shared<columnar::Schema>();
  columnar::RecordBatch projected;
  auto projected_schema = std::make_shared<columnar::Schema>();
  projected.num_rows = batch.num_rows;
  for (int c : keys.columns()) {
    columnar::Field field = table.fields[static_cast<size_t>(c)];
    field.nullable = true;
    int index = batch.schema->FieldIndex(field.name);
    for (size_t i = 0; index < 0 && i < batch.schema->fields.size(); ++i) {
      if (EqualsIgnoreCase(batch.schema->fields[i].name, field.name)) index = static_cast<int>(i);
    }
    if (index < 0) {
      return Status::InvalidArgument("delete keys lack the key column '" + field.name + "'");
    }
    projected_schema->fields.push_back(batch.schema->fields[static_cast<size_t>(index)]);
    projected.columns.push_back(batch.columns[static_cast<size_t>(index)]);
    key_schema->fields.push_back(std::move(field));
  }
  projected.schema = projected_schema;
  return ConformBatch(projected, key_schema);
}

struct ChangeRows {
  std::vector<columnar::RecordBatch> preimage, postimage, deleted;
};

}  // namespace

Result<MergeResult> MergeRows(const TablePtr& table, const columnar::RecordBatch& source,
                              const MergeSpec& spec, const WriteOptions& options) {
  MergeResult result;
  auto plan = [&](const SnapshotPtr& snapshot,
                  std::vector<std::string>* written) -> Result<std::unique_ptr<Transaction>> {
    result = {};
    result.source_rows = source.num_rows;
    ASSIGN_OR_RETURN(auto txn, Transaction::Begin(table, snapshot, options.commit));
    txn->ReadWholeTable();
    if (options.merge_schema) {
      RETURN_NOT_OK(MergeSchemaInto(txn.get(), {source}, options.allow_type_widening));
    }
    ASSIGN_OR_RETURN(ColumnMappingMode mode,
                     EffectiveColumnMappingMode(txn->protocol(), txn->metadata()));
    ASSIGN_OR_RETURN(TableSchema schema, TableSchema::Make(txn->metadata(), mode));
    ASSIGN_OR_RETURN(columnar::RecordBatch src, ConformBatch(source, schema.logical()));
    ASSIGN_OR_RETURN(KeyEncoder keys, KeyEncoder::Make(*schema.logical(), spec.keys));

    std::unordered_map<std::string, int64_t> source_index;
    source_index.reserve(static_cast<size_t>(src.num_rows));
    std::string key;
    for (int64_t r = 0; r < src.num_rows; ++r) {
      if (!keys.Encode(src, r, &key)) continue;  // a null key matches nothing: an insert
      if (!source_index.emplace(key, r).second) {
        return Status::InvalidArgument("the merge source has several rows with key " +
                                       DescribeKey(src, keys, r));
      }
    }
    std::unordered_set<std::string> deletes;
    std::optional<columnar::RecordBatch> delete_keys;
    KeyEncoder delete_encoder;
    if (spec.delete_keys) {
      ASSIGN_OR_RETURN(delete_keys, KeyColumns(*spec.delete_keys, *schema.logical(), keys));
      std::vector<std::string> names;
      for (const auto& f : delete_keys->schema->fields) names.push_back(f.name);
      ASSIGN_OR_RETURN(delete_encoder, KeyEncoder::Make(*delete_keys->schema, names));
      for (int64_t r = 0; r < delete_keys->num_rows; ++r) {
        if (!delete_encoder.Encode(*delete_keys, r, &key)) continue;
        if (source_index.count(key)) {
          return Status::InvalidArgument("key " + DescribeKey(*delete_keys, delete_encoder, r) +
                                         " is both upserted and deleted");
        }
        deletes.insert(key);
      }
    }

    // Which files may hold an affected key (all of them when missing keys are deleted).
    const FileTable& files = snapshot->files();
    std::optional<KeyFileSkipper> skipper;
    if (!spec.delete_missing) {
      const int first = keys.columns()[0];
      std::vector<columnar::ArrayPtr> parts = {src.columns[static_cast<size_t>(first)]};
      if (delete_keys) parts.push_back(delete_keys->columns[0]);
      ASSIGN_OR_RETURN(columnar::ArrayPtr values, columnar::Concatenate(parts));
      ASSIGN_OR_RETURN(
          skipper, KeyFileSkipper::Make(
                       schema, schema.logical()->fields[static_cast<size_t>(first)].name, *values));
    }

    const bool cdf = ChangeDataFeedEnabled(txn->metadata());
    const auto& store = table->location().store;
    const std::string& root = table->location().root;
    DataFileWriterOptions data_options = options.files;
    data_options.record_keys = written;
    data_options.change_data = false;
    ASSIGN_OR_RETURN(auto data, DataFileWriter::Make(store, root, txn->protocol(), txn->metadata(),
                                                     data_options));
    DataFileWriterOptions cdc_options = data_options;
    cdc_options.change_data = true;
    ASSIGN_OR_RETURN(auto changes, DataFileWriter::Make(store, root, txn->protocol(),
                                                        txn->metadata(), cdc_options));
    ASSIGN_OR_RETURN(ScanSchema scan, ScanSchema::Make(schema));

    std::vector<char> matched(static_cast<size_t>(src.num_rows), 0);
    ChangeRows change_rows;
    std::vector<int64_t> keep, pre, post, del;
    for (size_t i = 0; i < files.num_files(); ++i) {
      FileView file = files.file(i);
      if (skipper && !skipper->MayContain(file)) continue;
      ASSIGN_OR_RETURN(columnar::RecordBatch batch, ReadFileRows(*table, scan, file));
      ++result.files_read;
      keep.clear(), pre.clear(), post.clear(), del.clear();
      for (int64_t r = 0; r < batch.num_rows; ++r) {
        if (!keys.Encode(batch, r, &key)) {
          (spec.delete_missing ? del : keep).push_back(r);
          continue;
        }
        auto it = source_index.find(key);
        if (it != source_index.end()) {
          matched[static_cast<size_t>(it->second)] = 1;
          if (RowsEqual(batch, r, src, it->second)) {
            keep.push_back(r);
          } else {
            pre.push_back(r);
            post.push_back(it->second);
          }
        } else if (spec.delete_missing || deletes.count(key)) {
          del.push_back(r);
        } else {
          keep.push_back(r);
        }
      }
      if (pre.empty() && del.empty()) continue;  // nothing changed in this file
      txn->Add(txn->RemoveOf(file));
      ++result.files_removed;
      if (!keep.empty()) RETURN_NOT_OK(data->Write(TakeBatchRows(batch, keep)));
      if (!post.empty()) RETURN_NOT_OK(data->Write(TakeBatchRows(src, post)));
      result.copied += static_cast<int64_t>(keep.size());
      result.updated += static_cast<int64_t>(pre.size());
      result.deleted += static_cast<int64_t>(del.size());
      if (cdf) {
        if (!pre.empty()) {
          change_rows.preimage.push_back(TakeBatchRows(batch, pre));
          change_rows.postimage.push_back(TakeBatchRows(src, post));
        }
        if (!del.empty()) change_rows.deleted.push_back(TakeBatchRows(batch, del));
      }
    }
    std::vector<int64_t> inserts;
    for (int64_t r = 0; r < src.num_rows; ++r) {
      if (!matched[static_cast<size_t>(r)]) inserts.push_back(r);
    }
    result.inserted = static_cast<int64_t>(inserts.size());
    if (result.inserted == 0 && result.updated == 0 && result.deleted == 0) {
      return std::unique_ptr<Transaction>();
    }
    columnar::RecordBatch inserted;
    if (!inserts.empty()) {
      inserted = TakeBatchRows(src, inserts);
      RETURN_NOT_OK(data->Write(inserted));
    }
    if (cdf && (result.updated > 0 || result.deleted > 0)) {
      const columnar::SchemaPtr& cdc_schema = changes->input_schema();
      auto write = [&](const std::vector<columnar::RecordBatch>& batches,
                       std::string_view type) -> Status {
        for (const auto& b : batches) {
          RETURN_NOT_OK(changes->Write(WithConstantColumn(b, cdc_schema, type)));
        }
        return Status::OK();
      };
      RETURN_NOT_OK(write(change_rows.preimage, "update_preimage"));
      RETURN_NOT_OK(write(change_rows.postimage, "update_postimage"));
      RETURN_NOT_OK(write(change_rows.deleted, "delete"));
      if (!inserts.empty()) RETURN_NOT_OK(write({inserted}, "insert"));
    }
    ASSIGN_OR_RETURN(std::vector<FileAction> adds, data->Finish());
    ASSIGN_OR_RETURN(std::vector<FileAction> cdc, changes->Finish());
    result.files_added = static_cast<int64_t>(adds.size());
    result.change_files_added = static_cast<int64_t>(cdc.size());
    result.bytes_written = data->bytes_written() + changes->bytes_written();
    txn->AddAll(std::move(adds));
    txn->AddAll(std::move(cdc));
    std::vector<std::string> key_names;
    for (int c : keys.columns())
      key_names.push_back(schema.logical()->fields[static_cast<size_t>(c)].name);
    std::string predicate;
    for (const std::string& k : key_names) {
      if (!predicate.empty()) predicate += " AND ";
      predicate += "target." + k + " = source." + k;
    }
    txn->SetOperation("MERGE",
                      {{"predicate", JsonNameList({predicate})},
                       {"mergeKeys", JsonNameList(key_names)},
                       {"deleteNotMatchedBySource", spec.delete_missing ? "true" : "false"}},
                      {{"numSourceRows", std::to_string(result.source_rows)},
                       {"numTargetRowsInserted", std::to_string(result.inserted)},
                       {"numTargetRowsUpdated", std::to_string(result.updated)},
                       {"numTargetRowsDeleted", std::to_string(result.deleted)},
                       {"numTargetRowsCopied", std::to_string(result.copied)},
                       {"numOutputRows", std::to_string(data->rows_written())},
                       {"numTargetFilesAdded", std::to_string(result.files_added)},
                       {"numTargetFilesRemoved", std::to_string(result.files_removed)},
                       {"numTargetChangeFilesAdded", std::to_string(result.change_files_added)},
                       {"numTargetBytesAdded", std::to_string(data->bytes_written())}});
    if (options.before_commit) RETURN_NOT_OK(options.before_commit(txn.get()));
    return txn;
  };
  ASSIGN_OR_RETURN(result.commit,
                   PlanAndCommit(table, false, plan, options.max_operation_attempts));
  return result;
}

}  // namespace ds::delta
