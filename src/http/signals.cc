#include "http/signals.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

namespace ds::http {

struct TerminationSignals::Impl {
  boost::asio::io_context ctx{1};
  boost::asio::signal_set set{ctx, SIGINT, SIGTERM};
};

TerminationSignals::TerminationSignals() : impl_(std::make_unique<Impl>()) {}

TerminationSignals::~TerminationSignals() {
  boost::system::error_code ec;
  impl_->set.clear(ec);
}

int TerminationSignals::Wait() {
  int received = 0;
  impl_->set.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (!ec) received = signal;
  });
  impl_->ctx.restart();
  impl_->ctx.run();
  return received;
}

}  // namespace ds::http
