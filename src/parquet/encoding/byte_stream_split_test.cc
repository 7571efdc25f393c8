#include "parquet/encoding/byte_stream_split.h"

#include <cstring>
#include <random>
#include <vector>

#include "test/testing/testing.h"

namespace ds::parquet {
namespace {

TEST(ByteStreamSplitTest, FloatExample) {
  const float values[3] = {1.0f, -2.5f, 3.25f};  // 0x3F800000, 0xC0200000, 0x40500000
  Buffer enc;
  EncodeByteStreamSplit(reinterpret_cast<const uint8_t*>(values), 3, 4, &enc);
  const uint8_t expected[12] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                0x80, 0x20, 0x50, 0x3F, 0xC0, 0x40};
  ASSERT_EQ(enc.size(), 12u);
  EXPECT_EQ(std::memcmp(enc.data(), expected, 12), 0);
  float out[3];
  ASSERT_OK(DecodeByteStreamSplit(expected, 3, 4, reinterpret_cast<uint8_t*>(out)));
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], -2.5f);
  EXPECT_EQ(out[2], 3.25f);
}

TEST(ByteStreamSplitTest, RoundTripsAllWidths) {
  std::mt19937_64 rng(6);
  for (int width : {1, 2, 3, 4, 5, 8, 12, 16}) {
    for (int64_t n : {0, 1, 15, 16, 17, 31, 33, 100, 1000, 100000}) {
      std::vector<uint8_t> values(size_t(n * width));
      for (auto& b : values) b = uint8_t(rng());
      Buffer enc;
      EncodeByteStreamSplit(values.data(), n, width, &enc);
      ASSERT_EQ(enc.size(), values.size());
      // Check the layout: stream k holds byte k of every value.
      for (int64_t i = 0; i < std::min<int64_t>(n, 50); ++i) {
        for (int k = 0; k < width; ++k) {
          ASSERT_EQ(enc.data()[k * n + i], values[size_t(i * width + k)]);
        }
      }
      std::vector<uint8_t> out(values.size() + 1, 0xEE);
      ASSERT_OK(DecodeByteStreamSplit(enc.view(), n, width, out.data()));
      EXPECT_EQ(out.back(), 0xEE);
      out.pop_back();
      ASSERT_EQ(out, values) << "width " << width << " n " << n;
      // A sub-range, as a batch-wise reader would ask.
      if (n >= 17) {
        std::vector<uint8_t> part(size_t(13 * width));
        ASSERT_OK(DecodeByteStreamSplitRange(enc.view(), n, width, 3, 13, part.data()));
        EXPECT_TRUE(std::equal(part.begin(), part.end(), values.begin() + 3 * width));
      }
    }
  }
}

TEST(ByteStreamSplitTest, SizeMismatchIsCorruption) {
  std::vector<uint8_t> src(31);
  std::vector<uint8_t> out(64);
  ASSERT_RAISES(kCorruption, DecodeByteStreamSplit({src.data(), src.size()}, 4, 8, out.data()));
  ASSERT_RAISES(kCorruption, DecodeByteStreamSplit({src.data(), 31}, 3, 8, out.data()));
  ASSERT_RAISES(kCorruption, DecodeByteStreamSplit({}, 1, 8, out.data()));
  ASSERT_RAISES(kCorruption,
                DecodeByteStreamSplit({src.data(), 31}, int64_t{1} << 62, 1 << 30, out.data()));
  ASSERT_RAISES(kInvalidArgument, DecodeByteStreamSplit({src.data(), 0}, 0, 0, out.data()));
  ASSERT_RAISES(kInvalidArgument,
                DecodeByteStreamSplitRange({src.data(), 31}, 31, 1, 30, 2, out.data()));
  ASSERT_OK(DecodeByteStreamSplit({}, 0, 8, out.data()));
}

}  // namespace
}  // namespace ds::parquet
