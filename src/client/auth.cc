#include "client/auth.h"

#include <chrono>
#include <mutex>

#include "httpclient/http_status.h"
#include "httpclient/url.h"
#include "io/file.h"
#include "util/base64.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::client {
namespace {

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class BearerCredentials final : public Credentials {
 public:
  BearerCredentials(std::string token, std::optional<int64_t> expiration_ms,
                    std::function<int64_t()> now_ms)
      : header_("Bearer " + std::move(token)),
        expiration_ms_(expiration_ms),
        now_ms_(std::move(now_ms)) {}

  Result<std::string> Authorization() override {
    if (expiration_ms_ && now_ms_() >= *expiration_ms_) {
      return Status::Unauthenticated("the profile's bearer token expired at " +
                                     sharing::protocol::FormatIsoMillis(*expiration_ms_) +
                                     " (expirationTime); ask the data provider for a new profile");
    }
    return header_;
  }

 private:
  std::string header_;
  std::optional<int64_t> expiration_ms_;
  std::function<int64_t()> now_ms_;
};

class BasicCredentials final : public Credentials {
 public:
  BasicCredentials(const std::string& user, const std::string& password)
      : header_("Basic " + Base64Encode(user + ":" + password)) {}
  Result<std::string> Authorization() override { return header_; }

 private:
  std::string header_;
};

class OAuthCredentials final : public Credentials {
 public:
  OAuthCredentials(const Profile& profile, httpclient::HttpClient* http,
                   std::function<int64_t()> now_ms)
      : profile_(profile), http_(http), now_ms_(std::move(now_ms)) {}

  Result<std::string> Authorization() override {
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t now = now_ms_();
    if (token_.empty() || (renew_at_ms_ && now >= *renew_at_ms_)) {
      RETURN_NOT_OK(Fetch(now));
    }
    return "Bearer " + token_;
  }

  bool Invalidate() override {
    std::lock_guard<std::mutex> lock(mu_);
    token_.clear();
    return true;
  }

 private:
  Status Fetch(int64_t now) {
    std::string body = "grant_type=client_credentials";
    if (!profile_.scope.empty()) body += "&scope=" + httpclient::UriEncode(profile_.scope);
    httpclient::HttpRequest request;
    request.method = httpclient::HttpMethod::kPost;
    request.url = profile_.token_endpoint;
    request.body = body;
    request.retry_non_idempotent = true;  // a token request has no side effect we rely on
    request.headers.Set("Authorization",
                        "Basic " + Base64Encode(profile_.client_id + ":" + profile_.client_secret));
    request.headers.Set("Content-Type", "application/x-www-form-urlencoded");
    request.headers.Set("Accept", "application/json");
    auto response = http_->Send(request);
    if (!response.ok()) {
      return response.status().WithContext("OAuth token endpoint " +
                                           httpclient::RedactUrl(profile_.token_endpoint));
    }
    if (response->status == 400 || response->status == 401 || response->status == 403) {
      return Status::Unauthenticated(
          "the OAuth token endpoint " + httpclient::RedactUrl(profile_.token_endpoint) +
          " refused the profile's client credentials (HTTP " + std::to_string(response->status) +
          "): " + response->body.substr(0, 300));
    }
    RETURN_NOT_OK(httpclient::HttpResponseStatus(request, *response));
    auto parsed = ParseTokenResponse(response->body);
    if (!parsed.ok()) {
      return parsed.status().WithContext("OAuth token endpoint " +
                                         httpclient::RedactUrl(profile_.token_endpoint));
    }
    token_ = std::move(parsed->token);
    renew_at_ms_.reset();
    if (parsed->expires_in_seconds) {
      const int64_t lifetime_ms = *parsed->expires_in_seconds * 1000;
      renew_at_ms_ = now + lifetime_ms - std::min<int64_t>(600'000, lifetime_ms / 2);
    }
    return Status::OK();
  }

  Profile profile_;
  httpclient::HttpClient* http_;
  std::function<int64_t()> now_ms_;
  std::mutex mu_;
  std::string token_;
  std::optional<int64_t> renew_at_ms_;
};

}  // namespace

Result<Profile> LoadProfile(const std::string& path) {
  auto text = io::ReadFileToString(path);
  if (!text.ok()) return text.status().WithContext("profile " + path);
  auto profile = sharing::protocol::ParseProfile(*text);
  if (!profile.ok()) return profile.status().WithContext("profile " + path);
  return profile;
}

Result<AccessToken> ParseTokenResponse(std::string_view body) {
  auto doc = ParseJson(body);
  if (!doc.ok() || !doc->is_object()) {
    return Status::InvalidArgument("the token response is not a JSON object");
  }
  const JsonValue* token = doc->Find("access_token");
  if (token == nullptr || !token->is_string() || token->string_value().empty()) {
    return Status::InvalidArgument("the token response has no access_token string");
  }
  AccessToken out;
  out.token = token->string_value();
  if (const JsonValue* expires = doc->Find("expires_in"); expires && !expires->is_null()) {
    std::optional<int64_t> seconds;
    if (expires->is_number() || expires->is_string()) {
      seconds = ParseInt64(expires->is_number() ? expires->number_text() : expires->string_value());
    }
    if (!seconds || *seconds < 0) {
      return Status::InvalidArgument(
          "the token response's expires_in is not a whole number of "
          "seconds");
    }
    out.expires_in_seconds = *seconds;
  }
  return out;
}

std::unique_ptr<Credentials> MakeCredentials(const Profile& profile, httpclient::HttpClient* http,
                                             std::function<int64_t()> now_ms) {
  if (!now_ms) now_ms = SystemNowMs;
  switch (profile.type) {
    case sharing::protocol::ProfileType::kOAuthClientCredentials:
      return std::make_unique<OAuthCredentials>(profile, http, std::move(now_ms));
    case sharing::protocol::ProfileType::kBasic:
      return std::make_unique<BasicCredentials>(profile.username, profile.password);
    case sharing::protocol::ProfileType::kBearer:
      break;
  }
  return std::make_unique<BearerCredentials>(profile.bearer_token, profile.expiration_ms,
                                             std::move(now_ms));
}

}  // namespace ds::client
