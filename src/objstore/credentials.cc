#include "objstore/credentials.h"

#include <cstdlib>

#include "util/string_util.h"

namespace ds::objstore {
namespace {

// Azurite's published development account (UseDevelopmentStorage=true).
constexpr char kDevAccount[] = "devstoreaccount1";
constexpr char kDevKey[] =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

void FillFrom(std::string* field, const std::function<const char*(const char*)>& getenv,
              std::initializer_list<const char*> names) {
  if (!field->empty()) return;
  for (const char* name : names) {
    const char* v = getenv(name);
    if (v != nullptr && *v != '\0') {
      *field = v;
      return;
    }
  }
}

}  // namespace

Result<S3AddressingStyle> ParseS3AddressingStyle(std::string_view text) {
  const std::string t = ToLower(Trim(text));
  if (t == "auto" || t.empty()) return S3AddressingStyle::kAuto;
  if (t == "path") return S3AddressingStyle::kPath;
  if (t == "virtual") return S3AddressingStyle::kVirtual;
  return Status::InvalidArgument("s3 addressing style must be auto, path or virtual, not '" +
                                 std::string(text) + "'");
}

Result<std::pair<std::string, AzureAccountCredentials>> ParseAzureConnectionString(
    std::string_view text) {
  std::map<std::string, std::string> fields;
  for (std::string_view part : Split(text, ';')) {
    part = Trim(part);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Status::InvalidArgument("azure connection string: '" + std::string(part) +
                                     "' is not Name=Value");
    }
    fields[ToLower(Trim(part.substr(0, eq)))] = std::string(Trim(part.substr(eq + 1)));
  }
  AzureAccountCredentials creds;
  std::string account;
  if (EqualsIgnoreCase(fields["usedevelopmentstorage"], "true")) {
    account = kDevAccount;
    creds.key = kDevKey;
    creds.endpoint = "http://127.0.0.1:10000/devstoreaccount1";
  }
  if (!fields["accountname"].empty()) account = fields["accountname"];
  if (!fields["accountkey"].empty()) creds.key = fields["accountkey"];
  if (account.empty()) return Status::InvalidArgument("azure connection string: no AccountName");
  if (!fields["blobendpoint"].empty()) {
    creds.endpoint = fields["blobendpoint"];
  } else if (!fields["endpointsuffix"].empty() && fields["endpointsuffix"] != "core.windows.net") {
    const std::string protocol =
        fields["defaultendpointsprotocol"].empty() ? "https" : fields["defaultendpointsprotocol"];
    creds.endpoint = protocol + "://" + account + ".blob." + fields["endpointsuffix"];
  }
  return std::make_pair(std::move(account), std::move(creds));
}

Status StorageCredentials::FillFromEnvironment(
    const std::function<const char*(const char*)>& getenv) {
  FillFrom(&s3.access_key_id, getenv, {"AWS_ACCESS_KEY_ID"});
  FillFrom(&s3.secret_access_key, getenv, {"AWS_SECRET_ACCESS_KEY"});
  FillFrom(&s3.session_token, getenv, {"AWS_SESSION_TOKEN"});
  FillFrom(&s3.region, getenv, {"AWS_REGION", "AWS_DEFAULT_REGION"});
  FillFrom(&s3.endpoint, getenv, {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"});

  if (const char* cs = getenv("AZURE_STORAGE_CONNECTION_STRING"); cs != nullptr && *cs != '\0') {
    ASSIGN_OR_RETURN(auto parsed, ParseAzureConnectionString(cs));
    AzureAccountCredentials& slot = azure.accounts[parsed.first];
    if (slot.key.empty()) slot.key = parsed.second.key;
    if (slot.endpoint.empty()) slot.endpoint = parsed.second.endpoint;
  }
  const char* account = getenv("AZURE_STORAGE_ACCOUNT");
  const char* key = getenv("AZURE_STORAGE_KEY");
  if (account != nullptr && *account != '\0' && key != nullptr && *key != '\0') {
    AzureAccountCredentials& slot = azure.accounts[account];
    if (slot.key.empty()) slot.key = key;
  }

  if (gcs.service_account_json.empty() && gcs.hmac_access_id.empty()) {
    FillFrom(&gcs.service_account_key_file, getenv, {"GOOGLE_APPLICATION_CREDENTIALS"});
  }
  return Status::OK();
}

}  // namespace ds::objstore
