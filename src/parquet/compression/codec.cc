#include "parquet/compression/codec.h"

#include <cstring>
#include <string>

#include "parquet/compression/codec_internal.h"
#include "util/string_util.h"

namespace ds::parquet {

namespace internal {

Status CodecCorruption(Codec codec, std::string_view detail) {
  std::string msg(CodecName(codec));
  msg += ": ";
  msg += detail;
  return Status::Corruption(std::move(msg));
}

Status SizeMismatch(Codec codec, int64_t actual, int64_t expected) {
  return CodecCorruption(codec, "decompressed to " + std::to_string(actual) + " bytes, expected " +
                                    std::to_string(expected));
}

}  // namespace internal

namespace {

struct NamedCodec {
  std::string_view name;
  Codec codec;
};

constexpr NamedCodec kCodecNames[] = {
    {"UNCOMPRESSED", Codec::kUncompressed},
    {"NONE", Codec::kUncompressed},
    {"SNAPPY", Codec::kSnappy},
    {"GZIP", Codec::kGzip},
    {"LZO", Codec::kLzo},
    {"BROTLI", Codec::kBrotli},
    {"LZ4", Codec::kLz4Hadoop},
    {"ZSTD", Codec::kZstd},
    {"LZ4_RAW", Codec::kLz4Raw},
};

bool IsKnownCodec(Codec codec) {
  auto id = static_cast<int32_t>(codec);
  return id >= static_cast<int32_t>(Codec::kUncompressed) &&
         id <= static_cast<int32_t>(Codec::kLz4Raw);
}

Status UnknownCodec(Codec codec) {
  return Status::NotSupported("unknown compression codec id " +
                              std::to_string(static_cast<int32_t>(codec)));
}

Status Unsupported(Codec codec, std::string_view what) {
  std::string msg(CodecName(codec));
  msg += ": ";
  msg += what;
  return Status::NotSupported(std::move(msg));
}

// Resolves options.level for `codec` (0 = default); InvalidArgument if out of range.
Result<int> ResolveLevel(Codec codec, int level) {
  int lo = 0, hi = 0, def = 0;
  switch (codec) {
    case Codec::kGzip:
      lo = 1, hi = 9, def = kDefaultGzipLevel;
      break;
    case Codec::kBrotli:
      lo = 1, hi = 11, def = kDefaultBrotliLevel;
      break;
    case Codec::kZstd:
      lo = internal::ZstdMinLevel(), hi = internal::ZstdMaxLevel(), def = kDefaultZstdLevel;
      break;
    default:
      return 0;  // no levels: ignored
  }
  if (level == 0) return def;
  if (level < lo || level > hi) {
    return Status::InvalidArgument(std::string(CodecName(codec)) + ": compression level " +
                                   std::to_string(level) + " outside [" + std::to_string(lo) +
                                   ", " + std::to_string(hi) + "]");
  }
  return level;
}

}  // namespace

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed:
      return "UNCOMPRESSED";
    case Codec::kSnappy:
      return "SNAPPY";
    case Codec::kGzip:
      return "GZIP";
    case Codec::kLzo:
      return "LZO";
    case Codec::kBrotli:
      return "BROTLI";
    case Codec::kLz4Hadoop:
      return "LZ4";
    case Codec::kZstd:
      return "ZSTD";
    case Codec::kLz4Raw:
      return "LZ4_RAW";
  }
  return "UNKNOWN";
}

Result<Codec> ParseCodecName(std::string_view name) {
  for (const NamedCodec& entry : kCodecNames) {
    if (EqualsIgnoreCase(name, entry.name)) return entry.codec;
  }
  return Status::InvalidArgument(
      "unknown compression codec '" + std::string(name) +
      "' (expected uncompressed, snappy, gzip, brotli, zstd, lz4_raw, lz4 or lzo)");
}

bool CanCompress(Codec codec) {
  return IsKnownCodec(codec) && codec != Codec::kLzo && codec != Codec::kLz4Hadoop;
}

Status Decompress(Codec codec, ByteView input, uint8_t* output, int64_t output_size) {
  if (!IsKnownCodec(codec)) return UnknownCodec(codec);
  if (codec == Codec::kLzo) return Unsupported(codec, "LZO decompression is not supported");
  if (output_size < 0) {
    return Status::InvalidArgument(std::string(CodecName(codec)) + ": negative output size " +
                                   std::to_string(output_size));
  }
  if (output == nullptr && output_size > 0) {
    return Status::InvalidArgument(std::string(CodecName(codec)) + ": null output buffer");
  }
  // Never hand zero bytes to a codec library: an empty page is empty for every codec, and
  // zero bytes cannot hold anything else.
  if (input.empty()) {
    if (output_size == 0) return Status::OK();
    return internal::CodecCorruption(
        codec, "0 compressed bytes cannot hold " + std::to_string(output_size) + " bytes");
  }
  uint8_t scratch = 0;
  if (output_size == 0) output = &scratch;  // libraries may reject null even with 0 room

  switch (codec) {
    case Codec::kUncompressed:
      if (static_cast<int64_t>(input.size()) != output_size) {
        return internal::CodecCorruption(codec, "page holds " + std::to_string(input.size()) +
                                                    " bytes, expected " +
                                                    std::to_string(output_size));
      }
      std::memcpy(output, input.data(), input.size());
      return Status::OK();
    case Codec::kSnappy:
      return internal::DecompressSnappy(input, output, output_size);
    case Codec::kGzip:
      return internal::DecompressGzip(input, output, output_size);
    case Codec::kBrotli:
      return internal::DecompressBrotli(input, output, output_size);
    case Codec::kLz4Hadoop:
      return internal::DecompressLz4Hadoop(input, output, output_size);
    case Codec::kZstd:
      return internal::DecompressZstd(input, output, output_size);
    case Codec::kLz4Raw:
      return internal::DecompressLz4Raw(input, output, output_size);
    case Codec::kLzo:
      break;
  }
  return UnknownCodec(codec);  // unreachable: checked above
}

Status Compress(Codec codec, ByteView input, Buffer* output, const CompressOptions& options) {
  if (!IsKnownCodec(codec)) return UnknownCodec(codec);
  if (codec == Codec::kLzo) return Unsupported(codec, "LZO compression is not supported");
  if (codec == Codec::kLz4Hadoop) {
    return Unsupported(codec, "the deprecated Hadoop LZ4 codec is never written; use LZ4_RAW");
  }
  if (output == nullptr) {
    return Status::InvalidArgument(std::string(CodecName(codec)) + ": null output buffer");
  }
  ASSIGN_OR_RETURN(int level, ResolveLevel(codec, options.level));
  switch (codec) {
    case Codec::kUncompressed:
      output->Clear();
      output->Append(input);
      return Status::OK();
    case Codec::kSnappy:
      return internal::CompressSnappy(input, output);
    case Codec::kGzip:
      return internal::CompressGzip(input, level, output);
    case Codec::kBrotli:
      return internal::CompressBrotli(input, level, output);
    case Codec::kZstd:
      return internal::CompressZstd(input, level, output);
    case Codec::kLz4Raw:
      return internal::CompressLz4Raw(input, output);
    case Codec::kLzo:
    case Codec::kLz4Hadoop:
      break;
  }
  return UnknownCodec(codec);  // unreachable: checked above
}

}  // namespace ds::parquet
