#include "objstore/gcs_store.h"

#include "httpclient/http_date.h"
#include "httpclient/url.h"
#include "objstore/cloud_common.h"
#include "objstore/s3_xml.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::objstore {
namespace {

using httpclient::HttpMethod;
using httpclient::HttpRequest;
using httpclient::HttpResponse;

constexpr int64_t kMinCachedLifeMs = 5 * 60 * 1000;
constexpr size_t kMaxCachedUrls = 4096;

class GcsUrlSigner final : public UrlSigner {
 public:
  GcsUrlSigner(V4SignerPtr signer, V4PresignTarget target)
      : signer_(std::move(signer)), target_(std::move(target)) {}

  Status PresignAt(std::string_view key, int64_t lifetime_seconds, int64_t now_ms,
                   PresignedUrl* out) const override {
    RETURN_NOT_OK(ValidateKey(key));
    RETURN_NOT_OK(CheckLifetime(lifetime_seconds, V4Signer::kMaxLifetimeSeconds));
    RETURN_NOT_OK(signer_->PresignGet(target_, key, lifetime_seconds, now_ms, &out->url));
    out->expiration_ms = (FloorSeconds(now_ms) + lifetime_seconds) * 1000;
    return Status::OK();
  }
  int64_t max_lifetime_seconds() const override { return V4Signer::kMaxLifetimeSeconds; }

 private:
  V4SignerPtr signer_;
  V4PresignTarget target_;
};

}  // namespace

Result<GcsServiceAccountKey> ParseGcsServiceAccountKey(std::string_view json) {
  auto doc = ParseJson(json);
  if (!doc.ok() || !doc->is_object()) {
    return Status::InvalidArgument("gcs: the service account key is not a JSON object");
  }
  if (const JsonValue* type = doc->Find("type");
      type != nullptr && (!type->is_string() || type->string_value() != "service_account")) {
    return Status::InvalidArgument("gcs: the key file is not of type \"service_account\"");
  }
  GcsServiceAccountKey key;
  const JsonValue* email = doc->Find("client_email");
  const JsonValue* pem = doc->Find("private_key");
  if (email == nullptr || !email->is_string() || email->string_value().empty() || pem == nullptr ||
      !pem->is_string() || pem->string_value().empty()) {
    return Status::InvalidArgument("gcs: the key file lacks client_email or private_key");
  }
  key.client_email = email->string_value();
  key.private_key_pem = pem->string_value();
  return key;
}

GcsStore::GcsStore(GcsStoreOptions options, httpclient::HttpClientPtr client)
    : options_(std::move(options)), client_(std::move(client)) {}

Result<std::shared_ptr<GcsStore>> GcsStore::Make(GcsStoreOptions options,
                                                 httpclient::HttpClientPtr client) {
  if (client == nullptr) return Status::InvalidArgument("gcs: no HTTP client");
  const std::string& b = options.bucket;
  if (b.empty() || b.size() > 222 ||
      b.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos) {
    return Status::InvalidArgument("gcs: invalid bucket name '" + b + "'");
  }
  if (options.list_page_size < 1 || options.list_page_size > 1000) {
    return Status::InvalidArgument("gcs: list_page_size must be 1..1000");
  }
  if (options.request_url_lifetime_seconds < 60 ||
      options.request_url_lifetime_seconds > V4Signer::kMaxLifetimeSeconds) {
    return Status::InvalidArgument("gcs: request_url_lifetime_seconds must be 60..604800");
  }
  const bool has_sa = !options.service_account_json.empty();
  const bool has_hmac = !options.hmac_access_id.empty() || !options.hmac_secret.empty();
  if (has_sa == has_hmac) {
    return Status::InvalidArgument(
        "gcs: give either a service account key or an HMAC key (access id and secret)");
  }
  V4SignerOptions so;
  so.dialect = V4Dialect::kGoogle;
  so.region = "auto";
  if (has_sa) {
    ASSIGN_OR_RETURN(GcsServiceAccountKey key,
                     ParseGcsServiceAccountKey(options.service_account_json));
    so.access_key_id = key.client_email;
    auto rsa = crypto::RsaPrivateKey::FromPem(key.private_key_pem);
    if (!rsa.ok())
      return Status::InvalidArgument("gcs: the service account private_key is not an RSA PEM key");
    so.rsa_key = std::move(rsa).value();
  } else {
    if (options.hmac_access_id.empty() || options.hmac_secret.empty()) {
      return Status::InvalidArgument("gcs: an HMAC key needs both the access id and the secret");
    }
    so.access_key_id = options.hmac_access_id;
    so.secret_access_key = options.hmac_secret;
  }
  const std::string endpoint =
      options.endpoint.empty() ? "https://storage.googleapis.com" : options.endpoint;
  ASSIGN_OR_RETURN(httpclient::Url ep, httpclient::ParseUrl(endpoint));
  if (!ep.query.empty() || (!ep.path.empty() && ep.path != "/")) {
    return Status::InvalidArgument("gcs: endpoint must be scheme://host[:port], got '" + endpoint +
                                   "'");
  }
  std::shared_ptr<GcsStore> store(new GcsStore(std::move(options), std::move(client)));
  ASSIGN_OR_RETURN(store->signer_, V4Signer::Make(std::move(so)));
  store->authority_ = ep.Authority();
  store->origin_ = ep.scheme + "://" + store->authority_;
  store->bucket_path_ = "/" + store->options_.bucket;
  return store;
}

int64_t GcsStore::NowMs() const {
  return options_.clock_ms ? options_.clock_ms() : SystemClockMs();
}

std::string GcsStore::Uri(std::string_view key) const {
  return "gs://" + options_.bucket + "/" + std::string(key);
}

std::string GcsStore::ObjectUrl(std::string_view key) const {
  std::string url = origin_ + bucket_path_ + "/";
  httpclient::AppendUriEncoded(key, /*encode_slash=*/false, &url);
  return url;
}

Result<HttpRequest> GcsStore::Signed(
    HttpMethod method, const std::string& url,
    const std::vector<std::pair<std::string, std::string>>& headers) const {
  HttpRequest req;
  req.method = method;
  ASSIGN_OR_RETURN(
      req.url, signer_->PresignRequest(method, url, headers, options_.request_url_lifetime_seconds,
                                       NowMs()));
  for (const auto& [name, value] : headers) req.headers.Add(name, value);
  return req;
}

Result<std::string> GcsStore::ReadUrl(const std::string& key) const {
  const int64_t now = NowMs();
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = read_urls_.find(key);
    if (it != read_urls_.end() && it->second.expires_ms - now >= kMinCachedLifeMs) {
      return it->second.url;
    }
  }
  ASSIGN_OR_RETURN(HttpRequest req, Signed(HttpMethod::kGet, ObjectUrl(key)));
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (read_urls_.size() >= kMaxCachedUrls) read_urls_.clear();
  read_urls_[key] = {req.url, now + options_.request_url_lifetime_seconds * 1000};
  return req.url;
}

Status GcsStore::Error(std::string_view op, std::string_view key,
                       const HttpResponse& response) const {
  return CloudStatus("gcs: " + std::string(op) + " " + Uri(key), response,
                     ParseCloudError(response));
}

Result<ObjectMeta> GcsStore::Head(const std::string& key) const {
  RETURN_NOT_OK(ValidateKey(key));
  ASSIGN_OR_RETURN(HttpRequest req, Signed(HttpMethod::kHead, ObjectUrl(key)));
  ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(req));
  if (resp.status == 404) return Status::NotFound("gcs: no such object: " + Uri(key));
  if (!resp.ok()) return Error("HEAD", key, resp);
  ObjectMeta meta;
  meta.key = key;
  auto length = ParseInt64(resp.headers.Get("Content-Length").value_or(""));
  if (!length || *length < 0) {
    return Status::IOError("gcs: HEAD " + Uri(key) + ": reply has no valid Content-Length");
  }
  meta.size = *length;
  if (auto modified = resp.headers.Get("Last-Modified")) {
    auto ms = httpclient::ParseHttpDate(*modified);
    if (ms.ok()) meta.mtime_ms = *ms;
  }
  meta.etag = std::string(resp.headers.Get("x-goog-generation").value_or(""));
  if (meta.etag.empty()) meta.etag = StripQuotes(resp.headers.Get("ETag").value_or(""));
  return meta;
}

Result<std::vector<ObjectMeta>> GcsStore::List(const std::string& prefix,
                                               const ListOptions& options) const {
  ASSIGN_OR_RETURN(std::string dir, ListDirectory(prefix));
  std::vector<ObjectMeta> out;
  std::string token;
  while (true) {
    std::string url = origin_ + bucket_path_ + "?list-type=2&encoding-type=url&max-keys=" +
                      std::to_string(options_.list_page_size);
    if (!dir.empty()) url += "&prefix=" + httpclient::UriEncode(dir);
    if (!options.recursive) url += "&delimiter=%2F";
    if (!token.empty()) {
      url += "&continuation-token=" + httpclient::UriEncode(token);
    } else if (!options.start_after.empty() && options.start_after > dir) {
      url += "&start-after=" + httpclient::UriEncode(options.start_after);
    }
    ASSIGN_OR_RETURN(HttpRequest req, Signed(HttpMethod::kGet, url));
    ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(req));
    if (!resp.ok()) return Error("LIST", dir, resp);
    auto page = ParseListObjectsV2(resp.body);
    if (!page.ok()) return page.status().WithContext("gcs: LIST " + Uri(dir));
    bool more = true;
    for (ObjectMeta& meta : page->objects) {
      more = AddListed(dir, options, std::move(meta), &out);
      if (!more) break;
    }
    if (!more || !page->truncated) break;
    if (page->next_token.empty()) {
      return Status::IOError("gcs: LIST " + Uri(dir) + ": truncated reply without a token");
    }
    token = std::move(page->next_token);
  }
  SortListing(&out);
  return out;
}

Result<std::string> GcsStore::Get(const std::string& key) const {
  RETURN_NOT_OK(ValidateKey(key));
  HttpRequest req;
  ASSIGN_OR_RETURN(req.url, ReadUrl(key));
  ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(req));
  if (resp.status == 404) return Status::NotFound("gcs: no such object: " + Uri(key));
  if (!resp.ok()) return Error("GET", key, resp);
  return std::move(resp.body);
}

Status GcsStore::ReadRangeInto(const std::string& key, int64_t offset, int64_t length,
                               uint8_t* out) const {
  HttpRequest req;
  ASSIGN_OR_RETURN(req.url, ReadUrl(key));
  Status st = httpclient::GetRangeInto(client_.get(), req, offset, length, out);
  if (st.code() == StatusCode::kNotFound)
    return Status::NotFound("gcs: no such object: " + Uri(key));
  return st.WithContext("gcs");
}

Result<std::string> GcsStore::GetRange(const std::string& key, int64_t offset,
                                       int64_t length) const {
  RETURN_NOT_OK(ValidateKey(key));
  if (offset < 0 || length < 0) return Status::OutOfRange("gcs: negative offset or length");
  if (length == 0) {
    ASSIGN_OR_RETURN(ObjectMeta meta, Head(key));
    if (offset > meta.size) {
      return Status::OutOfRange("gcs: offset " + std::to_string(offset) + " is beyond " + Uri(key) +
                                " of " + std::to_string(meta.size) + " bytes");
    }
    return std::string();
  }
  std::string out(static_cast<size_t>(length), '\0');
  RETURN_NOT_OK(ReadRangeInto(key, offset, length, reinterpret_cast<uint8_t*>(out.data())));
  return out;
}

Result<io::RandomAccessFilePtr> GcsStore::OpenRead(const std::string& key, int64_t size) const {
  RETURN_NOT_OK(ValidateKey(key));
  if (size < 0) {
    ASSIGN_OR_RETURN(ObjectMeta meta, Head(key));
    size = meta.size;
  }
  return MakeRangeReadFile(Uri(key), size, [this, key](int64_t off, int64_t len, uint8_t* out) {
    return ReadRangeInto(key, off, len, out);
  });
}

Status GcsStore::PutObject(const std::string& key, std::string_view bytes, bool if_absent) {
  RETURN_NOT_OK(ValidateKey(key));
  std::vector<std::pair<std::string, std::string>> headers;
  if (if_absent) headers.emplace_back("x-goog-if-generation-match", "0");
  ASSIGN_OR_RETURN(HttpRequest req, Signed(HttpMethod::kPut, ObjectUrl(key), headers));
  req.body = bytes;
  req.headers.Set("Content-Type", "application/octet-stream");
  ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(req));
  if (resp.ok()) return Status::OK();
  if (if_absent && resp.status == 412) return ExistsUnlessOurs(*this, key, bytes, resp.attempts);
  return Error(if_absent ? "PUT (if absent)" : "PUT", key, resp);
}

Status GcsStore::Put(const std::string& key, std::string_view bytes) {
  return PutObject(key, bytes, /*if_absent=*/false);
}

Status GcsStore::PutIfAbsent(const std::string& key, std::string_view bytes) {
  return PutObject(key, bytes, /*if_absent=*/true);
}

Status GcsStore::Delete(const std::string& key) {
  RETURN_NOT_OK(ValidateKey(key));
  ASSIGN_OR_RETURN(HttpRequest req, Signed(HttpMethod::kDelete, ObjectUrl(key)));
  ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(req));
  if (resp.ok() || resp.status == 404) return Status::OK();
  return Error("DELETE", key, resp);
}

Result<UrlSignerPtr> GcsStore::MakeUrlSigner(const std::string& root) const {
  ASSIGN_OR_RETURN(std::string dir, ListDirectory(root));
  std::string prefix = bucket_path_ + "/";
  httpclient::AppendUriEncoded(dir, /*encode_slash=*/false, &prefix);
  return UrlSignerPtr(
      std::make_shared<GcsUrlSigner>(signer_, V4Signer::MakeTarget(origin_, authority_, prefix)));
}

}  // namespace ds::objstore
