#include "access/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace ds::access {
namespace {

double Refilled(double tokens, int64_t per_minute, int64_t elapsed_ms) {
  double capacity = static_cast<double>(per_minute);
  if (elapsed_ms <= 0) return std::min(tokens, capacity);
  return std::min(capacity, tokens + static_cast<double>(elapsed_ms) * capacity / 60000.0);
}

}  // namespace

RateDecision RateLimiter::Admit(std::string_view key, int64_t per_minute, int64_t now_ms) {
  if (per_minute <= 0) return {};
  Shard& shard = shards_[std::hash<std::string_view>()(key) % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= kSweepAbove) Sweep(&shard, now_ms);
    it = shard.buckets
             .emplace(std::string(key), Bucket{static_cast<double>(per_minute), now_ms, per_minute})
             .first;
  }
  Bucket& b = it->second;
  if (b.per_minute != per_minute) {  // the recipient's limit changed
    b.tokens = std::min(b.tokens, static_cast<double>(per_minute));
    b.per_minute = per_minute;
  }
  b.tokens = Refilled(b.tokens, per_minute, now_ms - b.updated_ms);
  b.updated_ms = std::max(b.updated_ms, now_ms);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  double missing = 1.0 - b.tokens;
  double seconds = missing * 60.0 / static_cast<double>(per_minute);
  return {false, std::max(1, static_cast<int>(std::ceil(seconds)))};
}

void RateLimiter::Sweep(Shard* shard, int64_t now_ms) {
  for (auto it = shard->buckets.begin(); it != shard->buckets.end();) {
    const Bucket& b = it->second;
    if (Refilled(b.tokens, b.per_minute, now_ms - b.updated_ms) >=
        static_cast<double>(b.per_minute)) {
      it = shard->buckets.erase(it);
    } else {
      ++it;
    }
  }
}

size_t RateLimiter::size() const {
  size_t n = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.buckets.size();
  }
  return n;
}

}  // namespace ds::access
