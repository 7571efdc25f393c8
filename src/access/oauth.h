// The wire side of the OAuth 2.0 client-credentials token endpoint (RFC 6749 §4.4), for
// recipients with a version-2 "oauth_client_credentials" profile (the Python and Spark
// connectors): parsing the request and writing the JSON answers. The exchange itself is
// TokenService::ExchangeClientCredentials. Pure functions of their inputs; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "access/token_service.h"
#include "util/result.h"

namespace ds::access {

struct ClientCredentialsRequest {
  std::string client_id;
  std::string client_secret;
  std::string scope;  // accepted and ignored: access follows the recipient's grants
};

// Parses a token request: a form body (application/x-www-form-urlencoded) with
// grant_type=client_credentials, and the client's credentials in an "Authorization: Basic"
// header or, failing that, client_id/client_secret form fields. Errors carry the OAuth error
// code as the message prefix: InvalidArgument "invalid_request: …" or
// "unsupported_grant_type: …", Unauthenticated "invalid_client: …".
Result<ClientCredentialsRequest> ParseClientCredentialsRequest(
    std::string_view authorization_header, std::string_view content_type, std::string_view body);

// {"access_token":"…","token_type":"Bearer","expires_in":3600}
std::string OAuthTokenResponseJson(const OAuthAccessToken& token);

struct OAuthErrorResponse {
  int http_status = 400;
  std::string body;               // {"error":"invalid_client","error_description":"…"}
  bool www_authenticate = false;  // send "WWW-Authenticate: Basic" (401 invalid_client)
};
// The answer for a failed request or exchange: 400 invalid_request / unsupported_grant_type,
// 400 unauthorized_client (PermissionDenied: e.g. a client address outside the recipient's
// allow-list), 401 invalid_client (any Unauthenticated status), 503 temporarily_unavailable,
// otherwise 500 server_error with no description (internal details stay in the logs).
OAuthErrorResponse OAuthError(const Status& status);

}  // namespace ds::access
