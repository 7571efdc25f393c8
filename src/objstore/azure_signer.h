// Azure Storage authorization with an account key: Shared Key signing of the store's own
// requests and service SAS URLs (read-only, one blob) for recipients.
//
// Both are HMAC-SHA256 with the decoded account key, whose pads are absorbed once; a SAS
// costs one short MAC and allocates nothing beyond the URL. String-to-sign layouts follow
// the current service versions (Shared Key for 2015-02-21+, service SAS for 2020-12-06+).
//
// Thread-safety: immutable; every method is const and thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "httpclient/http_types.h"
#include "objstore/signing_util.h"
#include "util/result.h"

namespace ds::objstore {

// The REST API version sent (x-ms-version) and signed into SAS tokens (sv).
inline constexpr std::string_view kAzureApiVersion = "2023-11-03";

// A service SAS destination prepared once per container and root.
struct AzureSasTarget {
  std::string url_prefix;       // "https://acct.blob.core.windows.net/container/" + encoded root
  std::string resource_prefix;  // "/blob/acct/container/" + raw root (what is signed)
  std::string protocol;         // spr: "https", or "https,http" for http endpoints
};

class AzureSharedKey {
 public:
  // InvalidArgument for an empty account name or a key that is not base64.
  static Result<std::shared_ptr<const AzureSharedKey>> Make(std::string account,
                                                            std::string_view base64_key);

  const std::string& account() const { return account_; }

  // Signs `request` as sent (its URL path is already percent-encoded): sets x-ms-date and
  // x-ms-version unless present, then "Authorization: SharedKey <account>:<signature>".
  // InvalidArgument for a malformed URL or query escape.
  Status SignRequest(httpclient::HttpRequest* request, int64_t now_ms) const;

  // Writes to `url` a read-only (sp=r) SAS URL for blob target.resource_prefix + `key`,
  // expiring at `expiry_seconds` (epoch).
  void PresignBlob(const AzureSasTarget& target, std::string_view key, int64_t expiry_seconds,
                   std::string* url) const;

 private:
  AzureSharedKey(std::string account, std::string_view key)
      : account_(std::move(account)), key_(key) {}
  std::string account_;
  HmacSha256Key key_;
};

using AzureSharedKeyPtr = std::shared_ptr<const AzureSharedKey>;

}  // namespace ds::objstore
