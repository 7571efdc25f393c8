#include "http/connection.h"

#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>

#include "http/access_log.h"

namespace ds::http::internal {
namespace {

namespace beast_http = boost::beast::http;

constexpr size_t kIdleBufferCapacity = 8 * 1024;  // keep at most this while idle
constexpr size_t kAccessLogFlushBytes = 64 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";

int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Response CallHandler(const Route& route, const Request& request, ServerCore& core) {
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    return core.ErrorResponse(500, std::string("handler failed: ") + e.what());
  } catch (...) {
    return core.ErrorResponse(500, "handler failed with an unknown exception");
  }
}

Status CallProducer(const StreamProducer& producer, ResponseStream& stream) {
  try {
    return producer(stream);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("stream producer failed: ") + e.what());
  } catch (...) {
    return Status::Internal("stream producer failed with an unknown exception");
  }
}

// The worker side of one request: handler, then the producer of a streamed body.
void RunOnWorker(Exchange& ex, ServerCore& core) {
  core.metrics->queued_requests->Add(-1);
  if (ex.cancelled.load(std::memory_order_relaxed)) return;  // timed out or closed in queue
  Response response = CallHandler(*ex.route, ex.request, core);
  if (ex.Respond(response)) ex.EndStream(CallProducer(response.stream, ex));
}

}  // namespace

ConnectionBase::ConnectionBase(ServerCore& core, IoThread& thread, std::string peer_address)
    : core_(core),
      thread_(thread),
      buffer_(core.options.max_header_bytes + 64 * 1024),
      peer_address_(std::move(peer_address)) {}

void ConnectionBase::SetPhase(Phase phase, std::chrono::milliseconds timeout) {
  phase_ = phase;
  deadline_ = timeout.count() > 0 ? Clock::now() + timeout : Clock::time_point::max();
}

void ConnectionBase::Start() {
  thread_.Add(this);
  if (core_.draining.load(std::memory_order_relaxed)) {
    CloseNow("");
    return;
  }
  if (is_tls()) {
    SetPhase(Phase::kHandshake, core_.options.header_timeout);
    DoHandshake();
    return;
  }
  ReadRequest();
}

void ConnectionBase::OnHandshake(const error_code& ec) {
  if (closed_) return;
  if (ec) {
    CloseNow("");
    return;
  }
  ReadRequest();
}

void ConnectionBase::ReadRequest() {
  if (core_.draining.load(std::memory_order_relaxed)) {
    StartClose();
    return;
  }
  if (buffer_.size() > 0) {  // a pipelined request is already here
    ReadHeader();
    return;
  }
  if (buffer_.capacity() > kIdleBufferCapacity) buffer_.shrink_to_fit();
  SetPhase(Phase::kIdle,
           requests_served_ == 0 ? core_.options.header_timeout : core_.options.idle_timeout);
  idle_since_ = Clock::now();
  DoReadSome();
}

void ConnectionBase::ReleaseIdleBuffer(Clock::time_point now) {
  if (phase_ == Phase::kIdle && !is_tls() && buffer_.size() == 0 && buffer_.capacity() > 0 &&
      now - idle_since_ >= std::chrono::seconds(1)) {
    buffer_.shrink_to_fit();  // no read holds it: plain connections only wait for readability
  }
}

void ConnectionBase::OnReadSome(const error_code& ec, size_t n) {
  if (closed_) return;
  if (ec) {
    CloseNow("");  // the client closed an idle connection: nothing to report
    return;
  }
  buffer_.commit(n);  // 0 for plain TCP, which only waited for readability
  ReadHeader();
}

void ConnectionBase::ReadHeader() {
  request_start_ = Clock::now();
  request_start_wall_us_ = WallMicros();
  request_ = Request();
  parser_.emplace(&request_, core_.options.max_header_bytes, core_.options.max_body_bytes);
  SetPhase(Phase::kHeader, core_.options.header_timeout);
  DoReadHeader();
}

void ConnectionBase::OnHeader(const error_code& ec) {
  if (closed_) return;
  if (ec) {
    OnReadError(ec);
    return;
  }
  if (parser_->unsupported_expectation()) {
    RespondWithError(417, "only 'Expect: 100-continue' is supported", /*close=*/true);
    return;
  }
  if (parser_->is_done()) {
    OnRequestRead();
    return;
  }
  if (parser_->expect_continue() && request_.version() >= 11) {
    SetPhase(Phase::kBody, core_.options.body_timeout);
    write_buffers_ = {asio::buffer(kContinue.data(), kContinue.size())};
    writing_ = writing_continue_ = true;
    DoWrite();
    return;
  }
  ReadBody();
}

void ConnectionBase::ReadBody() {
  SetPhase(Phase::kBody, core_.options.body_timeout);
  DoReadBody();
}

void ConnectionBase::OnBody(const error_code& ec) {
  if (closed_) return;
  if (ec) {
    OnReadError(ec);
    return;
  }
  OnRequestRead();
}

void ConnectionBase::OnReadError(const error_code& ec) {
  const bool got_some = parser_ && parser_->got_some();
  if (ec == beast_http::error::header_limit ||
      (ec == beast_http::error::buffer_overflow && !parser_->is_header_done())) {
    RespondWithError(431,
                     "request header is larger than " +
                         std::to_string(core_.options.max_header_bytes) + " bytes",
                     /*close=*/true);
  } else if (ec == beast_http::error::body_limit || ec == beast_http::error::buffer_overflow) {
    RespondWithError(
        413,
        "request body is larger than " + std::to_string(core_.options.max_body_bytes) + " bytes",
        /*close=*/true);
  } else if (ec == beast_http::error::end_of_stream || ec == beast_http::error::partial_message ||
             ec.category() !=
                 beast_http::make_error_code(beast_http::error::end_of_stream).category()) {
    CloseNow(got_some ? "client_closed: request incomplete" : "");
  } else {
    RespondWithError(400, "malformed request: " + ec.message(), /*close=*/true);
  }
}

std::string ConnectionBase::MakeRequestId(const Request& request, const IpAddress* peer) const {
  if (core_.options.trust_request_id && peer != nullptr && core_.proxies.Contains(*peer)) {
    std::optional<std::string_view> given = request.header("X-Request-Id");
    if (given && IsValidRequestId(*given)) return std::string(*given);
  }
  char hex[16];
  std::string id = core_.request_id_prefix;
  id.append(FormatHex(static_cast<uint64_t>(thread_.index), hex));
  id.push_back('-');
  id.append(FormatHex(thread_.next_request_id++, hex));
  return id;
}

std::shared_ptr<Exchange> ConnectionBase::NewExchange() {
  auto ex = std::make_shared<Exchange>(shared_from_this(), core_);
  // Requests rejected before they were fully read still get an id for the log and the client.
  if (request_.request_id().empty()) request_.set_request_id(MakeRequestId(request_, nullptr));
  ex->request = std::move(request_);
  ex->request.set_cancel_flag(&ex->cancelled);
  request_ = Request();
  return ex;
}

void ConnectionBase::OnRequestRead() {
  keep_alive_ = parser_->keep_alive();
  parser_.reset();
  Request& req = request_;
  std::optional<IpAddress> peer_ip;
  if (!core_.proxies.empty()) peer_ip = IpAddress::Parse(peer_address_);
  std::string client = peer_address_;
  if (peer_ip) {
    std::vector<std::string_view> forwarded = req.headers().GetAll("X-Forwarded-For");
    if (!forwarded.empty()) client = ResolveClientAddress(peer_address_, forwarded, core_.proxies);
  }
  req.set_addresses(peer_address_, std::move(client));
  req.set_request_id(MakeRequestId(req, peer_ip ? &*peer_ip : nullptr));
  req.set_tls(is_tls());
  if (core_.options.max_requests_per_connection > 0 &&
      requests_served_ + 1 >= core_.options.max_requests_per_connection) {
    keep_alive_ = false;
  }

  if (req.version() >= 11 && !req.headers().Contains("Host")) {
    RespondWithError(400, "an HTTP/1.1 request needs a Host header", /*close=*/true);
    return;
  }
  if (Status st = req.ParseTarget(); !st.ok()) {
    RespondWithError(400, st.message(), /*close=*/false);
    return;
  }
  Router::Match match = core_.router.Find(req.method(), req.path());
  switch (match.kind) {
    case Router::Match::Kind::kFound:
      break;
    case Router::Match::Kind::kBadPath:
      RespondWithError(400, match.error, /*close=*/false);
      return;
    case Router::Match::Kind::kNotFound:
      RespondWithError(404,
                       "no route for " + std::string(req.method_name().substr(0, 16)) + " " +
                           std::string(req.path().substr(0, 256)),
                       /*close=*/false);
      return;
    case Router::Match::Kind::kMethodNotAllowed:
      RespondWithError(405,
                       "method " + std::string(req.method_name().substr(0, 16)) +
                           " is not allowed here (allowed: " + match.allow + ")",
                       /*close=*/false, match.allow);
      return;
  }
  req.set_route(match.route->pattern, std::move(match.params));
  exchange_ = NewExchange();
  exchange_->route = match.route;
  exchange_->keep_alive = keep_alive_;
  Dispatch();
}

void ConnectionBase::Dispatch() {
  SetPhase(Phase::kHandler, core_.options.handler_timeout);
  Exchange& ex = *exchange_;
  core_.metrics->request_body_bytes->Increment(ex.request.body().size());
  if (ex.route->options.run_inline) {
    Response response = CallHandler(*ex.route, ex.request, core_);
    if (!ex.Respond(response)) {
      PumpOutput();  // write now rather than after the notification's round trip
      return;
    }
    // A streamed body from an inline handler still runs on a worker: it may block.
    ex.worker_ref = exchange_;
    WorkerPool::Task task = [p = &ex, stream = std::move(response.stream)]() {
      std::shared_ptr<Exchange> hold = std::move(p->worker_ref);
      hold->EndStream(CallProducer(stream, *hold));
    };
    if (!core_.pool->TrySubmit(task)) {
      ex.worker_ref.reset();
      core_.metrics->overloaded->Increment();
      ex.Abort("server overloaded: no worker for the response stream");
    }
    return;
  }
  ex.worker_ref = exchange_;
  core_.metrics->queued_requests->Add(1);
  WorkerPool::Task task = [p = &ex, core = &core_]() {
    std::shared_ptr<Exchange> hold = std::move(p->worker_ref);
    RunOnWorker(*hold, *core);
  };
  if (!core_.pool->TrySubmit(task)) {
    ex.worker_ref.reset();
    core_.metrics->queued_requests->Add(-1);
    core_.metrics->overloaded->Increment();
    RespondWithError(503, "server overloaded: too many requests waiting", /*close=*/false);
  }
}

void ConnectionBase::RespondWithError(int status, std::string message, bool close,
                                      std::string_view allow) {
  parser_.reset();
  if (!exchange_) exchange_ = NewExchange();
  if (close) keep_alive_ = false;
  exchange_->keep_alive = keep_alive_;
  Response response = core_.ErrorResponse(status, message);
  if (!allow.empty()) response.headers.Set("Allow", allow);
  SetPhase(Phase::kResponding, {});
  exchange_->Respond(response);
  PumpOutput();
}

void ConnectionBase::NotifyOutput(std::shared_ptr<Exchange> exchange) {
  asio::post(thread_.ctx, [self = shared_from_this(), ex = std::move(exchange)] {
    self->OnOutputReady(ex.get());
  });
}

void ConnectionBase::OnOutputReady(Exchange* exchange) {
  if (closed_ || exchange != exchange_.get()) return;
  // An abort during a write takes effect when that write completes (PumpOutput then sees
  // it): bytes already on their way are not torn, bytes still buffered are dropped.
  PumpOutput();
}

void ConnectionBase::PumpOutput() {
  if (closed_ || writing_ || !exchange_) return;
  Output out = exchange_->TakeOutput(&out_head_, &out_data_);
  if (out.aborted) {
    core_.metrics->aborted_streams->Increment();
    CloseNow("aborted: " + exchange_->abort_reason());
    return;
  }
  if (!out.head && !out.data && !out.end) {
    if (phase_ != Phase::kHandler) SetPhase(Phase::kResponding, {});
    return;  // the producer is working; its next Write or its end notifies us
  }
  size_t n = 0;
  write_buffers_ = {};
  if (out.head) write_buffers_[n++] = asio::buffer(out_head_);
  if (out.data) {
    if (out.chunked) {
      size_t digits = FormatHex(out_data_.size(), chunk_header_).size();
      chunk_header_[digits] = '\r';
      chunk_header_[digits + 1] = '\n';
      write_buffers_[n++] = asio::buffer(chunk_header_, digits + 2);
      write_buffers_[n++] = asio::buffer(out_data_);
      write_buffers_[n++] = asio::buffer(kCrlf.data(), kCrlf.size());
    } else {
      write_buffers_[n++] = asio::buffer(out_data_);
    }
  }
  if (out.end) {
    end_queued_ = true;
    if (out.chunked) write_buffers_[n++] = asio::buffer(kLastChunk.data(), kLastChunk.size());
  }
  if (n == 0) {  // only the end, and no terminator to send
    ResponseComplete();
    return;
  }
  writing_ = true;
  SetPhase(Phase::kWriting, core_.options.write_timeout);
  DoWrite();
}

void ConnectionBase::OnWrite(const error_code& ec) {
  writing_ = false;
  if (closed_) return;
  if (ec) {
    if (exchange_) exchange_->Fail(Status::Cancelled("client connection lost: " + ec.message()));
    CloseNow("client_closed: " + ec.message());
    return;
  }
  if (writing_continue_) {
    writing_continue_ = false;
    ReadBody();
    return;
  }
  body_bytes_sent_ += static_cast<int64_t>(out_data_.size());
  out_head_.clear();
  out_data_.clear();
  exchange_->OnWritten();
  if (end_queued_) {
    ResponseComplete();
    return;
  }
  PumpOutput();
}

void ConnectionBase::ResponseComplete() {
  bool keep = keep_alive_ && exchange_->response_keep_alive() &&
              !core_.draining.load(std::memory_order_relaxed);
  Record("ok");
  exchange_.reset();
  end_queued_ = false;
  body_bytes_sent_ = 0;
  ++requests_served_;
  if (keep) {
    ReadRequest();
  } else {
    StartClose();
  }
}

void ConnectionBase::Record(std::string_view outcome) {
  const Request& req = exchange_ ? exchange_->request : request_;
  const Route* route = exchange_ ? exchange_->route : nullptr;
  const int status = exchange_ ? exchange_->status_sent() : 0;
  const double seconds = std::chrono::duration<double>(Clock::now() - request_start_).count();
  IoThread::Series& series = thread_.SeriesFor(route, req.method(), status);
  series.requests->Increment();
  series.latency->Observe(seconds);
  core_.metrics->response_body_bytes->Increment(static_cast<uint64_t>(body_bytes_sent_));
  thread_.requests.fetch_add(1, std::memory_order_relaxed);
  if (exchange_) {
    int64_t peak = exchange_->peak_buffered();
    if (peak > thread_.peak_buffered.load(std::memory_order_relaxed)) {
      thread_.peak_buffered.store(peak, std::memory_order_relaxed);
    }
  }
  if (!core_.options.access_log) return;
  AccessLogEntry e;
  e.start_unix_micros = request_start_wall_us_;
  e.request_id = req.request_id();
  e.client_address = req.client_address().empty() ? std::string_view(peer_address_)
                                                  : std::string_view(req.client_address());
  e.method = req.method_name();
  bool log_path = route == nullptr || route->options.log_path;
  e.path = log_path ? req.path() : std::string_view(route->pattern);
  e.route = route != nullptr ? std::string_view(route->pattern) : std::string_view();
  e.status = status;
  e.request_bytes = static_cast<int64_t>(req.body().size());
  e.response_bytes = body_bytes_sent_;
  e.duration_seconds = seconds;
  e.user_agent = req.header("User-Agent").value_or("");
  e.outcome = outcome;
  e.tls = is_tls();
  AppendAccessLogLine(e, &thread_.access_log_buffer);
  if (thread_.access_log_buffer.size() >= kAccessLogFlushBytes) thread_.FlushAccessLog();
}

void ConnectionBase::StartClose() {
  if (closed_) return;
  SetPhase(Phase::kLinger, core_.options.linger_timeout);
  DoShutdown();
}

void ConnectionBase::OnShutdown() {
  if (closed_) return;
  if (is_tls()) {  // the close_notify exchange did the lingering
    CloseNow("");
    return;
  }
  DoLingerRead();
}

void ConnectionBase::OnLingerRead(const error_code& ec, size_t n) {
  if (closed_) return;
  if (ec) {
    CloseNow("");
    return;
  }
  buffer_.commit(n);
  DoLingerRead();
}

void ConnectionBase::Drain() {
  if (closed_) return;
  if (phase_ == Phase::kIdle || phase_ == Phase::kHandshake) {
    CloseNow("");
    return;
  }
  keep_alive_ = false;
}

void ConnectionBase::OnTick(Clock::time_point now) {
  if (!closed_ && now >= deadline_) OnTimeout();
}

void ConnectionBase::OnTimeout() {
  auto count = [&](std::string_view phase) {
    core_.metrics->timeouts->WithLabels({phase}).Increment();
  };
  switch (phase_) {
    case Phase::kHandshake:
      count("handshake");
      CloseNow("");
      return;
    case Phase::kIdle:
      if (requests_served_ == 0) count("header");
      CloseNow("");
      return;
    case Phase::kHeader:
      count("header");
      CloseNow("timeout: request head");
      return;
    case Phase::kBody:
      count("body");
      CloseNow("timeout: request body");
      return;
    case Phase::kHandler: {
      Response response = core_.ErrorResponse(
          503, "the handler did not respond within " +
                   std::to_string(core_.options.handler_timeout.count()) + " ms");
      if (exchange_->RespondInsteadOfHandler(response,
                                             Status::DeadlineExceeded("handler deadline passed"))) {
        count("handler");
        keep_alive_ = false;
      }
      SetPhase(Phase::kResponding, {});
      PumpOutput();
      return;
    }
    case Phase::kWriting:
      count("write");
      if (exchange_) {
        exchange_->Fail(
            Status::DeadlineExceeded("the client read nothing for " +
                                     std::to_string(core_.options.write_timeout.count()) + " ms"));
      }
      CloseNow("timeout: write");
      return;
    case Phase::kLinger:
      CloseNow("");
      return;
    case Phase::kResponding:
    case Phase::kClosed:
      deadline_ = Clock::time_point::max();
      return;
  }
}

void ConnectionBase::CloseNow(std::string_view outcome) {
  if (closed_) return;
  closed_ = true;
  phase_ = Phase::kClosed;
  deadline_ = Clock::time_point::max();
  if (exchange_) {
    exchange_->Fail(
        Status::Cancelled("connection closed" +
                          (outcome.empty() ? std::string() : " (" + std::string(outcome) + ")")));
  }
  if (!outcome.empty()) Record(outcome);
  exchange_.reset();
  CloseSocket();
  thread_.Remove(this);
  core_.open_connections.fetch_sub(1, std::memory_order_relaxed);
  core_.metrics->open_connections->Add(-1);
}

}  // namespace ds::http::internal
