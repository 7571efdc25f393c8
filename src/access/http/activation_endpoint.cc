// GET <prefix>/activation/{code}: a recipient downloads its profile, exactly once
// (TokenService::RedeemActivationLink issues the token inside the same transaction that
// marks the link used).
#include "access/http/routes_internal.h"
#include "sharing/protocol/profile.h"

namespace ds::access::internal {
namespace {

http::Response RedeemFailure(const Status& status, const http::Request& request) {
  switch (status.code()) {
    case StatusCode::kNotFound:
      return JsonError(404, "RESOURCE_DOES_NOT_EXIST",
                       "this activation link does not exist; check that the whole URL was "
                       "copied, or ask your data provider for a new link");
    case StatusCode::kFailedPrecondition:
      return JsonError(410, "ACTIVATION_LINK_GONE",
                       status.message() +
                           ": a profile can be downloaded only once; ask your data provider "
                           "for a new activation link");
    case StatusCode::kUnavailable: {
      http::Response r = JsonError(503, "TEMPORARILY_UNAVAILABLE",
                                   "the service is temporarily unavailable; retry later "
                                   "(the link was not used)");
      r.headers.Set("Retry-After", "5");
      return r;
    }
    default:
      return JsonError(500, "INTERNAL_ERROR",
                       "internal error (request " + request.request_id() + ")");
  }
}

}  // namespace

http::Response HandleActivation(RoutesContext& ctx, const http::Request& request) {
  AuditedRequest audit(*ctx.access, request, "get_profile");
  if (!audit.CanProceed()) return AuditUnavailable();
  auto redeemed = ctx.access->tokens().RedeemActivationLink(request.param("code").value_or(""));
  if (!redeemed.ok()) {
    return audit.Finish(RedeemFailure(redeemed.status(), request), redeemed.status().message(),
                        AuditUnavailable());
  }
  AuditRecord& record = audit.record();
  record.recipient = redeemed->recipient.name;
  record.recipient_id = redeemed->recipient.id;
  record.token_id = redeemed->token.record.id;

  sharing::protocol::Profile profile;
  profile.share_credentials_version = 1;
  profile.endpoint = !ctx.options.public_url.empty() || redeemed->endpoint.empty()
                         ? RequestEndpoint(request, ctx.options.public_url, ctx.options.prefix)
                         : redeemed->endpoint;
  profile.bearer_token = redeemed->token.token;
  profile.expiration_ms = redeemed->token.record.expires_at_ms;
  http::Response r = http::Response::Json(200, sharing::protocol::ProfileToJson(profile));
  r.headers.Set("Content-Disposition", "attachment; filename=\"config.share\"");
  NoStore(&r);
  return audit.Finish(std::move(r), "", AuditUnavailable());
}

}  // namespace ds::access::internal
