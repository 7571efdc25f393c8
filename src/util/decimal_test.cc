#include "util/decimal.h"

#include "test/testing/testing.h"

namespace ds {
namespace {

std::string Fmt(int128_t v, int scale) {
  std::string s;
  AppendDecimal(v, scale, &s);
  return s;
}

TEST(DecimalTest, FormatsWithExactScale) {
  EXPECT_EQ(Fmt(12345, 2), "123.45");
  EXPECT_EQ(Fmt(-5, 3), "-0.005");
  EXPECT_EQ(Fmt(0, 2), "0.00");
  EXPECT_EQ(Fmt(7, 0), "7");
  EXPECT_EQ(Fmt(-Pow10(38) + 1, 0), "-99999999999999999999999999999999999999");
}

TEST(DecimalTest, ParsesAndRoundsHalfAwayFromZero) {
  ASSERT_OK_AND_ASSIGN(int128_t a, ParseDecimal("123.45", 10, 2));
  EXPECT_EQ(a, 12345);
  ASSERT_OK_AND_ASSIGN(int128_t b, ParseDecimal("-1.005", 10, 2));
  EXPECT_EQ(b, -101);
  ASSERT_OK_AND_ASSIGN(int128_t c, ParseDecimal("1.2E+2", 10, 1));
  EXPECT_EQ(c, 1200);
  ASSERT_OK_AND_ASSIGN(int128_t d, ParseDecimal("0.000", 5, 0));
  EXPECT_EQ(d, 0);
}

TEST(DecimalTest, RejectsOverflowAndGarbage) {
  EXPECT_FALSE(ParseDecimal("1000", 3, 0).ok());
  EXPECT_FALSE(ParseDecimal("12a", 10, 0).ok());
  EXPECT_FALSE(ParseDecimal("", 10, 0).ok());
  EXPECT_FALSE(ParseDecimal("1e", 10, 0).ok());
}

}  // namespace
}  // namespace ds
