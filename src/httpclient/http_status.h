// Mapping of HTTP outcomes to deltashare Status codes, in one place.
//
//   2xx -> OK            400 -> InvalidArgument     401 -> Unauthenticated
//   403 -> PermissionDenied   404, 410 -> NotFound   405, 501 -> NotSupported
//   409, 412 -> FailedPrecondition   416 -> OutOfRange   408, 429, 5xx -> Unavailable
//   3xx (a redirect that was not followed) and other statuses -> IOError
//
// Messages name the method and the URL without its query string (pre-signed URLs carry
// credentials there) plus the start of the response body. Thread-safe, pure.
#pragma once

#include <string_view>

#include "httpclient/http_types.h"

namespace ds::httpclient {

StatusCode StatusCodeForHttp(int status);

// OK for a 2xx response, otherwise the mapped error naming `request` and `response`.
Status HttpResponseStatus(const HttpRequest& request, const HttpResponse& response);

// "GET https://host/path": the method and redacted URL, for messages.
std::string DescribeRequest(const HttpRequest& request);

}  // namespace ds::httpclient
