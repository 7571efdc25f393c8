#include "sharing/server/storage_config.h"

#include <set>

namespace ds::sharing::server {
namespace {

Status CheckKeys(const std::map<std::string, std::string>& section, const std::string& name,
                 const std::set<std::string>& allowed) {
  for (const auto& [key, value] : section) {
    if (!allowed.count(key)) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
      return Status::InvalidArgument("config: storage." + name + "." + key +
                                     ": unknown key (known keys: " + known + ")");
    }
  }
  return Status::OK();
}

std::string Get(const std::map<std::string, std::string>& section, const std::string& key) {
  auto it = section.find(key);
  return it == section.end() ? std::string() : it->second;
}

}  // namespace

Result<objstore::StorageCredentials> CredentialsOf(const Config& config) {
  objstore::StorageCredentials c;
  if (auto it = config.storage.find("s3"); it != config.storage.end()) {
    const auto& s = it->second;
    RETURN_NOT_OK(CheckKeys(
        s, "s3",
        {"accessKeyId", "secretAccessKey", "sessionToken", "region", "endpoint", "addressing"}));
    c.s3.access_key_id = Get(s, "accessKeyId");
    c.s3.secret_access_key = Get(s, "secretAccessKey");
    c.s3.session_token = Get(s, "sessionToken");
    c.s3.region = Get(s, "region");
    c.s3.endpoint = Get(s, "endpoint");
    if (!Get(s, "addressing").empty()) {
      auto style = objstore::ParseS3AddressingStyle(Get(s, "addressing"));
      if (!style.ok()) {
        return Status::InvalidArgument("config: storage.s3.addressing: " +
                                       style.status().message());
      }
      c.s3.addressing = *style;
    }
  }
  if (auto it = config.storage.find("azure"); it != config.storage.end()) {
    const auto& s = it->second;
    RETURN_NOT_OK(
        CheckKeys(s, "azure", {"accountName", "accountKey", "endpoint", "connectionString"}));
    if (!Get(s, "connectionString").empty()) {
      auto parsed = objstore::ParseAzureConnectionString(Get(s, "connectionString"));
      if (!parsed.ok()) {
        return Status::InvalidArgument("config: storage.azure.connectionString: " +
                                       parsed.status().message());
      }
      c.azure.accounts[parsed->first] = parsed->second;
    } else if (!Get(s, "accountName").empty()) {
      c.azure.accounts[Get(s, "accountName")] = {Get(s, "accountKey"), Get(s, "endpoint")};
    } else {
      return Status::InvalidArgument(
          "config: storage.azure: give accountName and accountKey, or connectionString");
    }
  }
  if (auto it = config.storage.find("gcs"); it != config.storage.end()) {
    const auto& s = it->second;
    RETURN_NOT_OK(
        CheckKeys(s, "gcs", {"serviceAccountKeyFile", "hmacAccessId", "hmacSecret", "endpoint"}));
    c.gcs.service_account_key_file = Get(s, "serviceAccountKeyFile");
    c.gcs.hmac_access_id = Get(s, "hmacAccessId");
    c.gcs.hmac_secret = Get(s, "hmacSecret");
    c.gcs.endpoint = Get(s, "endpoint");
  }
  RETURN_NOT_OK(c.FillFromEnvironment());
  return c;
}

}  // namespace ds::sharing::server
