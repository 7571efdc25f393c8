// The low-level MD5_*/SHA256_* functions are deprecated in OpenSSL 3 in favour of EVP, whose
// per-call provider lookups cost ~2 us: more than the rest of a file line. They remain
// supported and assembly-accelerated.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "sharing/protocol/file_id.h"

#include <openssl/md5.h>
#include <openssl/sha.h>

namespace ds::sharing::protocol {
namespace {

void ToHex(const unsigned char* bytes, size_t n, char* out) {
  constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xF];
  }
}

}  // namespace

std::string_view FileIdHasher::Id(std::string_view path) {
  const auto* data = reinterpret_cast<const unsigned char*>(path.data());
  if (scheme_ == FileIdScheme::kDelta) {
    // The one-shot SHA256()/MD5() go through EVP in OpenSSL 3; the block functions do not.
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, data, path.size());
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256_Final(digest, &ctx);
    ToHex(digest, sizeof(digest), hex_);
    return std::string_view(hex_, 2 * sizeof(digest));
  }
  MD5_CTX ctx;
  MD5_Init(&ctx);
  MD5_Update(&ctx, data, path.size());
  unsigned char digest[MD5_DIGEST_LENGTH];
  MD5_Final(digest, &ctx);
  ToHex(digest, sizeof(digest), hex_);
  return std::string_view(hex_, 2 * sizeof(digest));
}

std::string FileId(FileIdScheme scheme, std::string_view path) {
  FileIdHasher hasher(scheme);
  return std::string(hasher.Id(path));
}

}  // namespace ds::sharing::protocol
