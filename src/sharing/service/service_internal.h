// Internals shared by the handler files of SharingService (not a public interface).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "access/access_service.h"
#include "delta/snapshot.h"
#include "http/request.h"
#include "http/response.h"
#include "sharing/protocol/capabilities.h"
#include "sharing/protocol/errors.h"
#include "sharing/protocol/requests.h"
#include "sharing/protocol/routes.h"
#include "sharing/service/sharing_service.h"

namespace ds::sharing::service::internal {

// What every handler may use.
struct Env {
  ServiceOptions options;
  std::shared_ptr<access::AccessService> access;
  std::shared_ptr<TableCache> tables;
  std::shared_ptr<LocalFileUrls> local_urls;
  ServiceCounters* counters = nullptr;
  AsyncQueries* async = nullptr;
};

// One request in flight. The audit record is filled as the request proceeds and written
// when it ends (for streamed responses: when the stream ends).
struct Call {
  const http::Request* http = nullptr;
  protocol::Route route;
  access::Principal principal;
  std::chrono::steady_clock::time_point started;
  std::string base_url;  // where this client reaches the API (for local-file URLs)
  std::shared_ptr<access::AuditRecord> audit;
};

// A table the caller may read.
struct TableContext {
  access::TableAccess access;
  std::shared_ptr<CachedTable> table;
  std::string full_name;  // "share.schema.table" as stored
  std::string key;        // stable identity for tokens: the table id (or its full name)
};

// Authorizes the route's table for the caller and opens it in the cache. NotFound for a
// table that does not exist or is not granted; a broken location is reported without
// revealing it.
Result<TableContext> OpenTable(const Env& env, const Call& call);

// The JSON error response for `status` ({"errorCode","message"}); HEAD gets no body.
http::Response ErrorResponse(const Status& status, bool head);

// Writes the audit record (status, duration) if auditing is on.
void FinishAudit(const Env& env, const Call& call, int http_status, int64_t files,
                 std::string_view message);

// What the table requires from a reader, for the format choice.
protocol::TableTraits TraitsOf(const delta::Snapshot& snapshot);

// Endpoint handlers (one file each group).
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

// Headers of every table response.
constexpr std::string_view kTableVersionHeader = "Delta-Table-Version";
constexpr std::string_view kCapabilitiesHeader = "delta-sharing-capabilities";
constexpr std::string_view kNdjson = "application/x-ndjson; charset=utf-8";

}  // namespace ds::sharing::service::internal

namespace ds::sharing::service::internal {

// 400 unless the table shares its history (time travel and change data need it).
Status RequireHistory(const TableContext& table, bool changes = false);
// 400 if `version` is below the table's configured start version.
Status CheckStartVersion(const TableContext& table, int64_t version, bool changes = false);
// The snapshot version for `version` / `timestamp_ms` (at or before), or the latest.
// Requires shared history for either parameter; OutOfRange (400) outside the history.
Result<int64_t> ResolveSnapshotVersion(const TableContext& table, std::optional<int64_t> version,
                                       std::optional<int64_t> timestamp_ms);

// The decoded query parameters of a request.
protocol::QueryParams ParamsOf(const http::Request& request);

// The fileidhash header, if sent (InvalidArgument for a bad value).
Result<std::optional<protocol::FileIdScheme>> FileIdHashOf(const http::Request& request);

}  // namespace ds::sharing::service::internal
