#include "columnar/json_rows.h"

#include "test/testing/testing.h"

namespace ds::columnar {
namespace {

SchemaPtr AllTypes() {
  auto s = std::make_shared<Schema>();
  s->fields = {
      Field("b", Bool()),
      Field("i8", Int8()),
      Field("u64", UInt64()),
      Field("f", Float32()),
      Field("d", Float64()),
      Field("dec", Decimal(9, 2)),
      Field("s", String()),
      Field("bin", Binary()),
      Field("fx", FixedBinary(2)),
      Field("u", Uuid()),
      Field("date", Date()),
      Field("t", Time(TimeUnit::kMillis)),
      Field("ts", Timestamp(TimeUnit::kMicros, true)),
      Field("ntz", Timestamp(TimeUnit::kNanos, false)),
      Field("l", List(Field("element", Int32()))),
      Field("m", Map(Field("key", String(), false), Field("value", Bool()))),
      Field("st", Struct({Field("x", Int64()), Field("y", String())})),
  };
  return s;
}

TEST(JsonRowsTest, RoundTripsTheOutputEncoding) {
  const std::string line =
      R"({"b":true,"i8":-128,"u64":18446744073709551615,"f":1.1,"d":"NaN","dec":"-1.50",)"
      R"("s":"h\u00e9\"","bin":"AAE=","fx":"//8=","u":"123e4567-e89b-12d3-a456-426614174000",)"
      R"("date":"2024-02-29","t":"13:14:15.016000","ts":"2024-01-01T00:00:00.000001Z",)"
      R"("ntz":"1969-12-31T23:59:59.999999999","l":[1,null,3],"m":[{"key":"a","value":false}],)"
      R"("st":{"x":9007199254740993,"y":null}})";
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, ParseJsonLines(line + "\n\n", AllTypes()));
  ASSERT_EQ(batch.num_rows, 1);
  std::string out;
  AppendRowJson(batch, 0, &out);
  EXPECT_EQ(out,
            std::string(line.begin(), line.end()).replace(line.find("h\\u00e9"), 7, "h\xc3\xa9"));
}

TEST(JsonRowsTest, MissingKeysAreNullAndInfinityPrints) {
  auto s = std::make_shared<Schema>(Schema{{Field("a", Float64()), Field("b", Int32())}});
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, ParseJsonLines("{\"a\":\"-Infinity\"}\n{}", s));
  std::string out;
  AppendRowJson(batch, 0, &out);
  out += "|";
  AppendRowJson(batch, 1, &out);
  EXPECT_EQ(out, R"({"a":"-Infinity","b":null}|{"a":null,"b":null})");
}

TEST(JsonRowsTest, ErrorsNameLineAndColumn) {
  auto s = std::make_shared<Schema>(Schema{{Field("a", Int8()), Field("n", Int32(), false)}});
  auto r = ParseJsonLines("{\"a\":1,\"n\":1}\n{\"a\":300,\"n\":1}", s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2, column 'a'"), std::string::npos) << r.status();
  r = ParseJsonLines("{\"a\":1}", s);
  EXPECT_NE(r.status().message().find("non-nullable"), std::string::npos) << r.status();
  r = ParseJsonLines("{\"zz\":1,\"n\":1}", s);
  EXPECT_NE(r.status().message().find("'zz' is not a column"), std::string::npos) << r.status();
  r = ParseJsonLines("[1]", s);
  EXPECT_FALSE(r.ok());
}

TEST(JsonRowsTest, DecimalsRoundAndCheckPrecision) {
  auto s = std::make_shared<Schema>(Schema{{Field("d", Decimal(4, 2))}});
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, ParseJsonLines("{\"d\":12.345}", s));
  std::string out;
  AppendRowJson(batch, 0, &out);
  EXPECT_EQ(out, R"({"d":"12.35"})");
  EXPECT_FALSE(ParseJsonLines("{\"d\":123.4}", s).ok());
}

}  // namespace
}  // namespace ds::columnar
