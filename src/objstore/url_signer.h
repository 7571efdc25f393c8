// UrlSigner: turns an object key into a pre-signed, read-only GET URL with a bounded
// lifetime — what the sharing server hands to recipients for every data and DV file.
//
// Implementations: S3 SigV4 (s3_store.h), Azure service SAS (azure_store.h), GCS V4
// (gcs_store.h); the sharing server's own HMAC signer for local files implements it too.
// Signers are built for throughput: signing keys are derived once (per day for SigV4),
// constant parts of the canonical request are precomputed, and a call allocates nothing
// beyond growing the output string (reuse one PresignedUrl to avoid even that).
//
// Thread-safety: every method is const and may be called from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::objstore {

struct PresignedUrl {
  std::string url;
  int64_t expiration_ms = 0;  // ms since the epoch after which the URL is refused
};

class UrlSigner {
 public:
  virtual ~UrlSigner() = default;

  // Signs a GET of `key` (relative to the signer's root, a valid object key) valid for
  // `lifetime_seconds` from `now_ms`, into `out` (its string's capacity is reused).
  // InvalidArgument for an invalid key or a lifetime outside 1..max_lifetime_seconds();
  // Internal if a private-key operation fails.
  virtual Status PresignAt(std::string_view key, int64_t lifetime_seconds, int64_t now_ms,
                           PresignedUrl* out) const = 0;

  // The longest lifetime accepted (S3 and GCS: 7 days).
  virtual int64_t max_lifetime_seconds() const = 0;

  // PresignAt with the system clock.
  Status Presign(std::string_view key, int64_t lifetime_seconds, PresignedUrl* out) const;
  Result<PresignedUrl> Presign(std::string_view key, int64_t lifetime_seconds) const;
};

using UrlSignerPtr = std::shared_ptr<const UrlSigner>;

// ms since the epoch from the system clock (what Presign uses).
int64_t SystemClockMs();

// InvalidArgument unless 1 <= lifetime_seconds <= max_seconds.
Status CheckLifetime(int64_t lifetime_seconds, int64_t max_seconds);

}  // namespace ds::objstore
