// SharingClient: the Delta Sharing REST API from the recipient's side (protocol.md §2-§11),
// one method per endpoint, with typed results.
//
//   ASSIGN_OR_RETURN(Profile profile, LoadProfile("config.share"));
//   ASSIGN_OR_RETURN(auto client, SharingClient::Make(profile));
//   ASSIGN_OR_RETURN(std::vector<ShareInfo> shares, client->ListShares());
//   ASSIGN_OR_RETURN(TableResponse r, client->QueryTableAll({"s", "sc", "t"}, {}));
//
// Transport: one HttpClient (libcurl by default) with TLS verification on, HTTP(S) proxies
// from the options or the environment, and retries with jittered exponential backoff on
// connection errors, 408/429/5xx and Retry-After (query POSTs are retried too: they have no
// side effects). A response that ends early (the server promised an endStreamAction and none
// came, or a line is cut) is retried as a whole. A 401 renews OAuth tokens once.
//
// Every request asks for `responseformat=delta,parquet` with the reader features deltashare
// implements (deletionvectors, columnmapping, timestampntz) and `includeendstreamaction=true`,
// and accepts either format in the answer (a parquet-only client fails on a delta answer).
//
// Errors: the server's errors map by HTTP status (400 InvalidArgument, or NotSupported for
// UNSUPPORTED_OPERATION; 401 Unauthenticated; 403 PermissionDenied; 404 NotFound; 429 and
// 5xx Unavailable after the retries), with the server's errorCode and message in the text;
// malformed responses are InvalidArgument naming the line; an endStreamAction errorMessage
// fails the call with the code its httpStatusErrorCode maps to (Internal without one).
//
// Thread-safety: every method may be called from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/auth.h"
#include "client/table_ref.h"
#include "client/wire.h"
#include "httpclient/http_client.h"

namespace ds::client {

struct ClientOptions {
  // TLS, proxies, timeouts and the retry policy of the default libcurl client.
  httpclient::HttpClientOptions http = DefaultHttpOptions();
  // Use this client instead of creating one (tests, custom transports).
  httpclient::HttpClientPtr http_client;
  // Response formats to ask for, in preference order.
  std::vector<ResponseFormat> formats = {ResponseFormat::kDelta, ResponseFormat::kParquet};
  // Whole-call attempts for responses that parse as cut short.
  int call_attempts = 4;
  // The clock (ms since the epoch) for token expiry; null = the system clock.
  std::function<int64_t()> now_ms;

  // Retries sized to ride out a server restart (about 30 s of backoff in total).
  static httpclient::HttpClientOptions DefaultHttpOptions();
};

// GET …/metadata parameters.
struct MetadataParams {
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;  // ISO 8601
};

// POST …/query body (protocol.md §7.1); unset fields are not sent.
struct QueryParams {
  std::vector<std::string> predicate_hints;
  std::optional<std::string> json_predicate_hints;
  std::optional<int64_t> limit_hint;
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;
  std::optional<int64_t> starting_version;
  std::optional<int64_t> ending_version;
  bool include_historical_protocol = false;
  std::optional<int32_t> max_files;
  std::optional<std::string> page_token;
  bool include_refresh_token = false;
  std::optional<std::string> refresh_token;
  // Submit as an async query (asyncquery=true with this idempotency key).
  std::optional<std::string> async_idempotency_key;
};

// GET …/changes parameters (protocol.md §10).
struct ChangesParams {
  std::optional<int64_t> starting_version;
  std::optional<std::string> starting_timestamp;
  std::optional<int64_t> ending_version;
  std::optional<std::string> ending_timestamp;
  bool include_historical_metadata = false;
  std::optional<int32_t> max_files;
  std::optional<std::string> page_token;
};

// The answer of /metadata, /query, /changes and /queries.
struct TableResponse {
  int64_t version = -1;  // Delta-Table-Version
  ResponseFormat format = ResponseFormat::kParquet;
  SharedProtocol protocol;
  SharedMetadata metadata;
  // Later protocol/metaData lines (change mode, CDF with history), in response order.
  std::vector<SharedProtocol> later_protocols;
  std::vector<SharedMetadata> later_metadata;
  std::vector<SharedFile> files;
  std::optional<EndStreamAction> end;
  // Async queries: the status line of a pending or failed query (no other lines then).
  std::optional<QueryStatus> query_status;
};

struct TemporaryCredentials {
  std::string location;
  int64_t expiration_ms = 0;
  std::string json;  // the whole "credentials" object (cloud-specific members)
};

class SharingClient {
 public:
  // InvalidArgument for an unusable profile (no endpoint, not http/https); the HTTP
  // client's construction errors.
  static Result<std::unique_ptr<SharingClient>> Make(Profile profile, ClientOptions options = {});
  ~SharingClient();
  SharingClient(const SharingClient&) = delete;
  SharingClient& operator=(const SharingClient&) = delete;

  const Profile& profile() const { return profile_; }
  // The HTTP client (file downloads share its connections, proxies and TLS settings).
  httpclient::HttpClient* http() const { return http_.get(); }

  // Lists, one page at a time (max_results: nullopt = the server's default) or all pages.
  Result<ListPage<ShareInfo>> ListSharesPage(std::optional<int32_t> max_results,
                                             const std::string& page_token);
  Result<std::vector<ShareInfo>> ListShares();
  Result<ShareInfo> GetShare(const std::string& share);
  Result<ListPage<SchemaInfo>> ListSchemasPage(const std::string& share,
                                               std::optional<int32_t> max_results,
                                               const std::string& page_token);
  Result<std::vector<SchemaInfo>> ListSchemas(const std::string& share);
  Result<ListPage<TableInfo>> ListTablesPage(const std::string& share, const std::string& schema,
                                             std::optional<int32_t> max_results,
                                             const std::string& page_token);
  Result<std::vector<TableInfo>> ListTables(const std::string& share, const std::string& schema);
  Result<ListPage<TableInfo>> ListAllTablesPage(const std::string& share,
                                                std::optional<int32_t> max_results,
                                                const std::string& page_token);
  // All tables of a share; falls back to schemas + tables when all-tables answers 404.
  Result<std::vector<TableInfo>> ListAllTables(const std::string& share);

  // The latest version, or the earliest at or after `starting_timestamp` (ISO 8601).
  Result<int64_t> GetTableVersion(const TableCoordinates& table,
                                  const std::optional<std::string>& starting_timestamp = {});
  Result<TableResponse> GetTableMetadata(const TableCoordinates& table,
                                         const MetadataParams& params = {});
  // One request: one page of files, or the status line of an async submit.
  Result<TableResponse> QueryTable(const TableCoordinates& table, const QueryParams& params);
  // Polls an async query (POST …/queries/{id}).
  Result<TableResponse> GetQueryInfo(const TableCoordinates& table, const std::string& query_id,
                                     std::optional<int32_t> max_files,
                                     const std::optional<std::string>& page_token);
  Result<TableResponse> QueryChanges(const TableCoordinates& table, const ChangesParams& params);

  // Every page of a query (and, for async queries, the polls until it finishes), as one
  // response: the files of all pages in order, the first page's protocol and metaData, and
  // the last page's endStreamAction (holding the refresh token, if one was asked for, from
  // the first page). FailedPrecondition if the pages disagree on the version or table id;
  // an async query that failed is an error with the server's message.
  Result<TableResponse> QueryTableAll(const TableCoordinates& table, QueryParams params);
  Result<TableResponse> QueryChangesAll(const TableCoordinates& table, ChangesParams params);

  Result<TemporaryCredentials> GetTemporaryCredentials(const TableCoordinates& table,
                                                       const std::optional<std::string>& location);

 private:
  SharingClient(Profile profile, ClientOptions options, httpclient::HttpClientPtr http);
  struct Call;
  // Sends an API request with credentials, maps errors, and re-authenticates once on 401.
  Result<httpclient::HttpResponse> Execute(httpclient::HttpRequest request,
                                           const std::string& what);
  Result<TableResponse> TableCall(httpclient::HttpMethod method, const std::string& url,
                                  const std::string& body, bool async_capability,
                                  const std::string& what);
  std::string TableUrl(const TableCoordinates& table, std::string_view suffix) const;
  std::string CapabilitiesHeader(bool async) const;

  Profile profile_;
  ClientOptions options_;
  httpclient::HttpClientPtr http_;
  std::unique_ptr<Credentials> credentials_;
};

// The body of a query request (compact JSON), exposed for tests.
std::string QueryBody(const QueryParams& params);

}  // namespace ds::client
