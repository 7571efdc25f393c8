#include "delta/action_json.h"

#include "util/json.h"

namespace ds::delta {
namespace {

void AppendPairsJson(std::span<const StringPairView> pairs, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const StringPairView& p : pairs) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(p.key, out);
    out->push_back(':');
    if (p.value_is_null) {
      out->append("null");
    } else {
      AppendJsonString(p.value, out);
    }
  }
  out->push_back('}');
}

void AppendDvViewJson(const DeletionVectorView& dv, std::string* out) {
  JsonWriter w(out);
  w.BeginObject();
  w.Field("storageType", std::string_view(&dv.storage_type, 1));
  w.Field("pathOrInlineDv", dv.path_or_inline_dv);
  if (dv.offset) w.FieldInt("offset", *dv.offset);
  w.FieldInt("sizeInBytes", dv.size_in_bytes);
  w.FieldInt("cardinality", dv.cardinality);
  if (dv.max_row_index) w.FieldInt("maxRowIndex", *dv.max_row_index);
  w.EndObject();
}

DeletionVectorView DvView(const DeletionVectorDescriptor& dv) {
  return {dv.storage_type,  dv.path_or_inline_dv, dv.offset,
          dv.size_in_bytes, dv.cardinality,       dv.max_row_index};
}

void FillPairs(const StringMap& map, std::vector<StringPairView>* out) {
  out->clear();
  for (const auto& [k, v] : map) out->push_back({k, v ? std::string_view(*v) : "", !v});
}

}  // namespace

void AppendStringMapJson(const StringMap& map, std::string* out) {
  std::vector<StringPairView> pairs;
  FillPairs(map, &pairs);
  AppendPairsJson(pairs, out);
}

void AppendDeletionVectorJson(const DeletionVectorDescriptor& dv, std::string* out) {
  AppendDvViewJson(DvView(dv), out);
}

FileActionView ViewOf(const FileAction& a, FileActionViewScratch* scratch) {
  FileActionView v;
  v.kind = a.kind;
  v.path = a.path;
  if (a.partition_values) {
    FillPairs(*a.partition_values, &scratch->partition_values);
    v.has_partition_values = true;
    v.partition_values = scratch->partition_values;
  }
  v.size = a.size;
  v.modification_time = a.modification_time;
  v.data_change = a.data_change;
  if (a.stats) v.stats = *a.stats;
  if (a.tags) {
    FillPairs(*a.tags, &scratch->tags);
    v.has_tags = true;
    v.tags = scratch->tags;
  }
  if (a.deletion_vector) v.deletion_vector = DvView(*a.deletion_vector);
  v.base_row_id = a.base_row_id;
  v.default_row_commit_version = a.default_row_commit_version;
  if (a.clustering_provider) v.clustering_provider = *a.clustering_provider;
  v.deletion_timestamp = a.deletion_timestamp;
  v.extended_file_metadata = a.extended_file_metadata;
  return v;
}

void AppendFileActionJson(const FileActionView& a, const FileActionJsonOptions& options,
                          std::string* out) {
  std::string_view path = options.path ? *options.path : a.path;
  std::optional<DeletionVectorView> dv = a.deletion_vector;
  if (options.deletion_vector) dv = DvView(*options.deletion_vector);
  auto key = [&](std::string_view k) {
    out->push_back(',');
    AppendJsonString(k, out);
    out->push_back(':');
  };
  auto int_field = [&](std::string_view k, const std::optional<int64_t>& v) {
    if (!v) return;
    key(k);
    AppendJsonInt(*v, out);
  };
  auto partition_values = [&] {
    if (!a.has_partition_values && a.kind == FileActionKind::kRemove) return;
    key("partitionValues");
    AppendPairsJson(a.partition_values, out);
  };
  auto data_change = [&] {
    key("dataChange");
    out->append(a.data_change ? "true" : "false");
  };
  auto stats_and_tags = [&] {
    if (a.stats) {
      key("stats");
      AppendJsonString(*a.stats, out);
    }
    if (a.has_tags) {
      key("tags");
      AppendPairsJson(a.tags, out);
    }
  };
  auto dv_and_rows = [&] {
    if (dv) {
      key("deletionVector");
      AppendDvViewJson(*dv, out);
    }
    int_field("baseRowId", a.base_row_id);
    int_field("defaultRowCommitVersion", a.default_row_commit_version);
  };

  out->append("{\"");
  out->append(FileActionKindName(a.kind));
  out->append("\":{\"path\":");
  AppendJsonString(path, out);
  switch (a.kind) {
    case FileActionKind::kAdd:
      partition_values();
      int_field("size", a.size);
      int_field("modificationTime", a.modification_time);
      data_change();
      stats_and_tags();
      dv_and_rows();
      if (a.clustering_provider) {
        key("clusteringProvider");
        AppendJsonString(*a.clustering_provider, out);
      }
      break;
    case FileActionKind::kRemove:
      int_field("deletionTimestamp", a.deletion_timestamp);
      data_change();
      if (a.extended_file_metadata) {
        key("extendedFileMetadata");
        out->append(*a.extended_file_metadata ? "true" : "false");
      }
      partition_values();
      int_field("size", a.size);
      stats_and_tags();
      dv_and_rows();
      break;
    case FileActionKind::kCdc:
      partition_values();
      int_field("size", a.size);
      data_change();
      if (a.has_tags) {
        key("tags");
        AppendPairsJson(a.tags, out);
      }
      break;
  }
  out->append("}}");
}

void AppendFileActionJson(const FileAction& action, const FileActionJsonOptions& options,
                          std::string* out) {
  FileActionViewScratch scratch;
  AppendFileActionJson(ViewOf(action, &scratch), options, out);
}

std::string ProtocolJson(const Protocol& p) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.FieldInt("minReaderVersion", p.min_reader_version);
  w.FieldInt("minWriterVersion", p.min_writer_version);
  auto features = [&](std::string_view key, const std::optional<std::vector<std::string>>& f) {
    if (!f) return;
    w.Key(key);
    w.BeginArray();
    for (const std::string& name : *f) w.String(name);
    w.EndArray();
  };
  features("readerFeatures", p.reader_features);
  features("writerFeatures", p.writer_features);
  w.EndObject();
  return out;
}

std::string MetadataJson(const Metadata& m) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("id", m.id);
  if (m.name) w.Field("name", *m.name);
  if (m.description) w.Field("description", *m.description);
  w.Key("format");
  w.BeginObject();
  w.Field("provider", m.format.provider);
  w.Key("options");
  std::string options;
  AppendStringMapJson(m.format.options, &options);
  w.Raw(options);
  w.EndObject();
  w.Field("schemaString", m.schema_string);
  w.Key("partitionColumns");
  w.BeginArray();
  for (const std::string& c : m.partition_columns) w.String(c);
  w.EndArray();
  w.Key("configuration");
  std::string configuration;
  AppendStringMapJson(m.configuration, &configuration);
  w.Raw(configuration);
  if (m.created_time) w.FieldInt("createdTime", *m.created_time);
  w.EndObject();
  return out;
}

}  // namespace ds::delta
