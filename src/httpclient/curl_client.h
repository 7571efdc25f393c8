// CurlHttpClient: HttpClient over libcurl.
//
// Connections are reused: finished easy handles go back to a pool and keep their open
// connections (keep-alive, TLS sessions); DNS results and TLS sessions are also shared
// between handles through a locked share handle. SendAll runs up to max_concurrency
// transfers on one curl multi handle on the calling thread (multi handles are pooled
// too, so their connections survive between calls).
//
// Thread-safety: every method may be called from many threads at once.
#pragma once

#include <memory>

#include "httpclient/http_client.h"

namespace ds::httpclient {

class CurlHttpClient final : public HttpClient {
 public:
  // InvalidArgument for inconsistent options (negative timeouts, max_attempts < 1);
  // Internal if libcurl cannot be initialized.
  static Result<std::shared_ptr<CurlHttpClient>> Make(HttpClientOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;
  Result<HttpResponse> SendStreaming(const HttpRequest& request, const BodySink& sink) override;
  std::vector<Result<HttpResponse>> SendAll(std::span<const HttpRequest> requests,
                                            const ParallelOptions& options) override;

  const HttpClientOptions& options() const;

  struct Impl;

 private:
  explicit CurlHttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ds::httpclient
