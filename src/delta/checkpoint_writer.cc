#include "delta/checkpoint_writer.h"

#include <chrono>

#include "columnar/builder.h"
#include "delta/last_checkpoint.h"
#include "delta/log_path.h"
#include "delta/table_features.h"
#include "delta/table_properties.h"
#include "io/file.h"
#include "parquet/file_writer.h"
#include "util/json.h"

namespace ds::delta {
namespace {

using columnar::ArrayBuilder;
using columnar::BinaryBuilder;
using columnar::BoolBuilder;
using columnar::Field;
using columnar::FixedBuilder;
using columnar::ListBuilder;
using columnar::StructBuilder;
using columnar::TypePtr;

TypePtr StringMapType() {
  return columnar::Map(Field("key", columnar::String(), false),
                       Field("value", columnar::String(), true));
}

TypePtr StringListType() { return columnar::List(Field("element", columnar::String(), true)); }

TypePtr DeletionVectorType() {
  return columnar::Struct(
      {Field("storageType", columnar::String()), Field("pathOrInlineDv", columnar::String()),
       Field("offset", columnar::Int32()), Field("sizeInBytes", columnar::Int32()),
       Field("cardinality", columnar::Int64()), Field("maxRowIndex", columnar::Int64())});
}

columnar::SchemaPtr CheckpointSchema() {
  auto s = std::make_shared<columnar::Schema>();
  s->fields = {
      Field("txn", columnar::Struct({Field("appId", columnar::String()),
                                     Field("version", columnar::Int64()),
                                     Field("lastUpdated", columnar::Int64())})),
      Field("add",
            columnar::Struct(
                {Field("path", columnar::String()), Field("partitionValues", StringMapType()),
                 Field("size", columnar::Int64()), Field("modificationTime", columnar::Int64()),
                 Field("dataChange", columnar::Bool()), Field("stats", columnar::String()),
                 Field("tags", StringMapType()), Field("deletionVector", DeletionVectorType()),
                 Field("baseRowId", columnar::Int64()),
                 Field("defaultRowCommitVersion", columnar::Int64()),
                 Field("clusteringProvider", columnar::String())})),
      Field("remove",
            columnar::Struct(
                {Field("path", columnar::String()), Field("deletionTimestamp", columnar::Int64()),
                 Field("dataChange", columnar::Bool()),
                 Field("extendedFileMetadata", columnar::Bool()),
                 Field("partitionValues", StringMapType()), Field("size", columnar::Int64()),
                 Field("tags", StringMapType()), Field("deletionVector", DeletionVectorType()),
                 Field("baseRowId", columnar::Int64()),
                 Field("defaultRowCommitVersion", columnar::Int64())})),
      Field(
          "metaData",
          columnar::Struct({Field("id", columnar::String()), Field("name", columnar::String()),
                            Field("description", columnar::String()),
                            Field("format", columnar::Struct({Field("provider", columnar::String()),
                                                              Field("options", StringMapType())})),
                            Field("schemaString", columnar::String()),
                            Field("partitionColumns", StringListType()),
                            Field("configuration", StringMapType()),
                            Field("createdTime", columnar::Int64())})),
      Field("protocol", columnar::Struct({Field("minReaderVersion", columnar::Int32()),
                                          Field("minWriterVersion", columnar::Int32()),
                                          Field("readerFeatures", StringListType()),
                                          Field("writerFeatures", StringListType())})),
      Field("domainMetadata", columnar::Struct({Field("domain", columnar::String()),
                                                Field("configuration", columnar::String()),
                                                Field("removed", columnar::Bool())})),
  };
  return s;
}

void Str(ArrayBuilder* b, std::optional<std::string_view> v) {
  if (v) {
    b->As<BinaryBuilder>()->Append(*v);
  } else {
    b->AppendNull();
  }
}

template <typename T>
void Fixed(ArrayBuilder* b, std::optional<int64_t> v) {
  if (v) {
    b->As<FixedBuilder>()->Append<T>(static_cast<T>(*v));
  } else {
    b->AppendNull();
  }
}

void Boolean(ArrayBuilder* b, std::optional<bool> v) {
  if (v) {
    b->As<BoolBuilder>()->Append(*v);
  } else {
    b->AppendNull();
  }
}

// A map<string,string> slot from entries (null when `present` is false).
template <typename Entries>
void StrMap(ArrayBuilder* b, bool present, const Entries& entries) {
  auto* list = b->As<ListBuilder>();
  if (!present) {
    list->AppendNull();
    return;
  }
  for (const auto& e : entries) {
    list->child(0)->As<BinaryBuilder>()->Append(e.first);
    Str(list->child(1), e.second);
  }
  list->CloseList();
}

void StrList(ArrayBuilder* b, const std::optional<std::vector<std::string>>& items) {
  auto* list = b->As<ListBuilder>();
  if (!items) {
    list->AppendNull();
    return;
  }
  for (const std::string& s : *items) list->child(0)->As<BinaryBuilder>()->Append(s);
  list->CloseList();
}

void Dv(ArrayBuilder* b, const std::optional<DeletionVectorView>& dv) {
  auto* s = b->As<StructBuilder>();
  if (!dv) {
    s->AppendNull();
    return;
  }
  Str(s->child(0), std::string_view(&dv->storage_type, 1));
  Str(s->child(1), dv->path_or_inline_dv);
  Fixed<int32_t>(s->child(2), dv->offset);
  Fixed<int32_t>(s->child(3), dv->size_in_bytes);
  Fixed<int64_t>(s->child(4), dv->cardinality);
  Fixed<int64_t>(s->child(5), dv->max_row_index);
  s->AppendValid();
}

// Adapts FileView's indexed pairs to (key, optional value) iteration.
struct FileMapEntries {
  const FileView& file;
  bool tags;
  struct It {
    const FileMapEntries* m;
    size_t i;
    std::pair<std::string_view, std::optional<std::string_view>> operator*() const {
      StringPairView p = m->tags ? m->file.tag(i) : m->file.partition_value(i);
      return {p.key, p.value_is_null ? std::nullopt : std::optional<std::string_view>(p.value)};
    }
    It& operator++() {
      ++i;
      return *this;
    }
    bool operator!=(const It& o) const { return i != o.i; }
  };
  It begin() const { return {this, 0}; }
  It end() const { return {this, tags ? file.num_tags() : file.num_partition_values()}; }
};

struct Rows {
  std::vector<std::unique_ptr<ArrayBuilder>> builders;  // txn, add, remove, metaData, protocol, dm
  int64_t count = 0;
  // Starts a row for column `c`: every other column gets a null.
  StructBuilder* Row(size_t c) {
    for (size_t i = 0; i < builders.size(); ++i) {
      if (i != c) builders[i]->AppendNull();
    }
    ++count;
    return builders[c]->As<StructBuilder>();
  }
};

void AddRow(Rows* rows, const FileView& f) {
  StructBuilder* s = rows->Row(1);
  Str(s->child(0), f.path());
  StrMap(s->child(1), true, FileMapEntries{f, false});
  Fixed<int64_t>(s->child(2), f.size());
  Fixed<int64_t>(s->child(3), f.modification_time());
  Boolean(s->child(4), false);
  Str(s->child(5), f.stats());
  StrMap(s->child(6), f.has_tags(), FileMapEntries{f, true});
  Dv(s->child(7), f.deletion_vector());
  Fixed<int64_t>(s->child(8), f.base_row_id());
  Fixed<int64_t>(s->child(9), f.default_row_commit_version());
  Str(s->child(10), f.clustering_provider());
  s->AppendValid();
}

void RemoveRow(Rows* rows, const FileView& f) {
  StructBuilder* s = rows->Row(2);
  Str(s->child(0), f.path());
  Fixed<int64_t>(s->child(1), f.deletion_timestamp());
  Boolean(s->child(2), f.data_change());
  Boolean(s->child(3), f.extended_file_metadata());
  StrMap(s->child(4), f.has_partition_values(), FileMapEntries{f, false});
  Fixed<int64_t>(s->child(5), f.size());
  StrMap(s->child(6), f.has_tags(), FileMapEntries{f, true});
  Dv(s->child(7), f.deletion_vector());
  Fixed<int64_t>(s->child(8), f.base_row_id());
  Fixed<int64_t>(s->child(9), f.default_row_commit_version());
  s->AppendValid();
}

void MetadataRow(Rows* rows, const Metadata& m) {
  StructBuilder* s = rows->Row(3);
  Str(s->child(0), m.id);
  Str(s->child(1), m.name);
  Str(s->child(2), m.description);
  auto* format = s->child(3)->As<StructBuilder>();
  Str(format->child(0), m.format.provider);
  StrMap(format->child(1), true, m.format.options);
  format->AppendValid();
  Str(s->child(4), m.schema_string);
  StrList(s->child(5), m.partition_columns);
  StrMap(s->child(6), true, m.configuration);
  Fixed<int64_t>(s->child(7), m.created_time);
  s->AppendValid();
}

void ProtocolRow(Rows* rows, const Protocol& p) {
  StructBuilder* s = rows->Row(4);
  Fixed<int32_t>(s->child(0), p.min_reader_version);
  Fixed<int32_t>(s->child(1), p.min_writer_version);
  StrList(s->child(2), p.reader_features);
  StrList(s->child(3), p.writer_features);
  s->AppendValid();
}

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<CheckpointInfo> WriteCheckpoint(const Table& table, const Snapshot& snapshot,
                                       const CheckpointOptions& options) {
  const TableLocation& loc = table.location();
  if (ProtocolSupports(snapshot.protocol(), "v2Checkpoint")) {
    return Status::NotSupported(loc.uri +
                                " uses v2 checkpoints; deltashare writes classic checkpoints only");
  }
  const int64_t version = snapshot.version();
  Result<objstore::ObjectMeta> commit = loc.store->Head(loc.log_dir + CommitFileName(version));
  if (!commit.ok()) {
    return commit.status().WithContext("checkpoint of version " + std::to_string(version) + " of " +
                                       loc.uri + " needs its commit file");
  }
  const int64_t now = options.clock_ms ? options.clock_ms() : SystemNowMs();
  ASSIGN_OR_RETURN(int64_t retention, DeletedFileRetentionMs(snapshot.metadata()));
  std::optional<int64_t> txn_retention;
  if (auto v = snapshot.metadata().Property("delta.setTransactionRetentionDuration")) {
    ASSIGN_OR_RETURN(txn_retention, ParseIntervalMs(*v));
  }

  columnar::SchemaPtr schema = CheckpointSchema();
  Rows rows;
  rows.builders = columnar::MakeBuilders(*schema);
  CheckpointInfo info;
  info.version = version;
  ProtocolRow(&rows, snapshot.protocol());
  MetadataRow(&rows, snapshot.metadata());
  for (const auto& [app_id, txn] : snapshot.transactions()) {
    if (txn_retention && txn.last_updated && *txn.last_updated < now - *txn_retention) continue;
    StructBuilder* s = rows.Row(0);
    Str(s->child(0), txn.app_id);
    Fixed<int64_t>(s->child(1), txn.version);
    Fixed<int64_t>(s->child(2), txn.last_updated);
    s->AppendValid();
  }
  for (const auto& [name, domain] : snapshot.domains()) {
    StructBuilder* s = rows.Row(5);
    Str(s->child(0), domain.domain);
    Str(s->child(1), domain.configuration);
    Boolean(s->child(2), false);
    s->AppendValid();
  }
  const FileTable& files = snapshot.files();
  for (size_t i = 0; i < files.num_files(); ++i) AddRow(&rows, files.file(i));
  info.num_add_files = static_cast<int64_t>(files.num_files());
  for (size_t i = 0; i < files.num_tombstones(); ++i) {
    FileView t = files.tombstone(i);
    if (t.deletion_timestamp().value_or(0) <= now - retention) continue;
    RemoveRow(&rows, t);
    ++info.num_tombstones;
  }
  info.num_actions = rows.count;
  columnar::RecordBatch batch = columnar::FinishBatch(schema, rows.count, &rows.builders);

  auto sink = std::make_unique<io::MemoryOutputStream>();
  io::MemoryOutputStream* raw = sink.get();
  ASSIGN_OR_RETURN(auto writer, parquet::FileWriter::Open(std::move(sink), schema));
  RETURN_NOT_OK(writer->Write(batch));
  RETURN_NOT_OK(writer->Close());
  Buffer bytes = raw->Take();
  info.size_in_bytes = static_cast<int64_t>(bytes.size());
  const std::string key = loc.log_dir + VersionPrefix(version) + ".checkpoint.parquet";
  RETURN_NOT_OK(loc.store->Put(
      key, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())));

  const std::string hint_key = loc.log_dir + "_last_checkpoint";
  Result<std::string> existing = loc.store->Get(hint_key);
  if (existing.ok()) {
    Result<LastCheckpointHint> hint = ParseLastCheckpoint(*existing);
    if (hint.ok() && hint->version >= version) return info;
  } else if (!existing.status().IsNotFound()) {
    return existing.status();
  }
  std::string json;
  JsonWriter w(&json);
  w.BeginObject();
  w.FieldInt("version", version);
  w.FieldInt("size", info.num_actions);
  w.FieldInt("sizeInBytes", info.size_in_bytes);
  w.FieldInt("numOfAddFiles", info.num_add_files);
  w.EndObject();
  RETURN_NOT_OK(loc.store->Put(hint_key, json));
  info.hint_updated = true;
  return info;
}

}  // namespace ds::delta
