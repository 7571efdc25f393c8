// Bit and bitmap helpers. Bitmaps are LSB-first (bit i = byte i/8, bit i%8), as in Arrow
// validity bitmaps and Parquet's PLAIN booleans.
#pragma once

#include <bit>
#include <cstdint>

namespace ds::bit {

inline bool GetBit(const uint8_t* bits, int64_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }
inline void SetBit(uint8_t* bits, int64_t i) { bits[i >> 3] |= uint8_t(1u << (i & 7)); }
inline void ClearBit(uint8_t* bits, int64_t i) { bits[i >> 3] &= uint8_t(~(1u << (i & 7))); }
inline void SetBitTo(uint8_t* bits, int64_t i, bool v) {
  bits[i >> 3] = uint8_t((bits[i >> 3] & ~(1u << (i & 7))) | (uint32_t(v) << (i & 7)));
}
inline int64_t BytesForBits(int64_t n) { return (n + 7) >> 3; }

// Number of bits needed to store values in [0, max_value]: 0 -> 0, 1 -> 1, 2..3 -> 2, ...
inline int BitWidth(uint64_t max_value) { return 64 - std::countl_zero(max_value); }

// Number of set bits in [offset, offset + length).
int64_t CountSetBits(const uint8_t* bits, int64_t offset, int64_t length);

}  // namespace ds::bit
