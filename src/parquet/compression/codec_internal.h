// Per-library halves of codec.h. Only codec.cc calls these; it has already checked the codec
// id, the sizes and the pointers, so each function may assume:
//   Decompress*: output_size >= 0; `output` is non-null and holds output_size bytes (it points
//                at a scratch byte when output_size is 0); `input` is not empty.
//   Compress*:   `output` is non-null; `level` is already the codec's resolved level.
// Each returns what codec.h promises for its codec.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parquet/compression/codec.h"
#include "util/buffer.h"
#include "util/status.h"

namespace ds::parquet::internal {

// Corruption("<CODEC>: <detail>").
Status CodecCorruption(Codec codec, std::string_view detail);
// Corruption("<CODEC>: decompressed to <actual> bytes, expected <expected>").
Status SizeMismatch(Codec codec, int64_t actual, int64_t expected);

Status DecompressSnappy(ByteView input, uint8_t* output, int64_t output_size);
Status CompressSnappy(ByteView input, Buffer* output);

Status DecompressGzip(ByteView input, uint8_t* output, int64_t output_size);
Status CompressGzip(ByteView input, int level, Buffer* output);

Status DecompressBrotli(ByteView input, uint8_t* output, int64_t output_size);
Status CompressBrotli(ByteView input, int level, Buffer* output);

Status DecompressLz4Raw(ByteView input, uint8_t* output, int64_t output_size);
Status DecompressLz4Hadoop(ByteView input, uint8_t* output, int64_t output_size);
Status CompressLz4Raw(ByteView input, Buffer* output);

Status DecompressZstd(ByteView input, uint8_t* output, int64_t output_size);
Status CompressZstd(ByteView input, int level, Buffer* output);
// The valid (non-zero) range of zstd levels, from the linked library.
int ZstdMinLevel();
int ZstdMaxLevel();

}  // namespace ds::parquet::internal
