// BROTLI: a raw Brotli stream (RFC 7932).
#include <brotli/decode.h>
#include <brotli/encode.h>

#include <cstdint>
#include <memory>
#include <string>

#include "parquet/compression/codec_internal.h"

namespace ds::parquet::internal {
namespace {

struct DecoderDeleter {
  void operator()(BrotliDecoderState* s) const { BrotliDecoderDestroyInstance(s); }
};

}  // namespace

Status DecompressBrotli(ByteView input, uint8_t* output, int64_t output_size) {
  // Brotli 1.0 has no decoder reset, so the (small) state is created per page. Large-window
  // streams stay disabled: the ring buffer is then at most 16 MiB whatever the stream says.
  std::unique_ptr<BrotliDecoderState, DecoderDeleter> decoder(
      BrotliDecoderCreateInstance(nullptr, nullptr, nullptr));
  if (decoder == nullptr) return Status::ResourceExhausted("BROTLI: cannot create a decoder");

  size_t avail_in = input.size();
  const uint8_t* next_in = input.data();
  size_t avail_out = static_cast<size_t>(output_size);
  uint8_t* next_out = output;
  // With the whole input and the whole output at hand, one call runs to an end state.
  BrotliDecoderResult result = BrotliDecoderDecompressStream(decoder.get(), &avail_in, &next_in,
                                                             &avail_out, &next_out, nullptr);
  switch (result) {
    case BROTLI_DECODER_RESULT_SUCCESS:
      if (avail_in != 0) {
        return CodecCorruption(Codec::kBrotli,
                               std::to_string(avail_in) + " bytes after the end of the stream");
      }
      if (avail_out != 0) {
        return SizeMismatch(Codec::kBrotli, output_size - static_cast<int64_t>(avail_out),
                            output_size);
      }
      return Status::OK();
    case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
      return CodecCorruption(Codec::kBrotli,
                             "inflates to more than " + std::to_string(output_size) + " bytes");
    case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
      return CodecCorruption(Codec::kBrotli, "truncated stream after " +
                                                 std::to_string(next_out - output) + " of " +
                                                 std::to_string(output_size) + " bytes");
    case BROTLI_DECODER_RESULT_ERROR:
      break;
  }
  BrotliDecoderErrorCode code = BrotliDecoderGetErrorCode(decoder.get());
  // The _ERROR_ALLOC_* codes (-21..-30): the decoder could not get its working memory.
  if (code <= BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES && code > BROTLI_DECODER_ERROR_UNREACHABLE) {
    return Status::ResourceExhausted(std::string("BROTLI: ") + BrotliDecoderErrorString(code));
  }
  return CodecCorruption(Codec::kBrotli,
                         std::string("malformed stream (") + BrotliDecoderErrorString(code) + ")");
}

Status CompressBrotli(ByteView input, int level, Buffer* output) {
  size_t bound = BrotliEncoderMaxCompressedSize(input.size());
  if (bound == 0) {
    return Status::InvalidArgument("BROTLI: input of " + std::to_string(input.size()) +
                                   " bytes is too large");
  }
  output->Resize(bound);
  size_t written = output->size();
  uint8_t empty = 0;
  const uint8_t* src = input.empty() ? &empty : input.data();
  if (!BrotliEncoderCompress(level, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.size(), src,
                             &written, output->data())) {
    return Status::Internal("BROTLI: encoder failed on " + std::to_string(input.size()) + " bytes");
  }
  output->Resize(written);
  return Status::OK();
}

}  // namespace ds::parquet::internal
