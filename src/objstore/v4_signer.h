// V4Signer: the "V4" request-signing scheme shared by AWS S3 (SigV4, AWS4-HMAC-SHA256) and
// Google Cloud Storage (GOOG4-HMAC-SHA256 with HMAC keys, GOOG4-RSA-SHA256 with a service
// account key). It signs query strings (pre-signed URLs) and Authorization headers.
//
// The per-day signing key (four chained HMACs for the HMAC variants) is derived once per
// UTC day and kept; deriving is lock-protected but reading the current key is one atomic
// load, so many threads sign without contention.
//
// Thread-safety: immutable after Make except for the key cache; every method is const and
// thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/crypto.h"
#include "httpclient/http_types.h"
#include "objstore/signing_util.h"
#include "util/result.h"

namespace ds::objstore {

enum class V4Dialect : uint8_t { kAws, kGoogle };

struct V4SignerOptions {
  V4Dialect dialect = V4Dialect::kAws;
  // AWS access key id, GCS HMAC access id, or a GCS service account's client_email.
  std::string access_key_id;
  // The HMAC secret; empty when `rsa_key` signs (GCS service accounts only).
  std::string secret_access_key;
  std::shared_ptr<const crypto::RsaPrivateKey> rsa_key;
  // AWS temporary credentials (X-Amz-Security-Token / x-amz-security-token).
  std::string session_token;
  // Region of the scope ("us-east-1"; GCS uses "auto").
  std::string region;
  // Service of the scope; empty = "s3" (AWS) or "storage" (GCS).
  std::string service;
};

// A pre-signing destination prepared once: where URLs point and the constant tail of
// their canonical request.
struct V4PresignTarget {
  std::string origin;          // "https://bucket.s3.us-west-2.amazonaws.com"
  std::string path_prefix;     // percent-encoded path before the key: "/bucket/t/" or "/t/"
  std::string canonical_tail;  // "host:<authority>\n\nhost\nUNSIGNED-PAYLOAD"
};

class V4Signer {
 public:
  // InvalidArgument when the key id or region is missing, when neither (or both of) a
  // secret and an RSA key are given, or an RSA key or session token is used with the
  // wrong dialect.
  static Result<std::shared_ptr<const V4Signer>> Make(V4SignerOptions options);

  // The longest pre-signature lifetime both services accept: 7 days.
  static constexpr int64_t kMaxLifetimeSeconds = 7 * 24 * 3600;

  // `origin` is "scheme://authority" and `authority` the Host header value; the path
  // prefix must already be percent-encoded (each segment, '/' kept).
  static V4PresignTarget MakeTarget(std::string_view origin, std::string_view authority,
                                    std::string_view encoded_path_prefix);

  // The hot path: writes to `url` a GET URL for target.path_prefix + `key` (encoded here),
  // valid `lifetime_seconds` (checked by the caller) from `now_ms`. Query parameters come
  // in the order boto3 uses (Algorithm, Credential, Date, Expires, SignedHeaders,
  // Security-Token, Signature); the signature covers them in canonical (sorted) order.
  // Internal if an RSA signature fails.
  Status PresignGet(const V4PresignTarget& target, std::string_view key, int64_t lifetime_seconds,
                    int64_t now_ms, std::string* url) const;

  // Any method: `url` is absolute with an encoded path and an optional query of
  // encoded name=value pairs; `headers` (name, value) are signed too and the caller must
  // send them. Returns the URL with the authentication parameters appended (query in
  // canonical order). InvalidArgument for a malformed URL.
  Result<std::string> PresignRequest(
      httpclient::HttpMethod method, std::string_view url,
      const std::vector<std::pair<std::string, std::string>>& headers, int64_t lifetime_seconds,
      int64_t now_ms) const;

  // Signs `request` with an Authorization header: adds the date, payload-hash and (with
  // temporary credentials) token headers, then signs the host and every header of the
  // request. `payload_sha256_hex` is the body's hex SHA-256 or "UNSIGNED-PAYLOAD".
  // InvalidArgument for a malformed URL.
  Status SignHeaders(httpclient::HttpRequest* request, std::string_view payload_sha256_hex,
                     int64_t now_ms) const;

  const V4SignerOptions& options() const { return options_; }

 private:
  struct DayKey {
    int64_t day = 0;
    std::optional<HmacSha256Key> key;  // HMAC variants
    std::string scope;                 // "20130524/us-east-1/s3/aws4_request"
    std::string credential_param;      // URI-encoded "<key id>/<scope>"
  };

  explicit V4Signer(V4SignerOptions options);
  const DayKey& KeyFor(int64_t epoch_seconds) const;
  // Signs a string-to-sign given as its hash pieces; appends the hex signature.
  Status AppendSignature(const DayKey& key, std::string_view amz_date,
                         const uint8_t canonical_hash[Sha256::kSize], std::string* out) const;

  V4SignerOptions options_;
  std::string algorithm_;        // "AWS4-HMAC-SHA256", "GOOG4-HMAC-SHA256", "GOOG4-RSA-SHA256"
  std::string param_prefix_;     // "X-Amz-" / "X-Goog-"
  std::string header_prefix_;    // "x-amz-" / "x-goog-"
  std::string algorithm_param_;  // "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
  std::string encoded_token_;    // URI-encoded session token

  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<DayKey>> keys_;  // every day seen; kept until destruction
  mutable std::atomic<const DayKey*> current_{nullptr};
};

using V4SignerPtr = std::shared_ptr<const V4Signer>;

}  // namespace ds::objstore
