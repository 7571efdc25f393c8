// The access layer's own HTTP endpoints, added to the sharing server's router:
//
//   POST <prefix>/oauth/token          OAuth 2.0 client-credentials token endpoint (RFC 6749
//                                      §4.4, as the Python and Spark connectors call it)
//   GET  <prefix>/activation/{code}    one-time download of a recipient profile
//   *    <prefix>/admin/...            the admin REST API (admin token required; admin_api.h)
//
// Every answer carries Cache-Control: no-store (they hold or guard secrets), and every
// request is audited like a sharing request (operation "oauth_token", "get_profile",
// "admin.<route>"). Auditing fails closed: while the audit log cannot take records
// (AuditLog::Accepting), these endpoints answer 503 with Retry-After and do nothing. The
// activation route logs its pattern, never its path (the code is a secret); a HEAD or POST
// on it is 405 and never uses the link up.
//
// Statuses:
//   token endpoint  200 {access_token, token_type, expires_in}; 400 invalid_request /
//                   unsupported_grant_type / unauthorized_client (address not allowed);
//                   401 invalid_client + WWW-Authenticate: Basic; 503 temporarily_unavailable
//   activation      200 the version-1 profile JSON (bearerToken, expirationTime) as a
//                   config.share attachment; 404 for an unknown or forged code; 410 once used
//                   or expired; 503 when the store or the audit log is unavailable
//   admin API       401 (+ WWW-Authenticate: Bearer) without a valid token, 403 for a
//                   non-admin token, otherwise AdminApi's answers
//
// Must be added before the API's catch-all route. Handlers are thread-safe and may block on
// the access store (they run on the server's workers).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "access/access_service.h"
#include "http/request.h"
#include "http/router.h"

namespace ds::access {

struct AccessRoutesOptions {
  std::string prefix = "/delta-sharing";  // the API prefix ("" for "/")
  // Where recipients reach the server ("https://sharing.example.com"), for the endpoint of
  // profiles handed out; empty = the endpoint recorded with the activation link, else the
  // scheme and Host of the request.
  std::string public_url;
};

// Adds the routes. Fails like http::Router::Add; InvalidArgument for a null service.
Status AddAccessRoutes(http::Router* router, std::shared_ptr<AccessService> access,
                       AccessRoutesOptions options);

// Where a client reaches the API: public_url + prefix when configured, else the request's
// scheme and Host (only host-name characters are taken from it; "localhost" otherwise) +
// prefix. Never ends with '/'.
std::string RequestEndpoint(const http::Request& request, std::string_view public_url,
                            std::string_view prefix);

}  // namespace ds::access
