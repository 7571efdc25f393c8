#include "parquet/encoding/plain_bool.h"

#include <random>
#include <vector>

#include "test/testing/testing.h"

namespace ds::parquet {
namespace {

TEST(PlainBoolTest, Example) {
  const uint8_t values[9] = {1, 0, 1, 1, 0, 0, 0, 0, 1};
  Buffer enc;
  EncodePlainBooleans(values, 9, &enc);
  ASSERT_EQ(enc.size(), 2u);
  EXPECT_EQ(enc.data()[0], 0x0D);
  EXPECT_EQ(enc.data()[1], 0x01);
  uint8_t out[9];
  ASSERT_OK(DecodePlainBooleans(enc.view(), 0, 9, out));
  EXPECT_TRUE(std::equal(out, out + 9, values));
  // Any non-zero byte packs as true.
  const uint8_t loose[8] = {0x80, 0, 2, 0, 0, 0, 0, 0xFF};
  uint8_t packed;
  PackBooleans(loose, 8, &packed);
  EXPECT_EQ(packed, 0x85);
}

TEST(PlainBoolTest, RoundTripAtEveryOffset) {
  std::mt19937_64 rng(10);
  for (int64_t n : {0, 1, 7, 8, 9, 63, 64, 65, 1000}) {
    std::vector<uint8_t> values(static_cast<size_t>(n));
    for (auto& v : values) v = uint8_t(rng() % 2);
    Buffer enc;
    EncodePlainBooleans(values.data(), n, &enc);
    ASSERT_EQ(int64_t(enc.size()), (n + 7) / 8);
    for (int64_t off = 0; off <= std::min<int64_t>(n, 20); ++off) {
      std::vector<uint8_t> out(size_t(n - off) + 1, 0xEE);
      ASSERT_OK(DecodePlainBooleans(enc.view(), off, n - off, out.data()));
      EXPECT_EQ(out.back(), 0xEE);
      out.pop_back();
      EXPECT_TRUE(std::equal(out.begin(), out.end(), values.begin() + off)) << n << " " << off;
    }
  }
}

TEST(PlainBoolTest, TooShortIsCorruption) {
  const uint8_t data[2] = {0xFF, 0x01};
  uint8_t out[32];
  ASSERT_OK(DecodePlainBooleans(data, 10, 6, out));
  ASSERT_RAISES(kCorruption, DecodePlainBooleans(data, 10, 7, out));
  ASSERT_RAISES(kCorruption, DecodePlainBooleans(data, 0, 17, out));
  ASSERT_RAISES(kInvalidArgument, DecodePlainBooleans(data, -1, 1, out));
}

}  // namespace
}  // namespace ds::parquet
