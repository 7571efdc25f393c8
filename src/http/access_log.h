// Structured access logs: one JSON object per line, per request, to a sink.
//
//   {"time":"2024-05-01T12:00:00.123456Z","request_id":"…","client":"10.0.0.7","method":"GET",
//    "path":"/shares/s/schemas","route":"/shares/{share}/schemas","status":200,
//    "request_bytes":0,"response_bytes":512,"duration_ms":1.25,"user_agent":"…",
//    "outcome":"ok","tls":true}
//
// Redaction is a rule of the formatter, not of its callers: an entry has no field for headers
// (so Authorization can never be logged) nor for the query string (which may carry URL
// signatures or tokens), and the formatter cuts the path at any '?' it still finds. Routes
// whose path itself carries a secret log their pattern instead (RouteOptions::log_path).
// Long fields are truncated (path 1024 bytes, user agent 256) so a line stays bounded.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::http {

struct AccessLogEntry {
  int64_t start_unix_micros = 0;  // wall-clock time the request started
  std::string_view request_id;
  std::string_view client_address;
  std::string_view method;
  std::string_view path;   // raw path; never the query
  std::string_view route;  // matched pattern, "" if none
  int status = 0;          // 0 if no response head was sent
  int64_t request_bytes = 0;
  int64_t response_bytes = 0;  // body bytes written to the socket
  double duration_seconds = 0;
  std::string_view user_agent;
  std::string_view outcome;  // "ok", "aborted: …", "client_closed", "timeout: write", …
  bool tls = false;
};

// Appends the entry as one JSON line (with the trailing '\n').
void AppendAccessLogLine(const AccessLogEntry& entry, std::string* out);

// Where access log lines go. Write receives whole lines only and must be thread-safe; the
// server batches lines per I/O thread and calls it about every 100 ms or 64 KiB.
class AccessLogSink {
 public:
  virtual ~AccessLogSink() = default;
  virtual Status Write(std::string_view lines) = 0;
};

// Lines to standard error (one write per batch, under a lock so batches never interleave).
std::shared_ptr<AccessLogSink> StderrAccessLog();
// Lines appended to `path` (created with mode 0640 if absent). IOError if it cannot be
// opened.
Result<std::shared_ptr<AccessLogSink>> OpenFileAccessLog(const std::string& path);

// Collects lines in memory (tests).
class MemoryAccessLog final : public AccessLogSink {
 public:
  Status Write(std::string_view lines) override;
  std::string Contents() const;

 private:
  mutable std::mutex mu_;
  std::string lines_;
};

}  // namespace ds::http
