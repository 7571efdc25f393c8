// ZSTD: one or more zstd frames (RFC 8878); skippable frames are allowed and the frame
// content size may be absent.
#include <zstd.h>
#include <zstd_errors.h>

#include <cstdint>
#include <memory>
#include <string>

#include "parquet/compression/codec_internal.h"

namespace ds::parquet::internal {
namespace {

struct DCtxDeleter {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};
struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

// Contexts are large (~100 KiB to decode, more to encode), so each thread keeps one. Both
// one-shot calls below start every frame from scratch, so no state leaks between pages.
ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxDeleter> ctx;
  if (ctx == nullptr) ctx.reset(ZSTD_createDCtx());
  return ctx.get();
}

ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxDeleter> ctx;
  if (ctx == nullptr) ctx.reset(ZSTD_createCCtx());
  return ctx.get();
}

}  // namespace

int ZstdMinLevel() { return ZSTD_minCLevel(); }
int ZstdMaxLevel() { return ZSTD_maxCLevel(); }

Status DecompressZstd(ByteView input, uint8_t* output, int64_t output_size) {
  ZSTD_DCtx* dctx = ThreadDCtx();
  if (dctx == nullptr) return Status::ResourceExhausted("ZSTD: cannot create a decoder");
  // The one-shot decoder walks every frame in the input, decodes straight into `output`
  // (no window buffer, whatever window a frame declares), and fails with "Destination
  // buffer is too small" rather than write past output_size.
  size_t n = ZSTD_decompressDCtx(dctx, output, static_cast<size_t>(output_size), input.data(),
                                 input.size());
  if (ZSTD_isError(n)) {
    if (ZSTD_getErrorCode(n) == ZSTD_error_memory_allocation) {
      return Status::ResourceExhausted("ZSTD: decoder out of memory");
    }
    return CodecCorruption(Codec::kZstd, ZSTD_getErrorName(n));
  }
  if (static_cast<int64_t>(n) != output_size) {
    return SizeMismatch(Codec::kZstd, static_cast<int64_t>(n), output_size);
  }
  return Status::OK();
}

Status CompressZstd(ByteView input, int level, Buffer* output) {
  ZSTD_CCtx* cctx = ThreadCCtx();
  if (cctx == nullptr) return Status::ResourceExhausted("ZSTD: cannot create an encoder");
  size_t bound = ZSTD_compressBound(input.size());
  if (ZSTD_isError(bound)) {
    return Status::InvalidArgument("ZSTD: input of " + std::to_string(input.size()) +
                                   " bytes is too large");
  }
  output->Resize(bound);
  // ZSTD_compressCCtx sets every parameter from `level`, ignoring earlier calls' settings.
  size_t n =
      ZSTD_compressCCtx(cctx, output->data(), output->size(), input.data(), input.size(), level);
  if (ZSTD_isError(n)) {
    return Status::Internal(std::string("ZSTD: compression failed: ") + ZSTD_getErrorName(n));
  }
  output->Resize(n);
  return Status::OK();
}

}  // namespace ds::parquet::internal
