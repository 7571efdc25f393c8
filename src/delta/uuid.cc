#include "delta/uuid.h"

#include <chrono>
#include <random>
#include <thread>

namespace ds::delta {
namespace {

std::mt19937_64& Generator() {
  thread_local std::mt19937_64 rng = [] {
    std::random_device device;
    std::seed_seq seed{
        device(),
        device(),
        device(),
        device(),
        static_cast<unsigned>(std::hash<std::thread::id>{}(std::this_thread::get_id())),
        static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count())};
    return std::mt19937_64(seed);
  }();
  return rng;
}

}  // namespace

std::string NewUuid() {
  uint64_t hi = Generator()();
  uint64_t lo = Generator()();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | (1ULL << 63);  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  auto put = [&](uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) out.push_back(kHex[(v >> (4 * i)) & 0xF]);
  };
  put(hi >> 32, 8);
  out.push_back('-');
  put(hi >> 16, 4);
  out.push_back('-');
  put(hi, 4);
  out.push_back('-');
  put(lo >> 48, 4);
  out.push_back('-');
  put(lo, 12);
  return out;
}

}  // namespace ds::delta
