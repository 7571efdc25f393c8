// Retry policy of the HTTP client: which failures are retried and how long to wait.
//
// Transient failures are connection errors (refused, reset, DNS, timeouts) and the HTTP
// statuses 408, 429, 500, 502, 503 and 504. Waits grow exponentially with "equal jitter"
// (a uniform draw in [backoff/2, backoff]) so that many clients do not retry in lockstep;
// a Retry-After header, when present and honoured, sets the wait instead. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "httpclient/http_types.h"

namespace ds::httpclient {

struct RetryPolicy {
  // Total attempts including the first; 1 disables retries.
  int max_attempts = 4;
  int64_t initial_backoff_ms = 100;
  int64_t max_backoff_ms = 10'000;
  double multiplier = 2.0;
  // Wait as long as a 429/503 response's Retry-After asks.
  bool honor_retry_after = true;
  // A Retry-After longer than this is not waited for: the response is returned as is.
  int64_t max_retry_after_ms = 60'000;
  // Retry POST and PATCH too (otherwise only when the request says so).
  bool retry_non_idempotent = false;
};

// True for HTTP statuses worth retrying (408, 429, 500, 502, 503, 504).
bool IsRetryableHttpStatus(int status);

// The jittered wait before attempt `attempt + 1` after `attempt` (1-based) failed.
int64_t BackoffMs(const RetryPolicy& policy, int attempt);

// The wait before retrying after attempt `attempt` of `request` ended with `response`
// (nullptr after a transport failure with a transient error), or nullopt when no retry
// should be made: non-transient outcome, attempts used up, a non-idempotent request, or a
// Retry-After beyond the cap. `now_ms` dates an HTTP-date Retry-After.
std::optional<int64_t> RetryDelayMs(const RetryPolicy& policy, const HttpRequest& request,
                                    int attempt, const HttpResponse* response, int64_t now_ms);

}  // namespace ds::httpclient
