// SharingService: the Delta Sharing REST API as a function from requests to responses
// (protocol.md §2-§11). No sockets: the HTTP server (sharing/server) routes every request
// under the API prefix here, and tests call Handle directly.
//
// Per request: authenticate and rate-limit (access::AccessService), authorize the share or
// table (404 for anything not granted, so shares are not enumerable), resolve the snapshot
// through the shared TableCache, and answer. Every check that can fail with a 4xx runs before
// the 200. NDJSON responses are streamed: protocol and metaData go out first and file lines
// follow as they are filtered and signed, in constant memory for any table size.
// Per-recipient partition filters are enforced on every file line (only files whose
// partition values provably satisfy the filter are served); predicate hints only ever drop
// files that provably cannot match. An error after the 200 has started becomes an
// endStreamAction with errorMessage when the client declared includeendstreamaction, else the
// connection is cut (never a clean end).
//
// Errors never reveal where tables live: storage and log errors are reported by table name,
// 5xx bodies carry only the request id, and the details go to `error_log`.
//
// Thread-safety: Handle and ServeFile may be called from many threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "access/access_service.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/response.h"
#include "sharing/service/async_queries.h"
#include "sharing/service/local_files.h"
#include "sharing/service/table_cache.h"

namespace ds::sharing::service {

struct ServiceOptions {
  // The API prefix ("/delta-sharing").
  std::string prefix = "/delta-sharing";
  // Where recipients reach the server, e.g. "https://sharing.example.com" (local-file URLs
  // are built from it). Empty: the scheme and Host header of each request.
  std::string public_url;
  int64_t presigned_url_timeout_seconds = 3600;
  int64_t page_size_limit = 10000;  // files per page at most when maxFiles is sent
  int64_t page_token_ttl_ms = 259'200'000;
  int64_t refresh_token_ttl_ms = 3'600'000;
  int64_t async_query_ttl_ms = 3'600'000;
  bool evaluate_predicate_hints = true;
  bool evaluate_json_predicate_hints = true;
  // Where the service counts files served, URLs signed, stream failures... (null: a
  // registry of its own, see metrics()).
  std::shared_ptr<http::MetricsRegistry> metrics;
  // Receives one line per server-side failure (5xx, failures after the 200) with the request
  // id and the internal detail. Null: dropped. Called from request threads.
  std::function<void(std::string_view line)> error_log;
};

// Counters in the metrics registry (see /metrics).
struct ServiceCounters {
  http::Counter* files_served = nullptr;    // deltashare_files_served_total
  http::Counter* files_skipped = nullptr;   // deltashare_files_skipped_total (by hints)
  http::Counter* urls_signed = nullptr;     // deltashare_urls_signed_total
  http::Counter* errors_in_band = nullptr;  // deltashare_stream_failures_total{ending=...}
  http::Counter* streams_cut = nullptr;
  http::Counter* async_submitted = nullptr;  // deltashare_async_queries_total
};

class SharingService {
 public:
  SharingService(ServiceOptions options, std::shared_ptr<access::AccessService> access,
                 std::shared_ptr<TableCache> tables);
  ~SharingService();
  SharingService(const SharingService&) = delete;
  SharingService& operator=(const SharingService&) = delete;

  // Answers a request whose path below the API prefix is `path` ("/shares/…"; raw, not yet
  // decoded).
  http::Response Handle(const http::Request& request, std::string_view path);
  // Answers a local-file download ("/files/…" below the prefix; `rest` after "/files/").
  http::Response ServeFile(const http::Request& request, std::string_view rest);

  const ServiceCounters& counters() const;
  const ServiceOptions& options() const;
  http::MetricsRegistry& metrics();
  AsyncQueries& async_queries();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ds::sharing::service
