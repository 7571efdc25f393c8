// POST <prefix>/oauth/token: the OAuth 2.0 client-credentials exchange (access/oauth.h for
// the wire format, TokenService::ExchangeClientCredentials for the exchange).
#include "access/http/routes_internal.h"
#include "access/oauth.h"

namespace ds::access::internal {
namespace {

http::Response OAuthAnswer(int status, std::string body) {
  http::Response r = http::Response::Json(status, std::move(body));
  NoStore(&r);
  return r;
}

http::Response OAuthFailure(const Status& status) {
  OAuthErrorResponse e = OAuthError(status);
  http::Response r = OAuthAnswer(e.http_status, std::move(e.body));
  if (e.www_authenticate) r.headers.Set("WWW-Authenticate", "Basic realm=\"deltashare\"");
  if (e.http_status == 503) r.headers.Set("Retry-After", "5");
  return r;
}

http::Response AuditFull() {
  return OAuthFailure(Status::Unavailable("the audit log cannot take records"));
}

}  // namespace

http::Response HandleTokenRequest(RoutesContext& ctx, const http::Request& request) {
  AuditedRequest audit(*ctx.access, request, "oauth_token");
  if (!audit.CanProceed()) return AuditFull();
  auto parsed =
      ParseClientCredentialsRequest(request.header("Authorization").value_or(""),
                                    request.header("Content-Type").value_or(""), request.body());
  if (!parsed.ok()) {
    return audit.Finish(OAuthFailure(parsed.status()), parsed.status().message(), AuditFull());
  }
  auto token = ctx.access->tokens().ExchangeClientCredentials(
      parsed->client_id, parsed->client_secret, request.client_address());
  if (!token.ok()) {
    return audit.Finish(OAuthFailure(token.status()), token.status().message(), AuditFull());
  }
  AuditRecord& record = audit.record();
  record.recipient = token->recipient.name;
  record.recipient_id = token->recipient.id;
  record.token_id = token->record.id;
  return audit.Finish(OAuthAnswer(200, OAuthTokenResponseJson(*token)), "", AuditFull());
}

}  // namespace ds::access::internal
