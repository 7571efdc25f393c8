#include "objstore/azure_signer.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "httpclient/http_date.h"
#include "httpclient/url.h"
#include "util/base64.h"
#include "util/string_util.h"

namespace ds::objstore {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Appends one base64 character, percent-encoded when it is not URL-safe.
void AppendBase64Char(char c, std::string* out) {
  if (c == '+') {
    out->append("%2B");
  } else if (c == '/') {
    out->append("%2F");
  } else if (c == '=') {
    out->append("%3D");
  } else {
    out->push_back(c);
  }
}

// Base64 of `n` bytes, URL-encoded, appended without a temporary string.
void AppendBase64UrlEncoded(const uint8_t* p, size_t n, std::string* out) {
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    for (int s = 18; s >= 0; s -= 6) AppendBase64Char(kBase64[(v >> s) & 63], out);
  }
  if (i < n) {
    const uint32_t v = (p[i] << 16) | (i + 1 < n ? p[i + 1] << 8 : 0);
    AppendBase64Char(kBase64[(v >> 18) & 63], out);
    AppendBase64Char(kBase64[(v >> 12) & 63], out);
    AppendBase64Char(i + 1 < n ? kBase64[(v >> 6) & 63] : '=', out);
    AppendBase64Char('=', out);
  }
}

constexpr std::string_view kSignedStandardHeaders[] = {"Content-Encoding",
                                                       "Content-Language",
                                                       "Content-Length",
                                                       "Content-MD5",
                                                       "Content-Type",
                                                       "Date",
                                                       "If-Modified-Since",
                                                       "If-Match",
                                                       "If-None-Match",
                                                       "If-Unmodified-Since",
                                                       "Range"};

}  // namespace

Result<std::shared_ptr<const AzureSharedKey>> AzureSharedKey::Make(std::string account,
                                                                   std::string_view base64_key) {
  if (account.empty()) return Status::InvalidArgument("azure: the account name is empty");
  auto key = Base64Decode(base64_key);
  if (!key.ok() || key->empty()) {
    return Status::InvalidArgument("azure: the account key is not base64");
  }
  return std::shared_ptr<const AzureSharedKey>(new AzureSharedKey(std::move(account), *key));
}

Status AzureSharedKey::SignRequest(httpclient::HttpRequest* request, int64_t now_ms) const {
  ASSIGN_OR_RETURN(httpclient::Url url, httpclient::ParseUrl(request->url));
  if (!request->headers.Has("x-ms-date")) {
    request->headers.Set("x-ms-date", httpclient::FormatHttpDate(now_ms));
  }
  if (!request->headers.Has("x-ms-version")) {
    request->headers.Set("x-ms-version", std::string(kAzureApiVersion));
  }
  std::string to_sign(httpclient::MethodName(request->method));
  to_sign.push_back('\n');
  for (std::string_view name : kSignedStandardHeaders) {
    if (name == "Content-Length") {
      // What the client sends; an empty or absent body signs as "" (versions 2015-02-21+).
      if (!request->body.empty()) to_sign += std::to_string(request->body.size());
    } else if (auto v = request->headers.Get(name)) {
      to_sign += Trim(*v);
    }
    to_sign.push_back('\n');
  }
  std::vector<std::pair<std::string, std::string>> ms_headers;
  for (const auto& [name, value] : request->headers) {
    std::string lower = ToLower(Trim(name));
    if (StartsWith(lower, "x-ms-"))
      ms_headers.emplace_back(std::move(lower), std::string(Trim(value)));
  }
  std::sort(ms_headers.begin(), ms_headers.end());
  for (const auto& [name, value] : ms_headers) to_sign += name + ":" + value + "\n";

  to_sign += "/" + account_ + (url.path.empty() ? "/" : url.path);
  std::vector<std::pair<std::string, std::vector<std::string>>> params;
  for (std::string_view piece : Split(url.query, '&')) {
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    ASSIGN_OR_RETURN(std::string name, httpclient::UriDecode(piece.substr(0, eq)));
    std::string value;
    if (eq != std::string_view::npos) {
      ASSIGN_OR_RETURN(value, httpclient::UriDecode(piece.substr(eq + 1)));
    }
    name = ToLower(name);
    auto it =
        std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.first == name; });
    if (it == params.end()) {
      params.emplace_back(std::move(name), std::vector<std::string>{std::move(value)});
    } else {
      it->second.push_back(std::move(value));
    }
  }
  std::sort(params.begin(), params.end());
  for (auto& [name, values] : params) {
    std::sort(values.begin(), values.end());
    to_sign += "\n" + name + ":" + Join(values, ",");
  }
  uint8_t mac[Sha256::kSize];
  key_.Sign(to_sign, mac);
  request->headers.Set("Authorization", "SharedKey " + account_ + ":" +
                                            Base64Encode(std::string_view(
                                                reinterpret_cast<const char*>(mac), sizeof(mac))));
  return Status::OK();
}

void AzureSharedKey::PresignBlob(const AzureSasTarget& target, std::string_view key,
                                 int64_t expiry_seconds, std::string* url) const {
  char expiry[20];
  FormatIsoDateTime(expiry_seconds, expiry);
  const std::string_view expiry_view(expiry, sizeof(expiry));

  // String-to-sign of a service SAS (2020-12-06+): sp, st, se, resource, si, sip, spr, sv,
  // sr, snapshot time, ses, rscc, rscd, rsce, rscl, rsct.
  Sha256 h = key_.Begin();
  h.Update("r\n\n");
  h.Update(expiry_view);
  h.Update("\n");
  h.Update(target.resource_prefix);
  h.Update(key);
  h.Update("\n\n\n");
  h.Update(target.protocol);
  h.Update("\n");
  h.Update(kAzureApiVersion);
  h.Update("\nb\n\n\n\n\n\n\n");
  uint8_t mac[Sha256::kSize];
  key_.Finish(&h, mac);

  url->clear();
  url->reserve(target.url_prefix.size() + key.size() * 3 / 2 + 160);
  url->append(target.url_prefix);
  httpclient::AppendUriEncoded(key, /*encode_slash=*/false, url);
  url->append("?sv=").append(kAzureApiVersion).append("&spr=");
  httpclient::AppendUriEncoded(target.protocol, true, url);
  url->append("&se=");
  httpclient::AppendUriEncoded(expiry_view, true, url);
  url->append("&sr=b&sp=r&sig=");
  AppendBase64UrlEncoded(mac, sizeof(mac), url);
}

}  // namespace ds::objstore
