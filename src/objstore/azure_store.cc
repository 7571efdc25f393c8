#include "objstore/azure_store.h"

#include "httpclient/http_date.h"
#include "httpclient/url.h"
#include "objstore/azure_xml.h"
#include "objstore/cloud_common.h"
#include "util/string_util.h"

namespace ds::objstore {
namespace {

using httpclient::HttpMethod;
using httpclient::HttpRequest;
using httpclient::HttpResponse;

bool AllOf(std::string_view s, std::string_view extra) {
  for (char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || extra.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

class AzureSasSigner final : public UrlSigner {
 public:
  AzureSasSigner(AzureSharedKeyPtr key, AzureSasTarget target, int64_t max_lifetime)
      : key_(std::move(key)), target_(std::move(target)), max_lifetime_(max_lifetime) {}

  Status PresignAt(std::string_view key, int64_t lifetime_seconds, int64_t now_ms,
                   PresignedUrl* out) const override {
    RETURN_NOT_OK(ValidateKey(key));
    RETURN_NOT_OK(CheckLifetime(lifetime_seconds, max_lifetime_));
    const int64_t expiry = FloorSeconds(now_ms) + lifetime_seconds;
    key_->PresignBlob(target_, key, expiry, &out->url);
    out->expiration_ms = expiry * 1000;
    return Status::OK();
  }
  int64_t max_lifetime_seconds() const override { return max_lifetime_; }

 private:
  AzureSharedKeyPtr key_;
  AzureSasTarget target_;
  int64_t max_lifetime_;
};

}  // namespace

AzureBlobStore::AzureBlobStore(AzureStoreOptions options, httpclient::HttpClientPtr client)
    : options_(std::move(options)), client_(std::move(client)) {}

Result<std::shared_ptr<AzureBlobStore>> AzureBlobStore::Make(AzureStoreOptions options,
                                                             httpclient::HttpClientPtr client) {
  if (client == nullptr) return Status::InvalidArgument("azure: no HTTP client");
  if (options.account.empty() || options.account.size() > 64 || !AllOf(options.account, "")) {
    return Status::InvalidArgument("azure: invalid storage account name '" + options.account + "'");
  }
  if (options.container.empty() || options.container.size() > 63 ||
      !AllOf(options.container, "-$")) {
    return Status::InvalidArgument("azure: invalid container name '" + options.container + "'");
  }
  if (options.list_page_size < 1 || options.list_page_size > 5000) {
    return Status::InvalidArgument("azure: list_page_size must be 1..5000");
  }
  std::string endpoint = options.endpoint.empty()
                             ? "https://" + options.account + ".blob.core.windows.net"
                             : options.endpoint;
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  ASSIGN_OR_RETURN(httpclient::Url ep, httpclient::ParseUrl(endpoint));
  if (!ep.query.empty()) {
    return Status::InvalidArgument("azure: endpoint must not have a query: '" + endpoint + "'");
  }
  std::shared_ptr<AzureBlobStore> store(new AzureBlobStore(std::move(options), std::move(client)));
  store->https_ = ep.scheme == "https";
  store->container_url_ = endpoint + "/" + store->options_.container;
  if (!store->options_.account_key.empty()) {
    ASSIGN_OR_RETURN(store->key_,
                     AzureSharedKey::Make(store->options_.account, store->options_.account_key));
  }
  return store;
}

int64_t AzureBlobStore::NowMs() const {
  return options_.clock_ms ? options_.clock_ms() : SystemClockMs();
}

std::string AzureBlobStore::Uri(std::string_view key) const {
  return "abfss://" + options_.container + "@" + options_.account + ".dfs.core.windows.net/" +
         std::string(key);
}

std::string AzureBlobStore::BlobUrl(std::string_view key) const {
  std::string url = container_url_ + "/";
  httpclient::AppendUriEncoded(key, /*encode_slash=*/false, &url);
  return url;
}

Result<HttpResponse> AzureBlobStore::Send(HttpRequest* request) const {
  if (key_ != nullptr) {
    RETURN_NOT_OK(key_->SignRequest(request, NowMs()));
  } else {
    request->headers.Set("x-ms-version", std::string(kAzureApiVersion));
  }
  return client_->Send(*request);
}

Status AzureBlobStore::Error(std::string_view op, std::string_view key,
                             const HttpResponse& response) const {
  return CloudStatus("azure: " + std::string(op) + " " + Uri(key), response,
                     ParseCloudError(response));
}

Result<ObjectMeta> AzureBlobStore::Head(const std::string& key) const {
  RETURN_NOT_OK(ValidateKey(key));
  HttpRequest req;
  req.method = HttpMethod::kHead;
  req.url = BlobUrl(key);
  ASSIGN_OR_RETURN(HttpResponse resp, Send(&req));
  if (resp.status == 404 ||
      (resp.ok() &&
       EqualsIgnoreCase(resp.headers.Get("x-ms-meta-hdi_isfolder").value_or(""), "true"))) {
    return Status::NotFound("azure: no such blob: " + Uri(key));
  }
  if (!resp.ok()) return Error("HEAD", key, resp);
  ObjectMeta meta;
  meta.key = key;
  auto length = ParseInt64(resp.headers.Get("Content-Length").value_or(""));
  if (!length || *length < 0) {
    return Status::IOError("azure: HEAD " + Uri(key) + ": reply has no valid Content-Length");
  }
  meta.size = *length;
  if (auto modified = resp.headers.Get("Last-Modified")) {
    auto ms = httpclient::ParseHttpDate(*modified);
    if (ms.ok()) meta.mtime_ms = *ms;
  }
  meta.etag = StripQuotes(resp.headers.Get("ETag").value_or(""));
  return meta;
}

Result<std::vector<ObjectMeta>> AzureBlobStore::List(const std::string& prefix,
                                                     const ListOptions& options) const {
  ASSIGN_OR_RETURN(std::string dir, ListDirectory(prefix));
  std::vector<ObjectMeta> out;
  std::string marker;
  while (true) {
    std::string url = container_url_ + "?restype=container&comp=list&include=metadata&maxresults=" +
                      std::to_string(options_.list_page_size);
    if (!dir.empty()) url += "&prefix=" + httpclient::UriEncode(dir);
    if (!options.recursive) url += "&delimiter=%2F";
    if (!marker.empty()) url += "&marker=" + httpclient::UriEncode(marker);
    HttpRequest req;
    req.url = std::move(url);
    ASSIGN_OR_RETURN(HttpResponse resp, Send(&req));
    if (!resp.ok()) return Error("LIST", dir, resp);
    auto page = ParseAzureBlobList(resp.body);
    if (!page.ok()) return page.status().WithContext("azure: LIST " + Uri(dir));
    bool more = true;
    for (ObjectMeta& meta : page->objects) {
      more = AddListed(dir, options, std::move(meta), &out);
      if (!more) break;
    }
    if (!more || page->next_marker.empty()) break;
    marker = std::move(page->next_marker);
  }
  SortListing(&out);
  return out;
}

Result<std::string> AzureBlobStore::Get(const std::string& key) const {
  RETURN_NOT_OK(ValidateKey(key));
  HttpRequest req;
  req.url = BlobUrl(key);
  ASSIGN_OR_RETURN(HttpResponse resp, Send(&req));
  if (resp.status == 404) return Status::NotFound("azure: no such blob: " + Uri(key));
  if (!resp.ok()) return Error("GET", key, resp);
  return std::move(resp.body);
}

Status AzureBlobStore::ReadRangeInto(const std::string& key, int64_t offset, int64_t length,
                                     uint8_t* out) const {
  HttpRequest req;
  req.url = BlobUrl(key);
  req.headers.Set("Range",
                  "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1));
  if (key_ != nullptr) RETURN_NOT_OK(key_->SignRequest(&req, NowMs()));
  Status st = httpclient::GetRangeInto(client_.get(), req, offset, length, out);
  if (st.code() == StatusCode::kNotFound) {
    return Status::NotFound("azure: no such blob: " + Uri(key));
  }
  return st.WithContext("azure");
}

Result<std::string> AzureBlobStore::GetRange(const std::string& key, int64_t offset,
                                             int64_t length) const {
  RETURN_NOT_OK(ValidateKey(key));
  if (offset < 0 || length < 0) return Status::OutOfRange("azure: negative offset or length");
  if (length == 0) {
    ASSIGN_OR_RETURN(ObjectMeta meta, Head(key));
    if (offset > meta.size) {
      return Status::OutOfRange("azure: offset " + std::to_string(offset) + " is beyond " +
                                Uri(key) + " of " + std::to_string(meta.size) + " bytes");
    }
    return std::string();
  }
  std::string out(static_cast<size_t>(length), '\0');
  RETURN_NOT_OK(ReadRangeInto(key, offset, length, reinterpret_cast<uint8_t*>(out.data())));
  return out;
}

Result<io::RandomAccessFilePtr> AzureBlobStore::OpenRead(const std::string& key,
                                                         int64_t size) const {
  RETURN_NOT_OK(ValidateKey(key));
  if (size < 0) {
    ASSIGN_OR_RETURN(ObjectMeta meta, Head(key));
    size = meta.size;
  }
  return MakeRangeReadFile(Uri(key), size, [this, key](int64_t off, int64_t len, uint8_t* out) {
    return ReadRangeInto(key, off, len, out);
  });
}

Status AzureBlobStore::PutBlob(const std::string& key, std::string_view bytes, bool if_absent) {
  RETURN_NOT_OK(ValidateKey(key));
  HttpRequest req;
  req.method = HttpMethod::kPut;
  req.url = BlobUrl(key);
  req.body = bytes;
  req.headers.Set("x-ms-blob-type", "BlockBlob");
  req.headers.Set("Content-Type", "application/octet-stream");
  if (if_absent) req.headers.Set("If-None-Match", "*");
  ASSIGN_OR_RETURN(HttpResponse resp, Send(&req));
  if (resp.ok()) return Status::OK();
  if (if_absent && (resp.status == 409 || resp.status == 412)) {
    const CloudError err = ParseCloudError(resp);
    if (resp.status == 412 || err.code == "BlobAlreadyExists") {
      return ExistsUnlessOurs(*this, key, bytes, resp.attempts);
    }
  }
  return Error(if_absent ? "PUT (if absent)" : "PUT", key, resp);
}

Status AzureBlobStore::Put(const std::string& key, std::string_view bytes) {
  return PutBlob(key, bytes, /*if_absent=*/false);
}

Status AzureBlobStore::PutIfAbsent(const std::string& key, std::string_view bytes) {
  return PutBlob(key, bytes, /*if_absent=*/true);
}

Status AzureBlobStore::Delete(const std::string& key) {
  RETURN_NOT_OK(ValidateKey(key));
  HttpRequest req;
  req.method = HttpMethod::kDelete;
  req.url = BlobUrl(key);
  ASSIGN_OR_RETURN(HttpResponse resp, Send(&req));
  if (resp.ok() || resp.status == 404) return Status::OK();
  return Error("DELETE", key, resp);
}

Result<UrlSignerPtr> AzureBlobStore::MakeUrlSigner(const std::string& root) const {
  if (key_ == nullptr) {
    return Status::FailedPrecondition("azure: cannot make SAS URLs without an account key");
  }
  ASSIGN_OR_RETURN(std::string dir, ListDirectory(root));
  AzureSasTarget target;
  target.url_prefix = container_url_ + "/";
  httpclient::AppendUriEncoded(dir, /*encode_slash=*/false, &target.url_prefix);
  target.resource_prefix = "/blob/" + options_.account + "/" + options_.container + "/" + dir;
  target.protocol = https_ ? "https" : "https,http";
  return UrlSignerPtr(
      std::make_shared<AzureSasSigner>(key_, std::move(target), options_.max_sas_lifetime_seconds));
}

}  // namespace ds::objstore
