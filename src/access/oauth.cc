#include "access/oauth.h"

#include "access/token_format.h"
#include "util/json.h"
#include "util/string_util.h"
#include "util/uri.h"

namespace ds::access {
namespace {

constexpr size_t kMaxBodyBytes = 16384;

Status InvalidRequest(const std::string& why) {
  return Status::InvalidArgument("invalid_request: " + why);
}

// Decodes a form body into (name, value) pairs; InvalidRequest on bad escapes or repeats.
Result<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string_view part : Split(body, '&')) {
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string_view raw_name = part.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
    auto name = PercentDecode(raw_name, /*plus_as_space=*/true);
    auto value = PercentDecode(raw_value, /*plus_as_space=*/true);
    if (!name.ok() || !value.ok()) return InvalidRequest("malformed form body");
    for (const auto& [n, v] : out) {
      if (n == *name) return InvalidRequest("parameter '" + n + "' is repeated");
    }
    out.emplace_back(std::move(name).value(), std::move(value).value());
  }
  return out;
}

std::string Field(const std::vector<std::pair<std::string, std::string>>& form,
                  std::string_view name) {
  for (const auto& [n, v] : form) {
    if (n == name) return v;
  }
  return "";
}

bool HasField(const std::vector<std::pair<std::string, std::string>>& form, std::string_view name) {
  for (const auto& [n, v] : form) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace

Result<ClientCredentialsRequest> ParseClientCredentialsRequest(
    std::string_view authorization_header, std::string_view content_type, std::string_view body) {
  if (body.size() > kMaxBodyBytes) return InvalidRequest("request body is too large");
  std::string_view media = Trim(content_type.substr(0, content_type.find(';')));
  if (!EqualsIgnoreCase(media, "application/x-www-form-urlencoded")) {
    return InvalidRequest("expected Content-Type application/x-www-form-urlencoded");
  }
  ASSIGN_OR_RETURN(auto form, ParseForm(body));
  const std::string grant = Field(form, "grant_type");
  if (grant.empty()) return InvalidRequest("grant_type is missing");
  if (grant != "client_credentials") {
    return Status::InvalidArgument("unsupported_grant_type: only client_credentials is supported");
  }
  ClientCredentialsRequest out;
  out.scope = Field(form, "scope");
  const bool in_body = HasField(form, "client_id") || HasField(form, "client_secret");
  if (!Trim(authorization_header).empty()) {
    if (in_body) return InvalidRequest("client credentials given twice");
    auto basic = ParseBasicHeader(authorization_header);
    if (!basic.ok()) return Status::Unauthenticated("invalid_client: " + basic.status().message());
    out.client_id = std::move(basic->user);
    out.client_secret = std::move(basic->password);
  } else {
    out.client_id = Field(form, "client_id");
    out.client_secret = Field(form, "client_secret");
    if (out.client_id.empty() || out.client_secret.empty()) {
      return Status::Unauthenticated("invalid_client: client credentials are missing");
    }
  }
  return out;
}

std::string OAuthTokenResponseJson(const OAuthAccessToken& token) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("access_token", token.access_token);
  w.Field("token_type", token.token_type);
  w.FieldInt("expires_in", token.expires_in_seconds);
  w.EndObject();
  return out;
}

OAuthErrorResponse OAuthError(const Status& status) {
  OAuthErrorResponse out;
  std::string code = "server_error";
  std::string description;
  const std::string& message = status.message();
  auto prefixed = [&](std::string_view prefix) {
    if (!StartsWith(message, prefix)) return false;
    code = std::string(prefix.substr(0, prefix.size() - 2));
    description = message.substr(prefix.size());
    return true;
  };
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      out.http_status = 400;
      if (!prefixed("unsupported_grant_type: ") && !prefixed("invalid_request: ")) {
        code = "invalid_request";
        description = message;
      }
      break;
    case StatusCode::kUnauthenticated:
      out.http_status = 401;
      out.www_authenticate = true;
      code = "invalid_client";
      description = StartsWith(message, "invalid_client: ") ? message.substr(16) : message;
      break;
    case StatusCode::kPermissionDenied:
      out.http_status = 400;
      code = "unauthorized_client";
      description = message;
      break;
    case StatusCode::kUnavailable:
      out.http_status = 503;
      code = "temporarily_unavailable";
      break;
    default:
      out.http_status = 500;
      break;
  }
  JsonWriter w(&out.body);
  w.BeginObject();
  w.Field("error", code);
  if (!description.empty()) w.Field("error_description", description);
  w.EndObject();
  return out;
}

}  // namespace ds::access
