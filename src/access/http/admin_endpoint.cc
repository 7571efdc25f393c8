// <prefix>/admin/...: the admin REST API over HTTP. Authenticates the admin token, splits and
// decodes the path below the admin prefix, and forwards to AdminApi (access/admin_api.h).
#include "access/http/routes_internal.h"
#include "http/uri.h"
#include "util/string_util.h"

namespace ds::access::internal {
namespace {

http::Response FromAdmin(const AdminResponse& answer) {
  http::Response r = answer.status == 204 ? http::Response::Empty(204)
                                          : http::Response::Json(answer.status, answer.body);
  NoStore(&r);
  return r;
}

// The decoded segments of `rest` (the raw path below "admin/"); false for an empty segment or
// a malformed escape.
bool SplitAdminPath(std::string_view rest, std::vector<std::string>* out) {
  if (rest.empty()) return true;
  for (std::string_view raw : Split(rest, '/')) {
    std::string decoded;
    if (raw.empty() || !http::PercentDecodeTo(raw, {}, &decoded)) return false;
    out->push_back(std::move(decoded));
  }
  return true;
}

// The audit fields a resource path names (shares/{s}/schemas/{sc}/tables/{t}).
void DescribeResource(const std::vector<std::string>& path, AuditRecord* record) {
  if (path.size() < 2 || path[0] != "shares") return;
  record->share = path[1];
  if (path.size() >= 4 && path[2] == "schemas") record->schema = path[3];
  if (path.size() >= 6 && path[4] == "tables") record->table = path[5];
}

}  // namespace

http::Response HandleAdmin(RoutesContext& ctx, const http::Request& request) {
  AuditedRequest audit(*ctx.access, request, "admin.authenticate");
  if (!audit.CanProceed()) return AuditUnavailable();
  auto principal = ctx.access->AuthenticateAdmin(request.header("Authorization").value_or(""));
  if (!principal.ok()) {
    http::Response r = FromAdmin(AdminError(principal.status()));
    if (r.status == 401) r.headers.Set("WWW-Authenticate", "Bearer realm=\"deltashare-admin\"");
    return audit.Finish(std::move(r), principal.status().message(), AuditUnavailable());
  }
  AuditRecord& record = audit.record();
  record.token_id = principal->token_id();

  AdminRequest admin;
  admin.method = std::string(request.method_name());
  if (!SplitAdminPath(request.param("rest").value_or(""), &admin.path)) {
    record.operation = "admin.unknown";
    return audit.Finish(JsonError(404, "RESOURCE_DOES_NOT_EXIST", "no such admin resource"),
                        "malformed admin path", AuditUnavailable());
  }
  const http::QueryParams& query = request.query();
  admin.query.reserve(query.size());
  for (size_t i = 0; i < query.size(); ++i) admin.query.push_back(query[i]);
  admin.body = request.body();
  if (request.method() == http::Method::kHead) admin.method = "GET";

  AdminResponse answer = ctx.admin.Handle(admin);
  record.operation = answer.operation;
  DescribeResource(admin.path, &record);
  // The resource (names and public ids only); for failures, what went wrong.
  std::string message = Join(admin.path, "/");
  if (answer.status >= 400) {
    message += ": " + answer.body;
  }
  return audit.Finish(FromAdmin(answer), message, AuditUnavailable());
}

}  // namespace ds::access::internal
