// Response: what a handler returns. Either a complete body, or a streamed body produced by a
// StreamProducer that the server runs on the handler's worker thread after the status line
// and headers are queued.
//
// A stream is framed with chunked transfer encoding, or with Content-Length when the handler
// knows the exact length (file serving). Once the 200 is on the wire a failure can no longer
// change the status, so the producer either writes an in-band error the client understands
// (e.g. a Delta Sharing endStreamAction with errorMessage) and returns OK, or returns an error
// / calls Abort(): the server then cuts the connection without the terminating chunk, and the
// client sees an incomplete response, never a complete success.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/headers.h"
#include "util/status.h"

namespace ds::http {

// The body sink of a streamed response. Used by one thread: the producer's.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;

  // Appends `bytes` to the body. The bytes are copied into the response's outbound buffer,
  // which is sent once it reaches ServerOptions::stream_flush_bytes (or on Flush or at the
  // end). Blocks while the buffer holds ServerOptions::stream_buffer_bytes (backpressure)
  // until the client reads. Errors, after which every later call fails the same way:
  //   Cancelled           the client disconnected, or the server is stopping;
  //   DeadlineExceeded    the client stopped reading for ServerOptions::write_timeout;
  //   FailedPrecondition  after Abort(), or writing past a declared Content-Length.
  virtual Status Write(std::string_view bytes) = 0;
  // Starts sending what is buffered now; does not wait for the client. Same errors as Write.
  virtual Status Flush() = 0;
  // Cuts the connection: bytes not yet handed to the socket are dropped (a write in progress
  // completes first) and the body is never terminated, so the client sees an incomplete
  // response. `reason` goes to the access log. Idempotent.
  virtual void Abort(std::string_view reason) = 0;
  // Body bytes accepted by Write so far.
  virtual int64_t bytes_written() const = 0;
};

// Writes a streamed body. Returning OK ends the response cleanly (the terminating chunk is
// sent); returning an error aborts it (see above). Runs on a worker thread; may block; may
// use the Request the handler received (it outlives the producer).
using StreamProducer = std::function<Status(ResponseStream&)>;

struct Response {
  int status = 200;
  // Content-Length, Transfer-Encoding and Connection are set by the server; a handler that
  // sets them gets a 500 instead. Names must be tokens and values free of CR/LF/NUL.
  Headers headers;
  // A complete body (ignored for HEAD requests and for 204/304, which carry none).
  std::string body;
  // A streamed body instead of `body`; not run for HEAD requests.
  StreamProducer stream;
  // For streams: the exact body length, sent as Content-Length instead of chunked framing.
  // Writing more fails; ending with fewer bytes aborts the connection.
  std::optional<int64_t> content_length;
  // Close the connection after this response.
  bool close_connection = false;

  static Response Text(int status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");
  // `body` must be JSON; sent as application/json; charset=utf-8.
  static Response Json(int status, std::string body);
  static Response Empty(int status);
  static Response Stream(int status, std::string_view content_type, StreamProducer producer,
                         std::optional<int64_t> content_length = std::nullopt);
};

// "OK", "Not Found", ...; "Unknown" for codes without a standard phrase.
std::string_view ReasonPhrase(int status);
// True for statuses whose responses never carry a body: 1xx, 204, 304.
inline bool StatusHasNoBody(int status) { return status < 200 || status == 204 || status == 304; }

}  // namespace ds::http
