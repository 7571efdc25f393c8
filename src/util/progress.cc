#include "util/progress.h"

#include <unistd.h>

#include <cstdio>

#include "util/string_util.h"

namespace ds {
namespace {
std::atomic<int> g_force{-1};
}

void Progress::SetForceEnabled(int mode) { g_force = mode; }

Progress::Progress(std::string label, int64_t total_units, std::string unit_name)
    : label_(std::move(label)), unit_name_(std::move(unit_name)), total_(total_units) {
  int force = g_force.load();
  enabled_ = force == -1 ? ::isatty(2) == 1 : force == 1;
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { Done(); }

void Progress::Advance(int64_t units, int64_t bytes) {
  units_ += units;
  bytes_ += bytes;
  if (enabled_) Draw(false);
}

void Progress::Draw(bool force) {
  std::lock_guard<std::mutex> lock(mu_);
  if (done_) return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  std::string line = "\r\x1b[2K" + label_ + " ";
  line += std::to_string(units_.load());
  if (total_ > 0) line += "/" + std::to_string(total_);
  if (!unit_name_.empty()) line += " " + unit_name_;
  int64_t b = bytes_.load();
  if (b > 0) {
    line += "  " + FormatBytes(static_cast<double>(b));
    if (secs > 0.2) line += "  " + FormatBytes(b / secs) + "/s";
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void Progress::Done() {
  std::lock_guard<std::mutex> lock(mu_);
  if (done_) return;
  done_ = true;
  if (enabled_) {
    std::fputs("\r\x1b[2K", stderr);
    std::fflush(stderr);
  }
}

}  // namespace ds
