// Conversions between Parquet physical encodings of single values and their in-memory form,
// shared by the value decoder, the statistics decoder and the writer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/decimal.h"

namespace ds::parquet {

// Sign-extends big-endian two's complement bytes (a FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY
// decimal). False if the value needs more than 128 bits.
bool BigEndianToInt128(const uint8_t* bytes, size_t n, int128_t* out);
// Writes the low `n` bytes of `v` big-endian (two's complement).
void Int128ToBigEndian(int128_t v, int n, uint8_t* out);

// IEEE 754 half precision (FLOAT16) to float.
float HalfToFloat(uint16_t half);

// INT96 (nanoseconds of day, Julian day) to microseconds since the Unix epoch. False if the
// result does not fit in 64 bits.
bool Int96ToMicros(const uint8_t* int96, int64_t* micros);

}  // namespace ds::parquet
