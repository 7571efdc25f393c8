#include "util/base64.h"

#include "test/testing/testing.h"

namespace ds {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* encoded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(Base64Encode(plain[i]), encoded[i]);
    ASSERT_OK_AND_ASSIGN(std::string back, Base64Decode(encoded[i]));
    EXPECT_EQ(back, plain[i]);
  }
}

TEST(Base64Test, UrlSafeRoundTrip) {
  std::string bytes = "\xfb\xff\xbf\x00\x01";
  std::string enc = Base64UrlEncode(bytes);
  EXPECT_EQ(enc.find_first_of("+/="), std::string::npos);
  ASSERT_OK_AND_ASSIGN(std::string back, Base64Decode(enc));
  EXPECT_EQ(back, bytes);
}

TEST(Base64Test, RejectsGarbage) {
  EXPECT_FALSE(Base64Decode("Zm9v!").ok());
  EXPECT_FALSE(Base64Decode("Z").ok());
}

}  // namespace
}  // namespace ds
