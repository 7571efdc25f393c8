#include "parquet/encoding/bit_pack.h"

#include <memory>
#include <random>
#include <vector>

#include "test/testing/testing.h"

namespace ds::parquet {
namespace {

constexpr int64_t kLengths[] = {0, 1, 7, 8, 9, 31, 32, 33, 127, 128, 129, 1000};

// Bit-by-bit reference: value i occupies bits [i*w, (i+1)*w), LSB first.
std::vector<uint8_t> ReferencePack(const std::vector<uint64_t>& values, int w) {
  std::vector<uint8_t> out(size_t(BitPackedBytes(int64_t(values.size()), w)), 0);
  for (size_t i = 0; i < values.size(); ++i) {
    for (int b = 0; b < w; ++b) {
      if ((values[i] >> b) & 1) {
        size_t bit = i * size_t(w) + size_t(b);
        out[bit / 8] |= uint8_t(1u << (bit % 8));
      }
    }
  }
  return out;
}

std::vector<uint64_t> RandomValues(std::mt19937_64& rng, int64_t n, int w) {
  uint64_t mask = w == 64 ? ~uint64_t{0} : (uint64_t{1} << w) - 1;
  std::vector<uint64_t> v(static_cast<size_t>(n));
  for (auto& x : v) {
    switch (rng() % 4) {
      case 0:
        x = mask;
        break;  // extreme
      case 1:
        x = 0;
        break;
      default:
        x = rng() & mask;
    }
  }
  return v;
}

// Exactly sized heap copy, so ASan flags any read past the packed bytes.
std::unique_ptr<uint8_t[]> ExactCopy(const std::vector<uint8_t>& bytes) {
  auto p = std::make_unique<uint8_t[]>(bytes.size());
  std::copy(bytes.begin(), bytes.end(), p.get());
  return p;
}

template <typename Out>
void CheckUnpack(int max_width) {
  std::mt19937_64 rng(42 + max_width);
  for (int w = 0; w <= max_width; ++w) {
    for (int64_t n : kLengths) {
      std::vector<uint64_t> values = RandomValues(rng, n, w);
      std::vector<uint8_t> packed = ReferencePack(values, w);
      auto in = ExactCopy(packed);
      auto out = std::make_unique<Out[]>(size_t(n) + 1);
      out[size_t(n)] = Out(0x5A);
      UnpackBits(in.get(), w, n, out.get());
      for (int64_t i = 0; i < n; ++i) {
        ASSERT_EQ(uint64_t(out[size_t(i)]), values[size_t(i)])
            << "w=" << w << " n=" << n << " i=" << i;
      }
      EXPECT_EQ(out[size_t(n)], Out(0x5A)) << "wrote past count, w=" << w;
    }
  }
}

TEST(BitPackTest, UnpackMatchesReferenceAllWidths) {
  CheckUnpack<uint8_t>(8);
  CheckUnpack<uint16_t>(16);
  CheckUnpack<uint32_t>(32);
  CheckUnpack<uint64_t>(64);
}

template <typename In>
void CheckPack(int max_width) {
  std::mt19937_64 rng(7 + max_width);
  for (int w = 0; w <= max_width; ++w) {
    for (int64_t n : kLengths) {
      std::vector<uint64_t> values = RandomValues(rng, n, w);
      std::vector<In> in(values.begin(), values.end());
      std::vector<uint8_t> expected = ReferencePack(values, w);
      auto out = std::make_unique<uint8_t[]>(expected.size() + 1);
      out[expected.size()] = 0xA5;
      PackBits(in.data(), n, w, out.get());
      ASSERT_TRUE(std::equal(expected.begin(), expected.end(), out.get()))
          << "w=" << w << " n=" << n;
      EXPECT_EQ(out[expected.size()], 0xA5) << "wrote past the packed size, w=" << w;
    }
  }
}

TEST(BitPackTest, PackMatchesReferenceAllWidths) {
  CheckPack<uint32_t>(32);
  CheckPack<uint64_t>(64);
}

TEST(BitPackTest, SpecExampleWidth3) {
  // parquet.md §4.2: 0..7 at bit width 3 = 88 C6 FA.
  const uint32_t values[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  uint8_t packed[3];
  PackBits(values, 8, 3, packed);
  EXPECT_EQ(packed[0], 0x88);
  EXPECT_EQ(packed[1], 0xC6);
  EXPECT_EQ(packed[2], 0xFA);
  uint32_t out[8];
  UnpackBits(packed, 3, 8, out);
  for (uint32_t i = 0; i < 8; ++i) EXPECT_EQ(out[i], i);
}

TEST(BitPackTest, LargeRoundTrip) {
  std::mt19937_64 rng(1);
  for (int w : {1, 7, 17, 32}) {
    std::vector<uint64_t> v = RandomValues(rng, 100000, w);
    std::vector<uint32_t> in(v.begin(), v.end());
    std::vector<uint8_t> packed(size_t(BitPackedBytes(100000, w)));
    PackBits(in.data(), 100000, w, packed.data());
    std::vector<uint32_t> out(100000);
    UnpackBits(packed.data(), w, 100000, out.data());
    EXPECT_EQ(out, in) << w;
  }
}

}  // namespace
}  // namespace ds::parquet
