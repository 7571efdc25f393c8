#include "parquet/compression/codec.h"

#define ZLIB_CONST
#include <lz4.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "test/testing/testing.h"
#include "util/bytes.h"

namespace ds::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

}  // namespace

// Names the codec in gtest's parameter messages.
void PrintTo(Codec codec, std::ostream* os) { *os << CodecName(codec); }

namespace {

constexpr Codec kWritableCodecs[] = {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip,
                                     Codec::kBrotli,       Codec::kZstd,   Codec::kLz4Raw};
constexpr Codec kReadableCodecs[] = {Codec::kUncompressed, Codec::kSnappy,    Codec::kGzip,
                                     Codec::kBrotli,       Codec::kLz4Hadoop, Codec::kZstd,
                                     Codec::kLz4Raw};

Bytes RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

// Page-like data: little-endian int64s with small deltas, then short repeated strings.
Bytes CompressibleBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes out;
  out.reserve(n + 16);
  int64_t v = 1'700'000'000'000;
  const char* words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};
  while (out.size() < n) {
    if (out.size() < n / 2) {
      v += rng() % 1000;
      uint8_t le[8];
      StoreLE(le, v);
      out.insert(out.end(), le, le + 8);
    } else {
      const char* w = words[rng() % 6];
      out.insert(out.end(), w, w + std::strlen(w));
    }
  }
  out.resize(n);
  return out;
}

Bytes CompressOrDie(Codec codec, const Bytes& input, int level = 0) {
  Buffer out;
  Compress(codec, input, &out, CompressOptions{level}).Abort();
  return Bytes(out.data(), out.data() + out.size());
}

// Decompresses into an exactly-sized heap buffer, so ASan sees any write past output_size.
Status DecompressTo(Codec codec, const Bytes& input, int64_t output_size, Bytes* out) {
  out->assign(static_cast<size_t>(output_size), 0);
  return Decompress(codec, input, out->data(), output_size);
}

Status DecompressSized(Codec codec, const Bytes& input, int64_t output_size) {
  Bytes out;
  return DecompressTo(codec, input, output_size, &out);
}

void ExpectCorruptionNaming(Codec codec, const Status& st) {
  EXPECT_EQ(st.code(), StatusCode::kCorruption) << CodecName(codec) << ": " << st;
  EXPECT_EQ(st.message().rfind(std::string(CodecName(codec)) + ":", 0), 0u) << st;
}

// Hadoop LZ4 framing helpers.
Bytes Lz4Block(const uint8_t* data, size_t n) {
  Bytes out(static_cast<size_t>(LZ4_compressBound(static_cast<int>(n))));
  int c =
      LZ4_compress_default(reinterpret_cast<const char*>(data), reinterpret_cast<char*>(out.data()),
                           static_cast<int>(n), static_cast<int>(out.size()));
  EXPECT_GT(c, 0);
  out.resize(static_cast<size_t>(c));
  return out;
}
void AppendBE32(Bytes* out, uint32_t v) {
  uint8_t be[4];
  StoreBE32(be, v);
  out->insert(out->end(), be, be + 4);
}
// One Hadoop block: raw_len, then one chunk per `chunk` bytes of `data`.
void AppendHadoopBlock(Bytes* out, const uint8_t* data, size_t n, size_t chunk) {
  AppendBE32(out, static_cast<uint32_t>(n));
  size_t done = 0;
  do {
    size_t len = std::min(chunk, n - done);
    Bytes block = Lz4Block(data + done, len);
    AppendBE32(out, static_cast<uint32_t>(block.size()));
    out->insert(out->end(), block.begin(), block.end());
    done += len;
  } while (done < n);
}

// zlib helpers: a single gzip member (windowBits 31) or zlib stream (15).
Bytes Deflate(const Bytes& input, int window_bits) {
  z_stream s;
  std::memset(&s, 0, sizeof(s));
  EXPECT_EQ(deflateInit2(&s, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  Bytes out(deflateBound(&s, input.size()) + 16);
  s.next_in = input.data();
  s.avail_in = static_cast<uInt>(input.size());
  s.next_out = out.data();
  s.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

Bytes Concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Names

TEST(CodecNameTest, NamesAndParsing) {
  EXPECT_EQ(CodecName(Codec::kUncompressed), "UNCOMPRESSED");
  EXPECT_EQ(CodecName(Codec::kSnappy), "SNAPPY");
  EXPECT_EQ(CodecName(Codec::kGzip), "GZIP");
  EXPECT_EQ(CodecName(Codec::kLzo), "LZO");
  EXPECT_EQ(CodecName(Codec::kBrotli), "BROTLI");
  EXPECT_EQ(CodecName(Codec::kLz4Hadoop), "LZ4");
  EXPECT_EQ(CodecName(Codec::kZstd), "ZSTD");
  EXPECT_EQ(CodecName(Codec::kLz4Raw), "LZ4_RAW");
  EXPECT_EQ(CodecName(static_cast<Codec>(99)), "UNKNOWN");
  for (int id = 0; id <= 7; ++id) {
    auto codec = static_cast<Codec>(id);
    ASSERT_OK_AND_ASSIGN(Codec parsed, ParseCodecName(CodecName(codec)));
    EXPECT_EQ(parsed, codec);
  }
  ASSERT_OK_AND_ASSIGN(Codec c, ParseCodecName("zStD"));
  EXPECT_EQ(c, Codec::kZstd);
  ASSERT_OK_AND_ASSIGN(c, ParseCodecName("none"));
  EXPECT_EQ(c, Codec::kUncompressed);
  ASSERT_OK_AND_ASSIGN(c, ParseCodecName("lz4_raw"));
  EXPECT_EQ(c, Codec::kLz4Raw);
  ASSERT_OK_AND_ASSIGN(c, ParseCodecName("Snappy"));
  EXPECT_EQ(c, Codec::kSnappy);
  ASSERT_RAISES(kInvalidArgument, ParseCodecName("lz4-raw"));
  ASSERT_RAISES(kInvalidArgument, ParseCodecName(""));
  ASSERT_RAISES(kInvalidArgument, ParseCodecName("zstd "));
}

TEST(CodecNameTest, CanCompress) {
  for (Codec c : kWritableCodecs) EXPECT_TRUE(CanCompress(c)) << CodecName(c);
  EXPECT_FALSE(CanCompress(Codec::kLzo));
  EXPECT_FALSE(CanCompress(Codec::kLz4Hadoop));
  EXPECT_FALSE(CanCompress(static_cast<Codec>(8)));
  EXPECT_FALSE(CanCompress(static_cast<Codec>(-1)));
}

// ---------------------------------------------------------------------------------------------
// Per-codec properties of every writable codec

class WritableCodecTest : public ::testing::TestWithParam<Codec> {};

INSTANTIATE_TEST_SUITE_P(Codecs, WritableCodecTest, ::testing::ValuesIn(kWritableCodecs),
                         [](const auto& info) { return std::string(CodecName(info.param)); });

void ExpectRoundTrip(Codec codec, const Bytes& data, int level = 0) {
  SCOPED_TRACE(std::string(CodecName(codec)) + " size " + std::to_string(data.size()) + " level " +
               std::to_string(level));
  Buffer compressed;
  ASSERT_OK(Compress(codec, data, &compressed, CompressOptions{level}));
  Bytes in(compressed.data(), compressed.data() + compressed.size());
  Bytes out;
  ASSERT_OK(DecompressTo(codec, in, static_cast<int64_t>(data.size()), &out));
  EXPECT_TRUE(out == data);
}

TEST_P(WritableCodecTest, RoundTripSmall) {
  ExpectRoundTrip(GetParam(), {});
  ExpectRoundTrip(GetParam(), {0x42});
  ExpectRoundTrip(GetParam(), {0, 0});
  ExpectRoundTrip(GetParam(), RandomBytes(100, 1));
  ExpectRoundTrip(GetParam(), CompressibleBytes(1000, 2));
}

TEST_P(WritableCodecTest, RoundTripRandomAndCompressible) {
  ExpectRoundTrip(GetParam(), RandomBytes(300'000, 3));
  Bytes compressible = CompressibleBytes(1 << 20, 4);
  ExpectRoundTrip(GetParam(), compressible);
  ExpectRoundTrip(GetParam(), Bytes(1 << 20, 0));
  if (GetParam() != Codec::kUncompressed) {
    EXPECT_LT(CompressOrDie(GetParam(), compressible).size(), compressible.size() * 3 / 4);
  }
}

TEST_P(WritableCodecTest, RoundTripTenMiB) {
  Bytes data = CompressibleBytes(10 << 20, 5);
  Bytes noise = RandomBytes(1 << 20, 6);
  std::copy(noise.begin(), noise.end(), data.begin() + (3 << 20));  // an incompressible stretch
  ExpectRoundTrip(GetParam(), data);
}

TEST_P(WritableCodecTest, CompressReplacesOutput) {
  Buffer out;
  out.Append(std::string_view("stale contents that must go"));
  ASSERT_OK(Compress(GetParam(), Bytes{1, 2, 3}, &out));
  Bytes back;
  ASSERT_OK(DecompressTo(GetParam(), Bytes(out.data(), out.data() + out.size()), 3, &back));
  EXPECT_EQ(back, (Bytes{1, 2, 3}));
}

TEST_P(WritableCodecTest, SizeMismatchIsCorruption) {
  const Codec codec = GetParam();
  for (const Bytes& data : {Bytes{7}, RandomBytes(5000, 7), CompressibleBytes(200'000, 8)}) {
    Bytes compressed = CompressOrDie(codec, data);
    const auto n = static_cast<int64_t>(data.size());
    ExpectCorruptionNaming(codec, DecompressSized(codec, compressed, n - 1));
    ExpectCorruptionNaming(codec, DecompressSized(codec, compressed, n + 1));
    ExpectCorruptionNaming(codec, DecompressSized(codec, compressed, 0));
    ExpectCorruptionNaming(codec, DecompressSized(codec, compressed, 2 * n + 100));
  }
  // The codec's encoding of nothing, read as something.
  Bytes empty = CompressOrDie(codec, {});
  if (!empty.empty()) ExpectCorruptionNaming(codec, DecompressSized(codec, empty, 1));
}

TEST_P(WritableCodecTest, TruncationIsCorruption) {
  const Codec codec = GetParam();
  if (codec == Codec::kUncompressed) GTEST_SKIP() << "raw bytes have no structure";
  Bytes data = Concat({CompressibleBytes(40'000, 9), RandomBytes(3000, 10)});
  Bytes compressed = CompressOrDie(codec, data);
  std::vector<size_t> cuts;
  for (size_t cut = 0; cut < compressed.size(); cut += 97) cuts.push_back(cut);
  for (size_t back = 1; back <= 24 && back <= compressed.size(); ++back) {
    cuts.push_back(compressed.size() - back);
  }
  for (size_t cut : cuts) {
    Bytes prefix(compressed.begin(), compressed.begin() + static_cast<ptrdiff_t>(cut));
    SCOPED_TRACE("cut at " + std::to_string(cut) + " of " + std::to_string(compressed.size()));
    ExpectCorruptionNaming(codec,
                           DecompressSized(codec, prefix, static_cast<int64_t>(data.size())));
  }
}

TEST_P(WritableCodecTest, TrailingGarbageIsCorruption) {
  const Codec codec = GetParam();
  if (codec == Codec::kUncompressed) GTEST_SKIP() << "raw bytes have no structure";
  Bytes data = CompressibleBytes(10'000, 11);
  Bytes compressed = CompressOrDie(codec, data);
  for (const Bytes& tail : {Bytes{0x5a}, Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9}, RandomBytes(100, 12)}) {
    ExpectCorruptionNaming(codec, DecompressSized(codec, Concat({compressed, tail}),
                                                  static_cast<int64_t>(data.size())));
  }
}

TEST_P(WritableCodecTest, BombIsCappedByOutputSize) {
  const Codec codec = GetParam();
  if (codec == Codec::kUncompressed) GTEST_SKIP() << "raw bytes cannot inflate";
  Bytes compressed = CompressOrDie(codec, Bytes(16 << 20, 0));
  // Each decode stops at the cap: an exactly sized buffer is never overrun (ASan checks).
  ExpectCorruptionNaming(codec, DecompressSized(codec, compressed, 4096));
  ExpectCorruptionNaming(codec, DecompressSized(codec, compressed, 1));
}

TEST_P(WritableCodecTest, GarbageIsCorruption) {
  const Codec codec = GetParam();
  for (uint32_t seed = 0; seed < 200; ++seed) {
    Bytes garbage = RandomBytes(1 + seed * 7 % 300, seed);
    for (int64_t size : {int64_t{0}, int64_t{1}, int64_t{100}, int64_t{5000}}) {
      if (codec == Codec::kUncompressed && size == static_cast<int64_t>(garbage.size())) continue;
      SCOPED_TRACE("seed " + std::to_string(seed) + " size " + std::to_string(size));
      ExpectCorruptionNaming(codec, DecompressSized(codec, garbage, size));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Cases common to all codecs

TEST(CodecTest, EmptyInputEmptyOutputNeverReachesTheCodec) {
  for (Codec codec : kReadableCodecs) {
    EXPECT_OK(Decompress(codec, {}, nullptr, 0));
    uint8_t byte = 0;
    EXPECT_OK(Decompress(codec, {}, &byte, 0));
    ExpectCorruptionNaming(codec, Decompress(codec, {}, &byte, 1));
  }
}

TEST(CodecTest, InvalidArguments) {
  Bytes one{1};
  uint8_t out[4];
  ASSERT_RAISES(kInvalidArgument, Decompress(Codec::kSnappy, one, out, -1));
  ASSERT_RAISES(kInvalidArgument, Decompress(Codec::kZstd, one, nullptr, 4));
  ASSERT_RAISES(kInvalidArgument, Compress(Codec::kZstd, one, nullptr));
  Buffer buf;
  ASSERT_RAISES(kInvalidArgument, Compress(Codec::kGzip, one, &buf, {10}));
  ASSERT_RAISES(kInvalidArgument, Compress(Codec::kGzip, one, &buf, {-1}));
  ASSERT_RAISES(kInvalidArgument, Compress(Codec::kBrotli, one, &buf, {12}));
  ASSERT_RAISES(kInvalidArgument, Compress(Codec::kZstd, one, &buf, {ZSTD_maxCLevel() + 1}));
  ASSERT_RAISES(kInvalidArgument, Compress(Codec::kZstd, one, &buf, {ZSTD_minCLevel() - 1}));
  // Levels are ignored by codecs without them.
  EXPECT_OK(Compress(Codec::kSnappy, one, &buf, {99}));
  EXPECT_OK(Compress(Codec::kLz4Raw, one, &buf, {-99}));
}

TEST(CodecTest, LevelsRoundTrip) {
  Bytes data = CompressibleBytes(50'000, 13);
  for (int level : {1, 5, 9}) ExpectRoundTrip(Codec::kGzip, data, level);
  for (int level : {1, 5, 11}) ExpectRoundTrip(Codec::kBrotli, data, level);
  for (int level : {ZSTD_minCLevel(), -1, 1, 3, 19, ZSTD_maxCLevel()}) {
    ExpectRoundTrip(Codec::kZstd, data, level);
  }
  // Higher levels compress page-like data better.
  EXPECT_LE(CompressOrDie(Codec::kZstd, data, 19).size(),
            CompressOrDie(Codec::kZstd, data, 1).size());
}

TEST(CodecTest, LzoAndUnknownAreNotSupported) {
  Bytes data{1, 2, 3};
  uint8_t out[3];
  Buffer buf;
  ASSERT_RAISES(kNotSupported, Decompress(Codec::kLzo, data, out, 3));
  ASSERT_RAISES(kNotSupported, Decompress(Codec::kLzo, {}, nullptr, 0));
  ASSERT_RAISES(kNotSupported, Compress(Codec::kLzo, data, &buf));
  ASSERT_RAISES(kNotSupported, Compress(Codec::kLz4Hadoop, data, &buf));
  Status st = Decompress(static_cast<Codec>(42), data, out, 3);
  EXPECT_EQ(st.code(), StatusCode::kNotSupported);
  EXPECT_NE(st.message().find("42"), std::string::npos) << st;
  st = Compress(static_cast<Codec>(-3), data, &buf);
  EXPECT_EQ(st.code(), StatusCode::kNotSupported);
  EXPECT_NE(st.message().find("-3"), std::string::npos) << st;
  EXPECT_NE(Decompress(Codec::kLzo, data, out, 3).message().find("LZO"), std::string::npos);
}

TEST(CodecTest, UncompressedSizesMustMatch) {
  Bytes data{1, 2, 3, 4};
  Bytes out;
  ASSERT_OK(DecompressTo(Codec::kUncompressed, data, 4, &out));
  EXPECT_EQ(out, data);
  ExpectCorruptionNaming(Codec::kUncompressed, DecompressSized(Codec::kUncompressed, data, 3));
  ExpectCorruptionNaming(Codec::kUncompressed, DecompressSized(Codec::kUncompressed, data, 5));
}

TEST(CodecTest, ConcurrentUse) {
  std::vector<std::thread> threads;
  std::vector<int> failures(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t, &failures] {
      for (int i = 0; i < 20; ++i) {
        Bytes data = CompressibleBytes(20'000 + t * 100 + i, t * 1000 + i);
        for (Codec codec : kWritableCodecs) {
          Buffer c;
          Bytes out(data.size());
          if (!Compress(codec, data, &c).ok() ||
              !Decompress(codec, c.view(), out.data(), static_cast<int64_t>(out.size())).ok() ||
              out != data) {
            ++failures[t];
          }
          // An error on this thread must not disturb the next page.
          if (Decompress(codec, c.view(), out.data(), 5).ok()) ++failures[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

// ---------------------------------------------------------------------------------------------
// SNAPPY

TEST(SnappyTest, EmbeddedLengthIsCheckedFirst) {
  Bytes data = CompressibleBytes(1000, 14);
  Bytes c = CompressOrDie(Codec::kSnappy, data);
  Status st = DecompressSized(Codec::kSnappy, c, 999);
  ExpectCorruptionNaming(Codec::kSnappy, st);
  EXPECT_NE(st.message().find("1000"), std::string::npos) << st;
  // A varint that never ends.
  ExpectCorruptionNaming(
      Codec::kSnappy,
      DecompressSized(Codec::kSnappy, Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 5));
  // A header that claims a huge length is rejected before any work.
  ExpectCorruptionNaming(Codec::kSnappy,
                         DecompressSized(Codec::kSnappy, Bytes{0xff, 0xff, 0xff, 0xff, 0x0f}, 5));
}

// ---------------------------------------------------------------------------------------------
// GZIP

TEST(GzipTest, ConcatenatedMembers) {
  Bytes a = CompressibleBytes(30'000, 15), b = RandomBytes(5000, 16), c = {9};
  Bytes stream = Concat({Deflate(a, 31), Deflate(b, 31), Deflate({}, 31), Deflate(c, 31)});
  Bytes expected = Concat({a, b, c});
  Bytes out;
  ASSERT_OK(DecompressTo(Codec::kGzip, stream, static_cast<int64_t>(expected.size()), &out));
  EXPECT_TRUE(out == expected);
  // The members together must still fill the output exactly.
  ExpectCorruptionNaming(Codec::kGzip,
                         DecompressSized(Codec::kGzip, stream, static_cast<int64_t>(a.size())));
  ExpectCorruptionNaming(Codec::kGzip, DecompressSized(Codec::kGzip, stream,
                                                       static_cast<int64_t>(expected.size()) + 1));
  ExpectCorruptionNaming(Codec::kGzip, DecompressSized(Codec::kGzip, stream,
                                                       static_cast<int64_t>(expected.size()) - 1));
}

TEST(GzipTest, ZlibStreamsAccepted) {
  Bytes a = CompressibleBytes(20'000, 17), b = CompressibleBytes(100, 18);
  Bytes out;
  ASSERT_OK(DecompressTo(Codec::kGzip, Deflate(a, 15), static_cast<int64_t>(a.size()), &out));
  EXPECT_TRUE(out == a);
  // compress2() writes a zlib stream too.
  uLongf len = compressBound(a.size());
  Bytes z(len);
  ASSERT_EQ(compress2(z.data(), &len, a.data(), a.size(), 9), Z_OK);
  z.resize(len);
  ASSERT_OK(DecompressTo(Codec::kGzip, z, static_cast<int64_t>(a.size()), &out));
  EXPECT_TRUE(out == a);
  // A zlib stream followed by a gzip member.
  Bytes mixed = Concat({z, Deflate(b, 31)});
  ASSERT_OK(DecompressTo(Codec::kGzip, mixed, static_cast<int64_t>(a.size() + b.size()), &out));
  EXPECT_TRUE(out == Concat({a, b}));
}

TEST(GzipTest, ZeroPaddingAfterLastMemberTolerated) {
  Bytes a = CompressibleBytes(5000, 19);
  Bytes out;
  Bytes padded = Concat({Deflate(a, 31), Bytes(13, 0)});
  ASSERT_OK(DecompressTo(Codec::kGzip, padded, static_cast<int64_t>(a.size()), &out));
  EXPECT_TRUE(out == a);
  // Padding does not excuse a short output.
  ExpectCorruptionNaming(Codec::kGzip,
                         DecompressSized(Codec::kGzip, padded, static_cast<int64_t>(a.size()) + 1));
  // Non-zero bytes after the member are another (broken) member.
  ExpectCorruptionNaming(Codec::kGzip, DecompressSized(Codec::kGzip, Concat({padded, Bytes{1}}),
                                                       static_cast<int64_t>(a.size())));
}

TEST(GzipTest, CorruptChecksumDetected) {
  Bytes a = CompressibleBytes(5000, 20);
  Bytes member = Deflate(a, 31);
  member[member.size() - 6] ^= 0x01;  // CRC32 in the trailer
  ExpectCorruptionNaming(Codec::kGzip,
                         DecompressSized(Codec::kGzip, member, static_cast<int64_t>(a.size())));
  Bytes z = Deflate(a, 15);
  z.back() ^= 0x80;  // Adler-32
  ExpectCorruptionNaming(Codec::kGzip,
                         DecompressSized(Codec::kGzip, z, static_cast<int64_t>(a.size())));
}

// ---------------------------------------------------------------------------------------------
// LZ4 (Hadoop) and LZ4_RAW

TEST(Lz4HadoopTest, OneFrame) {
  Bytes data = CompressibleBytes(50'000, 21);
  Bytes framed;
  AppendHadoopBlock(&framed, data.data(), data.size(), data.size());
  Bytes out;
  ASSERT_OK(DecompressTo(Codec::kLz4Hadoop, framed, static_cast<int64_t>(data.size()), &out));
  EXPECT_TRUE(out == data);
}

TEST(Lz4HadoopTest, SeveralFrames) {
  Bytes data = Concat({CompressibleBytes(70'000, 22), RandomBytes(1000, 23), Bytes{1}});
  Bytes framed;
  const size_t sizes[] = {30'000, 40'000, 1000, 1};
  size_t off = 0;
  for (size_t n : sizes) {
    AppendHadoopBlock(&framed, data.data() + off, n, n);
    off += n;
  }
  ASSERT_EQ(off, data.size());
  Bytes out;
  ASSERT_OK(DecompressTo(Codec::kLz4Hadoop, framed, static_cast<int64_t>(data.size()), &out));
  EXPECT_TRUE(out == data);
  // The frames must fill the output exactly, and be consumed exactly.
  const auto n = static_cast<int64_t>(data.size());
  ExpectCorruptionNaming(Codec::kLz4Hadoop, DecompressSized(Codec::kLz4Hadoop, framed, n - 1));
  ExpectCorruptionNaming(Codec::kLz4Hadoop, DecompressSized(Codec::kLz4Hadoop, framed, n + 1));
  ExpectCorruptionNaming(Codec::kLz4Hadoop,
                         DecompressSized(Codec::kLz4Hadoop, Concat({framed, Bytes{0}}), n));
  for (size_t cut : {size_t{3}, size_t{8}, framed.size() / 2, framed.size() - 1}) {
    Bytes prefix(framed.begin(), framed.begin() + static_cast<ptrdiff_t>(cut));
    ExpectCorruptionNaming(Codec::kLz4Hadoop, DecompressSized(Codec::kLz4Hadoop, prefix, n));
  }
}

TEST(Lz4HadoopTest, SeveralChunksPerFrame) {
  // What Hadoop's BlockCompressorStream writes for a write above its buffer size.
  Bytes data = CompressibleBytes(100'000, 24);
  Bytes framed;
  AppendHadoopBlock(&framed, data.data(), 90'000, 32'000);  // chunks of 32000, 32000, 26000
  AppendHadoopBlock(&framed, data.data() + 90'000, 10'000, 10'000);
  Bytes out;
  ASSERT_OK(DecompressTo(Codec::kLz4Hadoop, framed, static_cast<int64_t>(data.size()), &out));
  EXPECT_TRUE(out == data);
}

TEST(Lz4HadoopTest, RawLengthMustMatchChunks) {
  Bytes data = CompressibleBytes(1000, 25);
  Bytes block = Lz4Block(data.data(), data.size());
  Bytes framed;
  AppendBE32(&framed, 999);  // says 999, the block holds 1000
  AppendBE32(&framed, static_cast<uint32_t>(block.size()));
  framed.insert(framed.end(), block.begin(), block.end());
  ExpectCorruptionNaming(Codec::kLz4Hadoop, DecompressSized(Codec::kLz4Hadoop, framed, 999));
  ExpectCorruptionNaming(Codec::kLz4Hadoop, DecompressSized(Codec::kLz4Hadoop, framed, 1000));
}

TEST(Lz4HadoopTest, BareBlockFallback) {
  for (const Bytes& data : {CompressibleBytes(64'000, 26), RandomBytes(500, 27), Bytes{5}}) {
    Bytes block = Lz4Block(data.data(), data.size());
    Bytes out;
    ASSERT_OK(DecompressTo(Codec::kLz4Hadoop, block, static_cast<int64_t>(data.size()), &out));
    EXPECT_TRUE(out == data);
    // LZ4_RAW pages read the same way.
    ASSERT_OK(DecompressTo(Codec::kLz4Raw, block, static_cast<int64_t>(data.size()), &out));
    EXPECT_TRUE(out == data);
    ExpectCorruptionNaming(
        Codec::kLz4Hadoop,
        DecompressSized(Codec::kLz4Hadoop, block, static_cast<int64_t>(data.size()) + 1));
  }
}

TEST(Lz4HadoopTest, FramesWithWrongSizeDoNotFallBack) {
  // Found by the fuzzer: these frames, read as one bare block, decode (liblz4 accepts a match
  // offset of 0) to 133 bytes. A Hadoop page whose header says 133 must still be corrupt.
  Bytes framed = {0x00, 0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x13, 0x3c,
                  0xa0, 0xf5, 0x84, 0x01, 0x00, 0x3f, 0x2a, 0x84, 0xff,
                  0x01, 0x00, 0x56, 0x50, 0xff, 0xff, 0xff, 0xff, 0x84};
  ASSERT_OK(DecompressSized(Codec::kLz4Hadoop, framed, 132));
  ExpectCorruptionNaming(Codec::kLz4Hadoop, DecompressSized(Codec::kLz4Hadoop, framed, 133));
  for (int64_t size = 0; size < 300; ++size) {
    if (size == 132) continue;
    EXPECT_FALSE(DecompressSized(Codec::kLz4Hadoop, framed, size).ok()) << size;
  }
}

TEST(Lz4HadoopTest, EmptyFrame) {
  Bytes framed;
  AppendHadoopBlock(&framed, nullptr, 0, 1);
  ASSERT_OK(DecompressSized(Codec::kLz4Hadoop, framed, 0));
  ExpectCorruptionNaming(Codec::kLz4Hadoop, DecompressSized(Codec::kLz4Hadoop, framed, 1));
}

TEST(Lz4HadoopTest, GarbageIsCorruption) {
  for (uint32_t seed = 0; seed < 300; ++seed) {
    Bytes garbage = RandomBytes(1 + seed % 64, seed + 1000);
    if (seed % 3 == 0) {  // plausible frame headers in front of garbage
      Bytes header;
      AppendBE32(&header, seed);
      AppendBE32(&header, static_cast<uint32_t>(garbage.size()));
      garbage = Concat({header, garbage});
    }
    for (int64_t size : {int64_t{0}, int64_t{seed}, int64_t{10'000}}) {
      ExpectCorruptionNaming(Codec::kLz4Hadoop, DecompressSized(Codec::kLz4Hadoop, garbage, size));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// ZSTD

Bytes ZstdFrame(const Bytes& data, bool content_size, bool checksum) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, content_size ? 1 : 0);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0);
  Bytes out(ZSTD_compressBound(data.size()));
  size_t n = ZSTD_compress2(cctx, out.data(), out.size(), data.data(), data.size());
  EXPECT_FALSE(ZSTD_isError(n));
  ZSTD_freeCCtx(cctx);
  out.resize(n);
  return out;
}

TEST(ZstdTest, MultipleFramesWithoutContentSize) {
  Bytes a = CompressibleBytes(40'000, 28), b = RandomBytes(3000, 29);
  Bytes fa = ZstdFrame(a, false, false);
  ASSERT_EQ(ZSTD_getFrameContentSize(fa.data(), fa.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  Bytes stream = Concat({fa, ZstdFrame(b, true, true), ZstdFrame({}, false, false)});
  Bytes expected = Concat({a, b});
  Bytes out;
  ASSERT_OK(DecompressTo(Codec::kZstd, stream, static_cast<int64_t>(expected.size()), &out));
  EXPECT_TRUE(out == expected);
  const auto n = static_cast<int64_t>(expected.size());
  ExpectCorruptionNaming(Codec::kZstd, DecompressSized(Codec::kZstd, stream, n - 1));
  ExpectCorruptionNaming(Codec::kZstd, DecompressSized(Codec::kZstd, stream, n + 1));
  ExpectCorruptionNaming(Codec::kZstd, DecompressSized(Codec::kZstd, fa, 100));
}

TEST(ZstdTest, SkippableFrames) {
  Bytes a = CompressibleBytes(1000, 30);
  // Magic 0x184D2A50 (LE), length 4, payload.
  Bytes skippable = {0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 'p', 'a', 'd', '!'};
  Bytes stream = Concat({skippable, ZstdFrame(a, true, false), skippable});
  Bytes out;
  ASSERT_OK(DecompressTo(Codec::kZstd, stream, static_cast<int64_t>(a.size()), &out));
  EXPECT_TRUE(out == a);
  ASSERT_OK(DecompressSized(Codec::kZstd, skippable, 0));
}

TEST(ZstdTest, ChecksumAndDeclaredSizeChecked) {
  Bytes a = CompressibleBytes(10'000, 31);
  Bytes framed = ZstdFrame(a, true, true);
  framed.back() ^= 0xff;
  ExpectCorruptionNaming(Codec::kZstd,
                         DecompressSized(Codec::kZstd, framed, static_cast<int64_t>(a.size())));
  // A hand-made frame that declares a terabyte but holds one 100-byte RLE block: refused
  // without allocating or writing beyond the output.
  Bytes huge = {0x28, 0xb5, 0x2f, 0xfd,              // magic
                0xe0,                                // 8-byte content size, single segment
                0,    0,    0,    0,    0, 1, 0, 0,  // content size 2^40
                0x23, 0x03, 0x00, 'x'};              // last block, RLE, 100 bytes of 'x'
  ASSERT_EQ(ZSTD_getFrameContentSize(huge.data(), huge.size()), uint64_t{1} << 40);
  ExpectCorruptionNaming(Codec::kZstd, DecompressSized(Codec::kZstd, huge, 100));
  ExpectCorruptionNaming(Codec::kZstd, DecompressSized(Codec::kZstd, huge, 1 << 20));
  // The same block in a frame without a content size decodes.
  Bytes plain = {0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00, 0x23, 0x03, 0x00, 'x'};  // 1 KiB window
  Bytes out;
  ASSERT_OK(DecompressTo(Codec::kZstd, plain, 100, &out));
  EXPECT_EQ(out, Bytes(100, 'x'));
}

// ---------------------------------------------------------------------------------------------
// BROTLI

TEST(BrotliTest, SizeAndTailChecked) {
  Bytes a = RandomBytes(2000, 32);
  Bytes c = CompressOrDie(Codec::kBrotli, a, 11);
  Status st = DecompressSized(Codec::kBrotli, c, 1999);
  ExpectCorruptionNaming(Codec::kBrotli, st);
  EXPECT_NE(st.message().find("more than 1999"), std::string::npos) << st;
  st = DecompressSized(Codec::kBrotli, c, 2001);
  ExpectCorruptionNaming(Codec::kBrotli, st);
  EXPECT_NE(st.message().find("2000"), std::string::npos) << st;
}

}  // namespace
}  // namespace ds::parquet
