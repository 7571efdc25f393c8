// Waiting for SIGINT / SIGTERM, for the CLI's `serve` commands:
//
//   TerminationSignals signals;          // before starting threads
//   ASSIGN_OR_RETURN(auto server, Server::Start(...));
//   int sig = signals.Wait();            // blocks
//   server->Stop(std::chrono::seconds(10));
#pragma once

#include <memory>

namespace ds::http {

class TerminationSignals {
 public:
  // From now on SIGINT and SIGTERM no longer kill the process; they are recorded for Wait.
  TerminationSignals();
  // Restores the default handling.
  ~TerminationSignals();
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;

  // Blocks until SIGINT or SIGTERM arrives (or one arrived since construction) and returns
  // its number. May be called again for the next signal.
  int Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ds::http
