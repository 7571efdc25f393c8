#include "access/http/access_routes.h"

#include <cctype>

#include "access/http/routes_internal.h"
#include "access/token_service.h"
#include "util/json.h"

namespace ds::access {
namespace internal {

AuditedRequest::AuditedRequest(AccessService& access, const http::Request& request,
                               std::string operation)
    : log_(access.audit()), started_(std::chrono::steady_clock::now()) {
  record_.time_ms = access.tokens().NowMs();
  record_.operation = std::move(operation);
  record_.client_address = request.client_address();
  record_.user_agent = std::string(request.header("User-Agent").value_or(""));
}

bool AuditedRequest::CanProceed() const { return log_ == nullptr || log_->Accepting(); }

http::Response AuditedRequest::Finish(http::Response response, std::string_view message,
                                      http::Response refused) {
  if (log_ == nullptr) return response;
  record_.status = response.status;
  record_.message = std::string(message.substr(0, 500));
  record_.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started_)
                            .count();
  if (!log_->Append(std::move(record_)).ok()) return refused;
  return response;
}

void NoStore(http::Response* response) {
  response->headers.Set("Cache-Control", "no-store");
  response->headers.Set("Pragma", "no-cache");
}

http::Response JsonError(int status, std::string_view code, std::string_view message) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject();
  w.Field("errorCode", code);
  w.Field("message", message);
  w.EndObject();
  http::Response r = http::Response::Json(status, std::move(body));
  NoStore(&r);
  return r;
}

http::Response AuditUnavailable() {
  http::Response r = JsonError(503, "TEMPORARILY_UNAVAILABLE",
                               "the audit log cannot take records right now; retry later");
  r.headers.Set("Retry-After", "5");
  return r;
}

}  // namespace internal

std::string RequestEndpoint(const http::Request& request, std::string_view public_url,
                            std::string_view prefix) {
  std::string out;
  if (!public_url.empty()) {
    out.append(public_url);
  } else {
    std::string_view host = request.header("Host").value_or("");
    bool clean = !host.empty() && host.size() <= 255;
    for (char c : host) {
      clean = clean && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                        c == ':' || c == '[' || c == ']');
    }
    out.append(request.is_tls() ? "https://" : "http://");
    out.append(clean ? host : std::string_view("localhost"));
  }
  while (!out.empty() && out.back() == '/') out.pop_back();
  out.append(prefix);
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

Status AddAccessRoutes(http::Router* router, std::shared_ptr<AccessService> access,
                       AccessRoutesOptions options) {
  if (router == nullptr || !access) {
    return Status::InvalidArgument("access routes need a router and an access service");
  }
  while (!options.prefix.empty() && options.prefix.back() == '/') options.prefix.pop_back();
  auto ctx = std::make_shared<internal::RoutesContext>(std::move(access), options);
  const std::string& prefix = ctx->options.prefix;
  auto method_not_allowed = [](std::string_view allow) {
    return [allow](const http::Request&) {
      http::Response r = internal::JsonError(405, "METHOD_NOT_ALLOWED",
                                             "this resource only answers " + std::string(allow));
      r.headers.Set("Allow", allow);
      return r;
    };
  };

  // Token endpoint: POST only (a GET would otherwise reach the sharing API's catch-all).
  const std::string token_path = prefix + std::string(kOAuthTokenPath);
  RETURN_NOT_OK(router->Add(http::Method::kPost, token_path, [ctx](const http::Request& r) {
    return internal::HandleTokenRequest(*ctx, r);
  }));
  RETURN_NOT_OK(router->Add(http::Method::kGet, token_path, method_not_allowed("POST")));

  // Activation: the code is a secret, so the path is never logged; HEAD and POST must not
  // fall through to GET (a HEAD would use the link up and lose the profile).
  http::RouteOptions secret_path;
  secret_path.log_path = false;
  const std::string activation = prefix + std::string(kActivationPathPrefix) + "{code}";
  RETURN_NOT_OK(router->Add(
      http::Method::kGet, activation,
      [ctx](const http::Request& r) { return internal::HandleActivation(*ctx, r); }, secret_path));
  for (http::Method m : {http::Method::kHead, http::Method::kPost}) {
    RETURN_NOT_OK(router->Add(m, activation, method_not_allowed("GET"), secret_path));
  }

  // Admin API.
  for (http::Method m :
       {http::Method::kGet, http::Method::kPost, http::Method::kPut, http::Method::kDelete}) {
    RETURN_NOT_OK(router->Add(m, prefix + "/admin/{*rest}", [ctx](const http::Request& r) {
      return internal::HandleAdmin(*ctx, r);
    }));
  }
  return Status::OK();
}

}  // namespace ds::access
