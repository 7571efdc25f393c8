// S3Store: an ObjectStore over one bucket of Amazon S3 or any S3-compatible service
// (MinIO, Cloudflare R2, Ceph, s3rver...), with SigV4-signed requests, and S3UrlSigner
// for pre-signed GET URLs.
//
// Requests: HeadObject, ListObjectsV2 (prefix, delimiter, start-after, continuation
// tokens, url encoding), GetObject (with Range), PutObject, conditional PutObject
// (If-None-Match: *, 412 -> AlreadyExists; answered by AWS since 2024-08 and by MinIO and
// R2) and DeleteObject. Keys are percent-encoded byte by byte (RFC 3986 unreserved kept).
// Transient failures (5xx, SlowDown, connection errors) are retried by the HTTP client
// and surface as Unavailable.
//
// PutIfAbsent after a lost response: when the HTTP client retried the conditional PUT and
// the retry got 412, the store reads the object back; if it holds exactly our bytes the
// earlier attempt won and the call succeeds.
//
// Thread-safety: every method may be called from many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "httpclient/http_client.h"
#include "objstore/object_store.h"
#include "objstore/url_signer.h"
#include "objstore/v4_signer.h"

namespace ds::objstore {

enum class S3AddressingStyle : uint8_t {
  kAuto,     // virtual-hosted for AWS (path-style for bucket names with '.'); path-style
             // for a custom endpoint
  kPath,     // https://endpoint/bucket/key
  kVirtual,  // https://bucket.endpoint/key
};

struct S3StoreOptions {
  std::string bucket;
  std::string region = "us-east-1";
  // "" = AWS (https://s3.<region>.amazonaws.com; s3.amazonaws.com for us-east-1), or a
  // custom "http[s]://host[:port]" of an S3-compatible service.
  std::string endpoint;
  S3AddressingStyle addressing = S3AddressingStyle::kAuto;
  // Static or temporary credentials; an empty key id sends unsigned (anonymous) requests.
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  // Keys per ListObjectsV2 page (1..1000).
  int list_page_size = 1000;
  // Time source of signatures (ms since the epoch); empty = system clock.
  std::function<int64_t()> clock_ms;
};

class S3Store final : public ObjectStore {
 public:
  // InvalidArgument for an invalid bucket name, endpoint, page size or incomplete
  // credentials.
  static Result<std::shared_ptr<S3Store>> Make(S3StoreOptions options,
                                               httpclient::HttpClientPtr client);

  std::string Uri(std::string_view key) const override;  // "s3://bucket/key"
  Result<ObjectMeta> Head(const std::string& key) const override;
  Result<std::vector<ObjectMeta>> List(const std::string& prefix,
                                       const ListOptions& options = {}) const override;
  Result<std::string> Get(const std::string& key) const override;
  Result<std::string> GetRange(const std::string& key, int64_t offset,
                               int64_t length) const override;
  // Reads go straight from the HTTP response into the caller's buffer.
  Result<io::RandomAccessFilePtr> OpenRead(const std::string& key,
                                           int64_t size = -1) const override;
  Status Put(const std::string& key, std::string_view bytes) override;
  Status PutIfAbsent(const std::string& key, std::string_view bytes) override;
  Status Delete(const std::string& key) override;

  // A signer of GET URLs for keys below `root` (a directory key, "" = the bucket).
  // FailedPrecondition for an anonymous store; InvalidArgument for a bad root.
  Result<UrlSignerPtr> MakeUrlSigner(const std::string& root) const;

  const S3StoreOptions& options() const { return options_; }
  // The object URL of a key (unsigned).
  std::string ObjectUrl(std::string_view key) const;

 private:
  S3Store(S3StoreOptions options, httpclient::HttpClientPtr client);
  int64_t NowMs() const;
  // Signs (unless anonymous) and sends; `body` is the payload.
  Result<httpclient::HttpResponse> Send(httpclient::HttpRequest* request) const;
  Status Error(std::string_view op, std::string_view key,
               const httpclient::HttpResponse& response) const;
  Status ReadRangeInto(const std::string& key, int64_t offset, int64_t length, uint8_t* out) const;

  S3StoreOptions options_;
  httpclient::HttpClientPtr client_;
  V4SignerPtr signer_;       // null when anonymous
  std::string origin_;       // "https://bucket.s3.amazonaws.com" or "http://host:port"
  std::string authority_;    // Host header value
  std::string bucket_path_;  // "" (virtual-hosted) or "/bucket" (path-style)
};

}  // namespace ds::objstore
