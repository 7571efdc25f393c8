#include "httpclient/http_date.h"

#include "test/testing/testing.h"

namespace ds::httpclient {
namespace {

constexpr int64_t kNov6_1994 = 784111777000;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST(HttpDateTest, FormatsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(kNov6_1994), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(kNov6_1994 + 999), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(951782400000), "Tue, 29 Feb 2000 00:00:00 GMT");
}

TEST(HttpDateTest, ParsesTheThreeForms) {
  for (const char* text : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                           "Sun Nov  6 08:49:37 1994", "  Sun, 06 Nov 1994 08:49:37 GMT "}) {
    ASSERT_OK_AND_ASSIGN(int64_t ms, ParseHttpDate(text));
    EXPECT_EQ(ms, kNov6_1994) << text;
  }
  ASSERT_OK_AND_ASSIGN(int64_t y2k, ParseHttpDate("Saturday, 01-Jan-00 00:00:00 GMT"));
  EXPECT_EQ(y2k, 946684800000);
}

TEST(HttpDateTest, RejectsMalformedDates) {
  for (const char* bad : {"", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
                          "Sun, 6 Nov 1994 08:49:37 GMT", "Sun Nov  6 08:49:37 94",
                          "Sun, 06 Nov 1994 08:49:37 GMTX", "1994-11-06T08:49:37Z"}) {
    EXPECT_EQ(ParseHttpDate(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(HttpDateTest, RetryAfter) {
  EXPECT_EQ(ParseRetryAfterMs("120", 0), 120000);
  EXPECT_EQ(ParseRetryAfterMs(" 0 ", 0), 0);
  EXPECT_EQ(ParseRetryAfterMs("Sun, 06 Nov 1994 08:49:37 GMT", kNov6_1994 - 5000), 5000);
  EXPECT_EQ(ParseRetryAfterMs("Sun, 06 Nov 1994 08:49:37 GMT", kNov6_1994 + 5000), 0);
  EXPECT_EQ(ParseRetryAfterMs("-1", 0), std::nullopt);
  EXPECT_EQ(ParseRetryAfterMs("1.5", 0), std::nullopt);
  EXPECT_EQ(ParseRetryAfterMs("soon", 0), std::nullopt);
  EXPECT_EQ(ParseRetryAfterMs("99999999999999999999", 0), std::nullopt);
}

}  // namespace
}  // namespace ds::httpclient
