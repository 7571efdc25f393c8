// Payloads of the opaque tokens the server hands out: list page tokens, query/changes page
// tokens, refresh tokens and async query ids. Here they are only serialized to and from bytes;
// the server seals them (MAC with a per-tenant key, expiry) so clients cannot forge or
// transplant them, and binds them to the recipient.
//
// Decode errors are InvalidArgument (400) with the reference server's wording where clients
// match it ("Error decoding the page token …").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sharing/protocol/requests.h"
#include "util/result.h"

namespace ds::sharing::protocol {

// Which list a list token belongs to: "shares", "schemas/<share>", "tables/<share>/<schema>"
// or "all-tables/<share>" (names lower-cased).
struct ListToken {
  std::string scope;
  int64_t offset = 0;
};
std::string EncodeListToken(const ListToken& token);
Result<ListToken> DecodeListToken(std::string_view bytes);

// The next page of a /query or /changes response.
//   snapshot mode: `version` is the snapshot, `next_index` the position (in path order) of
//                  the first file of the next page;
//   change mode:   `version` is the start of the range and `end_version` its end,
//                  `head_version` the version whose protocol and metadata head every page,
//                  `resume_version` the commit the next page starts in and `next_index` the
//                  index of its first file action among that commit's selected actions, and
//                  `format` the response format chosen on the first page.
// So every page repeats the first page's protocol, metadata, version and format exactly.
struct FilePageToken {
  std::string table;  // the table's stable key (share.schema.table id)
  int64_t version = 0;
  std::optional<int64_t> end_version;
  std::optional<int64_t> head_version;
  std::optional<int64_t> resume_version;
  std::optional<std::string> format;
  int64_t next_index = 0;
  std::string params_digest;  // QueryParamsDigest / ChangesParamsDigest of the request
};
std::string EncodeFilePageToken(const FilePageToken& token);
Result<FilePageToken> DecodeFilePageToken(std::string_view bytes);

// Re-signing the same file set of a latest-snapshot query.
struct RefreshToken {
  std::string table;
  int64_t version = 0;
  std::string params_digest;
};
std::string EncodeRefreshToken(const RefreshToken& token);
Result<RefreshToken> DecodeRefreshToken(std::string_view bytes);

// An async query: what it was and where it runs.
struct QueryIdToken {
  std::string table;
  std::string query_key;  // the server's key for the running query
};
std::string EncodeQueryId(const QueryIdToken& token);
Result<QueryIdToken> DecodeQueryId(std::string_view bytes);

// Lower-case hex SHA-256 over the parameters a page token must not see changed (§7.6): the
// version parameters, predicates, limit and history flags (not maxFiles or pageToken).
std::string QueryParamsDigest(const QueryRequest& request);
std::string ChangesParamsDigest(const ChangesRequest& request);

}  // namespace ds::sharing::protocol
