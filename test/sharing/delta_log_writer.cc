#include "test/sharing/delta_log_writer.h"

#include <sys/time.h>

#include <cstdio>

#include "util/json.h"

namespace ds::sharing::testing {
namespace fs = std::filesystem;
namespace {

void WritePartitionValues(JsonWriter& w, const PartitionValues& values) {
  w.Key("partitionValues");
  w.BeginObject();
  for (const auto& [k, v] : values) {
    w.Key(k);
    if (v) {
      w.String(*v);
    } else {
      w.Null();
    }
  }
  w.EndObject();
}

Status WriteBytes(const fs::path& path, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Status::IOError("cannot create " + path.string());
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !ok) return Status::IOError("cannot write " + path.string());
  return Status::OK();
}

}  // namespace

DeltaLogWriter::DeltaLogWriter(fs::path table_dir) : dir_(std::move(table_dir)) {
  fs::create_directories(dir_ / "_delta_log");
}

Status DeltaLogWriter::Commit(const std::vector<std::string>& actions, int64_t timestamp_ms) {
  char name[32];
  std::snprintf(name, sizeof(name), "%020lld.json", static_cast<long long>(next_version_));
  const fs::path path = dir_ / "_delta_log" / name;
  std::string text;
  for (const auto& a : actions) text += a + "\n";
  RETURN_NOT_OK(WriteBytes(path, text));
  struct timeval times[2];
  for (auto& t : times) {
    t.tv_sec = timestamp_ms / 1000;
    t.tv_usec = (timestamp_ms % 1000) * 1000;
  }
  if (::utimes(path.c_str(), times) != 0) return Status::IOError("utimes " + path.string());
  ++next_version_;
  return Status::OK();
}

Status DeltaLogWriter::WriteFile(const std::string& relative, std::string_view bytes) const {
  return WriteBytes(dir_ / relative, bytes);
}

std::string ProtocolAction(int reader, int writer, const std::vector<std::string>& reader_features,
                           const std::vector<std::string>& writer_features) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("protocol");
  w.BeginObject();
  w.FieldInt("minReaderVersion", reader);
  w.FieldInt("minWriterVersion", writer);
  if (reader >= 3) {
    w.Key("readerFeatures");
    w.BeginArray();
    for (const auto& f : reader_features) w.String(f);
    w.EndArray();
  }
  if (writer >= 7) {
    w.Key("writerFeatures");
    w.BeginArray();
    for (const auto& f : writer_features) w.String(f);
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return out;
}

std::string MetadataAction(std::string_view schema_json,
                           const std::vector<std::string>& partition_columns,
                           const std::vector<std::pair<std::string, std::string>>& configuration,
                           std::string_view id) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("metaData");
  w.BeginObject();
  w.Field("id", id);
  w.Key("format");
  w.BeginObject();
  w.Field("provider", "parquet");
  w.Key("options");
  w.BeginObject();
  w.EndObject();
  w.EndObject();
  w.Field("schemaString", schema_json);
  w.Key("partitionColumns");
  w.BeginArray();
  for (const auto& c : partition_columns) w.String(c);
  w.EndArray();
  w.Key("configuration");
  w.BeginObject();
  for (const auto& [k, v] : configuration) w.Field(k, v);
  w.EndObject();
  w.FieldInt("createdTime", 1600000000000);
  w.EndObject();
  w.EndObject();
  return out;
}

std::string AddAction(std::string_view path, const PartitionValues& partition_values, int64_t size,
                      std::string_view stats, bool data_change, std::string_view deletion_vector) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("add");
  w.BeginObject();
  w.Field("path", path);
  WritePartitionValues(w, partition_values);
  w.FieldInt("size", size);
  w.FieldInt("modificationTime", 1600000000000);
  w.Key("dataChange");
  w.Bool(data_change);
  if (!stats.empty()) w.Field("stats", stats);
  if (!deletion_vector.empty()) {
    w.Key("deletionVector");
    w.Raw(deletion_vector);
  }
  w.EndObject();
  w.EndObject();
  return out;
}

std::string RemoveAction(std::string_view path, const PartitionValues& partition_values,
                         int64_t size, bool data_change, std::string_view deletion_vector) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("remove");
  w.BeginObject();
  w.Field("path", path);
  w.FieldInt("deletionTimestamp", 1600000000000);
  w.Key("dataChange");
  w.Bool(data_change);
  w.Key("extendedFileMetadata");
  w.Bool(true);
  WritePartitionValues(w, partition_values);
  w.FieldInt("size", size);
  if (!deletion_vector.empty()) {
    w.Key("deletionVector");
    w.Raw(deletion_vector);
  }
  w.EndObject();
  w.EndObject();
  return out;
}

std::string CdcAction(std::string_view path, const PartitionValues& partition_values,
                      int64_t size) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("cdc");
  w.BeginObject();
  w.Field("path", path);
  WritePartitionValues(w, partition_values);
  w.FieldInt("size", size);
  w.Key("dataChange");
  w.Bool(false);
  w.EndObject();
  w.EndObject();
  return out;
}

std::string CommitInfoAction(std::string_view operation, std::string_view metrics) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("commitInfo");
  w.BeginObject();
  w.FieldInt("timestamp", 1600000000000);
  w.Field("operation", operation);
  w.Key("operationMetrics");
  w.Raw(metrics);
  w.EndObject();
  w.EndObject();
  return out;
}

std::string SimpleSchema(const std::vector<std::pair<std::string, std::string>>& columns) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("type", "struct");
  w.Key("fields");
  w.BeginArray();
  for (const auto& [name, type] : columns) {
    w.BeginObject();
    w.Field("name", name);
    w.Field("type", type);
    w.Key("nullable");
    w.Bool(true);
    w.Key("metadata");
    w.BeginObject();
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

}  // namespace ds::sharing::testing
