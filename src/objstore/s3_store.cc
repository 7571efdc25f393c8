#include "objstore/s3_store.h"

#include "httpclient/http_date.h"
#include "httpclient/http_status.h"
#include "httpclient/url.h"
#include "objstore/cloud_common.h"
#include "objstore/s3_xml.h"
#include "util/string_util.h"

namespace ds::objstore {
namespace {

using httpclient::HttpMethod;
using httpclient::HttpRequest;
using httpclient::HttpResponse;

constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

Status ValidateBucket(std::string_view bucket) {
  if (bucket.empty() || bucket.size() > 255) {
    return Status::InvalidArgument("s3: bucket name must have 1..255 characters");
  }
  for (char c : bucket) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok)
      return Status::InvalidArgument("s3: invalid bucket name '" + std::string(bucket) + "'");
  }
  return Status::OK();
}

class S3UrlSigner final : public UrlSigner {
 public:
  S3UrlSigner(V4SignerPtr signer, V4PresignTarget target)
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

S3Store::S3Store(S3StoreOptions options, httpclient::HttpClientPtr client)
    : options_(std::move(options)), client_(std::move(client)) {}

Result<std::shared_ptr<S3Store>> S3Store::Make(S3StoreOptions options,
                                               httpclient::HttpClientPtr client) {
  if (client == nullptr) return Status::InvalidArgument("s3: no HTTP client");
  RETURN_NOT_OK(ValidateBucket(options.bucket));
  if (options.region.empty()) options.region = "us-east-1";
  if (options.list_page_size < 1 || options.list_page_size > 1000) {
    return Status::InvalidArgument("s3: list_page_size must be 1..1000");
  }
  if (options.access_key_id.empty() != options.secret_access_key.empty()) {
    return Status::InvalidArgument("s3: give both the access key id and the secret key");
  }
  std::string scheme = "https";
  std::string host;
  if (options.endpoint.empty()) {
    host = options.region == "us-east-1" ? "s3.amazonaws.com"
                                         : "s3." + options.region + ".amazonaws.com";
  } else {
    ASSIGN_OR_RETURN(httpclient::Url ep, httpclient::ParseUrl(options.endpoint));
    if (!ep.query.empty() || (!ep.path.empty() && ep.path != "/")) {
      return Status::InvalidArgument("s3: endpoint must be scheme://host[:port], got '" +
                                     options.endpoint + "'");
    }
    scheme = ep.scheme;
    host = ep.Authority();
  }
  bool path_style = options.addressing == S3AddressingStyle::kPath;
  if (options.addressing == S3AddressingStyle::kAuto) {
    path_style = !options.endpoint.empty() || options.bucket.find('.') != std::string::npos;
  }
  std::shared_ptr<S3Store> store(new S3Store(std::move(options), std::move(client)));
  const S3StoreOptions& o = store->options_;
  store->authority_ = path_style ? host : o.bucket + "." + host;
  store->origin_ = scheme + "://" + store->authority_;
  store->bucket_path_ = path_style ? "/" + httpclient::UriEncode(o.bucket) : "";
  if (!o.access_key_id.empty()) {
    V4SignerOptions so;
    so.dialect = V4Dialect::kAws;
    so.access_key_id = o.access_key_id;
    so.secret_access_key = o.secret_access_key;
    so.session_token = o.session_token;
    so.region = o.region;
    ASSIGN_OR_RETURN(store->signer_, V4Signer::Make(std::move(so)));
  }
  return store;
}

int64_t S3Store::NowMs() const { return options_.clock_ms ? options_.clock_ms() : SystemClockMs(); }

std::string S3Store::Uri(std::string_view key) const {
  return "s3://" + options_.bucket + "/" + std::string(key);
}

std::string S3Store::ObjectUrl(std::string_view key) const {
  std::string url = origin_ + bucket_path_ + "/";
  httpclient::AppendUriEncoded(key, /*encode_slash=*/false, &url);
  return url;
}

Result<HttpResponse> S3Store::Send(HttpRequest* request) const {
  if (signer_ != nullptr) {
    const std::string payload =
        request->body.empty() ? std::string(kEmptySha256) : Sha256Hex(request->body);
    RETURN_NOT_OK(signer_->SignHeaders(request, payload, NowMs()));
  }
  return client_->Send(*request);
}

Status S3Store::Error(std::string_view op, std::string_view key,
                      const HttpResponse& response) const {
  return CloudStatus("s3: " + std::string(op) + " " + Uri(key), response,
                     ParseCloudError(response));
}

Result<ObjectMeta> S3Store::Head(const std::string& key) const {
  RETURN_NOT_OK(ValidateKey(key));
  HttpRequest req;
  req.method = HttpMethod::kHead;
  req.url = ObjectUrl(key);
  ASSIGN_OR_RETURN(HttpResponse resp, Send(&req));
  if (resp.status == 404) return Status::NotFound("s3: no such object: " + Uri(key));
  if (!resp.ok()) return Error("HEAD", key, resp);
  ObjectMeta meta;
  meta.key = key;
  auto length = ParseInt64(resp.headers.Get("Content-Length").value_or(""));
  if (!length || *length < 0) {
    return Status::IOError("s3: HEAD " + Uri(key) + ": reply has no valid Content-Length");
  }
  meta.size = *length;
  if (auto modified = resp.headers.Get("Last-Modified")) {
    auto ms = httpclient::ParseHttpDate(*modified);
    if (ms.ok()) meta.mtime_ms = *ms;
  }
  meta.etag = StripQuotes(resp.headers.Get("ETag").value_or(""));
  return meta;
}

Result<std::vector<ObjectMeta>> S3Store::List(const std::string& prefix,
                                              const ListOptions& options) const {
  ASSIGN_OR_RETURN(std::string dir, ListDirectory(prefix));
  std::vector<ObjectMeta> out;
  std::string token;
  while (true) {
    // Path-style bucket URLs carry no trailing '/' (as boto3 sends them; s3rver signs that).
    std::string url =
        origin_ + (bucket_path_.empty() ? "/" : bucket_path_) +
        "?list-type=2&encoding-type=url&max-keys=" + std::to_string(options_.list_page_size);
    if (!dir.empty()) url += "&prefix=" + httpclient::UriEncode(dir);
    if (!options.recursive) url += "&delimiter=%2F";
    if (!token.empty()) {
      url += "&continuation-token=" + httpclient::UriEncode(token);
    } else if (!options.start_after.empty() && options.start_after > dir) {
      url += "&start-after=" + httpclient::UriEncode(options.start_after);
    }
    HttpRequest req;
    req.url = std::move(url);
    ASSIGN_OR_RETURN(HttpResponse resp, Send(&req));
    if (!resp.ok()) return Error("LIST", dir, resp);
    auto page = ParseListObjectsV2(resp.body);
    if (!page.ok()) return page.status().WithContext("s3: LIST " + Uri(dir));
    bool more = true;
    for (ObjectMeta& meta : page->objects) {
      more = AddListed(dir, options, std::move(meta), &out);
      if (!more) break;
    }
    if (!more || !page->truncated) break;
    if (page->next_token.empty()) {
      return Status::IOError("s3: LIST " + Uri(dir) + ": truncated reply without a token");
    }
    token = std::move(page->next_token);
  }
  SortListing(&out);
  return out;
}

Result<std::string> S3Store::Get(const std::string& key) const {
  RETURN_NOT_OK(ValidateKey(key));
  HttpRequest req;
  req.url = ObjectUrl(key);
  ASSIGN_OR_RETURN(HttpResponse resp, Send(&req));
  if (!resp.ok()) return Error("GET", key, resp);
  return std::move(resp.body);
}

Status S3Store::ReadRangeInto(const std::string& key, int64_t offset, int64_t length,
                              uint8_t* out) const {
  HttpRequest req;
  req.url = ObjectUrl(key);
  req.headers.Set("Range",
                  "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1));
  if (signer_ != nullptr) RETURN_NOT_OK(signer_->SignHeaders(&req, kEmptySha256, NowMs()));
  Status st = httpclient::GetRangeInto(client_.get(), req, offset, length, out);
  if (st.code() == StatusCode::kNotFound)
    return Status::NotFound("s3: no such object: " + Uri(key));
  return st.WithContext("s3");
}

Result<std::string> S3Store::GetRange(const std::string& key, int64_t offset,
                                      int64_t length) const {
  RETURN_NOT_OK(ValidateKey(key));
  if (offset < 0 || length < 0) return Status::OutOfRange("s3: negative offset or length");
  if (length == 0) {
    ASSIGN_OR_RETURN(ObjectMeta meta, Head(key));
    if (offset > meta.size) {
      return Status::OutOfRange("s3: offset " + std::to_string(offset) + " is beyond " + Uri(key) +
                                " of " + std::to_string(meta.size) + " bytes");
    }
    return std::string();
  }
  std::string out(static_cast<size_t>(length), '\0');
  RETURN_NOT_OK(ReadRangeInto(key, offset, length, reinterpret_cast<uint8_t*>(out.data())));
  return out;
}

Result<io::RandomAccessFilePtr> S3Store::OpenRead(const std::string& key, int64_t size) const {
  RETURN_NOT_OK(ValidateKey(key));
  if (size < 0) {
    ASSIGN_OR_RETURN(ObjectMeta meta, Head(key));
    size = meta.size;
  }
  return MakeRangeReadFile(Uri(key), size, [this, key](int64_t off, int64_t len, uint8_t* out) {
    return ReadRangeInto(key, off, len, out);
  });
}

Status S3Store::Put(const std::string& key, std::string_view bytes) {
  RETURN_NOT_OK(ValidateKey(key));
  HttpRequest req;
  req.method = HttpMethod::kPut;
  req.url = ObjectUrl(key);
  req.body = bytes;
  ASSIGN_OR_RETURN(HttpResponse resp, Send(&req));
  if (!resp.ok()) return Error("PUT", key, resp);
  return Status::OK();
}

Status S3Store::PutIfAbsent(const std::string& key, std::string_view bytes) {
  RETURN_NOT_OK(ValidateKey(key));
  // 409 ConditionalRequestConflict means a concurrent conditional write is in flight:
  // ask again, the service then answers 200 or 412.
  for (int conflict = 0;; ++conflict) {
    HttpRequest req;
    req.method = HttpMethod::kPut;
    req.url = ObjectUrl(key);
    req.body = bytes;
    req.headers.Set("If-None-Match", "*");
    ASSIGN_OR_RETURN(HttpResponse resp, Send(&req));
    if (resp.ok()) return Status::OK();
    if (resp.status == 409 && conflict < 5) continue;
    if (resp.status == 412) return ExistsUnlessOurs(*this, key, bytes, resp.attempts);
    return Error("PUT (if absent)", key, resp);
  }
}

Status S3Store::Delete(const std::string& key) {
  RETURN_NOT_OK(ValidateKey(key));
  HttpRequest req;
  req.method = HttpMethod::kDelete;
  req.url = ObjectUrl(key);
  ASSIGN_OR_RETURN(HttpResponse resp, Send(&req));
  if (resp.ok() || resp.status == 404) return Status::OK();
  return Error("DELETE", key, resp);
}

Result<UrlSignerPtr> S3Store::MakeUrlSigner(const std::string& root) const {
  if (signer_ == nullptr) {
    return Status::FailedPrecondition("s3: cannot pre-sign URLs without credentials");
  }
  ASSIGN_OR_RETURN(std::string dir, ListDirectory(root));
  std::string prefix = bucket_path_ + "/";
  httpclient::AppendUriEncoded(dir, /*encode_slash=*/false, &prefix);
  return UrlSignerPtr(
      std::make_shared<S3UrlSigner>(signer_, V4Signer::MakeTarget(origin_, authority_, prefix)));
}

}  // namespace ds::objstore
