// The access layer's own HTTP endpoints, added to the sharing server's router:
//   POST <prefix>/oauth/token          OAuth 2.0 client-credentials token endpoint
//   GET  <prefix>/activation/{code}    one-time download of a recipient profile
//   *    <prefix>/admin/...            the admin REST API (admin credential required)
// Must be added before the API's catch-all route.
#pragma once

#include <memory>
#include <string>

#include "access/access_service.h"
#include "http/router.h"

namespace ds::access {

struct AccessRoutesOptions {
  std::string prefix = "/delta-sharing";  // the API prefix ("" for "/")
  // Where recipients reach the server ("https://sharing.example.com"), for the endpoint of
  // profiles handed out; empty = the scheme and Host of the request.
  std::string public_url;
};

// Adds the routes. Fails like http::Router::Add.
Status AddAccessRoutes(http::Router* router, std::shared_ptr<AccessService> access,
                       AccessRoutesOptions options);

}  // namespace ds::access
