// The socket operations of a connection, for plain TCP and for TLS, and the factory that
// creates one per accepted socket.
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <type_traits>

#include "http/connection.h"

namespace ds::http::internal {
namespace {

namespace beast_http = boost::beast::http;
using tcp = asio::ip::tcp;

template <class Stream>
class Connection final : public ConnectionBase {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  Connection(ServerCore& core, IoThread& thread, std::string peer,
             tcp::socket socket) requires(!kTls)
      : ConnectionBase(core, thread, std::move(peer)), stream_(std::move(socket)) {}
  Connection(ServerCore& core, IoThread& thread, std::string peer, tcp::socket socket,
             asio::ssl::context& tls) requires(kTls)
      : ConnectionBase(core, thread, std::move(peer)), stream_(std::move(socket), tls) {}

 private:
  tcp::socket& socket() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }
  std::shared_ptr<Connection> self() {
    return std::static_pointer_cast<Connection>(shared_from_this());
  }

  void DoHandshake() override {
    if constexpr (kTls) {
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = self()](const error_code& ec) { self->OnHandshake(ec); });
    } else {
      OnHandshake({});
    }
  }
  void DoReadSome() override {
    if constexpr (kTls) {
      stream_.async_read_some(
          buffer_.prepare(kReadSize),
          [self = self()](const error_code& ec, size_t n) { self->OnReadSome(ec, n); });
    } else {
      stream_.async_wait(tcp::socket::wait_read,
                         [self = self()](const error_code& ec) { self->OnReadSome(ec, 0); });
    }
  }
  void DoReadHeader() override {
    beast_http::async_read_header(
        stream_, buffer_, *parser_,
        [self = self()](const error_code& ec, size_t) { self->OnHeader(ec); });
  }
  void DoReadBody() override {
    beast_http::async_read(stream_, buffer_, *parser_,
                           [self = self()](const error_code& ec, size_t) { self->OnBody(ec); });
  }
  void DoWrite() override {
    asio::async_write(
        stream_, write_buffers_,
        [this](const error_code& ec, size_t) -> size_t {
          if (ec) return 0;
          NoteWriteProgress();
          return 1 << 20;
        },
        [self = self()](const error_code& ec, size_t) { self->OnWrite(ec); });
  }
  void DoShutdown() override {
    if constexpr (kTls) {
      stream_.async_shutdown([self = self()](const error_code&) { self->OnShutdown(); });
    } else {
      error_code ignored;
      socket().shutdown(tcp::socket::shutdown_send, ignored);
      OnShutdown();
    }
  }
  void DoLingerRead() override {
    buffer_.consume(buffer_.size());
    socket().async_read_some(
        buffer_.prepare(kReadSize),
        [self = self()](const error_code& ec, size_t n) { self->OnLingerRead(ec, n); });
  }
  void CloseSocket() override {
    error_code ignored;
    socket().close(ignored);
  }
  bool is_tls() const override { return kTls; }

  Stream stream_;
};

using PlainConnection = Connection<tcp::socket>;
using TlsConnection = Connection<asio::ssl::stream<tcp::socket>>;

}  // namespace

void StartConnection(ServerCore& core, IoThread& thread, tcp::socket socket) {
  error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) {  // the client is already gone
    socket.close(ec);
    core.open_connections.fetch_sub(1, std::memory_order_relaxed);
    core.metrics->open_connections->Add(-1);
    return;
  }
  asio::ip::address address = remote.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  std::string peer = address.to_string();
  std::shared_ptr<ConnectionBase> connection;
  if (core.tls) {
    connection = std::make_shared<TlsConnection>(core, thread, std::move(peer), std::move(socket),
                                                 *core.tls);
  } else {
    connection =
        std::make_shared<PlainConnection>(core, thread, std::move(peer), std::move(socket));
  }
  connection->Start();
}

}  // namespace ds::http::internal
