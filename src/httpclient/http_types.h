// Values of the HTTP client: methods, headers, requests and responses.
//
// Plain values with no I/O; copies are independent. Header names compare case-insensitively
// (ASCII), values are kept byte for byte.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/status.h"

namespace ds::httpclient {

enum class HttpMethod : uint8_t { kGet, kHead, kPut, kPost, kDelete, kPatch, kOptions };

// "GET", "HEAD", ...
std::string_view MethodName(HttpMethod method);
// True for the methods RFC 9110 calls idempotent (GET, HEAD, PUT, DELETE, OPTIONS): the
// client retries them after transient failures; POST and PATCH only when asked.
bool IsIdempotent(HttpMethod method);

// An ordered list of header fields; lookups ignore the case of names.
class HttpHeaders {
 public:
  using Entry = std::pair<std::string, std::string>;

  // Appends a field (repeats are kept).
  void Add(std::string name, std::string value);
  // Replaces every field of that name by one.
  void Set(std::string_view name, std::string value);
  void Remove(std::string_view name);
  // The value of the first field of that name, or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  void Clear() { entries_.clear(); }

  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<Entry>& mutable_entries() { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
};

struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  // Absolute http:// or https:// URL, already percent-encoded.
  std::string url;
  HttpHeaders headers;
  // The request body (not owned: it must stay valid until the send returns). Sent with a
  // Content-Length; empty bodies of PUT/POST/PATCH send "Content-Length: 0".
  std::string_view body;
  // Total time limit of one attempt in ms; 0 = the client's default.
  int64_t timeout_ms = 0;
  // Retry even though the method is not idempotent (e.g. a POST the server deduplicates).
  bool retry_non_idempotent = false;
};

struct HttpResponse {
  int status = 0;  // e.g. 200; the final response's status after any followed redirect
  HttpHeaders headers;
  // The body. Empty when a body sink received it (2xx responses of streaming sends).
  std::string body;
  // How many attempts the client made (1 = no retry).
  int attempts = 1;

  bool ok() const { return status >= 200 && status < 300; }
};

// Receives the body bytes of a 2xx response as they arrive, in order, with the response
// head (status and headers; its body is empty). Returning an error aborts the transfer
// and the send returns that error (never retried).
using BodySink = std::function<Status(const HttpResponse& head, std::string_view chunk)>;

}  // namespace ds::httpclient
