// Blocking and load-generating HTTP clients for the server's tests (test-only). Responses
// are parsed with Beast's own response parser, independent of the server's code.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::http::test {

using std::chrono::milliseconds;

struct TestResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool keep_alive = false;
  bool chunked = false;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// One client connection over a plain socket, with timeouts on every read.
class TestConnection {
 public:
  // IOError if the connection cannot be made.
  static Result<TestConnection> Connect(uint16_t port);
  TestConnection(TestConnection&& other) noexcept;
  TestConnection& operator=(TestConnection&& other) noexcept;
  ~TestConnection();

  Status Send(std::string_view bytes);
  // Reads one response. `head_request`: the response has no body. DeadlineExceeded on
  // timeout; IOError("incomplete ...") if the server closed before the response ended.
  Result<TestResponse> ReadResponse(milliseconds timeout = milliseconds(10000),
                                    bool head_request = false);
  // Reads until the server closes (true) or `timeout` passes (false).
  bool WaitForClose(milliseconds timeout, std::string* received = nullptr);
  // Sets the socket's receive buffer (call before sending, to model a slow reader).
  void SetReceiveBuffer(int bytes);
  void Close();
  int fd() const { return fd_; }

 private:
  explicit TestConnection(int fd) : fd_(fd) {}
  // Reads available bytes into buffer_, waiting up to `timeout`; 0 on EOF.
  Result<size_t> ReadSome(milliseconds timeout);
  int fd_ = -1;
  std::string buffer_;
};

// A GET (or other method) on a fresh connection, with extra header lines ("Name: v\r\n").
Result<TestResponse> Fetch(uint16_t port, std::string_view method, std::string_view target,
                           std::string_view extra_headers = {}, std::string_view body = {});

struct LoadResult {
  int64_t ok = 0;      // 2xx responses
  int64_t errors = 0;  // anything else: connection errors, non-2xx, timeouts
  double seconds = 0;
  std::string first_error;
};
// Opens `connections` keep-alive connections at once and sends `requests_per_connection`
// sequential GETs of `target` on each, all from one thread with Asio.
LoadResult RunLoad(uint16_t port, int connections, int requests_per_connection, std::string target,
                   milliseconds timeout = milliseconds(60000));

// Runs a shell command; returns its exit status and fills *output with stdout+stderr.
int RunCommand(const std::string& command, std::string* output);

}  // namespace ds::http::test
