// HandlerHttpClient: an HttpClient answered in memory by a function, for tests of code
// above the HTTP layer (e.g. the sharing client against the sharing service, no sockets).
// No retries and no timeouts: every send calls the handler once. A handler error result
// is returned as a transport failure. Thread-safe if the handler is.
#pragma once

#include <atomic>
#include <functional>

#include "httpclient/http_client.h"

namespace ds::httpclient {

class HandlerHttpClient final : public HttpClient {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest& request)>;

  explicit HandlerHttpClient(Handler handler) : handler_(std::move(handler)) {}

  Result<HttpResponse> Send(const HttpRequest& request) override;
  // 2xx bodies reach the sink in chunks of at most 64 KiB.
  Result<HttpResponse> SendStreaming(const HttpRequest& request, const BodySink& sink) override;

  // Requests handled so far.
  int64_t request_count() const { return count_.load(); }

 private:
  Handler handler_;
  std::atomic<int64_t> count_{0};
};

}  // namespace ds::httpclient
