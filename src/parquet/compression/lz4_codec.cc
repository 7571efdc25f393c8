// LZ4_RAW (one bare LZ4 block) and the deprecated Hadoop-framed LZ4.
#include <lz4.h>

#include <cstdint>
#include <limits>
#include <string>

#include "parquet/compression/codec_internal.h"
#include "util/bytes.h"

namespace ds::parquet::internal {
namespace {

// The most one LZ4_decompress_safe call can take or produce (its sizes are ints).
constexpr int64_t kMaxLz4Block = std::numeric_limits<int>::max();

// Decodes one bare block into exactly `output_size` bytes. Returns the decoded size, or -1 if
// the block is malformed or would exceed output_size.
int64_t DecodeBlock(const uint8_t* src, int64_t src_size, uint8_t* dst, int64_t dst_capacity) {
  if (src_size > kMaxLz4Block || dst_capacity > kMaxLz4Block) return -1;
  int n = LZ4_decompress_safe(reinterpret_cast<const char*>(src), reinterpret_cast<char*>(dst),
                              static_cast<int>(src_size), static_cast<int>(dst_capacity));
  return n < 0 ? -1 : n;
}

// Decodes Hadoop block framing: repeated {u32 BE raw_len, then {u32 BE comp_len, LZ4 block}
// chunks until raw_len bytes are produced}. Hadoop's BlockCompressorStream writes one chunk
// per block for small writes and several for writes above its buffer size (~256 KiB); the
// common description "{raw_len, comp_len, block}" is the one-chunk case. True only if the
// frames consume `input` exactly and produce exactly output_size bytes.
bool DecodeHadoopFrames(ByteView input, uint8_t* output, int64_t output_size) {
  const uint8_t* in = input.data();
  const size_t in_size = input.size();
  size_t pos = 0;
  int64_t produced = 0;
  while (pos < in_size) {
    if (in_size - pos < 8) return false;  // a raw_len needs at least one comp_len
    const int64_t raw_len = LoadBE32(in + pos);
    pos += 4;
    if (raw_len > output_size - produced) return false;
    const int64_t block_end = produced + raw_len;
    // Every chunk consumes at least 4 bytes, so this loop ends.
    do {
      if (in_size - pos < 4) return false;
      const int64_t comp_len = LoadBE32(in + pos);
      pos += 4;
      if (static_cast<uint64_t>(comp_len) > in_size - pos) return false;
      int64_t n = DecodeBlock(in + pos, comp_len, output + produced, block_end - produced);
      if (n < 0) return false;
      produced += n;
      pos += comp_len;
    } while (produced < block_end);
  }
  return produced == output_size;
}

}  // namespace

Status DecompressLz4Raw(ByteView input, uint8_t* output, int64_t output_size) {
  if (output_size > kMaxLz4Block) {
    return Status::NotSupported("LZ4_RAW: output size " + std::to_string(output_size) +
                                " exceeds the 2 GiB an LZ4 block can be decoded into");
  }
  if (static_cast<int64_t>(input.size()) > kMaxLz4Block) {
    return CodecCorruption(Codec::kLz4Raw,
                           "block of " + std::to_string(input.size()) + " bytes exceeds 2 GiB");
  }
  int64_t n = DecodeBlock(input.data(), static_cast<int64_t>(input.size()), output, output_size);
  if (n < 0) {
    return CodecCorruption(Codec::kLz4Raw, "malformed block, or it inflates to more than " +
                                               std::to_string(output_size) + " bytes");
  }
  if (n != output_size) return SizeMismatch(Codec::kLz4Raw, n, output_size);
  return Status::OK();
}

// A bare block that decodes to at least one byte starts with a token whose high nibble (the
// literal count) is non-zero: its first match would need an offset >= 1 into nothing. A
// Hadoop frame starts with the high byte of a big-endian raw_len, which is 0 for any frame
// under 16 MiB. So for real pages the first byte tells the two forms apart, and checking it
// keeps a Hadoop page with a wrong size in its header from being "rescued" by a lenient
// bare-block decode of its frame headers (liblz4 accepts offset 0).
bool MayBeBareBlock(ByteView input, int64_t output_size) {
  return output_size == 0 || (input[0] >> 4) != 0;
}

Status DecompressLz4Hadoop(ByteView input, uint8_t* output, int64_t output_size) {
  if (DecodeHadoopFrames(input, output, output_size)) return Status::OK();
  // Old parquet-cpp wrote a bare block under the same codec id.
  if (MayBeBareBlock(input, output_size) && output_size <= kMaxLz4Block &&
      static_cast<int64_t>(input.size()) <= kMaxLz4Block &&
      DecodeBlock(input.data(), static_cast<int64_t>(input.size()), output, output_size) ==
          output_size) {
    return Status::OK();
  }
  return CodecCorruption(Codec::kLz4Hadoop,
                         "neither Hadoop-framed LZ4 blocks nor one bare LZ4 block of " +
                             std::to_string(output_size) + " bytes");
}

Status CompressLz4Raw(ByteView input, Buffer* output) {
  if (input.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
    return Status::InvalidArgument("LZ4_RAW: input of " + std::to_string(input.size()) +
                                   " bytes exceeds the format's limit of " +
                                   std::to_string(LZ4_MAX_INPUT_SIZE));
  }
  const int src_size = static_cast<int>(input.size());
  output->Resize(static_cast<size_t>(LZ4_compressBound(src_size)));
  int n = LZ4_compress_default(reinterpret_cast<const char*>(input.data()),
                               reinterpret_cast<char*>(output->data()), src_size,
                               static_cast<int>(output->size()));
  if (n <= 0) {
    return Status::Internal("LZ4_RAW: compression failed on " + std::to_string(input.size()) +
                            " bytes");
  }
  output->Resize(static_cast<size_t>(n));
  return Status::OK();
}

}  // namespace ds::parquet::internal
