// BYTE_STREAM_SPLIT (encoding 9) for FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY:
// K = value width in bytes; stream k holds byte k of every value and the K streams are
// concatenated, so a page of N values is exactly K * N bytes.
#pragma once

#include <cstdint>

#include "util/buffer.h"
#include "util/status.h"

namespace ds::parquet {

// Decodes `count` values of `width` bytes into out (count * width bytes). Corruption unless
// src.size() == count * width exactly; InvalidArgument if width <= 0 or count < 0.
Status DecodeByteStreamSplit(ByteView src, int64_t count, int width, uint8_t* out);

// Decodes values [start, start + n) of a page of `count` values into out (n * width bytes),
// for readers that consume a page in batches. Same size check as above; InvalidArgument if the
// range is outside [0, count].
Status DecodeByteStreamSplitRange(ByteView src, int64_t count, int width, int64_t start, int64_t n,
                                  uint8_t* out);

// Appends the encoding of `count` values of `width` bytes (count * width bytes) to out.
void EncodeByteStreamSplit(const uint8_t* values, int64_t count, int width, Buffer* out);

}  // namespace ds::parquet
