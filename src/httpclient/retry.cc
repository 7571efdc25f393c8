#include "httpclient/retry.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "httpclient/http_date.h"

namespace ds::httpclient {
namespace {

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

}  // namespace

bool IsRetryableHttpStatus(int status) {
  switch (status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

int64_t BackoffMs(const RetryPolicy& policy, int attempt) {
  const double exp = std::pow(std::max(1.0, policy.multiplier), std::max(0, attempt - 1));
  const double full =
      std::min(static_cast<double>(policy.max_backoff_ms),
               static_cast<double>(std::max<int64_t>(0, policy.initial_backoff_ms)) * exp);
  const auto cap = static_cast<int64_t>(full);
  if (cap <= 1) return cap;
  std::uniform_int_distribution<int64_t> dist(cap / 2, cap);
  return dist(Rng());
}

std::optional<int64_t> RetryDelayMs(const RetryPolicy& policy, const HttpRequest& request,
                                    int attempt, const HttpResponse* response, int64_t now_ms) {
  if (attempt >= policy.max_attempts) return std::nullopt;
  if (!IsIdempotent(request.method) && !request.retry_non_idempotent &&
      !policy.retry_non_idempotent) {
    return std::nullopt;
  }
  if (response != nullptr) {
    if (!IsRetryableHttpStatus(response->status)) return std::nullopt;
    if (policy.honor_retry_after) {
      if (auto header = response->headers.Get("Retry-After")) {
        if (auto wait = ParseRetryAfterMs(*header, now_ms)) {
          if (*wait > policy.max_retry_after_ms) return std::nullopt;
          return *wait;
        }
      }
    }
  }
  return BackoffMs(policy, attempt);
}

}  // namespace ds::httpclient
