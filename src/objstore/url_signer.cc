#include "objstore/url_signer.h"

#include <chrono>

namespace ds::objstore {

int64_t SystemClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status CheckLifetime(int64_t lifetime_seconds, int64_t max_seconds) {
  if (lifetime_seconds < 1 || lifetime_seconds > max_seconds) {
    return Status::InvalidArgument("presign: lifetime " + std::to_string(lifetime_seconds) +
                                   " s is outside 1.." + std::to_string(max_seconds) + " s");
  }
  return Status::OK();
}

Status UrlSigner::Presign(std::string_view key, int64_t lifetime_seconds, PresignedUrl* out) const {
  return PresignAt(key, lifetime_seconds, SystemClockMs(), out);
}

Result<PresignedUrl> UrlSigner::Presign(std::string_view key, int64_t lifetime_seconds) const {
  PresignedUrl out;
  RETURN_NOT_OK(PresignAt(key, lifetime_seconds, SystemClockMs(), &out));
  return out;
}

}  // namespace ds::objstore
