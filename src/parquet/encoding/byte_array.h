// BYTE_ARRAY value encodings: PLAIN, DELTA_LENGTH_BYTE_ARRAY (6) and DELTA_BYTE_ARRAY (7),
// plus DELTA_BYTE_ARRAY for FIXED_LEN_BYTE_ARRAY.
//
// Decoders append Arrow-style: for each value its bytes are appended to `data` and then
// int64_t(data->size()) is appended to `offsets` (the caller wrote the leading offset).
// `data` grows once per call, by the exact decoded size. On error both buffers are restored to
// their sizes on entry (bytes past those sizes are unspecified). `count` is the number of
// values to decode (the page's non-null values); a stream announcing more is accepted, only
// `count` values are read. Each decoder returns the number of source bytes consumed. With
// count == 0 an empty `src` is accepted (0 bytes consumed).
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/buffer.h"
#include "util/result.h"

namespace ds::parquet {

// Largest output (bytes of values) one DecodeDeltaByteArray call produces; prefix sharing lets
// a small page describe far more. Above it: ResourceExhausted.
inline constexpr int64_t kMaxDeltaByteArrayDecodedBytes = int64_t{1} << 31;

// Each value: u32 LE length, then that many bytes. Corruption if count < 0 or the data ends
// before `count` values. `data` may transiently grow by up to src.size() bytes (one
// allocation, trimmed to the decoded size).
Result<size_t> DecodePlainByteArray(ByteView src, int64_t count, Buffer* offsets, Buffer* data);

// DELTA_BINARY_PACKED lengths, then all value bytes concatenated. Corruption if the length
// stream is malformed or holds fewer than `count` lengths, a length is negative, or the bytes
// run past the end of src.
Result<size_t> DecodeDeltaLengthByteArray(ByteView src, int64_t count, Buffer* offsets,
                                          Buffer* data);

// DELTA_BINARY_PACKED prefix lengths, DELTA_BINARY_PACKED suffix lengths, then the suffix
// bytes; value i = value[i-1][0, prefix[i]) + suffix[i], with value[-1] = "" at the start of
// each call (each page). Corruption as for DecodeDeltaLengthByteArray, and if a prefix is
// longer than the previous value.
Result<size_t> DecodeDeltaByteArray(ByteView src, int64_t count, Buffer* offsets, Buffer* data);

// DELTA_BYTE_ARRAY for FIXED_LEN_BYTE_ARRAY(width): like DecodeDeltaByteArray, but values are
// written densely to out (count * width bytes), and Corruption unless every value has length
// `width`. InvalidArgument if width <= 0.
Result<size_t> DecodeDeltaByteArrayFixed(ByteView src, int64_t count, int width, uint8_t* out);

// Encoders append to `out`. Value i is data[offsets[i], offsets[i + 1]); offsets has count + 1
// non-decreasing entries (offsets[0] need not be 0) and every value is shorter than 2^31.
void EncodePlainByteArray(const int64_t* offsets, const uint8_t* data, int64_t count, Buffer* out);
void EncodeDeltaLengthByteArray(const int64_t* offsets, const uint8_t* data, int64_t count,
                                Buffer* out);
void EncodeDeltaByteArray(const int64_t* offsets, const uint8_t* data, int64_t count, Buffer* out);
// DELTA_BYTE_ARRAY of `count` dense values of `width` bytes (FIXED_LEN_BYTE_ARRAY).
void EncodeDeltaByteArrayFixed(const uint8_t* values, int64_t count, int width, Buffer* out);

}  // namespace ds::parquet
