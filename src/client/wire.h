// The client side of the Delta Sharing wire format (protocol.md §2, §5-§7): parsing the JSON
// documents of the list endpoints and the NDJSON lines of metadata, query and changes
// responses, in both response formats, into typed values.
//
// Every parser takes untrusted bytes and returns InvalidArgument naming the line kind and
// field on malformed input (not JSON, a missing required field, a wrongly typed value); it
// never crashes. Unknown keys are ignored, as the protocol asks. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "delta/actions.h"
#include "sharing/protocol/capabilities.h"
#include "util/result.h"

namespace ds::client {

using sharing::protocol::ResponseFormat;

// ---- list endpoints -------------------------------------------------------------------

struct ShareInfo {
  std::string name;
  std::string id;  // empty when the server sends none
};
struct SchemaInfo {
  std::string name, share;
};
struct TableInfo {
  std::string name, schema, share;
  std::string share_id, id;  // empty when absent
};

template <typename T>
struct ListPage {
  std::vector<T> items;
  std::string next_page_token;  // empty on the last page
};

// {"items":[…],"nextPageToken":"…"}; `items` and the token may be missing, and the token may
// be "" (both mean the last page).
Result<ListPage<ShareInfo>> ParseSharesPage(std::string_view body);
Result<ListPage<SchemaInfo>> ParseSchemasPage(std::string_view body);
Result<ListPage<TableInfo>> ParseTablesPage(std::string_view body);
// {"share":{"name":…}}
Result<ShareInfo> ParseShareDocument(std::string_view body);

// ---- NDJSON lines ---------------------------------------------------------------------

// Which wrapper a file line had.
enum class FileLineKind : uint8_t { kFile, kAdd, kRemove, kCdf };
std::string_view FileLineKindName(FileLineKind kind);  // "file", "add", "remove", "cdf"

// One data file of a response. Both formats are represented by the Delta action they stand
// for: `action.path` is the pre-signed URL; a parquet-format line becomes an add (file, add),
// remove or cdc (cdf) action with its partition values, size and stats. A delta-format line
// carries the complete action, including a deletion vector whose 'p' path is a pre-signed
// URL.
struct SharedFile {
  FileLineKind line_kind = FileLineKind::kFile;
  std::string id;
  delta::FileAction action;
  std::optional<int64_t> version;
  std::optional<int64_t> timestamp_ms;
  std::optional<int64_t> expiration_ms;
  std::string deletion_vector_file_id;  // delta format, optional

  const std::string& url() const { return action.path; }
  int64_t size() const { return action.size.value_or(-1); }
};

// The table metadata of a metaData line, in either format.
struct SharedMetadata {
  delta::Metadata metadata;
  std::optional<int64_t> version;
  std::optional<int64_t> size;
  std::optional<int64_t> num_files;
};

struct SharedProtocol {
  delta::Protocol protocol;  // parquet format: minReaderVersion only (writer version 1)
  std::optional<int64_t> version;
};

struct EndStreamAction {
  std::string refresh_token;
  std::string next_page_token;  // empty: the last page
  std::optional<int64_t> min_url_expiration_ms;
  std::optional<std::string> error_message;
  std::optional<int32_t> http_status_error_code;
};

struct QueryStatus {
  std::string query_id;
  std::string status;  // "pending", "failed", …
  std::string error_message;
};

struct ResponseLine {
  enum class Kind : uint8_t { kProtocol, kMetadata, kFile, kEndStream, kQueryStatus };
  Kind kind = Kind::kProtocol;
  SharedProtocol protocol;
  SharedMetadata metadata;
  SharedFile file;
  EndStreamAction end;
  QueryStatus status;
};

// Parses one NDJSON line of a response in `format`. A line in the other format's shape
// (e.g. a deltaProtocol in a parquet response) is InvalidArgument, as the protocol requires
// of a client that did not ask for that format.
Status ParseResponseLine(std::string_view line, ResponseFormat format, ResponseLine* out);

// The response format a `delta-sharing-capabilities` response header announces; parquet when
// the header is missing or names none. InvalidArgument for a format we do not know.
Result<ResponseFormat> ResponseFormatOf(std::optional<std::string_view> header);

}  // namespace ds::client
