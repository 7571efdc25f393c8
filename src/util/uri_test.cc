#include "util/uri.h"

#include "test/testing/testing.h"

namespace ds {
namespace {

TEST(UriTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc").ValueOr(""), "a b/c");
  EXPECT_EQ(PercentDecode("a+b").ValueOr(""), "a+b");
  EXPECT_EQ(PercentDecode("a+b", /*plus_as_space=*/true).ValueOr(""), "a b");
  EXPECT_EQ(PercentDecode("%253A").ValueOr(""), "%3A");  // decodes exactly once
  EXPECT_EQ(PercentDecode("%e2%82%AC").ValueOr(""), "\xe2\x82\xac");
  ASSERT_RAISES(kInvalidArgument, PercentDecode("%"));
  ASSERT_RAISES(kInvalidArgument, PercentDecode("%4"));
  ASSERT_RAISES(kInvalidArgument, PercentDecode("%zz"));
  ASSERT_RAISES(kInvalidArgument, PercentDecode("ab%g1"));
}

TEST(UriTest, PercentEncode) {
  EXPECT_EQ(PercentEncode("a b/c=d~"), "a%20b%2Fc%3Dd~");
  EXPECT_EQ(PercentEncode("a b/c", "/"), "a%20b/c");
  EXPECT_EQ(PercentEncode("\xe2\x82\xac"), "%E2%82%AC");
  for (const std::string& s :
       std::vector<std::string>{"", "x", "100% sure?", "k=v&w", std::string("\0\xff", 2)}) {
    EXPECT_EQ(PercentDecode(PercentEncode(s)).ValueOr("?"), s);
  }
}

}  // namespace
}  // namespace ds
