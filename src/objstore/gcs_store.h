// GcsStore: an ObjectStore over one Google Cloud Storage bucket through the XML API, and
// GcsUrlSigner for V4 signed URLs.
//
// One signer serves both: the store's own requests (HEAD, GET with Range, PUT, conditional
// PUT with x-goog-if-generation-match: 0 -> 412 AlreadyExists, DELETE, ListObjectsV2-style
// listing) are sent as short-lived V4 signed URLs, the same scheme recipients' URLs use.
// Credentials: a service account key (GOOG4-RSA-SHA256: one RSA signature per URL, about
// 1 ms) or an HMAC key (GOOG4-HMAC-SHA256: the SigV4 derivation, microseconds per URL —
// the fast choice for servers that sign many URLs). GET URLs of the store's own reads are
// reused while they have at least 5 minutes left, so ranged reads do not re-sign.
//
// Thread-safety: every method may be called from many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "httpclient/http_client.h"
#include "objstore/object_store.h"
#include "objstore/url_signer.h"
#include "objstore/v4_signer.h"

namespace ds::objstore {

// The parts of a service account key file (JSON) that signing needs.
struct GcsServiceAccountKey {
  std::string client_email;
  std::string private_key_pem;
};
// Parses a key file. InvalidArgument if it is not JSON, not of "type": "service_account"
// (when a type is given), or lacks client_email / private_key.
Result<GcsServiceAccountKey> ParseGcsServiceAccountKey(std::string_view json);

struct GcsStoreOptions {
  std::string bucket;
  // Either a service account key file's contents...
  std::string service_account_json;
  // ...or an HMAC key (Cloud Storage interoperability keys).
  std::string hmac_access_id;
  std::string hmac_secret;
  // "" = https://storage.googleapis.com; tests and private endpoints give their own.
  std::string endpoint;
  // Objects per listing page (1..1000).
  int list_page_size = 1000;
  // Lifetime of the signed URLs the store uses for its own requests.
  int64_t request_url_lifetime_seconds = 900;
  // Time source of signatures (ms since the epoch); empty = system clock.
  std::function<int64_t()> clock_ms;
};

class GcsStore final : public ObjectStore {
 public:
  // InvalidArgument for a bad bucket name, endpoint or page size, missing or both kinds of
  // credentials, or an unreadable key.
  static Result<std::shared_ptr<GcsStore>> Make(GcsStoreOptions options,
                                                httpclient::HttpClientPtr client);

  std::string Uri(std::string_view key) const override;  // "gs://bucket/key"
  Result<ObjectMeta> Head(const std::string& key) const override;
  Result<std::vector<ObjectMeta>> List(const std::string& prefix,
                                       const ListOptions& options = {}) const override;
  Result<std::string> Get(const std::string& key) const override;
  Result<std::string> GetRange(const std::string& key, int64_t offset,
                               int64_t length) const override;
  Result<io::RandomAccessFilePtr> OpenRead(const std::string& key,
                                           int64_t size = -1) const override;
  Status Put(const std::string& key, std::string_view bytes) override;
  Status PutIfAbsent(const std::string& key, std::string_view bytes) override;
  Status Delete(const std::string& key) override;

  // A signer of GET URLs for keys below `root` (a directory key, "" = the bucket).
  Result<UrlSignerPtr> MakeUrlSigner(const std::string& root) const;

  const GcsStoreOptions& options() const { return options_; }

 private:
  GcsStore(GcsStoreOptions options, httpclient::HttpClientPtr client);
  int64_t NowMs() const;
  std::string ObjectUrl(std::string_view key) const;
  // A signed request for `url` with the x-goog-* `headers` (also signed).
  Result<httpclient::HttpRequest> Signed(
      httpclient::HttpMethod method, const std::string& url,
      const std::vector<std::pair<std::string, std::string>>& headers = {}) const;
  // A signed GET URL of `key`, from the cache when it has 5+ minutes left.
  Result<std::string> ReadUrl(const std::string& key) const;
  Status Error(std::string_view op, std::string_view key,
               const httpclient::HttpResponse& response) const;
  Status ReadRangeInto(const std::string& key, int64_t offset, int64_t length, uint8_t* out) const;
  Status PutObject(const std::string& key, std::string_view bytes, bool if_absent);

  GcsStoreOptions options_;
  httpclient::HttpClientPtr client_;
  V4SignerPtr signer_;
  std::string origin_;       // "https://storage.googleapis.com"
  std::string authority_;    // Host header value
  std::string bucket_path_;  // "/bucket"

  struct CachedUrl {
    std::string url;
    int64_t expires_ms = 0;
  };
  mutable std::mutex cache_mu_;
  mutable std::unordered_map<std::string, CachedUrl> read_urls_;
};

}  // namespace ds::objstore
