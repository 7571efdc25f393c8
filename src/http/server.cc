#include "http/server.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <cstdio>
#include <future>
#include <random>

#include "http/connection.h"
#include "http/server_core.h"
#include "http/tls_context.h"
#include "util/check.h"
#include "util/json.h"

namespace ds::http {
namespace internal {
namespace {

using tcp = asio::ip::tcp;

std::string_view ErrorCode(int status) {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 405:
      return "METHOD_NOT_ALLOWED";
    case 408:
      return "REQUEST_TIMEOUT";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 416:
      return "RANGE_NOT_SATISFIABLE";
    case 417:
      return "EXPECTATION_FAILED";
    case 431:
      return "HEADERS_TOO_LARGE";
    case 503:
      return "SERVICE_UNAVAILABLE";
    default:
      return status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
  }
}

Result<ServerOptions> Normalize(ServerOptions o) {
  if (o.io_threads <= 0) o.io_threads = std::max(1u, std::thread::hardware_concurrency());
  if (o.worker_threads <= 0) {
    return Status::InvalidArgument("server: worker_threads must be at least 1");
  }
  if (o.max_header_bytes < 256) {
    return Status::InvalidArgument("server: max_header_bytes must be at least 256");
  }
  if (o.max_connections <= 0 || o.worker_queue == 0 || o.stream_buffer_bytes == 0) {
    return Status::InvalidArgument(
        "server: max_connections, worker_queue and stream_buffer_bytes must be positive");
  }
  if (o.timer_tick.count() <= 0) {
    return Status::InvalidArgument("server: timer_tick must be positive");
  }
  auto negative = [](std::chrono::milliseconds t) { return t.count() < 0; };
  if (negative(o.header_timeout) || negative(o.body_timeout) || negative(o.idle_timeout) ||
      negative(o.write_timeout) || negative(o.handler_timeout) || negative(o.linger_timeout)) {
    return Status::InvalidArgument("server: timeouts must not be negative");
  }
  o.stream_flush_bytes = std::clamp<size_t>(o.stream_flush_bytes, 1, o.stream_buffer_bytes);
  return o;
}

std::string RandomPrefix() {
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%06x", static_cast<unsigned>(rd() & 0xffffff));
  return buf;
}

bool IsResourceExhaustion(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory || ec.value() == ENFILE;
}

}  // namespace

ServerMetrics::ServerMetrics(MetricsRegistry& r)
    : requests(&r.AddCounter("http_requests_total", "HTTP requests answered or cut.",
                             {"route", "method", "status"})),
      latency(&r.AddHistogram("http_request_duration_seconds",
                              "Time from a request's first byte to its last response byte.",
                              DefaultLatencyBuckets(), {"route", "method"})),
      request_body_bytes(
          &r.AddCounter("http_request_body_bytes_total", "Request body bytes received.").Get()),
      response_body_bytes(
          &r.AddCounter("http_response_body_bytes_total", "Response body bytes sent.").Get()),
      open_connections(&r.AddGauge("http_open_connections", "Open client connections.").Get()),
      connections(&r.AddCounter("http_connections_total", "Connections accepted.").Get()),
      rejected_connections(&r.AddCounter("http_connections_rejected_total",
                                         "Connections refused at max_connections.")
                                .Get()),
      timeouts(&r.AddCounter("http_timeouts_total", "Connections cut by a deadline.", {"phase"})),
      aborted_streams(
          &r.AddCounter("http_aborted_streams_total", "Streamed responses cut before their end.")
               .Get()),
      overloaded(&r.AddCounter("http_overloaded_total",
                               "Requests answered 503 because every worker was busy.")
                      .Get()),
      buffered_bytes(
          &r.AddGauge("http_stream_buffered_bytes", "Bytes held in streamed responses' buffers.")
               .Get()),
      queued_requests(&r.AddGauge("http_queued_requests", "Requests waiting for a worker.").Get()),
      access_log_errors(
          &r.AddCounter("http_access_log_errors_total", "Failed access log writes.").Get()) {}

IoThread::IoThread(ServerCore& core, int index_in_server) : index(index_in_server), core_(core) {}

IoThread::Series& IoThread::SeriesFor(const Route* route, Method method, int status) {
  uint64_t key = (static_cast<uint64_t>(route ? route->index + 1 : 0) << 24) |
                 (static_cast<uint64_t>(method) << 16) | static_cast<uint64_t>(status & 0xffff);
  auto it = series_.find(key);
  if (it != series_.end()) return it->second;
  std::string route_label = route ? route->pattern : "unmatched";
  std::string method_label(MethodName(method));
  Series s;
  s.requests =
      &core_.metrics->requests->WithLabels({route_label, method_label, std::to_string(status)});
  s.latency = &core_.metrics->latency->WithLabels({route_label, method_label});
  return series_.emplace(key, s).first->second;
}

void IoThread::Add(ConnectionBase* c) {
  c->registry_index = connections.size();
  connections.push_back(c);
}

void IoThread::Remove(ConnectionBase* c) {
  size_t i = c->registry_index;
  DS_DCHECK(i < connections.size() && connections[i] == c);
  connections[i] = connections.back();
  connections[i]->registry_index = i;
  connections.pop_back();
}

void IoThread::ArmTick() {
  tick.expires_after(core_.options.timer_tick);
  tick.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    Clock::time_point now = Clock::now();
    std::vector<std::shared_ptr<ConnectionBase>> expired;
    for (ConnectionBase* c : connections) {
      if (now >= c->deadline()) {
        if (auto strong = c->weak_from_this().lock()) expired.push_back(std::move(strong));
      } else {
        c->ReleaseIdleBuffer(now);
      }
    }
    for (auto& c : expired) c->OnTick(now);
    FlushAccessLog();
    ArmTick();
  });
}

void IoThread::FlushAccessLog() {
  if (access_log_buffer.empty() || !core_.options.access_log) return;
  if (!core_.options.access_log->Write(access_log_buffer).ok()) {
    core_.metrics->access_log_errors->Increment();
  }
  access_log_buffer.clear();
}

ServerCore::ServerCore(ServerOptions opts, Router r)
    : options(std::move(opts)), router(std::move(r)) {
  registry = options.metrics ? options.metrics : std::make_shared<MetricsRegistry>();
  metrics = std::make_unique<ServerMetrics>(*registry);
  request_id_prefix = RandomPrefix();
}

ServerCore::~ServerCore() { Stop(std::chrono::milliseconds(0)); }

Response ServerCore::ErrorResponse(int status, std::string_view message) const {
  return options.error_responder ? options.error_responder(status, message)
                                 : DefaultErrorResponse(status, message);
}

Status ServerCore::Listen() {
  boost::system::error_code ec;
  std::string host = options.host == "localhost" ? "127.0.0.1" : options.host;
  asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) {
    return Status::InvalidArgument("server: host '" + options.host +
                                   "' is not an IP address (or localhost)");
  }
  for (int i = 0; i < options.io_threads; ++i) {
    threads.push_back(std::make_unique<IoThread>(*this, i));
  }
  acceptor = std::make_unique<tcp::acceptor>(threads[0]->ctx);
  accept_retry = std::make_unique<asio::steady_timer>(threads[0]->ctx);
  tcp::endpoint endpoint(address, options.port);
  std::string where = options.host + ":" + std::to_string(options.port);
  if (acceptor->open(endpoint.protocol(), ec); ec) {
    return Status::IOError("server: cannot open a socket for " + where + ": " + ec.message());
  }
  acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (address.is_v6() && address.is_unspecified()) {
    acceptor->set_option(asio::ip::v6_only(false), ec);
  }
  if (acceptor->bind(endpoint, ec); ec) {
    return Status::IOError("server: cannot bind " + where + ": " + ec.message());
  }
  if (acceptor->listen(options.listen_backlog, ec); ec) {
    return Status::IOError("server: cannot listen on " + where + ": " + ec.message());
  }
  port = acceptor->local_endpoint(ec).port();
  return Status::OK();
}

Status ServerCore::StartThreads() {
  ASSIGN_OR_RETURN(pool, WorkerPool::Start(options.worker_threads, options.worker_queue));
  try {
    for (auto& t : threads) {
      t->ArmTick();
      t->thread = std::thread([io = t.get()] {
        while (true) {
          try {
            io->ctx.run();
            return;
          } catch (const std::exception& e) {
            std::fprintf(stderr, "http: I/O thread %d: unexpected exception: %s\n", io->index,
                         e.what());
          }
        }
      });
    }
  } catch (const std::system_error& e) {
    return Status::Internal(std::string("server: cannot start an I/O thread: ") + e.what());
  }
  asio::post(threads[0]->ctx, [this] { Accept(); });
  return Status::OK();
}

void ServerCore::Accept() {
  IoThread& target = *threads[next_thread_];
  next_thread_ = (next_thread_ + 1) % threads.size();
  acceptor->async_accept(
      target.ctx, [this, &target](const boost::system::error_code& ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
        if (ec) {
          if (IsResourceExhaustion(ec)) {  // out of descriptors: back off instead of spinning
            accept_retry->expires_after(std::chrono::milliseconds(100));
            accept_retry->async_wait([this](const boost::system::error_code& wait_ec) {
              if (!wait_ec) Accept();
            });
          } else {
            Accept();
          }
          return;
        }
        if (open_connections.load(std::memory_order_relaxed) >= options.max_connections ||
            draining.load(std::memory_order_relaxed)) {
          Reject(socket);
        } else {
          open_connections.fetch_add(1, std::memory_order_relaxed);
          metrics->open_connections->Add(1);
          metrics->connections->Increment();
          asio::post(target.ctx, [this, &target, s = std::move(socket)]() mutable {
            StartConnection(*this, target, std::move(s));
          });
        }
        Accept();
      });
}

void ServerCore::Reject(tcp::socket& socket) {
  metrics->rejected_connections->Increment();
  boost::system::error_code ec;
  if (!tls) {
    static constexpr std::string_view k503 =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n"
        "Retry-After: 1\r\n\r\n";
    socket.non_blocking(true, ec);
    socket.write_some(asio::buffer(k503.data(), k503.size()), ec);
    socket.shutdown(tcp::socket::shutdown_send, ec);
  }
  socket.close(ec);
}

void ServerCore::ForEachConnection(const std::function<void(ConnectionBase&)>& fn) {
  std::vector<std::future<void>> done;
  for (auto& t : threads) {
    auto promise = std::make_shared<std::promise<void>>();
    done.push_back(promise->get_future());
    asio::post(t->ctx, [io = t.get(), &fn, promise] {
      std::vector<std::shared_ptr<ConnectionBase>> all;
      for (ConnectionBase* c : io->connections) {
        if (auto strong = c->weak_from_this().lock()) all.push_back(std::move(strong));
      }
      for (auto& c : all) fn(*c);
      promise->set_value();
    });
  }
  for (auto& f : done) f.wait();
}

bool ServerCore::WaitForNoConnections(Clock::time_point deadline) {
  while (open_connections.load(std::memory_order_relaxed) > 0) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

void ServerCore::Stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  draining.store(true);
  bool running = !threads.empty() && threads[0]->thread.joinable();
  if (running) {
    std::promise<void> closed;
    asio::post(threads[0]->ctx, [this, &closed] {
      boost::system::error_code ec;
      acceptor->close(ec);
      accept_retry->cancel();
      closed.set_value();
    });
    closed.get_future().wait();
    ForEachConnection([](ConnectionBase& c) { c.Drain(); });
    WaitForNoConnections(Clock::now() + grace);
    ForEachConnection([](ConnectionBase& c) { c.CloseNow("server stopping"); });
    WaitForNoConnections(Clock::now() + std::chrono::seconds(5));
  }
  if (pool) pool->Shutdown();  // handlers return: their streams fail fast
  for (auto& t : threads) {
    asio::post(t->ctx, [io = t.get()] { io->tick.cancel(); });
    t->work.reset();
  }
  for (auto& t : threads) {
    if (!t->thread.joinable()) continue;
    Clock::time_point give_up = Clock::now() + std::chrono::seconds(2);
    while (!t->ctx.stopped() && Clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    t->ctx.stop();
    t->thread.join();
    t->FlushAccessLog();
  }
}

}  // namespace internal

Response DefaultErrorResponse(int status, std::string_view message) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject();
  w.Field("errorCode", internal::ErrorCode(status));
  w.Field("message", message);
  w.EndObject();
  return Response::Json(status, std::move(body));
}

Server::Server(std::unique_ptr<internal::ServerCore> core) : core_(std::move(core)) {}

Server::~Server() { Stop(std::chrono::milliseconds(0)); }

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options, Router router) {
  ASSIGN_OR_RETURN(options, internal::Normalize(std::move(options)));
  auto core = std::make_unique<internal::ServerCore>(std::move(options), std::move(router));
  ASSIGN_OR_RETURN(core->proxies, TrustedProxies::Parse(core->options.trusted_proxies));
  if (core->options.tls) {
    ASSIGN_OR_RETURN(core->tls,
                     internal::MakeServerTlsContext(core->options.tls->certificate_chain_file,
                                                    core->options.tls->private_key_file));
  }
  RETURN_NOT_OK(core->Listen());
  RETURN_NOT_OK(core->StartThreads());
  return std::make_unique<Server>(std::move(core));
}

uint16_t Server::port() const { return core_->port; }
const ServerOptions& Server::options() const { return core_->options; }
MetricsRegistry& Server::metrics() { return *core_->registry; }

ServerStats Server::stats() const {
  ServerStats s;
  s.open_connections = core_->open_connections.load(std::memory_order_relaxed);
  s.stream_buffered_bytes = core_->metrics->buffered_bytes->Value();
  for (const auto& t : core_->threads) {
    s.peak_stream_buffered_bytes =
        std::max(s.peak_stream_buffered_bytes, t->peak_buffered.load(std::memory_order_relaxed));
    s.requests += t->requests.load(std::memory_order_relaxed);
  }
  return s;
}

void Server::Stop(std::chrono::milliseconds grace) { core_->Stop(grace); }

}  // namespace ds::http
