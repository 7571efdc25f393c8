// ULEB128 and zigzag helpers shared by the encodings (internal to src/parquet/encoding).
#pragma once

#include <cstdint>

#include "util/buffer.h"

namespace ds::parquet::internal {

enum class VarintError { kOk, kTruncated, kOverflow };

// Reads a ULEB128 value of at most `kBits` bits (32 or 64) from [*pos, end). On success stores it
// in *out, advances *pos and returns kOk; otherwise leaves *pos unchanged.
template <typename U>
inline VarintError ReadUleb(const uint8_t** pos, const uint8_t* end, U* out) {
  constexpr int kBits = sizeof(U) * 8;
  constexpr int kMaxBytes = (kBits + 6) / 7;
  const uint8_t* p = *pos;
  U v = 0;
  for (int i = 0; i < kMaxBytes; ++i) {
    if (p == end) return VarintError::kTruncated;
    uint8_t b = *p++;
    U bits = b & 0x7F;
    int shift = 7 * i;
    // The last byte may only carry the bits that still fit.
    if (i == kMaxBytes - 1 && (bits >> (kBits - shift)) != 0) return VarintError::kOverflow;
    v |= bits << shift;
    if ((b & 0x80) == 0) {
      *out = v;
      *pos = p;
      return VarintError::kOk;
    }
  }
  return VarintError::kOverflow;
}

inline const char* VarintErrorName(VarintError e) {
  return e == VarintError::kTruncated ? "truncated" : "overflowing";
}

inline void AppendUleb(uint64_t v, Buffer* out) {
  uint8_t tmp[10];
  int n = 0;
  while (v >= 0x80) {
    tmp[n++] = uint8_t(v | 0x80);
    v >>= 7;
  }
  tmp[n++] = uint8_t(v);
  out->Append(tmp, size_t(n));
}

inline uint64_t ZigZagEncode(int64_t v) { return (uint64_t(v) << 1) ^ uint64_t(v >> 63); }
inline int64_t ZigZagDecode(uint64_t u) { return int64_t((u >> 1) ^ (~(u & 1) + 1)); }

}  // namespace ds::parquet::internal
