// Primitives shared by the request and URL signers (SigV4, GOOG4, Azure SharedKey/SAS):
// incremental SHA-256, HMAC-SHA256 with a precomputed key, hex, and the time formats the
// signatures embed.
//
// Speed matters here: a server signs hundreds of thousands of URLs per query. OpenSSL's
// one-shot HMAC()/EVP calls cost ~2 us each in provider lookups and allocations; these
// use the assembly block functions directly and absorb the HMAC key pads once per key,
// so a MAC over a short message costs ~0.2 us and allocates nothing.
//
// Thread-safety: HmacSha256Key is immutable after construction and may be shared; a
// Sha256 object is single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ds::objstore {

class Sha256 {
 public:
  static constexpr size_t kSize = 32;
  Sha256();
  void Update(std::string_view data);
  // Writes the 32-byte digest; the object must not be updated afterwards.
  void Final(uint8_t out[kSize]);

 private:
  friend class HmacSha256Key;
  alignas(8) unsigned char state_[128];  // an OpenSSL SHA256_CTX
};

class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  // MAC of `data` (32 bytes).
  void Sign(std::string_view data, uint8_t out[Sha256::kSize]) const;
  // For messages made of pieces: feed Begin()'s hash, then Finish it.
  Sha256 Begin() const { return inner_; }
  void Finish(Sha256* inner, uint8_t out[Sha256::kSize]) const;

 private:
  Sha256 inner_;  // state after absorbing key ^ ipad
  Sha256 outer_;  // state after absorbing key ^ opad
};

// Appends the lower-case hex of `n` bytes.
void AppendHex(const uint8_t* bytes, size_t n, std::string* out);
// Hex SHA-256 of `data` (the payload hash of SigV4/GOOG4).
std::string Sha256Hex(std::string_view data);

// "20130524T000000Z" (16 chars) and "20130524" (8 chars) for seconds since the epoch.
void FormatBasicDateTime(int64_t epoch_seconds, char out[16]);
void FormatBasicDate(int64_t epoch_seconds, char out[8]);
// "2013-05-24T00:00:00Z" (20 chars), the ISO 8601 form of Azure SAS times.
void FormatIsoDateTime(int64_t epoch_seconds, char out[20]);

// Seconds since the epoch of ms since the epoch (floor).
inline int64_t FloorSeconds(int64_t epoch_ms) {
  return epoch_ms >= 0 ? epoch_ms / 1000 : -((-epoch_ms + 999) / 1000);
}

}  // namespace ds::objstore
