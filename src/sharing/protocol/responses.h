// Response bodies of the Delta Sharing API (protocol.md §2, §5, §6, §7.8): the single-line
// JSON documents of the list endpoints and the NDJSON lines of metadata, query and changes
// responses, in both formats. Every Append* function appends exactly one line ending in '\n'
// (list documents have no newline). The service passes pure values; nothing here does I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ds::sharing::protocol {

// ---- list endpoints -------------------------------------------------------------------

struct ShareItem {
  std::string name;
  std::string id;  // empty = omitted
};
struct SchemaItem {
  std::string name, share;
};
struct TableItem {
  std::string name, schema, share;
  std::string share_id, id;  // empty = omitted
};

// {"items":[…],"nextPageToken":"…"}; the token is omitted when empty.
std::string SharesPage(const std::vector<ShareItem>& items, std::string_view next_page_token);
std::string SchemasPage(const std::vector<SchemaItem>& items, std::string_view next_page_token);
std::string TablesPage(const std::vector<TableItem>& items, std::string_view next_page_token);
// {"share":{"name":…,"id":…}}
std::string ShareDocument(const ShareItem& share);

// ---- table metadata -------------------------------------------------------------------

using StringMap = std::vector<std::pair<std::string, std::string>>;

// One entry of a file's partitionValues (a view; `value` is ignored when `is_null`).
struct PartitionValueRef {
  std::string_view key;
  std::string_view value;
  bool is_null = false;
};

struct ProtocolValues {
  int32_t min_reader_version = 1;
  int32_t min_writer_version = 2;
  std::optional<std::vector<std::string>> reader_features;
  std::optional<std::vector<std::string>> writer_features;
};

struct MetadataValues {
  std::string id;
  std::optional<std::string> name, description;
  std::string format_provider = "parquet";
  StringMap format_options;
  std::string schema_string;
  std::vector<std::string> partition_columns;
  StringMap configuration;
  std::optional<int64_t> created_time;
};

// Optional fields that go beside the metadata payload.
struct MetadataExtras {
  std::optional<int64_t> version;
  std::optional<int64_t> size;
  std::optional<int64_t> num_files;
};

// Parquet format: {"protocol":{"minReaderVersion":1}}
void AppendParquetProtocol(std::string* out);
// Parquet format: {"metaData":{id,name?,description?,format,schemaString,partitionColumns,
// configuration,version?,size?,numFiles?}}. The caller passes the configuration to publish
// (the reference sends only enableChangeDataFeed) and a schema already cleaned with
// ParquetSchemaString.
void AppendParquetMetadata(const MetadataValues& meta, const MetadataExtras& extras,
                           std::string* out);
// Delta format: {"protocol":{"deltaProtocol":{…}[,"version":v]}}
void AppendDeltaProtocol(const ProtocolValues& protocol, std::optional<int64_t> version,
                         std::string* out);
// Delta format: {"metaData":{"deltaMetadata":{…complete…}[,"version"][,"size"][,"numFiles"]}}
void AppendDeltaMetadata(const MetadataValues& meta, const MetadataExtras& extras,
                         std::string* out);

// The schema for the parquet format: every metadata key except "comment" is removed from
// top-level fields (as the reference server does). Returns the input unchanged if it is not
// a valid schema JSON.
std::string ParquetSchemaString(std::string_view schema_string);

// ---- files ----------------------------------------------------------------------------
// The file lines are the hot path of a response (one per data file): they are appended
// without allocating (beyond growing `out`).

enum class FileKind { kFile, kAdd, kRemove, kCdf };

// A parquet-format file line: {"file"|"add"|"remove"|"cdf":{url,id,partitionValues,size,
// stats?,version?,timestamp?,expirationTimestamp?}}.
struct ParquetFile {
  FileKind kind = FileKind::kFile;
  std::string_view url;
  std::string_view id;
  std::span<const PartitionValueRef> partition_values;  // empty = {}
  int64_t size = 0;
  std::string_view stats;  // raw JSON text; empty = omitted (never sent on cdf/remove)
  std::optional<int64_t> version;
  std::optional<int64_t> timestamp;
  std::optional<int64_t> expiration_timestamp;
};
void AppendParquetFile(const ParquetFile& file, std::string* out);

// A delta-format file line: {"file":{"id","deltaSingleAction":<action>,version?,timestamp?,
// expirationTimestamp?,deletionVectorFileId?}}; `delta_single_action` is the complete JSON of
// {"add"|"remove"|"cdc":{…}} with the path already replaced by the URL.
struct DeltaFile {
  std::string_view id;
  std::string_view delta_single_action;
  std::optional<int64_t> version;
  std::optional<int64_t> timestamp;
  std::optional<int64_t> expiration_timestamp;
  std::string_view deletion_vector_file_id;  // empty = omitted
};
void AppendDeltaFile(const DeltaFile& file, std::string* out);

// ---- stream control -------------------------------------------------------------------

struct EndStreamAction {
  std::string refresh_token;    // empty = omitted
  std::string next_page_token;  // empty = omitted (last page)
  std::optional<int64_t> min_url_expiration_timestamp;
  std::string error_message;  // empty = omitted
  std::optional<int32_t> http_status_error_code;
};
void AppendEndStreamAction(const EndStreamAction& action, std::string* out);

// {"queryStatus":{"queryId":…,"status":"pending"|"failed"[,"errorMessage":…]}}
void AppendQueryStatus(std::string_view query_id, std::string_view status,
                       std::string_view error_message, std::string* out);

}  // namespace ds::sharing::protocol
