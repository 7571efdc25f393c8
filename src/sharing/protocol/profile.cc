#include "sharing/protocol/profile.h"

#include "util/civil_time.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::sharing::protocol {
namespace {

Result<std::string> RequiredString(const JsonValue& doc, std::string_view key,
                                   std::string_view context) {
  const JsonValue* v = doc.Find(key);
  if (v == nullptr || !v->is_string() || v->string_value().empty()) {
    return Status::InvalidArgument("profile: '" + std::string(key) + "' is required for " +
                                   std::string(context));
  }
  return v->string_value();
}

std::string OptionalString(const JsonValue& doc, std::string_view key) {
  const JsonValue* v = doc.Find(key);
  return v != nullptr && v->is_string() ? v->string_value() : std::string();
}

}  // namespace

Result<Profile> ParseProfile(std::string_view text) {
  auto doc = ParseJson(text, /*max_depth=*/16);
  if (!doc.ok())
    return Status::InvalidArgument("profile is not valid JSON: " + doc.status().message());
  if (!doc->is_object()) return Status::InvalidArgument("profile must be a JSON object");
  Profile p;
  const JsonValue* version = doc->Find("shareCredentialsVersion");
  if (version == nullptr) {
    return Status::InvalidArgument("profile: 'shareCredentialsVersion' is missing");
  }
  auto v = version->GetInt64();
  if (!v.ok() || *v < 1 || *v > 2) {
    return Status::InvalidArgument(
        "profile: 'shareCredentialsVersion' must be 1 or 2 (this client supports up to 2)");
  }
  p.share_credentials_version = static_cast<int32_t>(*v);
  ASSIGN_OR_RETURN(p.endpoint, RequiredString(*doc, "endpoint", "every profile"));
  while (!p.endpoint.empty() && p.endpoint.back() == '/') p.endpoint.pop_back();
  if (!StartsWith(p.endpoint, "http://") && !StartsWith(p.endpoint, "https://")) {
    return Status::InvalidArgument("profile: 'endpoint' must be an http:// or https:// URL");
  }
  std::string type = OptionalString(*doc, "type");
  if (p.share_credentials_version == 1 || type.empty() || type == "bearer_token") {
    p.type = ProfileType::kBearer;
    ASSIGN_OR_RETURN(p.bearer_token, RequiredString(*doc, "bearerToken", "a bearer profile"));
    std::string exp = OptionalString(*doc, "expirationTime");
    if (!exp.empty()) {
      auto micros = ParseTimestampMicros(exp);
      if (!micros.ok()) {
        return Status::InvalidArgument("profile: 'expirationTime' is not an ISO 8601 time: " + exp);
      }
      p.expiration_ms = *micros / 1000;
    }
  } else if (type == "oauth_client_credentials") {
    p.type = ProfileType::kOAuthClientCredentials;
    const char* ctx = "an oauth_client_credentials profile";
    ASSIGN_OR_RETURN(p.token_endpoint, RequiredString(*doc, "tokenEndpoint", ctx));
    ASSIGN_OR_RETURN(p.client_id, RequiredString(*doc, "clientId", ctx));
    ASSIGN_OR_RETURN(p.client_secret, RequiredString(*doc, "clientSecret", ctx));
    p.scope = OptionalString(*doc, "scope");
  } else if (type == "basic") {
    p.type = ProfileType::kBasic;
    ASSIGN_OR_RETURN(p.username, RequiredString(*doc, "username", "a basic profile"));
    ASSIGN_OR_RETURN(p.password, RequiredString(*doc, "password", "a basic profile"));
  } else {
    return Status::InvalidArgument("profile: unsupported type '" + type +
                                   "' (expected bearer_token, oauth_client_credentials or basic)");
  }
  return p;
}

std::string FormatIsoMillis(int64_t ms) {
  std::string out;
  AppendTimestamp(ms, TimeUnit::kMillis, /*utc=*/false, &out);  // "…T00:12:29.000000"
  const size_t dot = out.rfind('.');
  if (dot != std::string::npos && out.size() > dot + 4) out.resize(dot + 4);
  out.push_back('Z');
  return out;
}

std::string ProfileToJson(const Profile& p) {
  std::string out = "{\n";
  auto field = [&](std::string_view key, const std::string& value, bool last = false) {
    out += "  ";
    AppendJsonString(key, &out);
    out += ": ";
    AppendJsonString(value, &out);
    out += last ? "\n" : ",\n";
  };
  out += "  \"shareCredentialsVersion\": " + std::to_string(p.share_credentials_version) + ",\n";
  switch (p.type) {
    case ProfileType::kBearer:
      if (p.share_credentials_version == 2) field("type", "bearer_token");
      field("endpoint", p.endpoint);
      field("bearerToken", p.bearer_token, !p.expiration_ms.has_value());
      if (p.expiration_ms) field("expirationTime", FormatIsoMillis(*p.expiration_ms), true);
      break;
    case ProfileType::kOAuthClientCredentials:
      field("type", "oauth_client_credentials");
      field("endpoint", p.endpoint);
      field("tokenEndpoint", p.token_endpoint);
      field("clientId", p.client_id);
      field("clientSecret", p.client_secret, p.scope.empty());
      if (!p.scope.empty()) field("scope", p.scope, true);
      break;
    case ProfileType::kBasic:
      field("type", "basic");
      field("endpoint", p.endpoint);
      field("username", p.username);
      field("password", p.password, true);
      break;
  }
  out += "}\n";
  return out;
}

}  // namespace ds::sharing::protocol
