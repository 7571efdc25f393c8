// Test-only: copies a local folder into a cloud location through the same `storage:`
// section `deltashare serve` reads, so the end-to-end test (serve_cloud_test.py) can place
// real Delta tables in emulated buckets and containers.
//
//   cloud_upload CONFIG.yaml --create-container abfss://container@account.dfs.core.windows.net
//   cloud_upload CONFIG.yaml LOCAL_DIR URI
//
// The first form creates an Azure container with the account key of CONFIG (Azurite starts
// empty; S3 and GCS buckets are made by their emulators). The second uploads every regular
// file below LOCAL_DIR to URI/<relative path>, skipping Hadoop's ".*.crc" side files.
// Prints the number of objects written. Exit 0 on success, 1 on any error (printed), 2 for
// bad usage.
#include <cstdio>
#include <filesystem>
#include <string>

#include "httpclient/curl_client.h"
#include "io/file.h"
#include "objstore/azure_signer.h"
#include "objstore/location.h"
#include "objstore/url_signer.h"
#include "sharing/server/config.h"
#include "sharing/server/storage_config.h"

namespace {

using ds::Result;
using ds::Status;

Result<ds::objstore::StorageCredentials> Credentials(const std::string& config_path) {
  ASSIGN_OR_RETURN(ds::sharing::server::Config config,
                   ds::sharing::server::LoadConfig(config_path));
  return ds::sharing::server::CredentialsOf(config);
}

Status CreateContainer(const ds::objstore::StorageCredentials& credentials,
                       const std::string& uri) {
  ASSIGN_OR_RETURN(ds::objstore::ParsedLocation loc, ds::objstore::ParseLocation(uri));
  if (loc.scheme != ds::objstore::LocationScheme::kAzure) {
    return Status::InvalidArgument("--create-container needs an abfss:// or wasbs:// URI");
  }
  auto it = credentials.azure.accounts.find(loc.account);
  if (it == credentials.azure.accounts.end() || it->second.key.empty()) {
    return Status::FailedPrecondition("no account key for " + loc.account);
  }
  const std::string endpoint =
      it->second.endpoint.empty() ? "https://" + loc.blob_host : it->second.endpoint;
  ASSIGN_OR_RETURN(auto key, ds::objstore::AzureSharedKey::Make(loc.account, it->second.key));
  ds::httpclient::HttpRequest req;
  req.method = ds::httpclient::HttpMethod::kPut;
  req.url = endpoint + "/" + loc.bucket + "?restype=container";
  RETURN_NOT_OK(key->SignRequest(&req, ds::objstore::SystemClockMs()));
  ASSIGN_OR_RETURN(auto client, ds::httpclient::CurlHttpClient::Make());
  ASSIGN_OR_RETURN(ds::httpclient::HttpResponse resp, client->Send(req));
  if (resp.status != 201 && resp.status != 409) {
    return Status::IOError("create container " + loc.bucket + ": HTTP " +
                           std::to_string(resp.status) + " " + resp.body);
  }
  return Status::OK();
}

Result<int> Upload(ds::objstore::StorageCredentials credentials, const std::string& dir,
                   const std::string& uri) {
  ASSIGN_OR_RETURN(auto registry, ds::objstore::StoreRegistry::Make(std::move(credentials)));
  ASSIGN_OR_RETURN(ds::objstore::Location location, registry->Resolve(uri));
  namespace fs = std::filesystem;
  std::error_code ec;
  int count = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string name = it->path().filename().string();
    if (name.size() > 4 && name[0] == '.' && name.ends_with(".crc")) continue;
    const std::string key = fs::relative(it->path(), dir).generic_string();
    ASSIGN_OR_RETURN(std::string bytes, ds::io::ReadFileToString(it->path().string()));
    RETURN_NOT_OK(location.store->Put(key, bytes));
    ++count;
  }
  if (ec) return Status::IOError("cannot walk " + dir + ": " + ec.message());
  return count;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr,
                 "usage: %s CONFIG.yaml --create-container URI\n"
                 "       %s CONFIG.yaml LOCAL_DIR URI\n",
                 argv[0], argv[0]);
    return 2;
  }
  auto credentials = Credentials(argv[1]);
  if (!credentials.ok()) {
    std::fprintf(stderr, "%s\n", credentials.status().ToString().c_str());
    return 1;
  }
  if (std::string(argv[2]) == "--create-container") {
    const Status st = CreateContainer(*credentials, argv[3]);
    if (!st.ok()) {
      std::fprintf(stderr, "%s\n", st.ToString().c_str());
      return 1;
    }
    return 0;
  }
  auto count = Upload(std::move(credentials).value(), argv[2], argv[3]);
  if (!count.ok()) {
    std::fprintf(stderr, "%s\n", count.status().ToString().c_str());
    return 1;
  }
  std::printf("%d\n", *count);
  return 0;
}
