// Connection: one client connection's state machine, on one I/O thread (internal).
//
//   [TLS handshake] -> idle wait -> request head -> [100 Continue] -> body -> handler
//        -> response writes -> (keep-alive: idle wait again) | graceful close (linger)
//
// Every phase has a deadline that the I/O thread's tick checks (OnTick). ConnectionBase holds
// the logic; Connection<Stream> adds the socket operations for plain TCP and for TLS.
// Lifetime: pending operations and the current Exchange hold shared_ptrs to the connection;
// it unregisters from its thread when it closes, always on its own thread.
#pragma once

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http/exchange.h"
#include "http/request_parser.h"
#include "http/server_core.h"

namespace ds::http::internal {

using error_code = boost::system::error_code;

class ConnectionBase : public std::enable_shared_from_this<ConnectionBase> {
 public:
  ConnectionBase(ServerCore& core, IoThread& thread, std::string peer_address);
  virtual ~ConnectionBase() = default;
  ConnectionBase(const ConnectionBase&) = delete;
  ConnectionBase& operator=(const ConnectionBase&) = delete;

  // I/O thread only, below.
  void Start();
  void OnTick(Clock::time_point now);
  // Server stopping: close now if idle, else after the current response.
  void Drain();
  // Closes the socket at once; a running handler's stream sees Write fail. `outcome` goes to
  // the access log if a request was in progress ("" for an unremarkable close).
  void CloseNow(std::string_view outcome);
  Clock::time_point deadline() const { return deadline_; }
  // Frees the read buffer of a plain connection idle for a second (a busy one keeps it).
  void ReleaseIdleBuffer(Clock::time_point now);
  size_t registry_index = 0;  // position in IoThread::connections

  // Any thread: `exchange` has output ready (or was aborted).
  void NotifyOutput(std::shared_ptr<Exchange> exchange);

  // Completions of the stream operations (called by Connection<Stream>).
  void OnHandshake(const error_code& ec);
  void OnReadSome(const error_code& ec, size_t n);
  void OnHeader(const error_code& ec);
  void OnBody(const error_code& ec);
  void OnWrite(const error_code& ec);
  void OnShutdown();
  void OnLingerRead(const error_code& ec, size_t n);
  void NoteWriteProgress() { deadline_ = Clock::now() + core_.options.write_timeout; }

 protected:
  // Stream operations; each completes by calling the matching On* above.
  virtual void DoHandshake() = 0;
  // Waits for the first bytes of the next request: plain TCP waits for readability without
  // a buffer (so an idle connection can release it), TLS reads into buffer_.prepare().
  virtual void DoReadSome() = 0;
  virtual void DoReadHeader() = 0;  // Beast async_read_header with parser_
  virtual void DoReadBody() = 0;    // Beast async_read with parser_
  virtual void DoWrite() = 0;       // write_buffers_
  virtual void DoShutdown() = 0;    // TLS close_notify / TCP FIN, then OnShutdown
  virtual void DoLingerRead() = 0;  // discard input until EOF
  virtual void CloseSocket() = 0;
  virtual bool is_tls() const = 0;

  static constexpr size_t kReadSize = 4096;

  ServerCore& core_;
  IoThread& thread_;
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::array<boost::asio::const_buffer, 5> write_buffers_;

 private:
  enum class Phase : uint8_t {
    kHandshake,
    kIdle,
    kHeader,
    kBody,
    kHandler,
    kResponding,
    kWriting,
    kLinger,
    kClosed
  };
  void SetPhase(Phase phase, std::chrono::milliseconds timeout);
  void ReadRequest();
  void ReadHeader();
  void ReadBody();
  void OnReadError(const error_code& ec);
  void OnRequestRead();
  void Dispatch();
  void RespondWithError(int status, std::string message, bool close, std::string_view allow = {});
  void OnOutputReady(Exchange* exchange);
  void PumpOutput();
  void ResponseComplete();
  void StartClose();
  void OnTimeout();
  void Record(std::string_view outcome);
  std::shared_ptr<Exchange> NewExchange();
  std::string MakeRequestId(const Request& request, const IpAddress* peer) const;

  std::string peer_address_;
  Request request_;  // being parsed; moved into the Exchange when complete
  std::shared_ptr<Exchange> exchange_;
  Phase phase_ = Phase::kIdle;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point idle_since_;
  Clock::time_point request_start_;
  int64_t request_start_wall_us_ = 0;
  int requests_served_ = 0;
  bool closed_ = false;
  bool writing_ = false;
  bool writing_continue_ = false;
  bool end_queued_ = false;
  bool keep_alive_ = true;
  int64_t body_bytes_sent_ = 0;
  std::string out_head_;
  std::string out_data_;
  char chunk_header_[20];
};

// Creates and starts a connection for an accepted socket, on the calling (I/O) thread.
void StartConnection(ServerCore& core, IoThread& thread, boost::asio::ip::tcp::socket socket);

}  // namespace ds::http::internal
