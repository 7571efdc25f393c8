// Self-contained MAC'd tokens: page tokens, refresh tokens, query ids, activation codes.
//
// A token carries opaque payload bytes, the purpose, the key version and an expiry, and ends
// with an HMAC-SHA256 under KeyRing::Key(purpose, tenant, version). The tenant is not in the
// token: the decoder supplies the one it expects (the authenticated recipient), so a token
// minted for another tenant or purpose, or altered in any byte, fails the MAC. Payloads are
// authenticated, not encrypted: put nothing secret in them.
//
// Text form: base64url without padding of
//   format(1) = 1 | purpose(1) | key version(4, big-endian) | expiry ms(8, big-endian, 0 = none)
//   | payload | HMAC(32) over everything before it.
//
// Thread-safety: const methods may be called from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "access/key_ring.h"
#include "util/result.h"

namespace ds::access {

struct MacTokenContents {
  std::string payload;
  int64_t expires_at_ms = 0;  // 0 = never
  int64_t key_version = 0;
};

class MacTokenCodec {
 public:
  static constexpr size_t kMaxPayloadBytes = 8192;
  static constexpr size_t kMaxTextBytes = 11008;  // base64 of the largest token

  explicit MacTokenCodec(std::shared_ptr<const KeyRing> keys) : keys_(std::move(keys)) {}

  // A token for `tenant` at the current key version. InvalidArgument if the payload is larger
  // than kMaxPayloadBytes or `expires_at_ms` is negative.
  Result<std::string> Encode(KeyPurpose purpose, std::string_view tenant, std::string_view payload,
                             int64_t expires_at_ms) const;

  // The contents of `text`, checked against `purpose`, `tenant` and `now_ms`. Every failure is
  // InvalidArgument: malformed text, another purpose, an unknown or retired key version, a MAC
  // that does not verify (another tenant, tampering), or an expiry at or before `now_ms`.
  Result<MacTokenContents> Decode(KeyPurpose purpose, std::string_view tenant,
                                  std::string_view text, int64_t now_ms) const;

 private:
  std::shared_ptr<const KeyRing> keys_;
};

}  // namespace ds::access
