#include "util/civil_time.h"

#include "test/testing/testing.h"

namespace ds {
namespace {

std::string Date(int64_t d) {
  std::string s;
  AppendDate(d, &s);
  return s;
}

TEST(CivilTimeTest, DaysRoundTripAcrossEras) {
  for (int64_t d = -1'000'000; d <= 1'000'000; d += 997) {
    CivilDate c = CivilFromDays(d);
    EXPECT_EQ(DaysFromCivil(c.year, c.month, c.day), d);
  }
  EXPECT_EQ(Date(0), "1970-01-01");
  EXPECT_EQ(Date(-1), "1969-12-31");
  EXPECT_EQ(Date(DaysFromCivil(2000, 2, 29)), "2000-02-29");
  EXPECT_EQ(Date(DaysFromCivil(290000, 1, 1)), "290000-01-01");
}

TEST(CivilTimeTest, FormatsTimestampsInEachUnit) {
  std::string s;
  AppendTimestamp(1'500'000'000'123'456LL, TimeUnit::kMicros, true, &s);
  EXPECT_EQ(s, "2017-07-14T02:40:00.123456Z");
  s.clear();
  AppendTimestamp(-1, TimeUnit::kMillis, false, &s);
  EXPECT_EQ(s, "1969-12-31T23:59:59.999000");
  s.clear();
  AppendTimestamp(1, TimeUnit::kNanos, true, &s);
  EXPECT_EQ(s, "1970-01-01T00:00:00.000000001Z");
  s.clear();
  AppendTime(3'723'000'004LL, TimeUnit::kMicros, &s);
  EXPECT_EQ(s, "01:02:03.000004");
}

TEST(CivilTimeTest, ExtremeValuesDoNotOverflow) {
  std::string s;
  AppendTimestamp(INT64_MIN, TimeUnit::kNanos, true, &s);
  EXPECT_EQ(s, "1677-09-21T00:12:43.145224192Z");
  s.clear();
  AppendTimestamp(INT64_MIN, TimeUnit::kMicros, false, &s);
  EXPECT_EQ(s, "-290308-12-21T19:59:05.224192");
  s.clear();
  AppendTimestamp(INT64_MAX, TimeUnit::kMillis, true, &s);
  EXPECT_EQ(s, "292278994-08-17T07:12:55.807000Z");
  s.clear();
  AppendTime(INT64_MIN, TimeUnit::kMicros, &s);
  EXPECT_FALSE(s.empty());
}

TEST(CivilTimeTest, ParsesIsoTimestampsWithOffsets) {
  bool zone = false;
  ASSERT_OK_AND_ASSIGN(int64_t t, ParseTimestampMicros("2017-07-14T02:40:00.123456Z", &zone));
  EXPECT_EQ(t, 1'500'000'000'123'456LL);
  EXPECT_TRUE(zone);
  ASSERT_OK_AND_ASSIGN(int64_t t2, ParseTimestampMicros("2017-07-14 04:40:00.123456+02:00"));
  EXPECT_EQ(t2, t);
  ASSERT_OK_AND_ASSIGN(int64_t t3, ParseTimestampMicros("2017-07-14T02:40:00", &zone));
  EXPECT_FALSE(zone);
  EXPECT_EQ(t3, 1'500'000'000'000'000LL);
  ASSERT_OK_AND_ASSIGN(int64_t day, ParseTimestampMicros("1970-01-02"));
  EXPECT_EQ(day, kMicrosPerDay);
}

TEST(CivilTimeTest, RejectsMalformedText) {
  EXPECT_FALSE(ParseDate("2021-02-29").ok());
  EXPECT_FALSE(ParseDate("2021-1-01").ok());
  EXPECT_FALSE(ParseTimestampMicros("2021-01-01T25:00:00Z").ok());
  EXPECT_FALSE(ParseTimestampMicros("2021-01-01T00:00:00Zjunk").ok());
  EXPECT_FALSE(ParseTimeMicros("12").ok());
  ASSERT_OK_AND_ASSIGN(int32_t d, ParseDate("2020-03-01"));
  EXPECT_EQ(d, 18322);
}

}  // namespace
}  // namespace ds
