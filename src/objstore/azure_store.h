// AzureBlobStore: an ObjectStore over one Azure Blob Storage container (also the Blob
// endpoint of ADLS Gen2 accounts, which abfss:// locations use), with Shared Key signed
// requests, and service SAS URLs for recipients.
//
// Requests: Get Blob Properties (HEAD), List Blobs (prefix, delimiter, marker, metadata
// to skip ADLS directory entries; start_after is applied client-side), Get Blob with
// Range, Put Blob (BlockBlob), conditional Put Blob with If-None-Match: * (409/412 ->
// AlreadyExists, with the lost-reply check of s3_store.h) and Delete Blob. Blob names
// are percent-encoded byte by byte.
//
// Thread-safety: every method may be called from many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "httpclient/http_client.h"
#include "objstore/azure_signer.h"
#include "objstore/object_store.h"
#include "objstore/url_signer.h"

namespace ds::objstore {

struct AzureStoreOptions {
  std::string account;
  std::string container;
  // The base64 account key; empty sends anonymous requests (public containers).
  std::string account_key;
  // "" = https://<account>.blob.core.windows.net; an emulator or private endpoint gives
  // its account URL, e.g. "http://127.0.0.1:10000/devstoreaccount1" for Azurite.
  std::string endpoint;
  // Blobs per List Blobs page (1..5000).
  int list_page_size = 5000;
  // Longest SAS lifetime handed out.
  int64_t max_sas_lifetime_seconds = 7 * 24 * 3600;
  // Time source of signatures (ms since the epoch); empty = system clock.
  std::function<int64_t()> clock_ms;
};

class AzureBlobStore final : public ObjectStore {
 public:
  // InvalidArgument for an invalid account or container name, endpoint, key or page size.
  static Result<std::shared_ptr<AzureBlobStore>> Make(AzureStoreOptions options,
                                                      httpclient::HttpClientPtr client);

  // "abfss://container@account.dfs.core.windows.net/key".
  std::string Uri(std::string_view key) const override;
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

  // A signer of read-only SAS URLs for blobs below `root` (a directory key, "" = the
  // container). FailedPrecondition without an account key; InvalidArgument for a bad root.
  Result<UrlSignerPtr> MakeUrlSigner(const std::string& root) const;

  const AzureStoreOptions& options() const { return options_; }
  std::string BlobUrl(std::string_view key) const;

 private:
  AzureBlobStore(AzureStoreOptions options, httpclient::HttpClientPtr client);
  int64_t NowMs() const;
  Result<httpclient::HttpResponse> Send(httpclient::HttpRequest* request) const;
  Status Error(std::string_view op, std::string_view key,
               const httpclient::HttpResponse& response) const;
  Status ReadRangeInto(const std::string& key, int64_t offset, int64_t length, uint8_t* out) const;
  Status PutBlob(const std::string& key, std::string_view bytes, bool if_absent);

  AzureStoreOptions options_;
  httpclient::HttpClientPtr client_;
  AzureSharedKeyPtr key_;      // null when anonymous
  std::string container_url_;  // "<endpoint>/<container>"
  bool https_ = true;
};

}  // namespace ds::objstore
