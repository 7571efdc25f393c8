#include "parquet/encoding/rle.h"

#include <memory>
#include <random>
#include <vector>

#include "test/testing/testing.h"

namespace ds::parquet {
namespace {

std::vector<uint8_t> Bytes(std::initializer_list<int> b) {
  std::vector<uint8_t> v;
  for (int x : b) v.push_back(uint8_t(x));
  return v;
}

ByteView View(const std::vector<uint8_t>& v) { return {v.data(), v.size()}; }

// Decodes everything (asking for more than present) as uint32_t.
Result<std::vector<uint32_t>> DecodeAll(ByteView data, int bit_width, int64_t max_values) {
  ASSIGN_OR_RETURN(RleBitPackedDecoder dec, RleBitPackedDecoder::Make(data, bit_width));
  std::vector<uint32_t> out(static_cast<size_t>(max_values));
  ASSIGN_OR_RETURN(int64_t n, dec.GetBatch(out.data(), max_values));
  out.resize(size_t(n));
  return out;
}

std::vector<uint8_t> Encode(const std::vector<uint32_t>& values, int bit_width) {
  RleBitPackedEncoder enc(bit_width);
  for (uint32_t v : values) enc.Put(v);
  Buffer out;
  enc.FinishTo(&out);
  return std::vector<uint8_t>(out.data(), out.data() + out.size());
}

TEST(RleTest, SpecExamplesDecode) {
  const std::vector<uint32_t> expected = {1, 1, 1, 1, 1, 1, 1, 1, 0, 1};
  // Bit-packed: 2 groups (16 values, 6 of them padding).
  auto bp = Bytes({0x05, 0xFF, 0x02});
  ASSERT_OK_AND_ASSIGN(RleBitPackedDecoder dec, RleBitPackedDecoder::Make(View(bp), 1));
  std::vector<uint32_t> out(10);
  ASSERT_OK_AND_ASSIGN(int64_t n, dec.GetBatch(out.data(), 10));
  EXPECT_EQ(n, 10);
  EXPECT_EQ(out, expected);
  // RLE runs: 8 x 1, 1 x 0, 1 x 1; asking for more returns what exists.
  auto rle = Bytes({0x10, 0x01, 0x02, 0x00, 0x02, 0x01});
  ASSERT_OK_AND_ASSIGN(auto all, DecodeAll(View(rle), 1, 100));
  EXPECT_EQ(all, expected);
  // Bit-packed 0..7 at width 3.
  auto w3 = Bytes({0x03, 0x88, 0xC6, 0xFA});
  ASSERT_OK_AND_ASSIGN(auto seq, DecodeAll(View(w3), 3, 8));
  EXPECT_EQ(seq, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(RleTest, EncoderWritesRunsAndWholeGroups) {
  // 8 ones become an RLE run; the tail 0,1 is a zero-padded bit-packed group.
  EXPECT_EQ(Encode({1, 1, 1, 1, 1, 1, 1, 1, 0, 1}, 1), Bytes({0x10, 0x01, 0x03, 0x02}));
  EXPECT_EQ(Encode({0, 1, 2, 3, 4, 5, 6, 7}, 3), Bytes({0x03, 0x88, 0xC6, 0xFA}));
  // A uniform tail needs no padding.
  EXPECT_EQ(Encode({5, 5, 5}, 3), Bytes({0x06, 0x05}));
  // Bit width 0: runs without value bytes.
  EXPECT_EQ(Encode({0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0), Bytes({0x14}));
  // Bit-packed runs always have whole groups: 10 values -> 2 groups of 4 bits.
  auto ten = Encode({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 4);
  EXPECT_EQ(ten.size(), 1u + 2 * 4);
  EXPECT_EQ(ten[0], 0x05);
  EXPECT_EQ(ten[5], 0xA9);
  EXPECT_EQ(ten[6], 0x00);
  // A lone trailing value is a 1-value RLE run rather than a padded group.
  EXPECT_EQ(Encode({1, 2, 3, 4, 5, 6, 7, 8, 9}, 4),
            Bytes({0x03, 0x21, 0x43, 0x65, 0x87, 0x02, 0x09}));
  // 16-bit values are stored in 2 bytes.
  EXPECT_EQ(Encode(std::vector<uint32_t>(20, 0x1234), 13), Bytes({0x28, 0x34, 0x12}));
}

TEST(RleTest, BitWidthZero) {
  auto rle = Bytes({0x0A});  // RLE run of 5, no value bytes
  ASSERT_OK_AND_ASSIGN(auto a, DecodeAll(View(rle), 0, 100));
  EXPECT_EQ(a, std::vector<uint32_t>(5, 0));
  auto bp = Bytes({0x03});  // one bit-packed group of 8, zero bytes
  ASSERT_OK_AND_ASSIGN(auto b, DecodeAll(View(bp), 0, 100));
  EXPECT_EQ(b, std::vector<uint32_t>(8, 0));
  // A single byte can announce 2^31 - 1 zeros: decode a prefix cheaply.
  auto big = Bytes({0xFE, 0xFF, 0xFF, 0xFF, 0x0F});
  ASSERT_OK_AND_ASSIGN(RleBitPackedDecoder dec, RleBitPackedDecoder::Make(View(big), 0));
  std::vector<uint8_t> out(1000, 9);
  ASSERT_OK_AND_ASSIGN(int64_t n, dec.GetBatch(out.data(), 1000));
  EXPECT_EQ(n, 1000);
  EXPECT_EQ(out, std::vector<uint8_t>(1000, 0));
}

TEST(RleTest, MalformedRunsAreCorruption) {
  struct Case {
    std::vector<uint8_t> bytes;
    int width;
    int64_t want;
  };
  const Case cases[] = {
      {Bytes({0x00}), 1, 1},                                // zero-length RLE run
      {Bytes({0x01}), 1, 1},                                // zero-group bit-packed run
      {Bytes({0x80}), 1, 1},                                // truncated header
      {Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x1F}), 1, 1},        // header overflows 32 bits
      {Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}), 1, 1},  // header longer than 5 bytes
      {Bytes({0x02}), 8, 1},                                // RLE value missing
      {Bytes({0x02, 0x01}), 9, 1},                          // RLE value truncated (2 bytes)
      {Bytes({0x02, 0x05}), 1, 1},                          // RLE value wider than width
      {Bytes({0x03}), 8, 1},                                // bit-packed run without bytes
      {Bytes({0x03, 0x01, 0x02}), 8, 3},                    // needed value past the end
      {Bytes({0x05, 0xFF}), 1, 9},                          // second group missing
  };
  for (const Case& c : cases) {
    auto r = DecodeAll(View(c.bytes), c.width, c.want);
    SCOPED_TRACE(::testing::PrintToString(c.bytes));
    ASSERT_RAISES(kCorruption, r);
  }
}

TEST(RleTest, TruncatedPaddingIsTolerated) {
  // One group announced at width 8 but only 2 bytes present: the 2 values are readable.
  auto v = Bytes({0x03, 0x07, 0x09});
  ASSERT_OK_AND_ASSIGN(RleBitPackedDecoder dec, RleBitPackedDecoder::Make(View(v), 8));
  uint8_t out[2];
  ASSERT_OK_AND_ASSIGN(int64_t n, dec.GetBatch(out, 2));
  EXPECT_EQ(n, 2);
  EXPECT_EQ(out[0], 7);
  EXPECT_EQ(out[1], 9);
}

TEST(RleTest, MakeValidatesWidth) {
  ASSERT_RAISES(kCorruption, RleBitPackedDecoder::Make({}, 33));
  ASSERT_RAISES(kCorruption, RleBitPackedDecoder::Make({}, -1));
  ASSERT_RAISES(kCorruption, RleBitPackedDecoder::MakeForDictionaryIndices({}));
  auto bad = Bytes({33, 0x02});
  ASSERT_RAISES(kCorruption, RleBitPackedDecoder::MakeForDictionaryIndices(View(bad)));
  auto wide = Bytes({0x02, 0xFF, 0x01});
  ASSERT_OK_AND_ASSIGN(RleBitPackedDecoder dec, RleBitPackedDecoder::Make(View(wide), 9));
  uint8_t out[1];
  ASSERT_RAISES(kInvalidArgument, dec.GetBatch(out, 1));
}

TEST(RleTest, EmptyDecoderYieldsNothing) {
  RleBitPackedDecoder dec;
  int16_t out[4];
  ASSERT_OK_AND_ASSIGN(int64_t n, dec.GetBatch(out, 4));
  EXPECT_EQ(n, 0);
}

std::vector<uint32_t> Pattern(std::mt19937_64& rng, int64_t n, int width, int kind) {
  uint32_t mask = width == 32 ? ~0u : (1u << width) - 1;
  std::vector<uint32_t> v(static_cast<size_t>(n));
  uint32_t cur = uint32_t(rng()) & mask;
  for (auto& x : v) {
    switch (kind) {
      case 0:
        x = uint32_t(rng()) & mask;
        break;  // random
      case 1:   // runs of random length
        if (rng() % 20 == 0) cur = uint32_t(rng()) & mask;
        x = cur;
        break;
      case 2:
        x = mask;
        break;  // constant extreme
      default:  // mostly-runs with literal noise
        x = (rng() % 4 == 0) ? (uint32_t(rng()) & mask) : cur;
    }
  }
  return v;
}

template <typename T>
void CheckRoundTrip(const std::vector<uint32_t>& values, int width, std::mt19937_64& rng) {
  auto encoded = Encode(values, width);
  auto exact = std::make_unique<uint8_t[]>(encoded.size());
  std::copy(encoded.begin(), encoded.end(), exact.get());
  ASSERT_OK_AND_ASSIGN(RleBitPackedDecoder dec,
                       RleBitPackedDecoder::Make({exact.get(), encoded.size()}, width));
  std::vector<T> out(values.size());
  size_t done = 0;
  while (done < values.size()) {
    int64_t batch = int64_t(1 + rng() % 300);
    batch = std::min<int64_t>(batch, int64_t(values.size() - done));
    ASSERT_OK_AND_ASSIGN(int64_t n, dec.GetBatch(out.data() + done, batch));
    ASSERT_EQ(n, batch);
    done += size_t(n);
  }
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(uint32_t(out[i]), values[i]) << "width " << width << " i " << i;
  }
}

TEST(RleTest, RoundTripAllWidthsAndLengths) {
  std::mt19937_64 rng(3);
  for (int width = 0; width <= 32; ++width) {
    for (int64_t n : {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000}) {
      if (n == 100000 && width % 5 != 0) continue;
      for (int kind = 0; kind < 4; ++kind) {
        auto values = Pattern(rng, n, width, kind);
        CheckRoundTrip<uint32_t>(values, width, rng);
        if (width <= 8) CheckRoundTrip<uint8_t>(values, width, rng);
        if (width <= 15) CheckRoundTrip<int16_t>(values, width, rng);
        if (width <= 16) CheckRoundTrip<uint16_t>(values, width, rng);
        if (width <= 31) CheckRoundTrip<int32_t>(values, width, rng);
      }
    }
  }
}

TEST(RleTest, PutRepeatedIsCompactAndExact) {
  RleBitPackedEncoder enc(2);
  enc.Put(1);
  enc.Put(2);
  enc.PutRepeated(3, 10'000'000);
  enc.PutRepeated(0, 5);
  enc.Put(1);
  Buffer out;
  enc.FinishTo(&out);
  EXPECT_LT(out.size(), 20u);
  std::vector<uint32_t> expected = {1, 2};
  expected.insert(expected.end(), 10'000'000, 3);
  expected.insert(expected.end(), 5, 0);
  expected.push_back(1);
  // Exactly the values put, then zero padding up to the end of the last group.
  ASSERT_OK_AND_ASSIGN(auto got, DecodeAll(out.view(), 2, 20'000'000));
  ASSERT_EQ(got.size(), expected.size() + 2);
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), got.begin()));
  // The encoder is reusable after FinishTo.
  enc.PutRepeated(2, 3);
  Buffer again;
  enc.FinishTo(&again);
  EXPECT_EQ(std::vector<uint8_t>(again.data(), again.data() + again.size()), Bytes({0x06, 0x02}));
}

TEST(RleTest, EveryTruncationFailsOrYieldsAPrefix) {
  std::mt19937_64 rng(11);
  for (int width : {1, 3, 8, 13, 32}) {
    auto values = Pattern(rng, 300, width, 3);
    auto encoded = Encode(values, width);
    for (size_t len = 0; len < encoded.size(); ++len) {
      auto exact = std::make_unique<uint8_t[]>(len + 1);
      std::copy(encoded.begin(), encoded.begin() + long(len), exact.get());
      auto r = DecodeAll({exact.get(), len}, width, 300);
      if (!r.ok()) {
        EXPECT_TRUE(r.status().IsCorruption()) << r.status();
        continue;
      }
      ASSERT_LE(r->size(), values.size()) << "len " << len;
      for (size_t i = 0; i < r->size(); ++i) ASSERT_EQ((*r)[i], values[i]);
    }
  }
}

TEST(RleTest, DictionaryGather) {
  const double dict[] = {0.5, 1.5, 2.5, 3.5};
  std::vector<uint32_t> idx = {0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 0};
  auto enc = Encode(idx, 2);
  ASSERT_OK_AND_ASSIGN(RleBitPackedDecoder dec, RleBitPackedDecoder::Make(View(enc), 2));
  std::vector<double> out(idx.size());
  ASSERT_OK(dec.GetBatchWithDictionary(dict, 4, out.data(), int64_t(idx.size())));
  for (size_t i = 0; i < idx.size(); ++i) EXPECT_EQ(out[i], dict[idx[i]]);

  // Index out of range, in a literal run and in an RLE run.
  ASSERT_OK_AND_ASSIGN(dec, RleBitPackedDecoder::Make(View(enc), 2));
  ASSERT_RAISES(kCorruption, dec.GetBatchWithDictionary(dict, 3, out.data(), 14));
  auto run = Bytes({0x10, 0x03});
  ASSERT_OK_AND_ASSIGN(dec, RleBitPackedDecoder::Make(View(run), 2));
  ASSERT_RAISES(kCorruption, dec.GetBatchWithDictionary(dict, 3, out.data(), 8));
  // Fewer indices than requested.
  ASSERT_OK_AND_ASSIGN(dec, RleBitPackedDecoder::Make(View(run), 2));
  ASSERT_RAISES(kCorruption, dec.GetBatchWithDictionary(dict, 4, out.data(), 9));
  // Empty dictionary: any index is out of range.
  ASSERT_OK_AND_ASSIGN(dec, RleBitPackedDecoder::Make(View(run), 2));
  ASSERT_RAISES(kCorruption, dec.GetBatchWithDictionary(dict, 0, out.data(), 1));

  // Raw indices.
  auto dict_page = Bytes({0x02});
  dict_page.insert(dict_page.end(), enc.begin(), enc.end());
  ASSERT_OK_AND_ASSIGN(dec, RleBitPackedDecoder::MakeForDictionaryIndices(View(dict_page)));
  std::vector<uint32_t> raw(idx.size());
  ASSERT_OK(dec.GetBatchWithDictionary(4, raw.data(), int64_t(raw.size())));
  EXPECT_EQ(raw, idx);
  ASSERT_OK_AND_ASSIGN(dec, RleBitPackedDecoder::MakeForDictionaryIndices(View(dict_page)));
  ASSERT_RAISES(kCorruption, dec.GetBatchWithDictionary(3, raw.data(), int64_t(raw.size())));
}

TEST(RleTest, DictionaryOfWideStructs) {
  struct Int96 {
    uint32_t w[3];
  };
  const Int96 dict[2] = {{{1, 2, 3}}, {{4, 5, 6}}};
  // Bit width 0 (a one-entry dictionary), as in ARROW-GH-43605.
  auto zero = Bytes({0x00, 0x0A});
  ASSERT_OK_AND_ASSIGN(auto dec, RleBitPackedDecoder::MakeForDictionaryIndices(View(zero)));
  Int96 out[5];
  ASSERT_OK(dec.GetBatchWithDictionary(dict, 1, out, 5));
  for (const Int96& v : out) EXPECT_EQ(v.w[2], 3u);
}

TEST(RleTest, LegacyBitPackedMsbLevels) {
  auto msb = Bytes({0x05, 0x39, 0x77});
  int16_t out[8];
  ASSERT_OK(DecodeBitPackedMsbLevels(View(msb), 3, 8, out));
  for (int i = 0; i < 8; ++i) EXPECT_EQ(out[i], i);
  EXPECT_EQ(BitPackedMsbLevelsSize(8, 3), 3);
  ASSERT_RAISES(kCorruption, DecodeBitPackedMsbLevels(View(msb), 3, 9, out));
  ASSERT_RAISES(kInvalidArgument, DecodeBitPackedMsbLevels(View(msb), 17, 1, out));
  // Width 1, MSB first: 0b10110000 -> 1,0,1,1.
  auto bits = Bytes({0xB0});
  ASSERT_OK(DecodeBitPackedMsbLevels(View(bits), 1, 4, out));
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[2], 1);
  EXPECT_EQ(out[3], 1);
  ASSERT_OK(DecodeBitPackedMsbLevels({}, 0, 8, out));
  EXPECT_EQ(out[7], 0);
}

}  // namespace
}  // namespace ds::parquet
