// The server's shared state and its I/O threads (internal to src/http).
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/client_address.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "http/worker_pool.h"

namespace ds::http::internal {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

class ConnectionBase;

// Families and series the server updates, registered in the (possibly shared) registry.
struct ServerMetrics {
  explicit ServerMetrics(MetricsRegistry& registry);
  Family<Counter>* requests;   // route, method, status
  Family<Histogram>* latency;  // route, method
  Counter* request_body_bytes;
  Counter* response_body_bytes;
  Gauge* open_connections;
  Counter* connections;
  Counter* rejected_connections;
  Family<Counter>* timeouts;  // phase
  Counter* aborted_streams;
  Counter* overloaded;  // worker queue full
  Gauge* buffered_bytes;
  Gauge* queued_requests;
  Counter* access_log_errors;
};

// One I/O thread: an io_context, its connections and its per-thread caches. Everything but
// `peak_buffered`, `ctx` (post) and `thread` is touched only on this thread.
class IoThread {
 public:
  IoThread(class ServerCore& core, int index);

  asio::io_context ctx{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ctx.get_executor()};
  asio::steady_timer tick{ctx};
  int index;
  std::vector<ConnectionBase*> connections;
  std::string access_log_buffer;
  uint64_t next_request_id = 0;
  std::atomic<int64_t> peak_buffered{0};
  std::atomic<uint64_t> requests{0};
  std::thread thread;

  struct Series {
    Counter* requests;
    Histogram* latency;
  };
  // Per-(route, method, status) series, looked up in the registry once per thread.
  Series& SeriesFor(const Route* route, Method method, int status);

  void Add(ConnectionBase* c);
  void Remove(ConnectionBase* c);
  void ArmTick();
  void FlushAccessLog();

 private:
  ServerCore& core_;
  std::unordered_map<uint64_t, Series> series_;
};

class ServerCore {
 public:
  ServerCore(ServerOptions options, Router router);
  ~ServerCore();

  const ServerOptions options;
  const Router router;
  TrustedProxies proxies;
  std::unique_ptr<asio::ssl::context> tls;
  std::unique_ptr<WorkerPool> pool;
  std::shared_ptr<MetricsRegistry> registry;
  std::unique_ptr<ServerMetrics> metrics;
  std::vector<std::unique_ptr<IoThread>> threads;  // before the acceptor: it uses threads[0]
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> accept_retry;
  std::string request_id_prefix;
  uint16_t port = 0;

  std::atomic<int64_t> open_connections{0};
  std::atomic<bool> draining{false};

  Status Listen();
  Status StartThreads();
  void Accept();
  void Stop(std::chrono::milliseconds grace);
  // Responses for errors the server detects (via options.error_responder).
  Response ErrorResponse(int status, std::string_view message) const;

 private:
  void OnAccept(boost::system::error_code ec, asio::ip::tcp::socket socket);
  void Reject(asio::ip::tcp::socket& socket);
  // Runs `fn(connection)` on every connection, on its own thread; waits until done.
  void ForEachConnection(const std::function<void(ConnectionBase&)>& fn);
  bool WaitForNoConnections(Clock::time_point deadline);

  std::mutex stop_mu_;
  bool stopped_ = false;
  size_t next_thread_ = 0;
};

}  // namespace ds::http::internal
