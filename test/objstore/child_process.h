// Test helper: child processes (local HTTP servers, storage emulators) that a test starts
// and that die with it. Test-only.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "util/result.h"

namespace ds::testing {

class ChildProcess {
 public:
  // Starts `argv` (argv[0] is a path) in its own process group, with `env` entries
  // ("NAME=value") added to the environment. Its stdout is read with ReadLine; its
  // stderr goes to `stderr_path` (appended) or is inherited when empty.
  static Result<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv,
                                                     const std::vector<std::string>& env = {},
                                                     const std::string& stderr_path = "");
  // Stops the whole process group: SIGTERM, then SIGKILL after 3 s.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of stdout without its '\n'. DeadlineExceeded after `timeout_ms`, IOError
  // when stdout closed (the process exited).
  Result<std::string> ReadLine(int timeout_ms);
  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}
  pid_t pid_;
  int stdout_fd_;
  std::string buffer_;
};

// A started server and the loopback port it printed.
struct LocalServer {
  std::unique_ptr<ChildProcess> process;
  int port = 0;
};

// Starts a server that prints "READY <port>" (after any other lines) within `timeout_ms`.
Result<LocalServer> StartLocalServer(const std::vector<std::string>& argv,
                                     const std::vector<std::string>& env = {},
                                     int timeout_ms = 60'000);

// The repository root ($DS_SOURCE_DIR, else derived from this file's location).
std::filesystem::path RepoDir();
// The npm oracle folder holding node_modules ($DS_ORACLE_DIR, else <repo>/build/oracles).
std::filesystem::path OracleDir();
// True if `<OracleDir>/node_modules/<package>` exists.
bool HasNodePackage(const std::string& package);

}  // namespace ds::testing
