// The admin REST API as a function of values: (already authenticated admin request) ->
// (status, JSON body). The sharing server authenticates the caller with
// AccessService::AuthenticateAdmin, splits and percent-decodes the path below its admin
// prefix, and hands the request here; no sockets, no HTTP parsing.
//
// Routes (bodies and answers are single-line JSON, model_json.h forms; lists are
// {"items":[…]}):
//   GET    shares                               POST shares {name, comment?, properties?}
//   GET    shares/{s}                           DELETE shares/{s}
//   PUT    shares/{s}/schemas/{sc}              DELETE shares/{s}/schemas/{sc}
//   POST   shares/{s}/schemas/{sc}/tables {name, location, historyShared?, startVersion?, …}
//   DELETE shares/{s}/schemas/{sc}/tables/{t}
//   GET    recipients                           POST recipients {name, tokenLifetimeSeconds?, …}
//   GET    recipients/{r}                       PUT recipients/{r} {same fields; name optional}
//   DELETE recipients/{r}
//   GET    recipients/{r}/grants                PUT/DELETE recipients/{r}/grants/{s}
//                                               (PUT body {partitionFilter?})
//   GET    recipients/{r}/tokens                POST recipients/{r}/tokens {lifetimeSeconds?,
//   label?} DELETE recipients/{r}/tokens (revoke all)   POST tokens/{id}/rotate {graceSeconds?}
//   DELETE tokens/{id} (revoke)
//   POST   recipients/{r}/oauth-clients {accessTokenLifetimeSeconds?}
//   DELETE oauth-clients/{id}
//   POST   recipients/{r}/activation-links {endpoint, expiresInSeconds?}
//   GET    keys        POST keys (add a version)        DELETE keys/{version} (retire)
//   GET    audit?recipient=&share=&since=&until=&status=&limit=&beforeSeq=  (times in ms)
//
// Statuses: 200, 201 (created), 204 (deleted); errors {"errorCode","message"} with 400
// INVALID_PARAMETER_VALUE, 404 RESOURCE_DOES_NOT_EXIST (also unknown routes), 405
// METHOD_NOT_ALLOWED, 409 RESOURCE_ALREADY_EXISTS / FAILED_PRECONDITION, 503
// TEMPORARILY_UNAVAILABLE, 500 INTERNAL_ERROR (no details). Secrets (tokens, client
// secrets, activation codes) appear only in the 201 answers that create them.
//
// Thread-safety: Handle may be called from many threads.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "access/access_service.h"

namespace ds::access {

struct AdminRequest {
  std::string method;             // "GET", "POST", "PUT", "DELETE"
  std::vector<std::string> path;  // decoded segments below the admin prefix
  std::vector<std::pair<std::string, std::string>> query;  // decoded
  std::string body;
};

struct AdminResponse {
  int status = 200;
  std::string body;       // JSON, or empty for 204
  std::string operation;  // e.g. "admin.createShare", for the audit record
};

class AdminApi {
 public:
  // `service` must outlive the API.
  explicit AdminApi(AccessService* service) : service_(service) {}

  AdminResponse Handle(const AdminRequest& request);

 private:
  AccessService* service_;
};

// The error answer for a status (the mapping above).
AdminResponse AdminError(const Status& status);

}  // namespace ds::access
