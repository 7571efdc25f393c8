#include "client/wire.h"

#include "delta/commit_parser.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::client {
namespace {

Status Bad(std::string_view what, std::string_view problem) {
  return Status::InvalidArgument("sharing response: " + std::string(what) + ": " +
                                 std::string(problem));
}

Result<JsonValue> ParseObject(std::string_view text, std::string_view what) {
  auto doc = ParseJson(text);
  if (!doc.ok()) return Bad(what, "not JSON (" + doc.status().message() + ")");
  if (!doc->is_object()) return Bad(what, "not a JSON object");
  return doc;
}

// A required string member.
Result<std::string> RequiredString(const JsonValue& obj, std::string_view key,
                                   std::string_view what) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr || v->is_null()) return Bad(what, "missing " + std::string(key));
  if (!v->is_string()) return Bad(what, std::string(key) + " is not a string");
  return v->string_value();
}

// An optional string member ("" when absent or null).
Result<std::string> OptionalString(const JsonValue& obj, std::string_view key,
                                   std::string_view what) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) return Bad(what, std::string(key) + " is not a string");
  return v->string_value();
}

// An optional int64 member; numbers and numeric strings are accepted.
Result<std::optional<int64_t>> OptionalInt(const JsonValue& obj, std::string_view key,
                                           std::string_view what) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  std::optional<int64_t> parsed;
  if (v->is_number()) parsed = ParseInt64(v->number_text());
  if (v->is_string()) parsed = ParseInt64(v->string_value());
  if (!parsed) return Bad(what, std::string(key) + " is not a 64-bit integer");
  return parsed;
}

Result<delta::StringMap> StringMapOf(const JsonValue* v, std::string_view key,
                                     std::string_view what) {
  delta::StringMap out;
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_object()) return Bad(what, std::string(key) + " is not an object");
  out.reserve(v->size());
  for (size_t i = 0; i < v->size(); ++i) {
    const JsonValue& item = v->items()[i];
    if (item.is_null()) {
      out.emplace_back(v->keys()[i], std::nullopt);
    } else if (item.is_string()) {
      out.emplace_back(v->keys()[i], item.string_value());
    } else if (item.is_number() || item.is_bool()) {
      out.emplace_back(v->keys()[i], item.ToString());
    } else {
      return Bad(what, std::string(key) + "." + v->keys()[i] + " is not a string");
    }
  }
  return out;
}

const JsonValue* Items(const JsonValue& doc, std::string_view what, Status* st) {
  const JsonValue* items = doc.Find("items");
  if (items != nullptr && !items->is_null() && !items->is_array()) {
    *st = Bad(what, "items is not an array");
  }
  return items != nullptr && items->is_array() ? items : nullptr;
}

template <typename T, typename Fn>
Result<ListPage<T>> ParsePage(std::string_view body, std::string_view what, Fn&& item) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseObject(body, what));
  ListPage<T> page;
  Status st;
  const JsonValue* items = Items(doc, what, &st);
  RETURN_NOT_OK(st);
  if (items != nullptr) {
    page.items.reserve(items->size());
    for (const JsonValue& v : items->items()) {
      if (!v.is_object()) return Bad(what, "an item is not an object");
      ASSIGN_OR_RETURN(T parsed, item(v));
      page.items.push_back(std::move(parsed));
    }
  }
  ASSIGN_OR_RETURN(page.next_page_token, OptionalString(doc, "nextPageToken", what));
  return page;
}

Result<ShareInfo> ShareOf(const JsonValue& v, std::string_view what) {
  ShareInfo s;
  ASSIGN_OR_RETURN(s.name, RequiredString(v, "name", what));
  ASSIGN_OR_RETURN(s.id, OptionalString(v, "id", what));
  return s;
}

// Collects the first action of a Delta JSON line (protocol, metaData or a file action).
class OneAction final : public delta::ActionHandler {
 public:
  Status OnFileAction(const delta::FileActionView& action) override {
    file = action.ToOwned();
    return Status::OK();
  }
  Status OnProtocol(delta::Protocol&& p) override {
    protocol = std::move(p);
    return Status::OK();
  }
  Status OnMetadata(delta::Metadata&& m) override {
    metadata = std::move(m);
    return Status::OK();
  }
  std::optional<delta::FileAction> file;
  std::optional<delta::Protocol> protocol;
  std::optional<delta::Metadata> metadata;
};

// Parses `{"<wrapper>": <payload>}` with the Delta log parser.
Status ParseDeltaAction(std::string_view wrapper, const JsonValue& payload, std::string_view what,
                        OneAction* out) {
  std::string text = "{";
  AppendJsonString(wrapper, &text);
  text.push_back(':');
  payload.AppendTo(&text);
  text.push_back('}');
  thread_local delta::CommitParser parser;
  Status st = parser.Parse(&text, what, out);
  if (!st.ok()) return Bad(what, st.message());
  return Status::OK();
}

Status ParseProtocolLine(const JsonValue& body, ResponseFormat format, SharedProtocol* out) {
  constexpr std::string_view kWhat = "protocol line";
  const JsonValue* delta_protocol = body.Find("deltaProtocol");
  if (format == ResponseFormat::kDelta) {
    if (delta_protocol == nullptr || !delta_protocol->is_object()) {
      return Bad(kWhat, "a delta-format response needs deltaProtocol");
    }
    OneAction action;
    RETURN_NOT_OK(ParseDeltaAction("protocol", *delta_protocol, kWhat, &action));
    if (!action.protocol) return Bad(kWhat, "deltaProtocol is not a protocol");
    out->protocol = std::move(*action.protocol);
    ASSIGN_OR_RETURN(out->version, OptionalInt(body, "version", kWhat));
    return Status::OK();
  }
  if (delta_protocol != nullptr) {
    return Bad(kWhat, "deltaProtocol in a parquet-format response");
  }
  ASSIGN_OR_RETURN(auto reader, OptionalInt(body, "minReaderVersion", kWhat));
  if (!reader) return Bad(kWhat, "missing minReaderVersion");
  if (*reader < 1 || *reader > 3) {
    return Bad(kWhat, "minReaderVersion " + std::to_string(*reader) + " is out of range");
  }
  out->protocol = delta::Protocol{};
  out->protocol.min_reader_version = static_cast<int32_t>(*reader);
  ASSIGN_OR_RETURN(auto writer, OptionalInt(body, "minWriterVersion", kWhat));
  if (writer) out->protocol.min_writer_version = static_cast<int32_t>(*writer);
  out->version.reset();
  return Status::OK();
}

Status ParseMetadataLine(const JsonValue& body, ResponseFormat format, SharedMetadata* out) {
  constexpr std::string_view kWhat = "metaData line";
  const JsonValue* delta_metadata = body.Find("deltaMetadata");
  const JsonValue* payload = &body;
  if (format == ResponseFormat::kDelta) {
    if (delta_metadata == nullptr || !delta_metadata->is_object()) {
      return Bad(kWhat, "a delta-format response needs deltaMetadata");
    }
    payload = delta_metadata;
  } else if (delta_metadata != nullptr) {
    return Bad(kWhat, "deltaMetadata in a parquet-format response");
  }
  for (std::string_view key : {"id", "schemaString"}) {
    const JsonValue* v = payload->Find(key);
    if (v == nullptr || !v->is_string()) return Bad(kWhat, "missing " + std::string(key));
  }
  OneAction action;
  RETURN_NOT_OK(ParseDeltaAction("metaData", *payload, kWhat, &action));
  if (!action.metadata) return Bad(kWhat, "not a metaData action");
  out->metadata = std::move(*action.metadata);
  ASSIGN_OR_RETURN(out->version, OptionalInt(body, "version", kWhat));
  ASSIGN_OR_RETURN(out->size, OptionalInt(body, "size", kWhat));
  ASSIGN_OR_RETURN(out->num_files, OptionalInt(body, "numFiles", kWhat));
  return Status::OK();
}

Status ParseParquetFile(const JsonValue& body, FileLineKind kind, SharedFile* out) {
  const std::string what = std::string(FileLineKindName(kind)) + " line";
  out->line_kind = kind;
  delta::FileAction& a = out->action;
  a = delta::FileAction{};
  a.kind = kind == FileLineKind::kRemove ? delta::FileActionKind::kRemove
           : kind == FileLineKind::kCdf  ? delta::FileActionKind::kCdc
                                         : delta::FileActionKind::kAdd;
  a.data_change = true;
  ASSIGN_OR_RETURN(a.path, RequiredString(body, "url", what));
  ASSIGN_OR_RETURN(out->id, RequiredString(body, "id", what));
  ASSIGN_OR_RETURN(a.partition_values,
                   StringMapOf(body.Find("partitionValues"), "partitionValues", what));
  ASSIGN_OR_RETURN(a.size, OptionalInt(body, "size", what));
  if (!a.size) return Bad(what, "missing size");
  if (*a.size < 0) return Bad(what, "negative size");
  if (const JsonValue* stats = body.Find("stats"); stats != nullptr && !stats->is_null()) {
    if (!stats->is_string()) return Bad(what, "stats is not a string");
    a.stats = stats->string_value();
  }
  ASSIGN_OR_RETURN(out->version, OptionalInt(body, "version", what));
  ASSIGN_OR_RETURN(out->timestamp_ms, OptionalInt(body, "timestamp", what));
  ASSIGN_OR_RETURN(out->expiration_ms, OptionalInt(body, "expirationTimestamp", what));
  out->deletion_vector_file_id.clear();
  return Status::OK();
}

Status ParseDeltaFile(const JsonValue& body, SharedFile* out) {
  constexpr std::string_view kWhat = "file line";
  ASSIGN_OR_RETURN(out->id, RequiredString(body, "id", kWhat));
  const JsonValue* single = body.Find("deltaSingleAction");
  if (single == nullptr || !single->is_object() || single->size() != 1) {
    return Bad(kWhat, "deltaSingleAction is not an object with one action");
  }
  const std::string& wrapper = single->keys()[0];
  if (wrapper != "add" && wrapper != "remove" && wrapper != "cdc") {
    return Bad(kWhat, "deltaSingleAction holds '" + wrapper + "', not add, remove or cdc");
  }
  if (!single->items()[0].is_object()) return Bad(kWhat, wrapper + " is not an object");
  OneAction action;
  RETURN_NOT_OK(ParseDeltaAction(wrapper, single->items()[0], kWhat, &action));
  if (!action.file) return Bad(kWhat, "deltaSingleAction has no file action");
  out->action = std::move(*action.file);
  if (!out->action.size) return Bad(kWhat, wrapper + " has no size");
  if (*out->action.size < 0) return Bad(kWhat, "negative size");
  out->line_kind = out->action.kind == delta::FileActionKind::kRemove ? FileLineKind::kRemove
                   : out->action.kind == delta::FileActionKind::kCdc  ? FileLineKind::kCdf
                                                                      : FileLineKind::kFile;
  ASSIGN_OR_RETURN(out->version, OptionalInt(body, "version", kWhat));
  ASSIGN_OR_RETURN(out->timestamp_ms, OptionalInt(body, "timestamp", kWhat));
  ASSIGN_OR_RETURN(out->expiration_ms, OptionalInt(body, "expirationTimestamp", kWhat));
  ASSIGN_OR_RETURN(out->deletion_vector_file_id,
                   OptionalString(body, "deletionVectorFileId", kWhat));
  return Status::OK();
}

Status ParseEndStream(const JsonValue& body, EndStreamAction* out) {
  constexpr std::string_view kWhat = "endStreamAction line";
  *out = EndStreamAction{};
  ASSIGN_OR_RETURN(out->refresh_token, OptionalString(body, "refreshToken", kWhat));
  ASSIGN_OR_RETURN(out->next_page_token, OptionalString(body, "nextPageToken", kWhat));
  ASSIGN_OR_RETURN(out->min_url_expiration_ms,
                   OptionalInt(body, "minUrlExpirationTimestamp", kWhat));
  if (const JsonValue* e = body.Find("errorMessage"); e != nullptr && !e->is_null()) {
    out->error_message = e->is_string() ? e->string_value() : e->ToString();
  }
  ASSIGN_OR_RETURN(auto code, OptionalInt(body, "httpStatusErrorCode", kWhat));
  if (code) out->http_status_error_code = static_cast<int32_t>(*code);
  return Status::OK();
}

}  // namespace

std::string_view FileLineKindName(FileLineKind kind) {
  switch (kind) {
    case FileLineKind::kFile:
      return "file";
    case FileLineKind::kAdd:
      return "add";
    case FileLineKind::kRemove:
      return "remove";
    case FileLineKind::kCdf:
      return "cdf";
  }
  return "file";
}

Result<ListPage<ShareInfo>> ParseSharesPage(std::string_view body) {
  return ParsePage<ShareInfo>(body, "shares page",
                              [](const JsonValue& v) { return ShareOf(v, "share"); });
}

Result<ListPage<SchemaInfo>> ParseSchemasPage(std::string_view body) {
  return ParsePage<SchemaInfo>(body, "schemas page", [](const JsonValue& v) -> Result<SchemaInfo> {
    SchemaInfo s;
    ASSIGN_OR_RETURN(s.name, RequiredString(v, "name", "schema"));
    ASSIGN_OR_RETURN(s.share, RequiredString(v, "share", "schema"));
    return s;
  });
}

Result<ListPage<TableInfo>> ParseTablesPage(std::string_view body) {
  return ParsePage<TableInfo>(body, "tables page", [](const JsonValue& v) -> Result<TableInfo> {
    TableInfo t;
    ASSIGN_OR_RETURN(t.name, RequiredString(v, "name", "table"));
    ASSIGN_OR_RETURN(t.schema, RequiredString(v, "schema", "table"));
    ASSIGN_OR_RETURN(t.share, RequiredString(v, "share", "table"));
    ASSIGN_OR_RETURN(t.share_id, OptionalString(v, "shareId", "table"));
    ASSIGN_OR_RETURN(t.id, OptionalString(v, "id", "table"));
    return t;
  });
}

Result<ShareInfo> ParseShareDocument(std::string_view body) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseObject(body, "share document"));
  const JsonValue* share = doc.Find("share");
  if (share == nullptr || !share->is_object()) return Bad("share document", "missing share");
  return ShareOf(*share, "share");
}

Status ParseResponseLine(std::string_view line, ResponseFormat format, ResponseLine* out) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseObject(line, "response line"));
  if (doc.size() != 1) {
    return Bad("response line",
               "expected exactly one wrapper key, found " + std::to_string(doc.size()));
  }
  const std::string& key = doc.keys()[0];
  const JsonValue& body = doc.items()[0];
  if (!body.is_object()) return Bad("response line", key + " is not an object");
  using Kind = ResponseLine::Kind;
  if (key == "protocol") {
    out->kind = Kind::kProtocol;
    return ParseProtocolLine(body, format, &out->protocol);
  }
  if (key == "metaData") {
    out->kind = Kind::kMetadata;
    return ParseMetadataLine(body, format, &out->metadata);
  }
  if (key == "endStreamAction") {
    out->kind = Kind::kEndStream;
    return ParseEndStream(body, &out->end);
  }
  if (key == "queryStatus") {
    out->kind = Kind::kQueryStatus;
    ASSIGN_OR_RETURN(out->status.query_id, RequiredString(body, "queryId", "queryStatus line"));
    ASSIGN_OR_RETURN(out->status.status, OptionalString(body, "status", "queryStatus line"));
    ASSIGN_OR_RETURN(out->status.error_message,
                     OptionalString(body, "errorMessage", "queryStatus line"));
    return Status::OK();
  }
  std::optional<FileLineKind> kind;
  if (key == "file") kind = FileLineKind::kFile;
  if (key == "add") kind = FileLineKind::kAdd;
  if (key == "remove") kind = FileLineKind::kRemove;
  if (key == "cdf") kind = FileLineKind::kCdf;
  if (!kind) return Bad("response line", "unknown action '" + key + "'");
  out->kind = Kind::kFile;
  if (format == ResponseFormat::kDelta) {
    if (*kind != FileLineKind::kFile) {
      return Bad("response line", "'" + key + "' line in a delta-format response");
    }
    return ParseDeltaFile(body, &out->file);
  }
  if (body.Find("deltaSingleAction") != nullptr) {
    return Bad("response line", "deltaSingleAction in a parquet-format response");
  }
  return ParseParquetFile(body, *kind, &out->file);
}

Result<ResponseFormat> ResponseFormatOf(std::optional<std::string_view> header) {
  if (!header) return ResponseFormat::kParquet;
  sharing::protocol::Capabilities caps = sharing::protocol::ParseCapabilities(*header);
  if (!caps.unknown_formats.empty() && caps.formats.empty()) {
    return Status::InvalidArgument("the server answered in an unknown response format '" +
                                   caps.unknown_formats.front() + "'");
  }
  if (caps.formats.size() > 1) {
    return Status::InvalidArgument("the server's delta-sharing-capabilities header names " +
                                   std::to_string(caps.formats.size()) + " response formats");
  }
  return caps.formats.empty() ? ResponseFormat::kParquet : caps.formats.front();
}

}  // namespace ds::client
