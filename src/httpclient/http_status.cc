#include "httpclient/http_status.h"

#include "httpclient/url.h"

namespace ds::httpclient {
namespace {

constexpr size_t kBodySnippet = 300;

std::string_view Reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 412:
      return "Precondition Failed";
    case 416:
      return "Range Not Satisfiable";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

// The start of a body on one line, with control bytes replaced.
std::string Snippet(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, kBodySnippet)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  if (body.size() > kBodySnippet) out += "...";
  return out;
}

}  // namespace

StatusCode StatusCodeForHttp(int status) {
  if (status >= 200 && status < 300) return StatusCode::kOk;
  switch (status) {
    case 400:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
    case 410:
      return StatusCode::kNotFound;
    case 405:
    case 501:
      return StatusCode::kNotSupported;
    case 409:
    case 412:
      return StatusCode::kFailedPrecondition;
    case 416:
      return StatusCode::kOutOfRange;
    case 408:
    case 429:
      return StatusCode::kUnavailable;
    default:
      return status >= 500 && status < 600 ? StatusCode::kUnavailable : StatusCode::kIOError;
  }
}

std::string DescribeRequest(const HttpRequest& request) {
  std::string out(MethodName(request.method));
  out += ' ';
  out += RedactUrl(request.url);
  return out;
}

Status HttpResponseStatus(const HttpRequest& request, const HttpResponse& response) {
  const StatusCode code = StatusCodeForHttp(response.status);
  if (code == StatusCode::kOk) return Status::OK();
  std::string msg = DescribeRequest(request) + ": HTTP " + std::to_string(response.status);
  if (std::string_view reason = Reason(response.status); !reason.empty()) {
    msg += " ";
    msg += reason;
  }
  if (response.status >= 300 && response.status < 400) {
    msg += " (redirect not followed";
    if (auto location = response.headers.Get("Location")) msg += " to " + RedactUrl(*location);
    msg += ")";
  }
  if (response.attempts > 1) msg += " after " + std::to_string(response.attempts) + " attempts";
  if (!response.body.empty()) msg += ": " + Snippet(response.body);
  return Status(code, std::move(msg));
}

}  // namespace ds::httpclient
