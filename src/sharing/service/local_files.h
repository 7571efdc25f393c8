// Signed URLs for files the server serves itself (tables on local disk), and the endpoint
// that serves them.
//
// URL: <base><prefix>/files/<tenant>/<token>/<file name>, where the token is a MAC'd token
// (access/mac_token.h, purpose url-signing, keyed per tenant) with the expiry, whose payload
// is the table directory and the file's key in it, encrypted with AES-256-GCM under a key
// derived from the same tenant key. So a URL can be neither forged nor altered (another
// file, another table, a later expiry, another tenant's key), it reveals nothing about the
// provider's storage layout, and it keeps working across restarts and replicas that share
// the master key. The file name at the end is informational (the token names the file).
//
// Serving (GET and HEAD, with Range): 403 for a bad, expired or altered URL; 404 for a file
// that no longer exists. A file is served only if its real path (symlinks resolved) lies
// inside the table's real root, so nothing outside a table can ever be read.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "access/mac_token.h"
#include "http/request.h"
#include "http/response.h"
#include "objstore/url_signer.h"

namespace ds::sharing::service {

class LocalFileUrls {
 public:
  // `keys` must outlive this object.
  LocalFileUrls(std::shared_ptr<const access::MacTokenCodec> codec, const access::KeyRing* keys);

  // A URL for `key` (an object key under the table root `table_dir`) valid for
  // `lifetime_seconds` from `now_ms`. `base_url` is where recipients reach the API (scheme,
  // host and prefix, e.g. "https://sharing.example.com/delta-sharing").
  Status Sign(std::string_view base_url, std::string_view tenant, std::string_view table_dir,
              std::string_view key, int64_t lifetime_seconds, int64_t now_ms,
              objstore::PresignedUrl* out) const;

  // Answers a request for "<prefix>/files/<rest>" where `rest` is the raw remainder.
  http::Response Serve(const http::Request& request, std::string_view rest, int64_t now_ms) const;

  // A UrlSigner for one tenant and table, for code that signs through the generic interface.
  objstore::UrlSignerPtr SignerFor(std::string base_url, std::string tenant,
                                   std::string table_dir) const;

 private:
  // The AES key sealing a URL's payload for `tenant` at key `version`.
  Result<std::string> PayloadKey(std::string_view tenant, int64_t version) const;

  std::shared_ptr<const access::MacTokenCodec> codec_;
  const access::KeyRing* keys_;
};

}  // namespace ds::sharing::service
