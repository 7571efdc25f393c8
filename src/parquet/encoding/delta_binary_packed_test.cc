#include "parquet/encoding/delta_binary_packed.h"

#include <limits>
#include <memory>
#include <random>
#include <vector>

#include "parquet/encoding/bit_pack.h"
#include "parquet/encoding/varint.h"
#include "test/testing/testing.h"
#include "util/bit_util.h"

namespace ds::parquet {
namespace {

std::vector<uint8_t> Bytes(std::initializer_list<int> b) {
  std::vector<uint8_t> v;
  for (int x : b) v.push_back(uint8_t(x));
  return v;
}
ByteView View(const std::vector<uint8_t>& v) { return {v.data(), v.size()}; }

template <typename T>
std::vector<uint8_t> Encode(const std::vector<T>& values) {
  DeltaBinaryPackedEncoder<T> enc;
  enc.Put(values.data(), int64_t(values.size()));
  Buffer out;
  enc.FinishTo(&out);
  return std::vector<uint8_t>(out.data(), out.data() + out.size());
}

// A reference encoder with any block layout, to exercise the decoder beyond 128/4.
template <typename T>
std::vector<uint8_t> EncodeWithLayout(const std::vector<T>& values, int64_t block_size,
                                      int64_t miniblocks) {
  using U = std::make_unsigned_t<T>;
  Buffer out;
  internal::AppendUleb(uint64_t(block_size), &out);
  internal::AppendUleb(uint64_t(miniblocks), &out);
  internal::AppendUleb(values.size(), &out);
  internal::AppendUleb(internal::ZigZagEncode(values.empty() ? 0 : int64_t{values[0]}), &out);
  const int64_t per_mb = block_size / miniblocks;
  for (size_t start = 1; start < values.size(); start += size_t(block_size)) {
    size_t n = std::min(values.size() - start, size_t(block_size));
    std::vector<U> deltas(size_t(block_size), 0);
    T min_delta = std::numeric_limits<T>::max();
    for (size_t i = 0; i < n; ++i) {
      deltas[i] = U(U(values[start + i]) - U(values[start + i - 1]));
      min_delta = std::min(min_delta, T(deltas[i]));
    }
    for (size_t i = 0; i < n; ++i) deltas[i] = U(deltas[i] - U(min_delta));
    internal::AppendUleb(internal::ZigZagEncode(min_delta), &out);
    int64_t needed = (int64_t(n) + per_mb - 1) / per_mb;
    std::vector<uint8_t> widths(size_t(miniblocks), 0xEE);  // unneeded: arbitrary bytes
    for (int64_t m = 0; m < needed; ++m) {
      U bits = 0;
      for (int64_t i = 0; i < per_mb; ++i) bits |= deltas[size_t(m * per_mb + i)];
      widths[size_t(m)] = uint8_t(bit::BitWidth(bits));
    }
    out.Append(widths.data(), widths.size());
    for (int64_t m = 0; m < needed; ++m) {
      std::vector<uint8_t> body(size_t(per_mb * widths[size_t(m)] / 8));
      PackBits(deltas.data() + m * per_mb, per_mb, widths[size_t(m)], body.data());
      out.Append(body.data(), body.size());
    }
  }
  return std::vector<uint8_t>(out.data(), out.data() + out.size());
}

// Decodes everything in random batches; checks EndOffset on the way.
template <typename T>
void CheckDecodes(const std::vector<uint8_t>& encoded, const std::vector<T>& values,
                  std::mt19937_64& rng) {
  // Trailing bytes after the stream must be left alone (EndOffset stops before them).
  std::vector<uint8_t> with_tail = encoded;
  with_tail.push_back(0xAB);
  with_tail.push_back(0xCD);
  DeltaBinaryPackedDecoder<T> dec;
  ASSERT_OK(dec.Init(View(with_tail)));
  ASSERT_EQ(dec.total_count(), int64_t(values.size()));
  ASSERT_OK_AND_ASSIGN(size_t end0, dec.EndOffset());
  EXPECT_EQ(end0, encoded.size());
  std::vector<T> out(values.size() + 1);
  size_t done = 0;
  while (done < values.size()) {
    int64_t batch = int64_t(rng() % 3 == 0 ? 1 + rng() % 40 : 1 + rng() % 700);
    ASSERT_OK_AND_ASSIGN(int64_t n, dec.Decode(out.data() + done, batch));
    ASSERT_EQ(n, std::min<int64_t>(batch, int64_t(values.size() - done)));
    done += size_t(n);
    ASSERT_OK_AND_ASSIGN(size_t end, dec.EndOffset());
    ASSERT_EQ(end, encoded.size()) << "after " << done;
  }
  ASSERT_OK_AND_ASSIGN(int64_t extra, dec.Decode(out.data() + done, 5));
  EXPECT_EQ(extra, 0);
  out.resize(values.size());
  ASSERT_EQ(out, values);
}

TEST(DeltaBinaryPackedTest, SpecExample) {
  // parquet.md §4.4: [7,5,3,1,2,3,4,5].
  const auto expected = Bytes({0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x00, 0x00, 0x00, 0xC0,
                               0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
  const std::vector<int32_t> values = {7, 5, 3, 1, 2, 3, 4, 5};
  EXPECT_EQ(Encode(values), expected);
  std::mt19937_64 rng(1);
  CheckDecodes(expected, values, rng);
  CheckDecodes(expected, std::vector<int64_t>(values.begin(), values.end()), rng);
  // The widths of unneeded miniblocks are ignored, whatever they hold.
  auto garbage = expected;
  garbage[7] = garbage[8] = garbage[9] = 0xFF;
  CheckDecodes(garbage, values, rng);
}

TEST(DeltaBinaryPackedTest, SmallCounts) {
  std::mt19937_64 rng(2);
  // 0 values: header only; 1 value: no block.
  auto zero = Encode(std::vector<int32_t>{});
  EXPECT_EQ(zero, Bytes({0x80, 0x01, 0x04, 0x00, 0x00}));
  CheckDecodes(zero, std::vector<int32_t>{}, rng);
  auto one = Encode(std::vector<int64_t>{-3});
  EXPECT_EQ(one, Bytes({0x80, 0x01, 0x04, 0x01, 0x05}));
  CheckDecodes(one, std::vector<int64_t>{-3}, rng);
}

template <typename T>
std::vector<T> Values(std::mt19937_64& rng, int64_t n, int kind) {
  using L = std::numeric_limits<T>;
  std::vector<T> v(static_cast<size_t>(n));
  T cur = T(rng());
  for (size_t i = 0; i < v.size(); ++i) {
    switch (kind) {
      case 0:
        v[i] = T(rng());
        break;  // full range: widths up to max
      case 1:
        v[i] = (i % 2) ? L::min() : L::max();
        break;  // wrapping deltas
      case 2:
        v[i] = T(i % 3 == 0 ? L::min() : (i % 3 == 1 ? 0 : L::max()));
        break;
      case 3:
        cur = T(std::make_unsigned_t<T>(cur) + (rng() % 7));
        v[i] = cur;
        break;
      case 4:
        v[i] = 42;
        break;  // width 0
      default:
        v[i] = T(int64_t(rng() % 2001) - 1000);  // small, both signs
    }
  }
  return v;
}

template <typename T>
void RoundTrips() {
  std::mt19937_64 rng(sizeof(T));
  for (int64_t n : {0, 1, 2, 7, 8, 9, 31, 32, 33, 127, 128, 129, 1000, 100000}) {
    for (int kind = 0; kind < 6; ++kind) {
      auto values = Values<T>(rng, n, kind);
      CheckDecodes(Encode(values), values, rng);
      if (n <= 1000) {
        for (auto [block, mbs] :
             {std::pair<int64_t, int64_t>{128, 1}, {256, 8}, {1024, 4}, {128, 4}, {512, 16}}) {
          CheckDecodes(EncodeWithLayout(values, block, mbs), values, rng);
        }
      }
    }
  }
}

TEST(DeltaBinaryPackedTest, RoundTripInt32) { RoundTrips<int32_t>(); }
TEST(DeltaBinaryPackedTest, RoundTripInt64) { RoundTrips<int64_t>(); }

TEST(DeltaBinaryPackedTest, EveryWidthFromMiniblocks) {
  // One miniblock per width: deltas 0 and 2^w - 1 force exactly width w.
  std::mt19937_64 rng(5);
  for (int w = 0; w <= 64; ++w) {
    std::vector<int64_t> v = {0};
    // Deltas alternate lo and lo + 2^w - 1, so the adjusted deltas need exactly w bits.
    uint64_t lo = w == 64 ? uint64_t{1} << 63 : 0;
    uint64_t hi = lo + (w == 64 ? ~uint64_t{0} : (uint64_t{1} << w) - 1);
    uint64_t acc = 0;
    for (int i = 0; i < 40; ++i) {
      acc += (i % 2) ? hi : lo;
      v.push_back(int64_t(acc));
    }
    auto enc = Encode(v);
    EXPECT_EQ(enc[5 + (enc[5] >= 0x80 ? 10 : 1)], w) << "first miniblock width";
    CheckDecodes(enc, v, rng);
    if (w <= 32) {
      std::vector<int32_t> v32(v.begin(), v.end());
      CheckDecodes(Encode(v32), v32, rng);
    }
  }
}

Status DecodeAll32(const std::vector<uint8_t>& bytes) {
  DeltaBinaryPackedDecoder<int32_t> dec;
  RETURN_NOT_OK(dec.Init(View(bytes)));
  std::vector<int32_t> out(size_t(std::min<int64_t>(dec.total_count(), 1 << 20)));
  RETURN_NOT_OK(dec.Decode(out.data(), int64_t(out.size())));
  return dec.EndOffset().status();
}

TEST(DeltaBinaryPackedTest, MalformedHeaders) {
  const std::vector<uint8_t> bad[] = {
      Bytes({}),                                                      // empty
      Bytes({0x80, 0x01, 0x04, 0x08}),                                // missing first value
      Bytes({0x00, 0x04, 0x02, 0x00}),                                // block size 0
      Bytes({0x64, 0x04, 0x02, 0x00}),                                // block size 100
      Bytes({0x80, 0x01, 0x00, 0x02, 0x00}),                          // 0 miniblocks
      Bytes({0x80, 0x01, 0x03, 0x02, 0x00}),                          // 128 / 3
      Bytes({0x80, 0x01, 0x08, 0x02, 0x00}),                          // miniblocks of 16
      Bytes({0x80, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00}),  // count 2^31
      Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}),  // overflow
      Bytes({0x80, 0x01, 0x04, 0x02, 0x00}),                                      // block missing
      Bytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x01}),                 // widths truncated
      Bytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x21, 0, 0, 0}),        // width 33 for INT32
      Bytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x01, 0, 0, 0, 0x01}),  // body 4 bytes, 1 left
  };
  for (const auto& b : bad) {
    SCOPED_TRACE(::testing::PrintToString(b));
    ASSERT_RAISES(kCorruption, DecodeAll32(b));
  }
  // Width 33 is fine for INT64, up to 64.
  auto w33 = Bytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x21, 0, 0, 0});
  w33.resize(w33.size() + 32 * 33 / 8, 0);
  DeltaBinaryPackedDecoder<int64_t> dec64;
  ASSERT_OK(dec64.Init(View(w33)));
  int64_t out[2];
  ASSERT_OK(dec64.Decode(out, 2));
  w33[6] = 65;
  ASSERT_OK(dec64.Init(View(w33)));
  ASSERT_RAISES(kCorruption, dec64.Decode(out, 2));
}

TEST(DeltaBinaryPackedTest, HugeCountWithWidthZeroIsCheap) {
  // Block of 2^31 - 128 values in one miniblock of width 0: 2^31 - 1 values in a few bytes.
  auto b =
      Bytes({0x80, 0xFF, 0xFF, 0xFF, 0x07, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x02, 0x00});
  DeltaBinaryPackedDecoder<int32_t> dec;
  ASSERT_OK(dec.Init(View(b)));
  EXPECT_EQ(dec.total_count(), INT32_MAX);
  std::vector<int32_t> out(1000);
  ASSERT_OK_AND_ASSIGN(int64_t n, dec.Decode(out.data(), 1000));
  EXPECT_EQ(n, 1000);
  EXPECT_EQ(out[999], 999);
  // The rest needs a second block which is absent.
  ASSERT_RAISES(kCorruption, dec.EndOffset());
}

TEST(DeltaBinaryPackedTest, EveryTruncationFails) {
  std::mt19937_64 rng(9);
  for (int kind : {0, 3, 4}) {
    auto values = Values<int64_t>(rng, 300, kind);
    auto enc = Encode(values);
    for (size_t len = 0; len < enc.size(); ++len) {
      auto exact = std::make_unique<uint8_t[]>(len + 1);
      std::copy(enc.begin(), enc.begin() + long(len), exact.get());
      DeltaBinaryPackedDecoder<int64_t> dec;
      Status st = dec.Init({exact.get(), len});
      if (st.ok()) {
        std::vector<int64_t> out(values.size());
        st = dec.Decode(out.data(), int64_t(out.size())).status();
      }
      SCOPED_TRACE("kind " + std::to_string(kind) + " len " + std::to_string(len));
      ASSERT_RAISES(kCorruption, st);
    }
  }
}

}  // namespace
}  // namespace ds::parquet
