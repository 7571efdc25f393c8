// SharingService: the Delta Sharing REST API as a function from requests to responses
// (protocol.md §2-§11). No sockets: the HTTP server (sharing/server) routes every request
// under the API prefix here, and tests call Handle directly.
//
// Per request: authenticate and rate-limit (access::AccessService), authorize the share or
// table (404 for anything not granted, so shares are not enumerable), resolve the snapshot
// through the shared TableCache, and answer. NDJSON responses are streamed: protocol and
// metaData go out first and file lines follow as they are filtered and signed, in constant
// memory for any table size. Per-recipient partition filters are enforced on every file line
// (only files whose partition values provably satisfy the filter are served); predicate
// hints only ever drop files that provably cannot match. An error after the 200 has started
// becomes an endStreamAction with errorMessage when the client asked for endStreamAction,
// else the connection is cut (never a clean end).
//
// Thread-safety: Handle may be called from many threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

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
  bool evaluate_predicate_hints = true;
  bool evaluate_json_predicate_hints = true;
  // Flush the response to the client at least every this many file lines.
  int flush_every_files = 512;
};

struct ServiceCounters {
  std::atomic<int64_t> files_served{0};
  std::atomic<int64_t> files_skipped{0};
  std::atomic<int64_t> urls_signed{0};
};

class SharingService {
 public:
  SharingService(ServiceOptions options, std::shared_ptr<access::AccessService> access,
                 std::shared_ptr<TableCache> tables);
  ~SharingService();

  // Answers a request whose path below the API prefix is `path` ("/shares/…"; raw, not yet
  // decoded).
  http::Response Handle(const http::Request& request, std::string_view path);
  // Answers a local-file download ("/files/…" below the prefix; `rest` after "/files/").
  http::Response ServeFile(const http::Request& request, std::string_view rest);

  const ServiceCounters& counters() const { return counters_; }
  const ServiceOptions& options() const { return options_; }
  AsyncQueries& async_queries() { return *async_; }

 private:
  friend class RequestScope;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ServiceOptions options_;
  ServiceCounters counters_;
  std::unique_ptr<AsyncQueries> async_;
};

}  // namespace ds::sharing::service
