// PLAIN booleans: one bit per value, LSB first (value i = byte i/8, bit i%8), last byte
// zero-padded. Decoded booleans are bytes holding 0 or 1.
#pragma once

#include <cstdint>

#include "util/buffer.h"
#include "util/status.h"

namespace ds::parquet {

// Unpacks bits [bit_offset, bit_offset + count) of `data` into out[0..count) as 0/1.
// Corruption if `data` is shorter than ceil((bit_offset + count) / 8) bytes; InvalidArgument
// if bit_offset or count is negative. A column reader decoding a page in batches passes the
// number of booleans already consumed as bit_offset.
Status DecodePlainBooleans(ByteView data, int64_t bit_offset, int64_t count, uint8_t* out);

// Unchecked kernel of DecodePlainBooleans: `data` must hold the bits.
void UnpackBooleans(const uint8_t* data, int64_t bit_offset, int64_t count, uint8_t* out);

// Packs count booleans (any non-zero byte is true) into ceil(count / 8) bytes at `out`,
// zero-padding the last byte.
void PackBooleans(const uint8_t* values, int64_t count, uint8_t* out);

// Appends the PLAIN encoding of `count` booleans to `out`.
void EncodePlainBooleans(const uint8_t* values, int64_t count, Buffer* out);

}  // namespace ds::parquet
