// Signed URLs for files the server serves itself (tables on local disk), and the endpoint
// that serves them.
//
// URL: <base>/files/<tenant>/<grant>/<mac>/<key>
//   grant  a MAC'd token (access/mac_token.h, purpose url-signing, keyed per tenant) holding
//          the expiry and the table's directory, encrypted with AES-256-GCM under a key
//          derived from the same tenant key. One grant serves every URL of a response.
//          For a table sealed at rest (sealed_tables.h) the encrypted payload is
//          NUL | share id | NUL | directory (a directory is absolute, so a plain payload never
//          starts with NUL): the share whose data key opens its files.
//   mac    base64url of the first 16 bytes of HMAC-SHA256(tenant URL key, grant "\n" key).
//   key    the file's object key inside the table, percent-encoded segment by segment.
// So a URL can be neither forged nor altered (another file, another table, a later expiry,
// another tenant), it reveals nothing about where the table lives (only the file's path
// inside the table, which its Delta log already names), and it keeps working across restarts
// and replicas that share the master key. Minting a URL costs one HMAC over a short message:
// the grant and the MAC key are computed once per response (LocalTableSigner).
//
// Serving (GET and HEAD, with Range): 403 for a bad, expired or altered URL; 404 for a file
// that no longer exists. A file is served only if its real path (symlinks resolved) lies
// inside the table's real root, so nothing outside a table can ever be read. A sealed table's
// file is opened through access::SealedStore (its key in the table is the sealed file's
// context) and streamed as plaintext: Content-Length and ranges are of the plaintext, and only
// the chunks a range touches are read and authenticated (and the first chunk, before
// answering). A file that fails to open (not sealed, sealed for another share or name, a
// retired key, a damaged header or first chunk) is 500; a later chunk that fails
// authentication mid-stream cuts the response (the client sees a short body, never altered
// bytes).
//
// Thread-safety: LocalFileUrls is immutable (any thread); a LocalTableSigner is
// single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "access/mac_token.h"
#include "http/request.h"
#include "http/response.h"
#include "objstore/signing_util.h"
#include "objstore/url_signer.h"

namespace ds::sharing::service {

// Signs the files of one table for one tenant, with one expiry (one response).
class LocalTableSigner {
 public:
  // A URL for `key` (an object key under the table root). InvalidArgument for an invalid key.
  Status Sign(std::string_view key, objstore::PresignedUrl* out) const;
  int64_t expiration_ms() const { return expiration_ms_; }

 private:
  friend class LocalFileUrls;
  LocalTableSigner(std::string prefix, std::string grant, std::string_view mac_key,
                   int64_t expiration_ms)
      : prefix_(std::move(prefix)),
        grant_(std::move(grant)),
        mac_key_(mac_key),
        expiration_ms_(expiration_ms) {}

  std::string prefix_;  // "<base>/files/<tenant>/<grant>/"
  std::string grant_;
  objstore::HmacSha256Key mac_key_;
  int64_t expiration_ms_;
};

class LocalFileUrls {
 public:
  static constexpr int64_t kMaxLifetimeSeconds = 7 * 86400;

  // `keys` must outlive this object (sealed files are opened with them too).
  LocalFileUrls(std::shared_ptr<const access::MacTokenCodec> codec, const access::KeyRing* keys);

  // A signer for the table directory `table_dir` whose URLs are valid for `lifetime_seconds`
  // (1 s to 7 days) from `now_ms`. `base_url` is where recipients reach the API (scheme, host
  // and prefix, e.g. "https://sharing.example.com/delta-sharing"). InvalidArgument for a bad
  // lifetime; FailedPrecondition if the tenant's key is unavailable. `sealed_for`: the share id
  // whose data key seals the table's files ("" = plain files).
  Result<LocalTableSigner> NewSigner(std::string_view base_url, std::string_view tenant,
                                     std::string_view table_dir, int64_t lifetime_seconds,
                                     int64_t now_ms, std::string_view sealed_for = {}) const;

  // Answers a request for "<prefix>/files/<rest>" where `rest` is the raw remainder.
  http::Response Serve(const http::Request& request, std::string_view rest, int64_t now_ms) const;

 private:
  // The AES key sealing the grant's directory and the MAC key of the URLs, for `tenant` at
  // key `version`.
  Result<std::string> DerivedKey(std::string_view tenant, int64_t version,
                                 std::string_view label) const;

  std::shared_ptr<const access::MacTokenCodec> codec_;
  const access::KeyRing* keys_;
};

}  // namespace ds::sharing::service
