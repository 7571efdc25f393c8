#include "http/range.h"

#include "test/testing/testing.h"

namespace ds::http {
namespace {

using Kind = RangeRequest::Kind;

void ExpectPartial(std::string_view header, int64_t size, int64_t offset, int64_t length) {
  RangeRequest r = InterpretRange(header, size);
  ASSERT_EQ(r.kind, Kind::kPartial) << header;
  EXPECT_EQ(r.range.offset, offset) << header;
  EXPECT_EQ(r.range.length, length) << header;
}

TEST(RangeTest, SingleRanges) {
  ExpectPartial("bytes=0-99", 1000, 0, 100);
  ExpectPartial("bytes=100-", 1000, 100, 900);
  ExpectPartial("bytes=-100", 1000, 900, 100);
  ExpectPartial("bytes=999-999", 1000, 999, 1);
  ExpectPartial("bytes=990-5000", 1000, 990, 10);               // clamped to the end
  ExpectPartial("bytes=-5000", 1000, 0, 1000);                  // suffix longer than the file
  ExpectPartial("BYTES = 5-9", 1000, 5, 5);                     // unit case, whitespace
  ExpectPartial("bytes= 5-9 ,", 1000, 5, 5);                    // an empty list element
  ExpectPartial("bytes=0-99999999999999999999999", 10, 0, 10);  // saturating last-pos
}

TEST(RangeTest, Unsatisfiable) {
  for (std::string_view h :
       {"bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=5000-5001,2000-"}) {
    EXPECT_EQ(InterpretRange(h, 1000).kind, Kind::kUnsatisfiable) << h;
  }
  EXPECT_EQ(InterpretRange("bytes=0-", 0).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(InterpretRange("bytes=-5", 0).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(InterpretRange("bytes=99999999999999999999999-", 10).kind, Kind::kUnsatisfiable);
}

TEST(RangeTest, IgnoredHeadersGiveTheWholeFile) {
  EXPECT_EQ(InterpretRange(std::nullopt, 1000).kind, Kind::kWhole);
  for (std::string_view h :
       {"", "bytes", "bytes=", "items=0-5", "bytes=5-1", "bytes=a-b", "bytes=0-5-6", "bytes=--5",
        "bytes=+1-2", "bytes=0x10-", "bytes=1 -2", "bytes=0-1,2-3", "bytes=0-1,9999-"}) {
    EXPECT_EQ(InterpretRange(h, 1000).kind, Kind::kWhole) << h;
  }
}

TEST(RangeTest, HeaderValues) {
  EXPECT_EQ(ContentRangeValue({0, 100}, 1000), "bytes 0-99/1000");
  EXPECT_EQ(ContentRangeValue({999, 1}, 1000), "bytes 999-999/1000");
  EXPECT_EQ(UnsatisfiedRangeValue(1000), "bytes */1000");
}

}  // namespace
}  // namespace ds::http
