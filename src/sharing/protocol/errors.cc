#include "sharing/protocol/errors.h"

#include "util/json.h"

namespace ds::sharing::protocol {
namespace {

// An explicit protocol error code travels inside the Status message as "[CODE] ", which
// ToApiError strips; WithContext prefixes keep working because the tag is searched for.
constexpr std::string_view kMalformed = "[MALFORMED_REQUEST] ";
constexpr std::string_view kMethod = "[METHOD_NOT_ALLOWED] ";

bool StripTag(std::string_view tag, std::string* message) {
  size_t pos = message->find(tag);
  if (pos == std::string::npos) return false;
  message->erase(pos, tag.size());
  return true;
}

}  // namespace

Status MalformedRequest(std::string message) {
  return Status::InvalidArgument(std::string(kMalformed) + message);
}

Status MethodNotAllowed(std::string message) {
  return Status::InvalidArgument(std::string(kMethod) + message);
}

ApiError ToApiError(const Status& status) {
  ApiError e;
  e.message = status.message();
  if (StripTag(kMalformed, &e.message)) {
    e.http_status = 400;
    e.error_code = "MALFORMED_REQUEST";
    return e;
  }
  if (StripTag(kMethod, &e.message)) {
    e.http_status = 405;
    e.error_code = "METHOD_NOT_ALLOWED";
    return e;
  }
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kAlreadyExists:
      e.http_status = 400;
      e.error_code = "INVALID_PARAMETER_VALUE";
      break;
    case StatusCode::kNotSupported:
      e.http_status = 400;
      e.error_code = "UNSUPPORTED_OPERATION";
      break;
    case StatusCode::kNotFound:
      e.http_status = 404;
      e.error_code = "RESOURCE_DOES_NOT_EXIST";
      break;
    case StatusCode::kUnauthenticated:
      e.http_status = 401;
      e.error_code = "UNAUTHENTICATED";
      break;
    case StatusCode::kPermissionDenied:
      e.http_status = 403;
      e.error_code = "PERMISSION_DENIED";
      break;
    case StatusCode::kResourceExhausted:
      e.http_status = 429;
      e.error_code = "RESOURCE_EXHAUSTED";
      break;
    case StatusCode::kUnavailable:
      e.http_status = 503;
      e.error_code = "TEMPORARILY_UNAVAILABLE";
      break;
    case StatusCode::kDeadlineExceeded:
      e.http_status = 504;
      e.error_code = "DEADLINE_EXCEEDED";
      break;
    default:
      e.http_status = 500;
      e.error_code = "INTERNAL_ERROR";
      break;
  }
  return e;
}

std::string ErrorBody(const ApiError& error) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("errorCode", error.error_code);
  w.Field("message", error.message);
  w.EndObject();
  return out;
}

}  // namespace ds::sharing::protocol
