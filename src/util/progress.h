// A terminal progress line for long work ("files 12/40  1.2 GiB  85 MiB/s").
//
// Draws on stderr only when stderr is a terminal, at most ten times a second, and erases
// itself when done; when piped it prints nothing, so scripts see clean output. Thread-safe:
// Advance() may be called from several threads.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

namespace ds {

class Progress {
 public:
  // `total_units` may be 0 when unknown; `unit_name` names what Advance counts ("files").
  Progress(std::string label, int64_t total_units, std::string unit_name = "");
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Advance(int64_t units, int64_t bytes = 0);
  // Erases the line (idempotent).
  void Done();
  bool enabled() const { return enabled_; }

  // For tests: force drawing on or off regardless of the terminal.
  static void SetForceEnabled(int mode);  // -1 auto, 0 off, 1 on

 private:
  void Draw(bool force);

  std::string label_;
  std::string unit_name_;
  int64_t total_;
  std::atomic<int64_t> units_{0};
  std::atomic<int64_t> bytes_{0};
  bool enabled_;
  bool done_ = false;
  std::mutex mu_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace ds
