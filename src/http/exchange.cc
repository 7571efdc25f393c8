#include "http/exchange.h"

#include <algorithm>

#include "http/connection.h"
#include "http/server_core.h"

namespace ds::http::internal {

Exchange::Exchange(std::shared_ptr<ConnectionBase> connection, ServerCore& core)
    : connection_(std::move(connection)),
      core_(core),
      cap_(core.options.stream_buffer_bytes),
      flush_bytes_(core.options.stream_flush_bytes) {}

Exchange::~Exchange() {
  if (gauge_accounted_ != 0) core_.metrics->buffered_bytes->Add(-gauge_accounted_);
}

Exchange::Prepared Exchange::Prepare(Response& response, bool use_error_responder) const {
  Prepared p;
  if (response.status < 200 || response.status > 599 ||
      (response.stream && response.content_length && *response.content_length < 0)) {
    response = core_.ErrorResponse(500, "handler returned an invalid response (status " +
                                            std::to_string(response.status) + ")");
  }
  const bool head_request = request.method() == Method::kHead;
  const bool streamed = static_cast<bool>(response.stream);
  p.status = response.status;
  p.keep_alive =
      keep_alive && !response.close_connection && !core_.draining.load(std::memory_order_relaxed);
  int64_t length = 0;
  if (StatusHasNoBody(p.status)) {
    p.framing = Framing::kNone;
  } else if (!streamed) {
    p.framing = Framing::kContentLength;
    length = static_cast<int64_t>(response.body.size());
  } else if (response.content_length) {
    p.framing = Framing::kContentLength;
    length = *response.content_length;
    p.declared_length = length;
  } else if (request.version() >= 11) {
    p.framing = Framing::kChunked;
  } else {
    p.framing = Framing::kClose;  // HTTP/1.0 has no chunking: the close ends the body
    p.keep_alive = false;
  }
  HeadParams params;
  params.status = p.status;
  params.headers = &response.headers;
  params.version = request.version() == 10 ? 10 : 11;
  params.keep_alive = p.keep_alive;
  params.framing = p.framing;
  params.content_length = length;
  params.server_name = core_.options.server_name;
  params.request_id = request.request_id();
  Status st = AppendResponseHead(params, &p.head);
  if (!st.ok()) {
    // A handler bug: answer 500 with the reason instead of sending a malformed head (and if
    // the error responder itself is at fault, with a plain one that is always valid).
    Response error = use_error_responder
                         ? core_.ErrorResponse(500, st.message())
                         : Response::Text(500, "internal error: invalid response header\n");
    Prepared fallback = Prepare(error, /*use_error_responder=*/false);
    fallback.keep_alive = false;
    return fallback;
  }
  p.run_producer = streamed && !head_request && p.framing != Framing::kNone;
  if (!streamed && !head_request && p.framing != Framing::kNone) p.body = std::move(response.body);
  return p;
}

void Exchange::Commit(Prepared& p) {
  responded_ = true;
  head_ = std::move(p.head);
  body_ = std::move(p.body);
  status_ = p.status;
  framing_ = p.framing;
  declared_length_ = p.declared_length;
  keep_alive_final_ = p.keep_alive;
  if (!p.run_producer) {
    finished_ = true;
    ScheduleLocked();
  }
}

bool Exchange::Respond(Response& response) {
  Prepared p = Prepare(response);
  std::lock_guard lock(mu_);
  if (responded_ || !failure_.ok()) return false;
  Commit(p);
  return p.run_producer;
}

bool Exchange::RespondInsteadOfHandler(Response& response, Status handler_failure) {
  Prepared p = Prepare(response);
  p.keep_alive = false;  // the handler still runs: start afresh on a new connection
  p.run_producer = false;
  std::lock_guard lock(mu_);
  if (responded_) return false;
  Commit(p);
  failure_ = std::move(handler_failure);
  cancelled.store(true, std::memory_order_relaxed);
  return true;
}

void Exchange::EndStream(const Status& producer_status) {
  if (!producer_status.ok()) {
    Abort(producer_status.ToString());
    return;
  }
  std::lock_guard lock(mu_);
  if (aborted_ || finished_ || !failure_.ok()) return;
  if (declared_length_ >= 0 && written_ != declared_length_) {
    AbortLocked("stream ended after " + std::to_string(written_) + " of the " +
                std::to_string(declared_length_) + " bytes it declared");
    return;
  }
  finished_ = true;
  ScheduleLocked();
}

Status Exchange::Write(std::string_view bytes) {
  std::unique_lock lock(mu_);
  if (declared_length_ >= 0 && failure_.ok() && !aborted_ &&
      written_ + static_cast<int64_t>(bytes.size()) > declared_length_) {
    AbortLocked("stream wrote past its declared Content-Length of " +
                std::to_string(declared_length_));
    return Status::FailedPrecondition("response stream: write past the declared Content-Length");
  }
  while (!bytes.empty()) {
    if (!failure_.ok()) return failure_;
    if (aborted_ || finished_) return Status::FailedPrecondition("response stream already ended");
    size_t held = pending_.size() + inflight_;
    if (held >= cap_) {
      ScheduleLocked();
      room_.wait(lock,
                 [&] { return !failure_.ok() || aborted_ || pending_.size() + inflight_ < cap_; });
      continue;
    }
    size_t n = std::min(cap_ - held, bytes.size());
    pending_.append(bytes.data(), n);
    bytes.remove_prefix(n);
    written_ += static_cast<int64_t>(n);
    peak_ = std::max<int64_t>(peak_, static_cast<int64_t>(pending_.size() + inflight_));
    SyncGaugeLocked();
    if (pending_.size() >= flush_bytes_) ScheduleLocked();
  }
  return Status::OK();
}

Status Exchange::Flush() {
  std::lock_guard lock(mu_);
  if (!failure_.ok()) return failure_;
  if (aborted_ || finished_) return Status::FailedPrecondition("response stream already ended");
  if (!pending_.empty() || !head_taken_) ScheduleLocked();
  return Status::OK();
}

void Exchange::Abort(std::string_view reason) {
  std::lock_guard lock(mu_);
  AbortLocked(std::string(reason));
}

void Exchange::AbortLocked(std::string reason) {
  if (aborted_ || end_taken_) return;
  aborted_ = true;
  abort_reason_ = std::move(reason);
  pending_.clear();
  SyncGaugeLocked();
  room_.notify_all();
  ScheduleLocked();  // if a write is in progress, its completion sees the abort
}

int64_t Exchange::bytes_written() const {
  std::lock_guard lock(mu_);
  return written_;
}

void Exchange::ScheduleLocked() {
  if (scheduled_) return;
  scheduled_ = true;
  connection_->NotifyOutput(shared_from_this());
}

void Exchange::SyncGaugeLocked() {
  auto held = static_cast<int64_t>(pending_.size() + inflight_);
  if (held != gauge_accounted_) {
    core_.metrics->buffered_bytes->Add(held - gauge_accounted_);
    gauge_accounted_ = held;
  }
}

Output Exchange::TakeOutput(std::string* head, std::string* data) {
  std::lock_guard lock(mu_);
  Output out;
  if (aborted_) {
    out.aborted = true;
    return out;
  }
  out.chunked = framing_ == Framing::kChunked && request.method() != Method::kHead;
  if (responded_ && !head_taken_) {
    head->swap(head_);
    head_taken_ = true;
    out.head = true;
  }
  if (!body_.empty()) {
    data->swap(body_);
    out.data = true;
  } else if (head_taken_ && !pending_.empty()) {
    data->swap(pending_);
    inflight_ = data->size();
    out.data = true;
  }
  if (finished_ && pending_.empty() && body_.empty() && !end_taken_) {
    end_taken_ = true;
    out.end = true;
  }
  if (!out.head && !out.data && !out.end) scheduled_ = false;
  return out;
}

void Exchange::OnWritten() {
  std::lock_guard lock(mu_);
  inflight_ = 0;
  SyncGaugeLocked();
  room_.notify_all();
}

void Exchange::Fail(Status status) {
  std::lock_guard lock(mu_);
  if (failure_.ok()) failure_ = std::move(status);
  cancelled.store(true, std::memory_order_relaxed);
  room_.notify_all();
}

int Exchange::status_sent() const {
  std::lock_guard lock(mu_);
  return head_taken_ ? status_ : 0;
}

bool Exchange::response_keep_alive() const {
  std::lock_guard lock(mu_);
  return keep_alive_final_;
}

std::string Exchange::abort_reason() const {
  std::lock_guard lock(mu_);
  return abort_reason_;
}

int64_t Exchange::peak_buffered() const {
  std::lock_guard lock(mu_);
  return peak_;
}

}  // namespace ds::http::internal
