// Table locations: parsing a location URI and resolving it to a store rooted at the table.
//
//   /abs/path, file:///abs/path, file:/abs/path, relative/path  -> local disk (LocalStore)
//   s3://bucket/prefix, s3a://..., s3n://...                     -> S3 (S3Store)
//   abfss://container@account.dfs.core.windows.net/prefix (abfs)  -> Azure Blob endpoint
//   wasbs://container@account.blob.core.windows.net/prefix (wasb)
//   gs://bucket/prefix                                            -> GCS (GcsStore)
//
// Paths are taken literally, as Hadoop's Path does (no percent-decoding: "a%20b" is the
// key "a%20b"); repeated slashes collapse and a trailing '/' is dropped. "." or ".."
// segments are refused, so a location can never escape its bucket or directory, and the
// store it resolves to is rooted at the table: keys are validated (ValidateKey) relative
// to that root.
//
// Thread-safety: ParseLocation is pure; StoreRegistry is thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "httpclient/http_client.h"
#include "objstore/credentials.h"
#include "objstore/object_store.h"
#include "objstore/url_signer.h"

namespace ds::objstore {

enum class LocationScheme : uint8_t { kLocal, kS3, kAzure, kGcs };

struct ParsedLocation {
  LocationScheme scheme = LocationScheme::kLocal;
  std::string bucket;   // S3/GCS bucket or Azure container; empty for local paths
  std::string account;  // Azure storage account
  // Azure Blob endpoint host ("account.blob.core.windows.net", also for .dfs. hosts).
  std::string blob_host;
  // The table directory: a key prefix ("" or "a/b/") in the bucket, or an absolute local
  // directory path.
  std::string root;
  // Normalized form for display and comparison: s3a/s3n -> s3, abfs -> abfss,
  // wasb -> wasbs, lower-case host, no trailing '/', local paths as file:///abs/path.
  std::string canonical_uri;
};

// Parses without touching storage. InvalidArgument for an unknown scheme, a missing
// bucket/container/account, or a path with '.' / '..' segments, NUL bytes or (local)
// that cannot be made absolute.
Result<ParsedLocation> ParseLocation(std::string_view uri);

struct Location {
  ParsedLocation parsed;
  // Keys relative to the table root ("_delta_log/00000000000000000000.json").
  ObjectStorePtr store;
  // The shared store of the whole bucket/container (null for local tables).
  ObjectStorePtr bucket_store;
  // Pre-signs keys relative to the table root; null for local tables (the sharing server
  // serves those itself) and for anonymous cloud access.
  UrlSignerPtr signer;
};

// Resolves locations to stores, sharing one store (and its connections) per bucket or
// container across every table in it.
class StoreRegistry {
 public:
  // `client` is shared by every cloud store; null makes a CurlHttpClient with defaults.
  // InvalidArgument if the GCS key file cannot be read; Internal if libcurl fails.
  static Result<std::shared_ptr<StoreRegistry>> Make(StorageCredentials credentials,
                                                     httpclient::HttpClientPtr client = nullptr);

  // ParseLocation, then a store rooted at the table. FailedPrecondition when no
  // credentials exist for the location (e.g. an Azure account without a key), plus the
  // errors of the store factories.
  Result<Location> Resolve(std::string_view uri);

  // Bucket/container stores created so far.
  size_t bucket_store_count() const;

 private:
  struct BucketEntry {
    ObjectStorePtr store;
    // Makes a signer for a root inside the bucket; null when signing is impossible.
    std::function<Result<UrlSignerPtr>(const std::string& root)> make_signer;
  };

  StoreRegistry(StorageCredentials credentials, httpclient::HttpClientPtr client)
      : credentials_(std::move(credentials)), client_(std::move(client)) {}
  Result<BucketEntry> MakeBucket(const ParsedLocation& loc) const;

  StorageCredentials credentials_;
  httpclient::HttpClientPtr client_;
  mutable std::mutex mu_;
  std::map<std::string, BucketEntry> buckets_;  // by "<scheme>|<account>|<bucket>"
};

}  // namespace ds::objstore
