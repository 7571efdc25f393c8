// StorageCredentials: how deltashare authenticates to each cloud, per scheme. The server
// configuration (YAML) fills these fields; FillFromEnvironment adds what the standard
// environment variables say for fields left empty.
//
// Fields and their environment variables:
//   s3.access_key_id / secret_access_key / session_token
//                       AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
//   s3.region           AWS_REGION, else AWS_DEFAULT_REGION (default us-east-1)
//   s3.endpoint         AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL ("" = AWS)
//   s3.addressing       "auto" | "path" | "virtual" (no variable)
//   azure.accounts[name].key / .endpoint
//                       AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY, or
//                       AZURE_STORAGE_CONNECTION_STRING (AccountName, AccountKey,
//                       BlobEndpoint, DefaultEndpointsProtocol, EndpointSuffix,
//                       UseDevelopmentStorage=true for Azurite)
//   gcs.service_account_key_file  GOOGLE_APPLICATION_CREDENTIALS
//   gcs.service_account_json / hmac_access_id / hmac_secret / endpoint (no variables)
//
// Thread-safety: plain values.
#pragma once

#include <cstdlib>
#include <functional>
#include <map>
#include <string>

#include "objstore/s3_store.h"
#include "util/result.h"

namespace ds::objstore {

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string region;    // "" = us-east-1
  std::string endpoint;  // "" = AWS; "http[s]://host[:port]" for S3-compatible services
  S3AddressingStyle addressing = S3AddressingStyle::kAuto;
};

struct AzureAccountCredentials {
  std::string key;       // base64 account key
  std::string endpoint;  // "" = https://<account>.blob.core.windows.net
};

struct AzureCredentials {
  // By storage account name.
  std::map<std::string, AzureAccountCredentials> accounts;
};

struct GcsCredentials {
  std::string service_account_key_file;  // path of a key file (JSON)
  std::string service_account_json;      // or its contents
  std::string hmac_access_id;            // or an HMAC key
  std::string hmac_secret;
  std::string endpoint;  // "" = https://storage.googleapis.com
};

struct StorageCredentials {
  S3Credentials s3;
  AzureCredentials azure;
  GcsCredentials gcs;

  // Fills empty fields from the environment (see above); `getenv` is injectable for
  // tests. InvalidArgument for a malformed AZURE_STORAGE_CONNECTION_STRING.
  Status FillFromEnvironment(const std::function<const char*(const char*)>& getenv =
                                 [](const char* name) { return std::getenv(name); });
};

// "auto" / "path" / "virtual" (any case). InvalidArgument otherwise.
Result<S3AddressingStyle> ParseS3AddressingStyle(std::string_view text);

// The account name and credentials of an Azure connection string. InvalidArgument when it
// has no account name or a malformed pair.
Result<std::pair<std::string, AzureAccountCredentials>> ParseAzureConnectionString(
    std::string_view text);

}  // namespace ds::objstore
