// Protocol errors: how a Status becomes an HTTP status and a {"errorCode","message"} body.
//
// The mapping follows the reference server (protocol.md §1): client mistakes are 4xx, never
// 5xx (the Python connector retries 5xx). A Status can carry an explicit protocol error code
// through the helpers below (MalformedRequest, MethodNotAllowed); other codes map by
// StatusCode.
#pragma once

#include <string>

#include "util/status.h"

namespace ds::sharing::protocol {

struct ApiError {
  int http_status = 500;
  std::string error_code;  // e.g. "INVALID_PARAMETER_VALUE"
  std::string message;
};

// 400 MALFORMED_REQUEST: an unparsable or wrongly typed request body.
Status MalformedRequest(std::string message);
// 405 METHOD_NOT_ALLOWED: a known path with another method.
Status MethodNotAllowed(std::string message);

// kInvalidArgument, kOutOfRange, kFailedPrecondition -> 400 INVALID_PARAMETER_VALUE;
// kNotSupported -> 400 UNSUPPORTED_OPERATION; kNotFound -> 404 RESOURCE_DOES_NOT_EXIST;
// kUnauthenticated -> 401 UNAUTHENTICATED; kPermissionDenied -> 403 PERMISSION_DENIED;
// kResourceExhausted -> 429 RESOURCE_EXHAUSTED; kUnavailable -> 503 TEMPORARILY_UNAVAILABLE;
// kDeadlineExceeded -> 504 DEADLINE_EXCEEDED; everything else -> 500 INTERNAL_ERROR.
ApiError ToApiError(const Status& status);

// {"errorCode":"…","message":"…"} on one line (no trailing newline).
std::string ErrorBody(const ApiError& error);

}  // namespace ds::sharing::protocol
