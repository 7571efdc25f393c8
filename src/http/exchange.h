// Exchange: one request and its response, shared by the connection (on its I/O thread) and
// the handler (on a worker thread). Internal to the server.
//
// The worker turns the handler's Response into wire bytes (Respond) and, for streams, is the
// ResponseStream the producer writes to. The I/O thread takes ready bytes (TakeOutput),
// writes them, and reports back (OnWritten, Fail). All shared state is under one mutex per
// exchange; the only cross-thread signals are a post to the I/O thread when bytes become
// ready while it is idle, and a condition variable that wakes a producer blocked on a full
// buffer. The buffer never holds more than the cap: Write blocks (or fails) instead.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "http/request.h"
#include "http/response.h"
#include "http/response_head.h"
#include "http/router.h"

namespace ds::http::internal {

class ConnectionBase;
class ServerCore;

// What TakeOutput handed to the I/O thread.
struct Output {
  bool head = false;     // *head holds the status line and headers
  bool data = false;     // *data holds body bytes
  bool end = false;      // the body is complete once these bytes are written
  bool chunked = false;  // frame data as a chunk, and end with the last chunk
  bool aborted = false;  // cut the connection now
};

class Exchange final : public ResponseStream, public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(std::shared_ptr<ConnectionBase> connection, ServerCore& core);
  ~Exchange() override;

  Request request;
  const Route* route = nullptr;
  // Whether the connection may stay open after this response (set by the I/O thread before
  // the handler runs; the handler's Response may still ask to close).
  bool keep_alive = true;
  std::atomic<bool> cancelled{false};
  // The reference a queued worker task holds (the task itself captures a raw pointer, so
  // it fits std::function's inline storage).
  std::shared_ptr<Exchange> worker_ref;

  // --- worker side (also the I/O thread, for responses the server makes itself) ---
  // Prepares `response` (head and, unless streamed, body). Returns true if the caller must
  // now run response.stream and then EndStream. Drops the response and returns false if the
  // exchange was cancelled or already answered (handler deadline).
  bool Respond(Response& response);
  // After the producer returned: OK ends the body cleanly, an error aborts it.
  void EndStream(const Status& producer_status);

  Status Write(std::string_view bytes) override;
  Status Flush() override;
  void Abort(std::string_view reason) override;
  int64_t bytes_written() const override;

  // --- I/O side ---
  // Answers with `response` (a 503 for the handler deadline) unless the handler already
  // responded; the handler's later Respond and Writes then fail. False if already answered.
  bool RespondInsteadOfHandler(Response& response, Status handler_failure);
  // Moves what is ready into *head / *data (which must be empty; their capacity is reused).
  Output TakeOutput(std::string* head, std::string* data);
  // The data of the last TakeOutput is on the wire: frees buffer room.
  void OnWritten();
  // The connection is going away: every later Write returns `status`.
  void Fail(Status status);

  // For logs and metrics, once responded.
  int status_sent() const;
  bool response_keep_alive() const;
  std::string abort_reason() const;
  int64_t peak_buffered() const;

 private:
  struct Prepared {
    std::string head;
    std::string body;
    int status = 0;
    Framing framing = Framing::kNone;
    int64_t declared_length = -1;  // streams framed by Content-Length
    bool keep_alive = true;
    bool run_producer = false;
  };
  Prepared Prepare(Response& response, bool use_error_responder = true) const;
  void Commit(Prepared& p);
  void ScheduleLocked();
  void AbortLocked(std::string reason);
  void SyncGaugeLocked();

  std::shared_ptr<ConnectionBase> connection_;
  ServerCore& core_;
  const size_t cap_;
  const size_t flush_bytes_;

  mutable std::mutex mu_;
  std::condition_variable room_;
  Status failure_;
  bool responded_ = false;
  bool head_taken_ = false;
  bool finished_ = false;
  bool end_taken_ = false;
  bool aborted_ = false;
  bool scheduled_ = false;  // the I/O thread was notified or is writing
  int status_ = 0;
  Framing framing_ = Framing::kNone;
  bool keep_alive_final_ = true;
  int64_t declared_length_ = -1;
  int64_t written_ = 0;
  size_t inflight_ = 0;
  int64_t peak_ = 0;
  int64_t gauge_accounted_ = 0;
  std::string abort_reason_;
  std::string head_;
  std::string body_;
  std::string pending_;
};

}  // namespace ds::http::internal
