// Cryptographic primitives of deltashare, all backed by OpenSSL 3.
//
// Digests and MACs return raw bytes (use HexEncode / Base64UrlEncode for text). Keys and
// secrets are std::string byte strings; nothing here logs or retains them. Every function is
// thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::crypto {

// Raw digests: 32 bytes (SHA-256), 16 bytes (MD5, only for Delta Sharing's fileidhash).
std::string Sha256(std::string_view data);
std::string Md5(std::string_view data);
// Lower-case hex forms of the above.
std::string Sha256Hex(std::string_view data);
std::string Md5Hex(std::string_view data);

// HMAC-SHA256 (32 raw bytes).
std::string HmacSha256(std::string_view key, std::string_view data);

// HKDF-SHA256 (RFC 5869): `length` bytes (1..8160) derived from `ikm`, `salt` and `info`.
// InvalidArgument for a length outside that range.
Result<std::string> HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info,
                               size_t length);

// `n` bytes from the OS CSPRNG (OpenSSL RAND_bytes). Internal error if the generator fails.
Result<std::string> RandomBytes(size_t n);

// Compares in time that depends only on the lengths, never on the contents.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// AES-256-GCM with a random 96-bit nonce. Output: nonce(12) | ciphertext | tag(16).
// `key` must be 32 bytes (InvalidArgument otherwise); `aad` is authenticated, not stored.
Result<std::string> AesGcmEncrypt(std::string_view key, std::string_view plaintext,
                                  std::string_view aad = {});
// The inverse; PermissionDenied if the tag does not verify (tampering or a wrong key or aad),
// InvalidArgument if the input is shorter than nonce + tag.
Result<std::string> AesGcmDecrypt(std::string_view key, std::string_view sealed,
                                  std::string_view aad = {});

// An RSA private key for RS256 signatures (GCS V4 signed URLs, OAuth JWT assertions).
class RsaPrivateKey {
 public:
  // Parses a PEM "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE KEY" (PKCS#1). InvalidArgument if the
  // text is not an RSA private key.
  static Result<std::shared_ptr<const RsaPrivateKey>> FromPem(std::string_view pem);
  ~RsaPrivateKey();
  RsaPrivateKey(const RsaPrivateKey&) = delete;
  RsaPrivateKey& operator=(const RsaPrivateKey&) = delete;

  // RSASSA-PKCS1-v1_5 with SHA-256 over `data` (raw signature bytes).
  Result<std::string> SignSha256(std::string_view data) const;
  // Verifies a signature made by SignSha256 with the public half of this key.
  bool VerifySha256(std::string_view data, std::string_view signature) const;

 private:
  struct Impl;
  explicit RsaPrivateKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ds::crypto
