#include "http/signals.h"

#include <csignal>
#include <thread>

#include "test/testing/testing.h"

namespace ds::http {
namespace {

TEST(TerminationSignalsTest, WaitReturnsTheSignal) {
  TerminationSignals signals;
  std::thread raiser([] { std::raise(SIGTERM); });
  EXPECT_EQ(signals.Wait(), SIGTERM);
  raiser.join();
  std::raise(SIGINT);  // recorded before Wait is called
  EXPECT_EQ(signals.Wait(), SIGINT);
}

}  // namespace
}  // namespace ds::http
