#include "sharing/protocol/responses.h"

#include "util/json.h"

namespace ds::sharing::protocol {
namespace {

template <typename Item, typename Fn>
std::string Page(const std::vector<Item>& items, std::string_view token, Fn write_item) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("items");
  w.BeginArray();
  for (const Item& item : items) write_item(w, item);
  w.EndArray();
  if (!token.empty()) w.Field("nextPageToken", token);
  w.EndObject();
  return out;
}

void WriteShare(JsonWriter& w, const ShareItem& s) {
  w.BeginObject();
  w.Field("name", s.name);
  if (!s.id.empty()) w.Field("id", s.id);
  w.EndObject();
}

void WriteStringMap(JsonWriter& w, const StringMap& map) {
  w.BeginObject();
  for (const auto& [k, v] : map) w.Field(k, v);
  w.EndObject();
}

void WriteStrings(JsonWriter& w, const std::vector<std::string>& list) {
  w.BeginArray();
  for (const auto& s : list) w.String(s);
  w.EndArray();
}

void WriteMetadataBody(JsonWriter& w, const MetadataValues& m, bool delta) {
  w.Field("id", m.id);
  if (m.name) w.Field("name", *m.name);
  if (m.description) w.Field("description", *m.description);
  w.Key("format");
  w.BeginObject();
  w.Field("provider", m.format_provider);
  if (delta) {
    w.Key("options");
    WriteStringMap(w, m.format_options);
  }
  w.EndObject();
  w.Field("schemaString", m.schema_string);
  w.Key("partitionColumns");
  WriteStrings(w, m.partition_columns);
  w.Key("configuration");
  WriteStringMap(w, m.configuration);
  if (delta && m.created_time) w.FieldInt("createdTime", *m.created_time);
}

void WriteExtras(JsonWriter& w, const MetadataExtras& e) {
  if (e.version) w.FieldInt("version", *e.version);
  if (e.size) w.FieldInt("size", *e.size);
  if (e.num_files) w.FieldInt("numFiles", *e.num_files);
}

std::string_view KindKey(FileKind kind) {
  switch (kind) {
    case FileKind::kFile:
      return "file";
    case FileKind::kAdd:
      return "add";
    case FileKind::kRemove:
      return "remove";
    case FileKind::kCdf:
      return "cdf";
  }
  return "file";
}

// `prefix` then the value, when present.
void AppendOptionalInt(std::string_view prefix, const std::optional<int64_t>& v, std::string* out) {
  if (!v) return;
  out->append(prefix);
  AppendJsonInt(*v, out);
}

}  // namespace

std::string SharesPage(const std::vector<ShareItem>& items, std::string_view token) {
  return Page(items, token, WriteShare);
}

std::string SchemasPage(const std::vector<SchemaItem>& items, std::string_view token) {
  return Page(items, token, [](JsonWriter& w, const SchemaItem& s) {
    w.BeginObject();
    w.Field("name", s.name);
    w.Field("share", s.share);
    w.EndObject();
  });
}

std::string TablesPage(const std::vector<TableItem>& items, std::string_view token) {
  return Page(items, token, [](JsonWriter& w, const TableItem& t) {
    w.BeginObject();
    w.Field("name", t.name);
    w.Field("schema", t.schema);
    w.Field("share", t.share);
    if (!t.share_id.empty()) w.Field("shareId", t.share_id);
    if (!t.id.empty()) w.Field("id", t.id);
    w.EndObject();
  });
}

std::string ShareDocument(const ShareItem& share) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("share");
  WriteShare(w, share);
  w.EndObject();
  return out;
}

void AppendParquetProtocol(std::string* out) {
  out->append("{\"protocol\":{\"minReaderVersion\":1}}\n");
}

void AppendParquetMetadata(const MetadataValues& meta, const MetadataExtras& extras,
                           std::string* out) {
  JsonWriter w(out);
  w.BeginObject();
  w.Key("metaData");
  w.BeginObject();
  WriteMetadataBody(w, meta, /*delta=*/false);
  WriteExtras(w, extras);
  w.EndObject();
  w.EndObject();
  out->push_back('\n');
}

void AppendDeltaProtocol(const ProtocolValues& p, std::optional<int64_t> version,
                         std::string* out) {
  JsonWriter w(out);
  w.BeginObject();
  w.Key("protocol");
  w.BeginObject();
  w.Key("deltaProtocol");
  w.BeginObject();
  w.FieldInt("minReaderVersion", p.min_reader_version);
  w.FieldInt("minWriterVersion", p.min_writer_version);
  if (p.reader_features) {
    w.Key("readerFeatures");
    WriteStrings(w, *p.reader_features);
  }
  if (p.writer_features) {
    w.Key("writerFeatures");
    WriteStrings(w, *p.writer_features);
  }
  w.EndObject();
  if (version) w.FieldInt("version", *version);
  w.EndObject();
  w.EndObject();
  out->push_back('\n');
}

void AppendDeltaMetadata(const MetadataValues& meta, const MetadataExtras& extras,
                         std::string* out) {
  JsonWriter w(out);
  w.BeginObject();
  w.Key("metaData");
  w.BeginObject();
  w.Key("deltaMetadata");
  w.BeginObject();
  WriteMetadataBody(w, meta, /*delta=*/true);
  w.EndObject();
  WriteExtras(w, extras);
  w.EndObject();
  w.EndObject();
  out->push_back('\n');
}

std::string ParquetSchemaString(std::string_view schema_string) {
  auto doc = ParseJson(schema_string);
  if (!doc.ok() || !doc->is_object()) return std::string(schema_string);
  JsonValue* fields = doc->FindMutable("fields");
  if (fields == nullptr || !fields->is_array()) return std::string(schema_string);
  for (JsonValue& field : fields->mutable_items()) {
    JsonValue* metadata = field.FindMutable("metadata");
    if (metadata == nullptr || !metadata->is_object()) continue;
    JsonValue cleaned = JsonValue::Object();
    if (const JsonValue* comment = metadata->Find("comment")) cleaned.Set("comment", *comment);
    *metadata = std::move(cleaned);
  }
  return doc->ToString();
}

void AppendParquetFile(const ParquetFile& f, std::string* out) {
  out->append("{\"");
  out->append(KindKey(f.kind));
  out->append("\":{\"url\":");
  AppendJsonString(f.url, out);
  out->append(",\"id\":");
  AppendJsonString(f.id, out);
  out->append(",\"partitionValues\":{");
  bool first = true;
  for (const PartitionValueRef& pv : f.partition_values) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(pv.key, out);
    out->push_back(':');
    if (pv.is_null) {
      out->append("null");
    } else {
      AppendJsonString(pv.value, out);
    }
  }
  out->append("},\"size\":");
  AppendJsonInt(f.size, out);
  if (!f.stats.empty() && (f.kind == FileKind::kFile || f.kind == FileKind::kAdd)) {
    out->append(",\"stats\":");
    AppendJsonString(f.stats, out);
  }
  AppendOptionalInt(",\"version\":", f.version, out);
  AppendOptionalInt(",\"timestamp\":", f.timestamp, out);
  AppendOptionalInt(",\"expirationTimestamp\":", f.expiration_timestamp, out);
  out->append("}}\n");
}

void AppendDeltaFile(const DeltaFile& f, std::string* out) {
  out->append("{\"file\":{\"id\":");
  AppendJsonString(f.id, out);
  out->append(",\"deltaSingleAction\":");
  out->append(f.delta_single_action);
  AppendOptionalInt(",\"version\":", f.version, out);
  AppendOptionalInt(",\"timestamp\":", f.timestamp, out);
  AppendOptionalInt(",\"expirationTimestamp\":", f.expiration_timestamp, out);
  if (!f.deletion_vector_file_id.empty()) {
    out->append(",\"deletionVectorFileId\":");
    AppendJsonString(f.deletion_vector_file_id, out);
  }
  out->append("}}\n");
}

void AppendEndStreamAction(const EndStreamAction& a, std::string* out) {
  JsonWriter w(out);
  w.BeginObject();
  w.Key("endStreamAction");
  w.BeginObject();
  if (!a.refresh_token.empty()) w.Field("refreshToken", a.refresh_token);
  if (!a.next_page_token.empty()) w.Field("nextPageToken", a.next_page_token);
  if (a.min_url_expiration_timestamp) {
    w.FieldInt("minUrlExpirationTimestamp", *a.min_url_expiration_timestamp);
  }
  if (!a.error_message.empty()) w.Field("errorMessage", a.error_message);
  if (a.http_status_error_code) w.FieldInt("httpStatusErrorCode", *a.http_status_error_code);
  w.EndObject();
  w.EndObject();
  out->push_back('\n');
}

void AppendQueryStatus(std::string_view query_id, std::string_view status,
                       std::string_view error_message, std::string* out) {
  JsonWriter w(out);
  w.BeginObject();
  w.Key("queryStatus");
  w.BeginObject();
  w.Field("queryId", query_id);
  w.Field("status", status);
  if (!error_message.empty()) w.Field("errorMessage", error_message);
  w.EndObject();
  w.EndObject();
  out->push_back('\n');
}

}  // namespace ds::sharing::protocol
