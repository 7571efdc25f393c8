#include "httpclient/handler_client.h"

namespace ds::httpclient {

Result<HttpResponse> HandlerHttpClient::Send(const HttpRequest& request) {
  ++count_;
  return handler_(request);
}

Result<HttpResponse> HandlerHttpClient::SendStreaming(const HttpRequest& request,
                                                      const BodySink& sink) {
  ASSIGN_OR_RETURN(HttpResponse response, Send(request));
  if (!response.ok() || !sink) return response;
  constexpr size_t kChunk = 64 * 1024;
  const std::string body = std::move(response.body);
  response.body.clear();
  for (size_t pos = 0; pos < body.size(); pos += kChunk) {
    RETURN_NOT_OK(sink(response, std::string_view(body).substr(pos, kChunk)));
  }
  return response;
}

}  // namespace ds::httpclient
