// Per-token request rate limits: one token bucket per key (a token id).
//
// A bucket holds at most `per_minute` requests and refills continuously at per_minute / 60 a
// second, so a client may burst up to a minute's allowance and then proceeds at the rate.
// A refused request learns how long to wait (HTTP 429 Retry-After). Buckets live in this
// process: with several server replicas each enforces the limit on the traffic it sees.
//
// Thread-safety: Admit may be called from many threads (the table is sharded by key).
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ds::access {

struct RateDecision {
  bool allowed = true;
  int retry_after_seconds = 0;  // >= 1 when refused
};

class RateLimiter {
 public:
  // Takes one request from `key`'s bucket at `now_ms`. `per_minute` <= 0 always allows.
  RateDecision Admit(std::string_view key, int64_t per_minute, int64_t now_ms);

  // Number of buckets held (for tests).
  size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_ms = 0;
    int64_t per_minute = 0;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Bucket, StringHash, std::equal_to<>> buckets;
  };
  // Drops buckets that have refilled completely (they behave like new ones).
  static void Sweep(Shard* shard, int64_t now_ms);

  static constexpr size_t kShards = 16;
  static constexpr size_t kSweepAbove = 4096;
  std::array<Shard, kShards> shards_;
};

}  // namespace ds::access
