// GZIP: RFC 1952 members. Decompression tries libdeflate first (a whole single-member
// buffer of known size, 2-3x faster than zlib), then zlib, which also accepts zlib (RFC 1950)
// streams and any concatenation of members, which some writers produce.
#define ZLIB_CONST
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "parquet/compression/codec_internal.h"

namespace ds::parquet::internal {
namespace {

// 15 = the largest window; +32 = detect a gzip or zlib header automatically.
constexpr int kInflateWindowBits = 15 + 32;
// 15 = the largest window; +16 = write a gzip header and trailer.
constexpr int kDeflateWindowBits = 15 + 16;
constexpr int kDeflateMemLevel = 8;
// zlib counts in uInt; larger buffers are fed in pieces of this size.
constexpr size_t kMaxZlibChunk = std::numeric_limits<uInt>::max();

std::string ZlibMessage(const z_stream& strm, int rc) {
  if (strm.msg != nullptr) return strm.msg;
  return "zlib error " + std::to_string(rc);
}

// An inflate stream initialized once per thread and reset per page: inflateInit's
// allocations are a measurable share of small-page cost.
class ThreadInflater {
 public:
  ThreadInflater() = default;
  ThreadInflater(const ThreadInflater&) = delete;
  ThreadInflater& operator=(const ThreadInflater&) = delete;
  ~ThreadInflater() {
    if (ready_) inflateEnd(&strm_);
  }

  // A stream ready for a new member, or null if zlib could not allocate its state.
  z_stream* Acquire() {
    if (!ready_) {
      std::memset(&strm_, 0, sizeof(strm_));
      if (inflateInit2(&strm_, kInflateWindowBits) != Z_OK) return nullptr;
      ready_ = true;
    } else if (inflateReset(&strm_) != Z_OK) {
      return nullptr;
    }
    return &strm_;
  }

 private:
  // zlib's state points back at this struct, so the object never moves.
  z_stream strm_;
  bool ready_ = false;
};

// A libdeflate decompressor per thread (allocated on first use).
struct ThreadDeflateDecompressor {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  ~ThreadDeflateDecompressor() {
    if (d != nullptr) libdeflate_free_decompressor(d);
  }
};

bool AllZero(const uint8_t* begin, const uint8_t* end) {
  return std::all_of(begin, end, [](uint8_t b) { return b == 0; });
}

}  // namespace

// The fast path: exactly one gzip member that fills `output`, optionally followed by zero
// padding. False means "let zlib decide" (several members, a zlib stream, or corrupt input,
// whose error zlib then reports).
bool DecompressSingleMember(ByteView input, uint8_t* output, int64_t output_size) {
  thread_local ThreadDeflateDecompressor decompressor;
  if (decompressor.d == nullptr) return false;
  size_t in_used = 0, out_used = 0;
  const libdeflate_result rc = libdeflate_gzip_decompress_ex(
      decompressor.d, input.data(), input.size(), output, static_cast<size_t>(output_size),
      &in_used, &out_used);
  return rc == LIBDEFLATE_SUCCESS && out_used == static_cast<size_t>(output_size) &&
         AllZero(input.data() + in_used, input.data() + input.size());
}

Status DecompressGzip(ByteView input, uint8_t* output, int64_t output_size) {
  if (DecompressSingleMember(input, output, output_size)) return Status::OK();
  thread_local ThreadInflater inflater;
  z_stream* strm = inflater.Acquire();
  if (strm == nullptr) return Status::ResourceExhausted("GZIP: cannot set up zlib inflate");

  const uint8_t* const in_end = input.data() + input.size();
  uint8_t* const out_end = output + output_size;
  strm->next_in = input.data();
  strm->next_out = output;
  int member = 1;  // for messages
  while (true) {
    strm->avail_in = static_cast<uInt>(std::min<size_t>(in_end - strm->next_in, kMaxZlibChunk));
    strm->avail_out = static_cast<uInt>(std::min<size_t>(out_end - strm->next_out, kMaxZlibChunk));
    const uint8_t* in_before = strm->next_in;
    const uint8_t* out_before = strm->next_out;
    int rc = inflate(strm, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      // One member (or zlib stream) is complete. Stop at the end of the input or at zero
      // padding; anything else must be another member.
      if (AllZero(strm->next_in, in_end)) break;
      if (inflateReset(strm) != Z_OK) return CodecCorruption(Codec::kGzip, "inflateReset failed");
      ++member;
      continue;
    }
    bool progressed = strm->next_in != in_before || strm->next_out != out_before;
    if (rc == Z_OK && progressed) continue;
    if (rc == Z_OK || rc == Z_BUF_ERROR) {
      // No progress is possible: either the data wants more room or more input.
      if (strm->next_out == out_end && strm->next_in != in_end) {
        return CodecCorruption(Codec::kGzip,
                               "inflates to more than " + std::to_string(output_size) + " bytes");
      }
      return CodecCorruption(Codec::kGzip, "member " + std::to_string(member) +
                                               " truncated after " +
                                               std::to_string(strm->next_out - output) + " of " +
                                               std::to_string(output_size) + " bytes");
    }
    // Z_DATA_ERROR, Z_NEED_DICT (a preset dictionary we cannot know), Z_MEM_ERROR, ...
    if (rc == Z_MEM_ERROR) return Status::ResourceExhausted("GZIP: zlib out of memory");
    if (rc == Z_NEED_DICT) return CodecCorruption(Codec::kGzip, "stream needs a preset dictionary");
    return CodecCorruption(Codec::kGzip,
                           "member " + std::to_string(member) + ": " + ZlibMessage(*strm, rc));
  }
  int64_t produced = strm->next_out - output;
  if (produced != output_size) return SizeMismatch(Codec::kGzip, produced, output_size);
  return Status::OK();
}

Status CompressGzip(ByteView input, int level, Buffer* output) {
  z_stream strm;
  std::memset(&strm, 0, sizeof(strm));
  if (deflateInit2(&strm, level, Z_DEFLATED, kDeflateWindowBits, kDeflateMemLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::ResourceExhausted("GZIP: cannot set up zlib deflate");
  }
  // deflateBound covers a single deflate(Z_FINISH) call, which is what inputs below 4 GiB
  // get; the loop below still grows the buffer should a chunked input need more.
  output->Resize(deflateBound(&strm, input.size()));
  const uint8_t* const in_end = input.data() + input.size();
  strm.next_in = input.data();
  size_t written = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (written == output->size()) output->Resize(output->size() + output->size() / 2 + 64);
    size_t in_left = in_end - strm.next_in;
    strm.avail_in = static_cast<uInt>(std::min(in_left, kMaxZlibChunk));
    strm.next_out = output->data() + written;
    strm.avail_out = static_cast<uInt>(std::min(output->size() - written, kMaxZlibChunk));
    uInt avail_out_before = strm.avail_out;
    rc = deflate(&strm, in_left <= kMaxZlibChunk ? Z_FINISH : Z_NO_FLUSH);
    written += avail_out_before - strm.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      std::string msg = "GZIP: deflate failed: " + ZlibMessage(strm, rc);
      deflateEnd(&strm);
      return Status::Internal(std::move(msg));
    }
  }
  deflateEnd(&strm);
  output->Resize(written);
  return Status::OK();
}

}  // namespace ds::parquet::internal
