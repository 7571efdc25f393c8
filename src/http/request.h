// Request: one parsed HTTP request as a handler sees it.
//
// The server builds it from the wire (method, raw target, headers, body, addresses, a
// request id) and the router adds the decoded path parameters. Tests build one with Make()
// and call handlers without any socket.
//
// Thread-safety: the server hands a handler a const Request that no other thread mutates;
// const methods may be called from any thread. cancelled() may change at any time.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/headers.h"
#include "http/uri.h"
#include "util/result.h"

namespace ds::http {

enum class Method : uint8_t { kGet, kHead, kPost, kPut, kDelete, kPatch, kOptions, kOther };

// "GET", "HEAD", ...; "OTHER" for kOther.
std::string_view MethodName(Method method);
// The method for a (case-sensitive, as RFC 9110 says) method token; kOther if unknown.
Method ParseMethod(std::string_view token);

class Request {
 public:
  Request() = default;
  Request(Request&&) = default;
  Request& operator=(Request&&) = default;
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  // A request for tests and tools: `target` is split and its query parsed as the server does.
  // InvalidArgument if the target or query is malformed.
  static Result<Request> Make(Method method, std::string target, Headers headers = {},
                              std::string body = {});

  Method method() const { return method_; }
  // The method token as received ("GET", or e.g. "PROPFIND" for kOther).
  std::string_view method_name() const { return method_name_; }
  // HTTP version times ten: 10 or 11.
  int version() const { return version_; }
  // The request-target exactly as received (may contain a query with secrets: never log it).
  std::string_view target() const { return target_; }
  // The raw (still percent-encoded) path, without the query.
  std::string_view path() const {
    return path_size_ == 0 ? std::string_view("/")
                           : std::string_view(target_).substr(path_offset_, path_size_);
  }
  // The raw query string without '?'.
  std::string_view raw_query() const {
    return std::string_view(target_).substr(query_offset_, query_size_);
  }
  // Decoded query parameters ('+' is a space).
  const QueryParams& query() const { return query_; }
  const Headers& headers() const { return headers_; }
  std::optional<std::string_view> header(std::string_view name) const { return headers_.Get(name); }
  const std::string& body() const { return body_; }

  // The peer's IP address ("127.0.0.1", "::1"), or the client named by X-Forwarded-For when
  // the peer is a trusted proxy (ServerOptions::trusted_proxies).
  const std::string& client_address() const { return client_address_; }
  // The address of the TCP peer itself.
  const std::string& peer_address() const { return peer_address_; }
  // A unique id for logs and the X-Request-Id response header.
  const std::string& request_id() const { return request_id_; }
  bool is_tls() const { return is_tls_; }

  // The decoded value of route parameter `name` ("{share}" -> "name"), or nullopt.
  std::optional<std::string_view> param(std::string_view name) const;
  const std::vector<std::pair<std::string_view, std::string>>& params() const { return params_; }
  // The pattern of the route that matched ("/shares/{share}"), or "" before routing.
  std::string_view route_pattern() const { return route_pattern_; }

  // True once the server gave up on this request: the handler deadline passed, the server
  // is stopping, or the connection broke (noticed when the server next writes to it). Long
  // handlers should check it and return.
  bool cancelled() const {
    return cancelled_ != nullptr && cancelled_->load(std::memory_order_relaxed);
  }

  // Mutators for the server's parser and for tests.
  void SetRequestLine(Method method, std::string_view method_name, std::string_view target,
                      int version);
  Headers& mutable_headers() { return headers_; }
  std::string& mutable_body() { return body_; }
  // Splits target() into path and query and decodes the query. InvalidArgument if either is
  // malformed.
  Status ParseTarget();
  void set_addresses(std::string peer, std::string client) {
    peer_address_ = std::move(peer);
    client_address_ = std::move(client);
  }
  void set_request_id(std::string id) { request_id_ = std::move(id); }
  void set_tls(bool tls) { is_tls_ = tls; }
  void set_route(std::string_view pattern,
                 std::vector<std::pair<std::string_view, std::string>> params) {
    route_pattern_ = pattern;
    params_ = std::move(params);
  }
  // `flag` must outlive the request.
  void set_cancel_flag(const std::atomic<bool>* flag) { cancelled_ = flag; }

 private:
  Method method_ = Method::kGet;
  int version_ = 11;
  bool is_tls_ = false;
  std::string method_name_ = "GET";
  std::string target_ = "/";
  // path() and raw_query() as offsets into target_ (views would dangle when moved).
  uint32_t path_offset_ = 0;
  uint32_t path_size_ = 0;
  uint32_t query_offset_ = 0;
  uint32_t query_size_ = 0;
  QueryParams query_;
  Headers headers_;
  std::string body_;
  std::string peer_address_;
  std::string client_address_;
  std::string request_id_;
  std::string_view route_pattern_;  // into the router, which outlives requests
  std::vector<std::pair<std::string_view, std::string>> params_;
  const std::atomic<bool>* cancelled_ = nullptr;
};

}  // namespace ds::http
