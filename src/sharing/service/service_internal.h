// Internals shared by the handler files of SharingService (not a public interface).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "access/access_service.h"
#include "http/request.h"
#include "http/response.h"
#include "sharing/protocol/capabilities.h"
#include "sharing/protocol/errors.h"
#include "sharing/protocol/requests.h"
#include "sharing/protocol/routes.h"
#include "sharing/service/sharing_service.h"

namespace ds::sharing::service::internal {

// One request in flight. The audit record is filled as the request proceeds and written
// when it ends (for streamed responses: when the stream ends).
struct Call {
  const http::Request* http = nullptr;
  protocol::Route route;
  access::Principal principal;
  std::chrono::steady_clock::time_point started;
  std::string base_url;  // where this client reaches the API (for local-file URLs)
  std::string request_id;
  std::shared_ptr<access::AuditRecord> audit;
};

// What every handler may use.
struct Env {
  ServiceOptions options;
  std::shared_ptr<access::AccessService> access;
  std::shared_ptr<TableCache> tables;
  std::shared_ptr<http::MetricsRegistry> metrics;
  std::shared_ptr<LocalFileUrls> local_urls;
  ServiceCounters counters;
  AsyncQueries* async = nullptr;

  // One line to the error log: what failed, for which request, with the internal detail.
  void LogError(const Call& call, std::string_view what, const Status& status) const;
};

// A table the caller may read.
struct TableContext {
  access::TableAccess access;
  std::shared_ptr<CachedTable> table;
  std::string full_name;  // "share.schema.table" as stored
  std::string key;        // stable identity for tokens: the table id (or its full name)
};

// Authorizes the route's table for the caller and opens it in the cache. NotFound for a
// table that does not exist or is not granted; a table whose location cannot be opened is an
// Internal error that does not reveal the location.
Result<TableContext> OpenTable(const Env& env, const Call& call);

// A failure of the Delta kernel or the storage under `table`, as clients may see it: the
// table's location is replaced by its shared name; a missing log is NotFound naming the
// table; version and parameter errors keep their (400) codes; storage I/O errors become
// Unavailable (503, which clients retry); corrupt logs stay Corruption (500).
Status TableError(const TableContext& table, const Status& status);

// The JSON error response for `status` ({"errorCode","message"}); HEAD gets no body. A 5xx
// says only "internal error" with the request id; its detail goes to the error log.
http::Response ErrorResponse(const Env& env, const Call& call, const Status& status, bool head);
// ErrorResponse plus the audit record.
http::Response Fail(const Env& env, const Call& call, const Status& status);

// Writes the audit record (status, duration) if auditing is on.
void FinishAudit(const Env& env, const Call& call, int http_status, int64_t files,
                 std::string_view message);

// The request's delta-sharing-capabilities header, parsed.
protocol::Capabilities CapabilitiesOf(const http::Request& request);
// The decoded query parameters of a request.
protocol::QueryParams ParamsOf(const http::Request& request);
// The fileidhash header, if sent (InvalidArgument for a bad value).
Result<std::optional<protocol::FileIdScheme>> FileIdHashOf(const http::Request& request);

// ---- version rules (table_handlers.cc) ------------------------------------------------

// 400 unless the table shares its history (time travel and change data need it).
Status RequireHistory(const TableContext& table, bool changes = false);
// 400 if `version` is below the table's configured start version.
Status CheckStartVersion(const TableContext& table, int64_t version, bool changes = false);
// The snapshot version for `version`, or for `timestamp_ms` (the last commit at or before
// it), or the latest. Requires shared history for either parameter; 400 for a version after
// the latest, a timestamp before the first or after the last commit, or a version below the
// start version. With `listing_only`, the latest version and the timeline come from a log
// listing instead of the snapshot cache (no snapshot is loaded: async submits).
Result<int64_t> ResolveSnapshotVersion(const TableContext& table, std::optional<int64_t> version,
                                       std::optional<int64_t> timestamp_ms,
                                       bool listing_only = false);

// ---- endpoint handlers (one file per group) ---------------------------------------------

http::Response ListShares(const Env& env, Call& call);
http::Response GetShare(const Env& env, Call& call);
http::Response ListSchemas(const Env& env, Call& call);
http::Response ListTables(const Env& env, Call& call);
http::Response ListAllTables(const Env& env, Call& call);
http::Response TableVersion(const Env& env, Call& call);
http::Response TableMetadata(const Env& env, Call& call);
http::Response QueryTable(const Env& env, Call& call);
http::Response TableChanges(const Env& env, Call& call);
http::Response QueryInfo(const Env& env, Call& call);
http::Response TemporaryCredentials(const Env& env, Call& call);

// Async submit (async_handler.cc), called by QueryTable for asyncquery=true.
http::Response SubmitAsyncQuery(const Env& env, Call& call, const TableContext& table,
                                const protocol::QueryRequest& request,
                                const protocol::Capabilities& caps,
                                std::optional<protocol::FileIdScheme> id_scheme);

// Headers of every table response.
constexpr std::string_view kTableVersionHeader = "Delta-Table-Version";
constexpr std::string_view kCapabilitiesHeader = "delta-sharing-capabilities";
constexpr std::string_view kNdjson = "application/x-ndjson; charset=utf-8";

}  // namespace ds::sharing::service::internal
