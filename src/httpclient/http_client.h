// HttpClient: the one HTTP interface of deltashare (object stores, the sharing client).
//
// Implementations: CurlHttpClient (libcurl, curl_client.h) and HandlerHttpClient (in memory,
// handler_client.h). Every method is thread-safe; callbacks run on the calling thread.
//
// A send returns the final HTTP response whatever its status: use SendChecked or
// HttpResponseStatus (http_status.h) to turn non-2xx responses into errors. The error
// results of a send are transport failures:
//   Unavailable       connection refused or reset, DNS failure, TLS handshake failure,
//                     an empty or truncated response (after the retries, when retried)
//   DeadlineExceeded  a connect, total or low-speed timeout fired
//   InvalidArgument   a malformed URL, a scheme other than http/https, a GET with a body
//   IOError           TLS certificate verification failed, too many redirects, other
//   ResourceExhausted the body exceeds max_response_bytes
//   the sink's error  when a BodySink returned one
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "httpclient/http_types.h"
#include "httpclient/retry.h"
#include "util/result.h"

namespace ds::httpclient {

struct HttpClientOptions {
  int64_t connect_timeout_ms = 10'000;
  // Total time limit of one attempt (0 = none); a request's timeout_ms overrides it.
  int64_t timeout_ms = 300'000;
  // An attempt fails (DeadlineExceeded) when fewer than `low_speed_bytes_per_second` bytes
  // per second move for `low_speed_time_ms` (rounded up to whole seconds); 0 disables.
  int64_t low_speed_bytes_per_second = 1;
  int64_t low_speed_time_ms = 60'000;

  // TLS: peers are verified against the system CAs unless `ca_file` / `ca_path` name
  // others. `insecure_skip_verify` turns verification off (test setups only).
  std::string ca_file;
  std::string ca_path;
  bool insecure_skip_verify = false;

  // Proxy URL ("http://proxy:3128"); empty = the environment variables libcurl reads
  // (http_proxy, https_proxy/HTTPS_PROXY, all_proxy/ALL_PROXY, no_proxy/NO_PROXY) unless
  // `use_env_proxy` is false. `no_proxy`: comma-separated hosts that bypass the proxy.
  std::string proxy;
  std::string no_proxy;
  bool use_env_proxy = true;

  // Redirects are not followed by default: a 3xx response is returned (and maps to
  // IOError in HttpResponseStatus). When followed, at most `max_redirects` hops, only to
  // http/https, and credentials headers are not sent to another host.
  bool follow_redirects = false;
  int max_redirects = 5;

  RetryPolicy retry;

  // Responses with a larger body fail with ResourceExhausted (sinks are not limited).
  int64_t max_response_bytes = int64_t{1} << 30;
  std::string user_agent;  // empty = "deltashare/<version>"
  // Idle connections (libcurl handles) kept for reuse.
  int max_idle_connections = 64;
};

struct ParallelOptions {
  // Requests in flight at once (clamped to 1..1024).
  int max_concurrency = 16;
  // Optional: the 2xx body bytes of request `index` go here instead of its response body.
  std::function<Status(size_t index, const HttpResponse& head, std::string_view chunk)> on_body;
  // Optional: called once per request as it completes (completion order), e.g. progress.
  std::function<void(size_t index, const Result<HttpResponse>& result)> on_done;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Sends `request`, retrying transient failures as the retry policy says.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;

  // Like Send, but the body of a 2xx response goes to `sink` as it arrives (bounded
  // memory; the returned response has an empty body). Non-2xx bodies are collected (the
  // first 64 KiB) for error messages instead. A retry happens only while no byte has been
  // given to the sink.
  virtual Result<HttpResponse> SendStreaming(const HttpRequest& request, const BodySink& sink) = 0;

  // Sends every request, at most options.max_concurrency at a time, and returns their
  // results in request order. The default runs them one by one through Send.
  virtual std::vector<Result<HttpResponse>> SendAll(std::span<const HttpRequest> requests,
                                                    const ParallelOptions& options);
};

using HttpClientPtr = std::shared_ptr<HttpClient>;

// Send, with a non-2xx response turned into its error (HttpResponseStatus).
Result<HttpResponse> SendChecked(HttpClient* client, const HttpRequest& request);

// Reads `length` bytes at `offset` of the resource `request` names (a GET; its headers,
// e.g. authorization, are kept and a Range header is added) straight into `out`.
// OutOfRange when the range is not inside the resource (416, or fewer bytes than asked);
// other HTTP errors as HttpResponseStatus. A server that ignores Range (200) is accepted,
// its body sliced. `length` 0 makes no request.
Status GetRangeInto(HttpClient* client, HttpRequest request, int64_t offset, int64_t length,
                    uint8_t* out);
Result<std::string> GetRange(HttpClient* client, HttpRequest request, int64_t offset,
                             int64_t length);

}  // namespace ds::httpclient
