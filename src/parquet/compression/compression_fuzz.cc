// libFuzzer target for codec.h. Three modes, chosen by the input:
//   raw        the bytes are a compressed page; Decompress must return OK or Corruption
//              (NotSupported for LZO and unknown ids), never crash, hang or overrun.
//   roundtrip  the bytes are a page; Compress then Decompress must give them back, and
//              one byte more or less must be Corruption.
//   mutate     the bytes are a page; it is compressed, then bit-flipped, truncated or
//              extended as the input says, and decompressed: this reaches deep into the
//              decoders, which random bytes rarely do.
// DS_FUZZ_CODEC=<name or id> pins the codec (to spend a whole run on one decoder); otherwise
// the input picks it.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "parquet/compression/codec.h"

namespace {

using ds::parquet::Codec;

constexpr uint32_t kMaxOutput = 1 << 18;

std::optional<Codec> g_pinned_codec;

void Check(bool ok, const char* what, const ds::Status& st) {
  if (ok) return;
  std::fprintf(stderr, "compression_fuzz: %s: %s\n", what, st.ToString().c_str());
  std::abort();
}

// Decompression of untrusted bytes may only succeed or report bad data.
void CheckDecompressStatus(Codec codec, const ds::Status& st) {
  bool expected =
      st.ok() || st.IsCorruption() ||
      (st.IsNotSupported() && !ds::parquet::CanCompress(codec) && codec != Codec::kLz4Hadoop);
  Check(expected, "unexpected status", st);
}

int Level(Codec codec, uint8_t pick) {
  switch (codec) {
    case Codec::kGzip:
      return pick % 10;  // 0 = default, 1..9
    case Codec::kBrotli:
      return pick % 10;  // 11 is too slow to fuzz
    case Codec::kZstd:
      return static_cast<int>(pick % 16) - 5;  // fast modes -5..-1, default, 1..10
    default:
      return pick;  // ignored
  }
}

void AppendBE32(ds::Buffer* out, uint32_t v) {
  const uint8_t be[4] = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                         static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
  out->Append(be, 4);
}

// Hadoop LZ4 framing of `page` in `pieces` LZ4 blocks: one frame per block, or one frame
// whose raw_len covers all blocks as chunks.
ds::Status HadoopFrames(const std::vector<uint8_t>& page, int pieces, bool one_frame,
                        ds::Buffer* out) {
  out->Clear();
  if (one_frame) AppendBE32(out, static_cast<uint32_t>(page.size()));
  const size_t step = page.size() / static_cast<size_t>(pieces) + 1;
  for (size_t off = 0; off < page.size() || off == 0; off += step) {
    ds::ByteView piece = ds::ByteView(page).subspan(off, std::min(step, page.size() - off));
    ds::Buffer block;
    RETURN_NOT_OK(ds::parquet::Compress(Codec::kLz4Raw, piece, &block));
    if (!one_frame) AppendBE32(out, static_cast<uint32_t>(piece.size()));
    AppendBE32(out, static_cast<uint32_t>(block.size()));
    out->Append(block.view());
    if (page.empty()) break;
  }
  return ds::Status::OK();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  if (const char* env = std::getenv("DS_FUZZ_CODEC")) {
    auto parsed = ds::parquet::ParseCodecName(env);
    if (parsed.ok()) {
      g_pinned_codec = *parsed;
    } else {
      g_pinned_codec = static_cast<Codec>(std::atoi(env));
    }
    std::fprintf(stderr, "compression_fuzz: codec pinned to %s\n",
                 std::string(ds::parquet::CodecName(*g_pinned_codec)).c_str());
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  const int mode = fdp.ConsumeIntegralInRange<int>(0, 2);
  const Codec codec =
      g_pinned_codec ? *g_pinned_codec : static_cast<Codec>(fdp.ConsumeIntegralInRange<int>(0, 8));

  if (mode == 0) {  // raw
    const auto out_size = fdp.ConsumeIntegralInRange<uint32_t>(0, kMaxOutput);
    std::vector<uint8_t> input = fdp.ConsumeRemainingBytes<uint8_t>();
    std::vector<uint8_t> out(out_size);
    ds::Status st = ds::parquet::Decompress(codec, input, out.data(), out_size);
    CheckDecompressStatus(codec, st);
    if (st.ok() && codec == Codec::kUncompressed) {
      Check(input == out, "UNCOMPRESSED changed the bytes", st);
    }
    return 0;
  }

  // Modes 1 and 2 start from a valid page of a writable codec, or for the Hadoop LZ4 codec
  // (never written) from frames built out of LZ4_RAW blocks.
  const bool hadoop = codec == Codec::kLz4Hadoop;
  if (!ds::parquet::CanCompress(codec) && !hadoop) return 0;
  const int level = Level(codec, fdp.ConsumeIntegral<uint8_t>());
  const int pieces = fdp.ConsumeIntegralInRange<int>(1, 4);
  const bool one_frame = fdp.ConsumeBool();  // all pieces as chunks of one Hadoop frame
  struct Mutation {
    uint32_t pos;
    uint8_t flip;
  };
  std::vector<Mutation> mutations;
  int32_t resize = 0;
  int64_t size_delta = 0;
  if (mode == 2) {
    const int n = fdp.ConsumeIntegralInRange<int>(0, 4);
    for (int i = 0; i < n; ++i) {
      mutations.push_back({fdp.ConsumeIntegral<uint32_t>(), fdp.ConsumeIntegral<uint8_t>()});
    }
    resize = fdp.ConsumeIntegralInRange<int32_t>(-64, 16);
    size_delta = fdp.ConsumeIntegralInRange<int32_t>(-2, 2);
  }
  std::vector<uint8_t> page = fdp.ConsumeRemainingBytes<uint8_t>();
  ds::Buffer compressed;
  ds::Status st;
  if (hadoop) {
    st = HadoopFrames(page, pieces, one_frame, &compressed);
  } else {
    st = ds::parquet::Compress(codec, page, &compressed, {level});
  }
  Check(st.ok(), "Compress failed", st);
  const auto n = static_cast<int64_t>(page.size());

  if (mode == 1) {  // roundtrip
    std::vector<uint8_t> out(page.size());
    st = ds::parquet::Decompress(codec, compressed.view(), out.data(), n);
    Check(st.ok(), "round trip failed", st);
    Check(out == page, "round trip changed the bytes", st);
    std::vector<uint8_t> bigger(page.size() + 1);
    st = ds::parquet::Decompress(codec, compressed.view(), bigger.data(), n + 1);
    Check(st.IsCorruption(), "one byte too many accepted", st);
    if (n > 0) {
      std::vector<uint8_t> smaller(page.size() - 1);
      st = ds::parquet::Decompress(codec, compressed.view(), smaller.data(), n - 1);
      Check(st.IsCorruption(), "one byte too few accepted", st);
    }
    return 0;
  }

  // mutate
  std::vector<uint8_t> bytes(compressed.data(), compressed.data() + compressed.size());
  for (const Mutation& m : mutations) {
    if (!bytes.empty()) bytes[m.pos % bytes.size()] ^= m.flip;
  }
  if (resize < 0) {
    bytes.resize(bytes.size() - std::min<size_t>(bytes.size(), static_cast<size_t>(-resize)));
  } else {
    for (int32_t i = 0; i < resize; ++i) bytes.push_back(static_cast<uint8_t>(i * 37));
  }
  const int64_t out_size = std::max<int64_t>(0, n + size_delta);
  std::vector<uint8_t> out(static_cast<size_t>(out_size));
  st = ds::parquet::Decompress(codec, bytes, out.data(), out_size);
  CheckDecompressStatus(codec, st);
  return 0;
}
