// Server: the HTTP/1.1 server that the Delta Sharing service sits on (Boost.Asio + Beast,
// OpenSSL for TLS).
//
// Threads: `io_threads` I/O threads, each running its own io_context with its own
// connections (a connection lives on one thread for its whole life, so its state needs no
// lock), and a pool of `worker_threads` that run handlers, which may block. The acceptor
// hands new connections to the I/O threads in turn. A handler's Response goes back to its
// connection's thread by a post; streamed bodies go through a bounded per-response buffer
// (see response.h). Nothing on the request path takes a server-wide lock.
//
// Protection: every phase of a connection has a deadline (TLS handshake and request head
// from the first byte, body, keep-alive idle, write progress, handler), checked by a
// per-thread tick; limits answer 431 (head too large), 413 (body too large), 503 (worker
// queue full, connection limit, handler deadline) and 400 (malformed requests).
//
// Thread-safety: Start, Stop and the accessors may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/access_log.h"
#include "http/metrics.h"
#include "http/response.h"
#include "http/router.h"
#include "util/result.h"

namespace ds::http {

struct TlsOptions {
  std::string certificate_chain_file;  // PEM, leaf certificate first
  std::string private_key_file;        // PEM, unencrypted
};

// Builds the response for an error the server itself detects (400, 404, 405, 413, 431,
// 500, 503, ...). Runs on an I/O thread: must not block.
using ErrorResponder = std::function<Response(int status, std::string_view message)>;

// The default ErrorResponder: application/json {"errorCode":"…","message":"…"}, with codes
// such as BAD_REQUEST, NOT_FOUND, METHOD_NOT_ALLOWED, PAYLOAD_TOO_LARGE,
// HEADERS_TOO_LARGE, SERVICE_UNAVAILABLE, INTERNAL_ERROR.
Response DefaultErrorResponse(int status, std::string_view message);

struct ServerOptions {
  std::string host = "127.0.0.1";  // an IP literal, or "localhost"; "0.0.0.0" / "::" for all
  uint16_t port = 0;               // 0: an ephemeral port (see Server::port())
  std::optional<TlsOptions> tls;

  int io_threads = 0;          // 0: one per hardware thread
  int worker_threads = 32;     // handler threads
  size_t worker_queue = 4096;  // requests waiting for a worker beyond which the server sheds
                               // load with 503
  int listen_backlog = 1024;

  size_t max_header_bytes = 16 * 1024;      // request line + header fields; more: 431 and close
  size_t max_body_bytes = 1024 * 1024;      // more: 413 and close (before 100 Continue is sent)
  int max_connections = 10000;              // more: 503 and close (TLS: closed)
  int max_requests_per_connection = 0;      // 0: unlimited; else the last one says close
  size_t stream_buffer_bytes = 256 * 1024;  // per streamed response; Write blocks beyond it
  size_t stream_flush_bytes = 16 * 1024;    // Write starts sending at this much

  std::chrono::milliseconds header_timeout{10'000};   // TLS handshake; request head from its
                                                      // first byte (slowloris)
  std::chrono::milliseconds body_timeout{30'000};     // the whole request body
  std::chrono::milliseconds idle_timeout{60'000};     // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{30'000};    // no write progress for this long: cut
  std::chrono::milliseconds handler_timeout{60'000};  // until the handler returns: 503;
                                                      // 0 = none
  std::chrono::milliseconds linger_timeout{2'000};    // draining unread input before closing
  std::chrono::milliseconds timer_tick{100};          // deadline check period

  // Networks of reverse proxies whose X-Forwarded-For is believed ("10.0.0.0/8").
  std::vector<std::string> trusted_proxies;
  // Take X-Request-Id from trusted proxies (when it is 1-128 chars of [A-Za-z0-9._-]).
  bool trust_request_id = false;

  std::shared_ptr<MetricsRegistry> metrics;   // null: a registry of the server's own
  std::shared_ptr<AccessLogSink> access_log;  // null: no access log
  ErrorResponder error_responder;             // null: DefaultErrorResponse
  std::string server_name = "deltashare";     // the Server header; empty: none
};

struct ServerStats {
  int64_t open_connections = 0;
  int64_t stream_buffered_bytes = 0;       // held by streamed responses right now
  int64_t peak_stream_buffered_bytes = 0;  // the most one streamed response ever held
  uint64_t requests = 0;                   // responses completed or cut
};

namespace internal {
class ServerCore;
}

class Server {
 public:
  // Binds, listens and starts the threads. InvalidArgument for bad options (an address that
  // does not parse, a bad trusted proxy, TLS files that do not load), IOError if the address
  // cannot be bound (in use, permission), Internal if threads cannot start.
  static Result<std::unique_ptr<Server>> Start(ServerOptions options, Router router);
  // Stop(0).
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the ephemeral one when options.port was 0).
  uint16_t port() const;
  const ServerOptions& options() const;
  MetricsRegistry& metrics();
  ServerStats stats() const;

  // Graceful stop: stops accepting, closes idle connections, lets in-flight requests finish
  // (each with Connection: close) for up to `grace`, then cuts what is left (streams see
  // Write fail) and waits for running handlers to return. Blocks until done. Idempotent.
  // Must not be called from a handler (it waits for handlers).
  void Stop(std::chrono::milliseconds grace);

  explicit Server(std::unique_ptr<internal::ServerCore> core);

 private:
  std::unique_ptr<internal::ServerCore> core_;
};

}  // namespace ds::http
