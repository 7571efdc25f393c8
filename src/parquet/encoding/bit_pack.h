// Bit packing and unpacking, LSB first: value i occupies bits [i*w, (i+1)*w) of the byte
// stream, bit 0 being the least significant bit of byte 0. This is the layout of Parquet's
// RLE/bit-packed hybrid groups, DELTA_BINARY_PACKED miniblocks and PLAIN booleans, and the hot
// path of all decoding: each width has its own kernel, unrolled over 32 values.
//
// Contracts shared by every function here:
//  * `in` holds at least BitPackedBytes(count, bit_width) readable bytes; exactly that many are
//    read, never more (no overread of the final partial byte's neighbours).
//  * `out` of an unpack has room for `count` values; `out` of a pack has room for
//    BitPackedBytes(count, bit_width) bytes, which are all written (unused high bits of the last
//    byte are zero).
//  * count >= 0 and bit_width is within the documented range (checked only by DS_DCHECK).
#pragma once

#include <cstdint>

namespace ds::parquet {

// Bytes occupied by `count` values of `bit_width` bits: ceil(count * bit_width / 8).
inline int64_t BitPackedBytes(int64_t count, int bit_width) { return (count * bit_width + 7) >> 3; }

// Unpacking. Width 0 yields zeros and reads nothing.
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint8_t* out);   // width 0..8
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint16_t* out);  // width 0..16
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint32_t* out);  // width 0..32
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint64_t* out);  // width 0..64

// Packing. Each value must fit in `bit_width` bits (excess high bits are a caller bug; they
// are masked off).
void PackBits(const uint32_t* in, int64_t count, int bit_width, uint8_t* out);  // width 0..32
void PackBits(const uint64_t* in, int64_t count, int bit_width, uint8_t* out);  // width 0..64

}  // namespace ds::parquet
