// Internals shared by the handlers of access_routes.h (not a public interface).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "access/access_service.h"
#include "access/admin_api.h"
#include "access/http/access_routes.h"
#include "http/request.h"
#include "http/response.h"

namespace ds::access::internal {

// What every handler uses; shared by the routes' closures.
struct RoutesContext {
  std::shared_ptr<AccessService> access;
  AccessRoutesOptions options;
  AdminApi admin;

  RoutesContext(std::shared_ptr<AccessService> a, AccessRoutesOptions o)
      : access(std::move(a)), options(std::move(o)), admin(access.get()) {}
};

// The audit record of one request to an access endpoint, filled while it runs and appended
// when it ends.
class AuditedRequest {
 public:
  AuditedRequest(AccessService& access, const http::Request& request, std::string operation);

  // False when the audit log refuses records: the request must do nothing but answer 503.
  bool CanProceed() const;
  AuditRecord& record() { return record_; }

  // Appends the record with `response`'s status and `message`, and returns `response`; or, if
  // the record cannot be queued, `refused` (the request is not answered unaudited).
  http::Response Finish(http::Response response, std::string_view message, http::Response refused);

 private:
  AuditLog* log_;
  std::chrono::steady_clock::time_point started_;
  AuditRecord record_;
};

// {"errorCode": code, "message": message} with `status`, Cache-Control: no-store.
http::Response JsonError(int status, std::string_view code, std::string_view message);
// 503 TEMPORARILY_UNAVAILABLE with Retry-After, for a full audit log.
http::Response AuditUnavailable();
// Sets Cache-Control: no-store (and Pragma: no-cache for HTTP/1.0 caches).
void NoStore(http::Response* response);

http::Response HandleTokenRequest(RoutesContext& ctx, const http::Request& request);
http::Response HandleActivation(RoutesContext& ctx, const http::Request& request);
http::Response HandleAdmin(RoutesContext& ctx, const http::Request& request);

}  // namespace ds::access::internal
