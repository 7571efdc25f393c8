#include "objstore/location.h"

#include <filesystem>

#include "httpclient/curl_client.h"
#include "io/file.h"
#include "objstore/azure_store.h"
#include "objstore/gcs_store.h"
#include "objstore/local_store.h"
#include "objstore/prefix_store.h"
#include "objstore/s3_store.h"
#include "util/string_util.h"

namespace ds::objstore {
namespace {

// Splits a cloud path into its directory key ("a/b/" or ""), refusing '.' and '..'.
Result<std::string> CloudRoot(std::string_view path, std::string_view uri) {
  std::string root;
  for (std::string_view seg : Split(path, '/')) {
    if (seg.empty()) continue;
    if (seg == "." || seg == "..") {
      return Status::InvalidArgument("location '" + std::string(uri) +
                                     "' has a '.' or '..' segment");
    }
    root.append(seg);
    root.push_back('/');
  }
  RETURN_NOT_OK(ValidateKey(root, /*directory=*/true));
  return root;
}

std::string CanonicalCloud(std::string_view scheme, std::string_view authority,
                           const std::string& root) {
  std::string out = std::string(scheme) + "://" + std::string(authority);
  if (!root.empty()) out += "/" + root.substr(0, root.size() - 1);
  return out;
}

Result<ParsedLocation> ParseLocal(std::string_view path, std::string_view uri) {
  if (path.empty()) return Status::InvalidArgument("location '" + std::string(uri) + "' is empty");
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(std::filesystem::path(path), ec);
  if (ec) {
    return Status::InvalidArgument("location '" + std::string(uri) + "': " + ec.message());
  }
  std::string normal = abs.lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  ParsedLocation loc;
  loc.scheme = LocationScheme::kLocal;
  loc.root = normal;
  loc.canonical_uri = "file://" + normal;
  return loc;
}

}  // namespace

Result<ParsedLocation> ParseLocation(std::string_view uri) {
  if (uri.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("location contains a NUL byte");
  }
  const std::string_view text = uri;  // literal: spaces may end a key
  if (text.empty()) return Status::InvalidArgument("location is empty");
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    if (StartsWith(ToLower(text.substr(0, 5)), "file:")) return ParseLocal(text.substr(5), uri);
    if (text.find(':') != std::string_view::npos && text.find(':') < text.find('/')) {
      return Status::InvalidArgument("location '" + std::string(uri) +
                                     "' has an unsupported scheme");
    }
    return ParseLocal(text, uri);
  }
  const std::string scheme = ToLower(text.substr(0, sep));
  const std::string_view rest = text.substr(sep + 3);
  const size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);

  if (scheme == "file") {
    if (!authority.empty() && !EqualsIgnoreCase(authority, "localhost")) {
      return Status::InvalidArgument("location '" + std::string(uri) +
                                     "': file URIs on other hosts are not supported");
    }
    return ParseLocal(path, uri);
  }
  ParsedLocation loc;
  if (scheme == "s3" || scheme == "s3a" || scheme == "s3n" || scheme == "gs") {
    if (authority.empty() || authority.find_first_of("@:?#") != std::string_view::npos) {
      return Status::InvalidArgument("location '" + std::string(uri) + "' has no valid bucket");
    }
    loc.scheme = scheme == "gs" ? LocationScheme::kGcs : LocationScheme::kS3;
    loc.bucket = std::string(authority);
    ASSIGN_OR_RETURN(loc.root, CloudRoot(path, uri));
    loc.canonical_uri = CanonicalCloud(scheme == "gs" ? "gs" : "s3", loc.bucket, loc.root);
    return loc;
  }
  if (scheme == "abfs" || scheme == "abfss" || scheme == "wasb" || scheme == "wasbs") {
    const size_t at = authority.find('@');
    if (at == std::string_view::npos || at == 0) {
      return Status::InvalidArgument("location '" + std::string(uri) +
                                     "' needs container@account.host");
    }
    loc.scheme = LocationScheme::kAzure;
    loc.bucket = std::string(authority.substr(0, at));
    const std::string host = ToLower(authority.substr(at + 1));
    const size_t dot = host.find('.');
    if (dot == std::string::npos || dot == 0 || host.find_first_of(":/?#@") != std::string::npos) {
      return Status::InvalidArgument("location '" + std::string(uri) +
                                     "' has no valid account host");
    }
    loc.account = host.substr(0, dot);
    loc.blob_host = host;
    if (const size_t dfs = loc.blob_host.find(".dfs."); dfs != std::string::npos) {
      loc.blob_host.replace(dfs, 5, ".blob.");
    }
    ASSIGN_OR_RETURN(loc.root, CloudRoot(path, uri));
    const bool abfs = scheme == "abfs" || scheme == "abfss";
    loc.canonical_uri = CanonicalCloud(abfs ? "abfss" : "wasbs", loc.bucket + "@" + host, loc.root);
    return loc;
  }
  return Status::InvalidArgument("location '" + std::string(uri) + "': unsupported scheme '" +
                                 scheme + "'");
}

Result<std::shared_ptr<StoreRegistry>> StoreRegistry::Make(StorageCredentials credentials,
                                                           httpclient::HttpClientPtr client) {
  GcsCredentials& gcs = credentials.gcs;
  if (gcs.service_account_json.empty() && !gcs.service_account_key_file.empty()) {
    auto json = io::ReadFileToString(gcs.service_account_key_file);
    if (!json.ok()) {
      return Status::InvalidArgument("gcs: cannot read the service account key file '" +
                                     gcs.service_account_key_file + "'");
    }
    gcs.service_account_json = std::move(json).value();
  }
  if (client == nullptr) {
    ASSIGN_OR_RETURN(auto curl, httpclient::CurlHttpClient::Make());
    client = std::move(curl);
  }
  return std::shared_ptr<StoreRegistry>(
      new StoreRegistry(std::move(credentials), std::move(client)));
}

Result<StoreRegistry::BucketEntry> StoreRegistry::MakeBucket(const ParsedLocation& loc) const {
  BucketEntry entry;
  switch (loc.scheme) {
    case LocationScheme::kS3: {
      const S3Credentials& c = credentials_.s3;
      S3StoreOptions o;
      o.bucket = loc.bucket;
      o.region = c.region.empty() ? "us-east-1" : c.region;
      o.endpoint = c.endpoint;
      o.addressing = c.addressing;
      o.access_key_id = c.access_key_id;
      o.secret_access_key = c.secret_access_key;
      o.session_token = c.session_token;
      ASSIGN_OR_RETURN(auto store, S3Store::Make(std::move(o), client_));
      if (!c.access_key_id.empty()) {
        entry.make_signer = [store](const std::string& root) { return store->MakeUrlSigner(root); };
      }
      entry.store = std::move(store);
      return entry;
    }
    case LocationScheme::kAzure: {
      AzureStoreOptions o;
      o.account = loc.account;
      o.container = loc.bucket;
      auto it = credentials_.azure.accounts.find(loc.account);
      if (it != credentials_.azure.accounts.end()) {
        o.account_key = it->second.key;
        o.endpoint = it->second.endpoint;
      }
      if (o.endpoint.empty()) o.endpoint = "https://" + loc.blob_host;
      const bool keyed = !o.account_key.empty();
      ASSIGN_OR_RETURN(auto store, AzureBlobStore::Make(std::move(o), client_));
      if (keyed) {
        entry.make_signer = [store](const std::string& root) { return store->MakeUrlSigner(root); };
      }
      entry.store = std::move(store);
      return entry;
    }
    case LocationScheme::kGcs: {
      const GcsCredentials& c = credentials_.gcs;
      if (c.service_account_json.empty() && c.hmac_access_id.empty()) {
        return Status::FailedPrecondition("gcs: no credentials for " + loc.canonical_uri +
                                          " (set a service account key or an HMAC key)");
      }
      GcsStoreOptions o;
      o.bucket = loc.bucket;
      o.service_account_json = c.service_account_json;
      o.hmac_access_id = c.hmac_access_id;
      o.hmac_secret = c.hmac_secret;
      o.endpoint = c.endpoint;
      ASSIGN_OR_RETURN(auto store, GcsStore::Make(std::move(o), client_));
      entry.make_signer = [store](const std::string& root) { return store->MakeUrlSigner(root); };
      entry.store = std::move(store);
      return entry;
    }
    case LocationScheme::kLocal:
      break;
  }
  return Status::Internal("location: no bucket store for a local path");
}

Result<Location> StoreRegistry::Resolve(std::string_view uri) {
  Location out;
  ASSIGN_OR_RETURN(out.parsed, ParseLocation(uri));
  const ParsedLocation& loc = out.parsed;
  if (loc.scheme == LocationScheme::kLocal) {
    out.store = std::make_shared<LocalStore>(loc.root);
    return out;
  }
  const std::string id = std::to_string(static_cast<int>(loc.scheme)) + "|" + loc.account + "|" +
                         loc.blob_host + "|" + loc.bucket;
  BucketEntry entry;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = buckets_.find(id);
    if (it == buckets_.end()) {
      ASSIGN_OR_RETURN(BucketEntry made, MakeBucket(loc));
      it = buckets_.emplace(id, std::move(made)).first;
    }
    entry = it->second;
  }
  out.bucket_store = entry.store;
  ASSIGN_OR_RETURN(auto rooted, PrefixStore::Make(entry.store, loc.root));
  out.store = std::move(rooted);
  if (entry.make_signer) {
    ASSIGN_OR_RETURN(out.signer, entry.make_signer(loc.root));
  }
  return out;
}

size_t StoreRegistry::bucket_store_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.size();
}

}  // namespace ds::objstore
