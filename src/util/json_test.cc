#include "util/json.h"

#include "test/testing/testing.h"

namespace ds {
namespace {

TEST(JsonTest, ParsesAndKeepsNumberText) {
  ASSERT_OK_AND_ASSIGN(
      JsonValue v, ParseJson(R"({"a":1.50,"b":[true,null,"x\u00e9"],"c":-9223372036854775808})"));
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.Find("a")->number_text(), "1.50");
  EXPECT_EQ(v.Find("b")->items()[2].string_value(), "x\xc3\xa9");
  ASSERT_OK_AND_ASSIGN(int64_t c, v.Find("c")->GetInt64());
  EXPECT_EQ(c, INT64_MIN);
  EXPECT_EQ(v.ToString(), R"({"a":1.50,"b":[true,null,"xé"],"c":-9223372036854775808})");
}

TEST(JsonTest, SurrogatePairsDecode) {
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(R"("\ud83d\ude00")"));
  EXPECT_EQ(v.string_value(), "\xF0\x9F\x98\x80");
}

TEST(JsonTest, RejectsMalformedDocuments) {
  for (const char* bad :
       {"", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\\x\"", "tru", "[1] x", "\"a\nb\""}) {
    EXPECT_FALSE(ParseJson(bad).ok()) << bad;
  }
  std::string deep(1000, '[');
  EXPECT_FALSE(ParseJson(deep).ok());
}

TEST(JsonTest, WriterEscapesAndPlacesCommas) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("s", "a\"b\n\x01");
  w.Key("n");
  w.BeginArray();
  w.Double(1.5);
  w.Double(std::numeric_limits<double>::quiet_NaN());
  w.Int(-3);
  w.EndArray();
  w.EndObject();
  EXPECT_EQ(out, R"({"s":"a\"b\n\u0001","n":[1.5,"NaN",-3]})");
}

TEST(JsonTest, InvalidUtf8BecomesReplacementCharacter) {
  std::string out;
  AppendJsonString("a\xff", &out);
  EXPECT_EQ(out, "\"a\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace ds
