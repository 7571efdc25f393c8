// SNAPPY: a raw Snappy block (a varint32 length, then tags), no framing.
#include <snappy.h>

#include <cstdint>
#include <limits>
#include <string>

#include "parquet/compression/codec_internal.h"

namespace ds::parquet::internal {

Status DecompressSnappy(ByteView input, uint8_t* output, int64_t output_size) {
  const auto* src = reinterpret_cast<const char*>(input.data());
  size_t embedded = 0;
  if (!snappy::GetUncompressedLength(src, input.size(), &embedded)) {
    return CodecCorruption(Codec::kSnappy, "malformed length header");
  }
  // Checked before decompressing: the block cannot then write past output_size.
  if (embedded != static_cast<uint64_t>(output_size)) {
    return CodecCorruption(Codec::kSnappy, "block holds " + std::to_string(embedded) +
                                               " bytes, expected " + std::to_string(output_size));
  }
  // RawUncompress bounds-checks every tag against both buffers and fails unless the tags
  // produce exactly the embedded length from exactly the input.
  if (!snappy::RawUncompress(src, input.size(), reinterpret_cast<char*>(output))) {
    return CodecCorruption(Codec::kSnappy, "malformed or truncated block");
  }
  return Status::OK();
}

Status CompressSnappy(ByteView input, Buffer* output) {
  // The block header is a varint32.
  if (input.size() > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("SNAPPY: input of " + std::to_string(input.size()) +
                                   " bytes exceeds the format's 4 GiB limit");
  }
  output->Resize(snappy::MaxCompressedLength(input.size()));
  size_t written = 0;
  snappy::RawCompress(reinterpret_cast<const char*>(input.data()), input.size(),
                      reinterpret_cast<char*>(output->data()), &written);
  output->Resize(written);
  return Status::OK();
}

}  // namespace ds::parquet::internal
