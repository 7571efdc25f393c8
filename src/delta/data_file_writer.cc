#include "delta/data_file_writer.h"

#include <cstring>
#include <utility>

#include "delta/array_ops.h"
#include "delta/partition_path.h"
#include "delta/table_features.h"
#include "delta/uuid.h"
#include "io/file.h"
#include "parquet/compression/codec.h"
#include "util/string_util.h"

namespace ds::delta {

struct DataFileWriter::OpenFile {
  std::string relative_key;
  StringMap partition_values;
  std::unique_ptr<parquet::FileWriter> writer;
  io::MemoryOutputStream* sink = nullptr;  // owned by writer
  StatsCollector stats;
};

DataFileWriter::~DataFileWriter() = default;

Result<std::unique_ptr<DataFileWriter>> DataFileWriter::Make(objstore::ObjectStorePtr store,
                                                             std::string root,
                                                             const Protocol& protocol,
                                                             const Metadata& metadata,
                                                             DataFileWriterOptions options) {
  std::unique_ptr<DataFileWriter> w(new DataFileWriter());
  w->store_ = std::move(store);
  w->root_ = std::move(root);
  w->options_ = std::move(options);
  ASSIGN_OR_RETURN(ColumnMappingMode mode, EffectiveColumnMappingMode(protocol, metadata));
  ASSIGN_OR_RETURN(w->schema_, TableSchema::Make(metadata, mode));
  ASSIGN_OR_RETURN(w->stats_options_, StatsOptionsFromMetadata(metadata));
  const auto& logical = w->schema_.logical()->fields;
  const auto& physical = w->schema_.physical()->fields;
  auto input = std::make_shared<columnar::Schema>(*w->schema_.logical());
  auto file = std::make_shared<columnar::Schema>();
  for (size_t i = 0; i < logical.size(); ++i) {
    const PartitionColumn* pc = w->schema_.PartitionColumnAt(static_cast<int>(i));
    if (pc != nullptr) {
      if (!IsPartitionableType(*pc->type)) {
        return Status::NotSupported("partition column '" + pc->name + "' has type " +
                                    pc->type->ToString() + ", which cannot be partitioned by");
      }
      w->partition_columns_.push_back(static_cast<int>(i));
      w->partition_keys_.push_back(pc->physical_name);
      continue;
    }
    w->data_columns_.push_back(static_cast<int>(i));
    file->fields.push_back(physical[i]);
    w->stats_logical_.push_back(logical[i]);
    w->stats_physical_.push_back(physical[i]);
  }
  if (w->options_.change_data) {
    input->fields.emplace_back(std::string(kChangeTypeColumn), columnar::String(), false);
    file->fields.emplace_back(std::string(kChangeTypeColumn), columnar::String(), false);
  }
  w->input_schema_ = std::move(input);
  w->file_schema_ = std::move(file);
  std::string codec = ToLower(parquet::CodecName(w->options_.parquet.codec));
  w->codec_suffix_ = w->options_.parquet.codec == parquet::Codec::kUncompressed
                         ? ".parquet"
                         : "." + codec + ".parquet";
  return w;
}

Result<DataFileWriter::OpenFile*> DataFileWriter::FileFor(const std::string& group_key,
                                                          const columnar::RecordBatch& batch,
                                                          int64_t row) {
  auto it = open_.find(group_key);
  if (it != open_.end()) return it->second.get();
  auto file = std::make_unique<OpenFile>();
  std::string dir = options_.change_data ? "_change_data/" : "";
  std::string text;
  for (size_t p = 0; p < partition_columns_.size(); ++p) {
    text.clear();
    const columnar::Array& column = *batch.columns[static_cast<size_t>(partition_columns_[p])];
    ASSIGN_OR_RETURN(bool valid, AppendPartitionValue(column, row, &text));
    std::optional<std::string> value;
    if (valid) value = text;
    AppendPartitionDirectory(partition_keys_[p], value, &dir);
    file->partition_values.emplace_back(partition_keys_[p], std::move(value));
  }
  file->relative_key = dir + (options_.change_data ? "cdc-00000-" : "part-00000-") + NewUuid() +
                       ".c000" + codec_suffix_;
  auto sink = std::make_unique<io::MemoryOutputStream>();
  file->sink = sink.get();
  ASSIGN_OR_RETURN(file->writer,
                   parquet::FileWriter::Open(std::move(sink), file_schema_, options_.parquet));
  ASSIGN_OR_RETURN(file->stats,
                   StatsCollector::Make(stats_logical_, stats_physical_, stats_options_));
  OpenFile* raw = file.get();
  open_.emplace(group_key, std::move(file));
  return raw;
}

Status DataFileWriter::WriteRows(OpenFile* file, const columnar::RecordBatch& batch,
                                 const std::vector<int64_t>* rows) {
  columnar::RecordBatch out;
  out.schema = file_schema_;
  out.num_rows = rows ? static_cast<int64_t>(rows->size()) : batch.num_rows;
  auto take = [&](const columnar::ArrayPtr& a) { return rows ? TakeRows(*a, *rows) : a; };
  for (int c : data_columns_) out.columns.push_back(take(batch.columns[static_cast<size_t>(c)]));
  if (options_.change_data) out.columns.push_back(take(batch.columns.back()));
  RETURN_NOT_OK(file->writer->Write(out));
  std::vector<columnar::ArrayPtr> data(
      out.columns.begin(), out.columns.begin() + static_cast<std::ptrdiff_t>(data_columns_.size()));
  if (!options_.change_data) file->stats.Add(data, out.num_rows);
  rows_written_ += out.num_rows;
  if (file->writer->bytes_written() >= options_.target_file_bytes) return CloseFile(file);
  return Status::OK();
}

Status DataFileWriter::CloseFile(OpenFile* file) {
  RETURN_NOT_OK(file->writer->Close());
  Buffer bytes = file->sink->Take();
  std::string key = objstore::JoinKey(root_, file->relative_key);
  RETURN_NOT_OK(store_->Put(
      key, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())));
  written_keys_.push_back(key);
  if (options_.record_keys) options_.record_keys->push_back(key);
  ASSIGN_OR_RETURN(objstore::ObjectMeta meta, store_->Head(key));
  FileAction action;
  action.kind = options_.change_data ? FileActionKind::kCdc : FileActionKind::kAdd;
  action.path = EncodeLogPath(file->relative_key);
  action.partition_values = file->partition_values;
  action.size = static_cast<int64_t>(bytes.size());
  if (options_.change_data) {
    action.data_change = false;
  } else {
    action.modification_time = meta.mtime_ms;
    action.data_change = true;
    action.stats = file->stats.ToJson();
  }
  bytes_written_ += static_cast<int64_t>(bytes.size());
  if (options_.on_file_stored) options_.on_file_stored(action);
  done_.push_back(std::move(action));
  // Erase last: `file` points into open_.
  for (auto it = open_.begin(); it != open_.end(); ++it) {
    if (it->second.get() == file) {
      open_.erase(it);
      break;
    }
  }
  return Status::OK();
}

Status DataFileWriter::Write(const columnar::RecordBatch& batch) {
  const auto& want = input_schema_->fields;
  if (batch.columns.size() != want.size()) {
    return Status::InvalidArgument("rows to write have " + std::to_string(batch.columns.size()) +
                                   " columns; the table has " + std::to_string(want.size()));
  }
  for (size_t i = 0; i < want.size(); ++i) {
    if (!batch.columns[i]->type->Equals(*want[i].type) ||
        batch.columns[i]->length != batch.num_rows) {
      return Status::InvalidArgument("column '" + want[i].name + "' has type " +
                                     batch.columns[i]->type->ToString() + "; the table wants " +
                                     want[i].type->ToString());
    }
  }
  if (batch.num_rows == 0) return Status::OK();
  if (partition_columns_.empty()) {
    ASSIGN_OR_RETURN(OpenFile * file, FileFor("", batch, 0));
    return WriteRows(file, batch, nullptr);
  }
  // Group rows by their partition values; runs of equal keys (sorted input) hash once.
  std::unordered_map<std::string, size_t> groups;
  std::vector<std::string> group_keys;
  std::vector<int64_t> first_row;
  std::vector<std::vector<int64_t>> rows;
  std::string key, previous;
  size_t previous_group = 0;
  for (int64_t r = 0; r < batch.num_rows; ++r) {
    key.clear();
    for (int c : partition_columns_) {
      size_t mark = key.size();
      key.append(4, '\0');
      ASSIGN_OR_RETURN(bool valid,
                       AppendPartitionValue(*batch.columns[static_cast<size_t>(c)], r, &key));
      uint32_t len = valid ? static_cast<uint32_t>(key.size() - mark - 4) : 0xFFFFFFFFu;
      std::memcpy(&key[mark], &len, 4);
    }
    size_t g;
    if (r > 0 && key == previous) {
      g = previous_group;
    } else {
      auto [it, inserted] = groups.emplace(key, group_keys.size());
      if (inserted) {
        group_keys.push_back(key);
        first_row.push_back(r);
        rows.emplace_back();
      }
      g = it->second;
      previous = key;
      previous_group = g;
    }
    rows[g].push_back(r);
  }
  for (size_t g = 0; g < group_keys.size(); ++g) {
    ASSIGN_OR_RETURN(OpenFile * file, FileFor(group_keys[g], batch, first_row[g]));
    bool all = rows[g].size() == static_cast<size_t>(batch.num_rows);
    RETURN_NOT_OK(WriteRows(file, batch, all ? nullptr : &rows[g]));
  }
  return Status::OK();
}

Result<std::vector<FileAction>> DataFileWriter::Finish() {
  while (!open_.empty()) RETURN_NOT_OK(CloseFile(open_.begin()->second.get()));
  return std::exchange(done_, {});
}

}  // namespace ds::delta
