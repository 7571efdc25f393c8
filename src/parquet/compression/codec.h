// Parquet page compression codecs: one adapter over snappy, zlib, brotli, lz4 and zstd.
//
// Parquet compresses each page body as one unit and stores both sizes in the page header, so
// decompression here is always "these bytes must inflate to exactly N bytes": the caller's
// output size is a hard cap on memory and work, and any disagreement is Corruption. No codec
// is ever asked to produce more than that size, so a hostile page cannot act as a memory bomb.
//
// Accepted page formats (docs/parquet.md §6):
//   UNCOMPRESSED  the raw bytes; input size must equal the output size.
//   SNAPPY        a raw Snappy block (no framing); its embedded length must equal the size.
//   GZIP          RFC 1952 members, concatenated members accepted, zlib (RFC 1950) streams
//                 accepted too; zero bytes after the last complete member are ignored.
//   LZO           not supported.
//   BROTLI        a raw Brotli stream (standard window; large-window streams are rejected).
//   LZ4 (Hadoop)  Hadoop block framing: repeated {u32 BE raw_len, then one or more
//                 {u32 BE comp_len, LZ4 block} until raw_len bytes are produced}. The frames
//                 must consume the input exactly; otherwise the whole input is tried as one
//                 bare LZ4 block (what old parquet-cpp wrote), unless its first byte rules
//                 that out (a non-empty block starts with literals; a frame under 16 MiB
//                 starts with 0x00), so framed data with a wrong size is never misread as a
//                 bare block. Never written.
//   ZSTD          one or more zstd frames (skippable frames allowed); the frame content size
//                 may be absent.
//   LZ4_RAW       one bare LZ4 block.
//
// Error model: every malformed input, truncation, trailing garbage or size mismatch is
// Status::Corruption whose message starts with the codec's name ("ZSTD: ..."). LZO and codec
// ids outside the enum are NotSupported. Caller mistakes (negative size, null pointers,
// out-of-range compression level) are InvalidArgument. Nothing here throws or aborts on bad
// input.
//
// Thread-safety: every function may be called from any number of threads at once. There is
// no shared mutable state; zstd and zlib contexts are cached per thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "util/buffer.h"
#include "util/result.h"

namespace ds::parquet {

// The values are Parquet's thrift CompressionCodec ids.
enum class Codec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4Hadoop = 5,  // Parquet's deprecated "LZ4"
  kZstd = 6,
  kLz4Raw = 7,
};

// Parquet's name of the codec: "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4",
// "ZSTD", "LZ4_RAW"; "UNKNOWN" for a value outside the enum.
std::string_view CodecName(Codec codec);

// Parses a codec name, ignoring case: "uncompressed" or "none", "snappy", "gzip", "lzo",
// "brotli", "lz4" (the Hadoop codec), "zstd", "lz4_raw". Every CodecName() parses back.
// InvalidArgument for anything else. Codecs that Compress() refuses (LZO, LZ4) parse too, so
// a writer taking a codec from its user should check CanCompress().
Result<Codec> ParseCodecName(std::string_view name);

// True for the codecs Compress() writes: UNCOMPRESSED, SNAPPY, GZIP, BROTLI, ZSTD, LZ4_RAW.
bool CanCompress(Codec codec);

// Decompresses `input` into exactly `output_size` bytes at `output`.
//
// REQUIRES: `output` holds `output_size` writable bytes and does not overlap `input`
// (`output` may be null when output_size is 0).
// Returns OK only if `input` is one well-formed page of `codec` that inflates to exactly
// output_size bytes. Empty input with output_size 0 is OK for every supported codec without
// calling the codec library (some writers store empty pages as zero bytes).
// Corruption (message names the codec) if the bytes are malformed, truncated, followed by
// garbage (GZIP tolerates zero padding), or inflate to fewer or more bytes than output_size;
// `output` then holds unspecified bytes. NotSupported for LZO, for a codec id outside the enum (the
// message names the id) and for LZ4 output sizes beyond what an LZ4 block can hold (2 GiB).
// InvalidArgument if output_size < 0 or `output` is null with output_size > 0.
// Work and memory are bounded by the input size and output_size; no library allocates more
// than a fixed working set (brotli: at most its 16 MiB window). The caller allocates
// `output`, so it must cap the header's uncompressed size before allocating.
Status Decompress(Codec codec, ByteView input, uint8_t* output, int64_t output_size);

// The compression level used when CompressOptions::level is 0.
inline constexpr int kDefaultGzipLevel = 6;
inline constexpr int kDefaultBrotliLevel = 5;
// zstd's own default (ZSTD_CLEVEL_DEFAULT), also what parquet-mr/Spark and DuckDB write.
// Measured on page-like data (compression_benchmark.cc): level 3 decompresses as fast as
// level 1 and writes 0-6% smaller pages, compressing at ~250-275 MB/s instead of ~315-425.
inline constexpr int kDefaultZstdLevel = 3;

struct CompressOptions {
  // 0 selects the codec's default (above). Valid otherwise: GZIP 1..9, BROTLI 1..11,
  // ZSTD ZSTD_minCLevel()..ZSTD_maxCLevel() (negative levels are zstd's fast modes).
  // Ignored by UNCOMPRESSED, SNAPPY and LZ4_RAW, which have no levels.
  int level = 0;
};

// Replaces *output's contents with `input` compressed by `codec`, in the page format
// Decompress() reads (and that other Parquet readers read): GZIP writes one RFC 1952 member,
// ZSTD one frame with its content size, LZ4_RAW one bare block. Empty input produces the
// codec's encoding of nothing (e.g. one byte for SNAPPY), not zero bytes.
// NotSupported for LZO, LZ4 (Hadoop; write LZ4_RAW instead) and unknown codec ids.
// InvalidArgument for a null `output`, an out-of-range level, or an input larger than the
// codec's format allows (SNAPPY 4 GiB, LZ4_RAW ~2 GiB).
// Output buffers are sized to the codec's worst-case bound, so compression never fails for
// lack of space. Thread-safe; the gzip and brotli encoders are set up per call.
Status Compress(Codec codec, ByteView input, Buffer* output, const CompressOptions& options = {});

}  // namespace ds::parquet
