#include "http/test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "util/string_util.h"

namespace ds::http::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;

using Clock = std::chrono::steady_clock;

TestResponse FromBeast(const beast_http::response<beast_http::string_body>& msg) {
  TestResponse r;
  r.status = static_cast<int>(msg.result_int());
  for (const auto& field : msg) {
    r.headers[ToLower(std::string(field.name_string()))] = std::string(field.value());
  }
  r.body = msg.body();
  r.keep_alive = msg.keep_alive();
  r.chunked = msg.chunked();
  return r;
}

}  // namespace

Result<TestConnection> TestConnection::Connect(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IOError(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    int err = errno;
    ::close(fd);
    return Status::IOError(std::string("connect: ") + std::strerror(err));
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return TestConnection(fd);
}

TestConnection::TestConnection(TestConnection&& other) noexcept
    : fd_(other.fd_), buffer_(std::move(other.buffer_)) {
  other.fd_ = -1;
}

TestConnection& TestConnection::operator=(TestConnection&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.fd_;
    buffer_ = std::move(other.buffer_);
    other.fd_ = -1;
  }
  return *this;
}

TestConnection::~TestConnection() { Close(); }

void TestConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void TestConnection::SetReceiveBuffer(int bytes) {
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

Status TestConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(std::string("send: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Result<size_t> TestConnection::ReadSome(milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  int rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (rc == 0) return Status::DeadlineExceeded("no data from the server in time");
  if (rc < 0) return Status::IOError(std::string("poll: ") + std::strerror(errno));
  char buf[65536];
  ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
  if (n < 0) {
    if (errno == ECONNRESET) return size_t{0};
    return Status::IOError(std::string("recv: ") + std::strerror(errno));
  }
  buffer_.append(buf, static_cast<size_t>(n));
  return static_cast<size_t>(n);
}

Result<TestResponse> TestConnection::ReadResponse(milliseconds timeout, bool head_request) {
  Clock::time_point deadline = Clock::now() + timeout;
  std::optional<beast_http::response_parser<beast_http::string_body>> parser;
  auto reset = [&] {
    parser.emplace();
    parser->body_limit(boost::none);
    parser->skip(head_request);
  };
  reset();
  while (true) {
    if (!buffer_.empty()) {
      beast::error_code ec;
      size_t used = parser->put(asio::buffer(buffer_), ec);
      buffer_.erase(0, used);
      if (ec && ec != beast_http::error::need_more) {
        return Status::IOError("bad response: " + ec.message());
      }
      if (parser->is_done()) {
        if (parser->get().result_int() / 100 == 1) {  // skip 1xx, as clients do
          reset();
          continue;
        }
        return FromBeast(parser->get());
      }
      if (used > 0 && !buffer_.empty()) continue;
    }
    auto remaining = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (remaining.count() <= 0) return Status::DeadlineExceeded("response not complete in time");
    ASSIGN_OR_RETURN(size_t n, ReadSome(remaining));
    if (n == 0) {
      if (!parser->got_some()) {
        return Status::IOError("incomplete response: the server closed the connection first");
      }
      beast::error_code ec;
      parser->put_eof(ec);
      if (!ec && parser->is_done()) return FromBeast(parser->get());
      return Status::IOError("incomplete response: the server closed the connection (" +
                             (ec ? ec.message() : std::string("no data")) + ")");
    }
  }
}

bool TestConnection::WaitForClose(milliseconds timeout, std::string* received) {
  Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    auto remaining = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (remaining.count() <= 0) return false;
    Result<size_t> n = ReadSome(remaining);
    if (!n.ok()) return n.status().code() != StatusCode::kDeadlineExceeded;
    if (*n == 0) {
      if (received) *received = buffer_;
      return true;
    }
  }
}

Result<TestResponse> Fetch(uint16_t port, std::string_view method, std::string_view target,
                           std::string_view extra_headers, std::string_view body) {
  ASSIGN_OR_RETURN(TestConnection c, TestConnection::Connect(port));
  std::string req = std::string(method) + " " + std::string(target) +
                    " HTTP/1.1\r\nHost: localhost\r\n" + std::string(extra_headers);
  if (!body.empty()) req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req.append(body);
  RETURN_NOT_OK(c.Send(req));
  return c.ReadResponse(milliseconds(10000), method == "HEAD");
}

namespace {

// One keep-alive load connection: connect, then request/response `remaining` times.
class LoadClient : public std::enable_shared_from_this<LoadClient> {
 public:
  LoadClient(asio::io_context& ctx, LoadResult* result, int requests, const std::string* request,
             std::function<void()>* on_done)
      : socket_(ctx), result_(result), remaining_(requests), request_(request), on_done_(on_done) {}

  void Start(const asio::ip::tcp::endpoint& endpoint) {
    socket_.async_connect(endpoint, [self = shared_from_this()](const beast::error_code& ec) {
      if (ec) return self->Fail("connect: " + ec.message());
      self->Next();
    });
  }

 private:
  void Next() {
    if (remaining_-- == 0) {
      beast::error_code ignored;
      socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
      (*on_done_)();
      return;
    }
    asio::async_write(socket_, asio::buffer(*request_),
                      [self = shared_from_this()](const beast::error_code& ec, size_t) {
                        if (ec) return self->Fail("write: " + ec.message());
                        self->Read();
                      });
  }
  void Read() {
    response_ = {};
    beast_http::async_read(
        socket_, buffer_, response_,
        [self = shared_from_this()](const beast::error_code& ec, size_t) {
          if (ec) return self->Fail("read: " + ec.message());
          if (self->response_.result_int() / 100 != 2) {
            return self->Fail("status " + std::to_string(self->response_.result_int()));
          }
          ++self->result_->ok;
          self->Next();
        });
  }
  void Fail(const std::string& what) {
    ++result_->errors;
    if (result_->first_error.empty()) result_->first_error = what;
    (*on_done_)();
  }

  asio::ip::tcp::socket socket_;
  beast::flat_buffer buffer_;
  beast_http::response<beast_http::string_body> response_;
  LoadResult* result_;
  int remaining_;
  const std::string* request_;
  std::function<void()>* on_done_;
};

}  // namespace

LoadResult RunLoad(uint16_t port, int connections, int requests_per_connection, std::string target,
                   milliseconds timeout) {
  LoadResult result;
  asio::io_context ctx(1);
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  asio::steady_timer guard(ctx, timeout);
  int finished = 0;
  std::function<void()> on_done = [&] {
    if (++finished == connections) guard.cancel();
  };
  Clock::time_point start = Clock::now();
  for (int i = 0; i < connections; ++i) {
    std::make_shared<LoadClient>(ctx, &result, requests_per_connection, &request, &on_done)
        ->Start(endpoint);
  }
  guard.async_wait([&](const beast::error_code& ec) {
    if (!ec) ctx.stop();
  });
  ctx.run();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  int64_t expected = static_cast<int64_t>(connections) * requests_per_connection;
  if (result.ok + result.errors < expected) {
    result.errors += expected - result.ok - result.errors;
    if (result.first_error.empty()) result.first_error = "timed out";
  }
  return result;
}

int RunCommand(const std::string& command, std::string* output) {
  std::string full = command + " 2>&1";
  FILE* p = ::popen(full.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  size_t n;
  output->clear();
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) output->append(buf, n);
  int rc = ::pclose(p);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace ds::http::test
