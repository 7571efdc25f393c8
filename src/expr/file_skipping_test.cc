// One test per skipping rule of file_skipping.h (delta.md §9, protocol.md §8).
#include "expr/file_skipping.h"

#include <map>

#include "columnar/schema_json.h"
#include "expr/json_predicate.h"
#include "expr/sql_predicate.h"
#include "test/testing/testing.h"

namespace ds::expr {
namespace {

constexpr const char* kSchema = R"json({"type":"struct","fields":[
  {"name":"i","type":"integer","nullable":true,"metadata":{}},
  {"name":"l","type":"long","nullable":true,"metadata":{}},
  {"name":"s","type":"string","nullable":true,"metadata":{}},
  {"name":"d","type":"date","nullable":true,"metadata":{}},
  {"name":"ts","type":"timestamp","nullable":true,"metadata":{}},
  {"name":"ntz","type":"timestamp_ntz","nullable":true,"metadata":{}},
  {"name":"f","type":"float","nullable":true,"metadata":{}},
  {"name":"db","type":"double","nullable":true,"metadata":{}},
  {"name":"dec","type":"decimal(10,2)","nullable":true,"metadata":{}},
  {"name":"big","type":"decimal(38,18)","nullable":true,"metadata":{}},
  {"name":"b","type":"boolean","nullable":true,"metadata":{}},
  {"name":"bin","type":"binary","nullable":true,"metadata":{}},
  {"name":"nested","type":{"type":"struct","fields":[
    {"name":"x","type":"long","nullable":true,"metadata":{}},
    {"name":"y","type":"string","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
  {"name":"p_str","type":"string","nullable":true,"metadata":{}},
  {"name":"p_int","type":"integer","nullable":true,"metadata":{}},
  {"name":"p_date","type":"date","nullable":true,"metadata":{}},
  {"name":"p_ts","type":"timestamp","nullable":true,"metadata":{}},
  {"name":"p_dec","type":"decimal(38,18)","nullable":true,"metadata":{}},
  {"name":"p_dbl","type":"double","nullable":true,"metadata":{}},
  {"name":"p_bool","type":"boolean","nullable":true,"metadata":{}}]})json";

using Partitions = std::map<std::string, std::optional<std::string>>;

class FileSkippingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = columnar::SchemaFromJson(kSchema);
    ASSERT_OK(schema);
    table_.schema = *schema;
    table_.partition_columns = {"p_str", "p_int", "p_date", "p_ts", "p_dec", "p_dbl", "p_bool"};
  }

  FileSkipper Compile(const ExprPtr& e) {
    auto s = FileSkipper::Make(*e, table_, options_);
    EXPECT_OK(s);
    return std::move(s).ValueOrDie();
  }
  FileSkipper CompileSql(std::string_view sql) {
    auto e = ParseSqlPredicate(sql);
    EXPECT_OK(e);
    return Compile(*e);
  }

  static Truth Run(FileSkipper& s, std::optional<std::string_view> stats,
                   const Partitions& parts = {}) {
    std::vector<PartitionValue> pv;
    for (const auto& [k, v] : parts) {
      pv.push_back({k, v ? std::optional<std::string_view>(*v) : std::nullopt});
    }
    return s.Evaluate({pv, stats});
  }

  // Evaluates a SQL predicate against one file.
  Truth Sql(std::string_view sql, std::optional<std::string_view> stats,
            const Partitions& parts = {}) {
    FileSkipper s = CompileSql(sql);
    return Run(s, stats, parts);
  }
  Truth Json(std::string_view json, std::optional<std::string_view> stats,
             const Partitions& parts = {}) {
    auto e = ParseJsonPredicate(json);
    EXPECT_OK(e);
    FileSkipper s = Compile(*e);
    return Run(s, stats, parts);
  }

  SkippingTable table_;
  SkippingOptions options_;
};

constexpr Truth T = Truth::kTrue;
constexpr Truth F = Truth::kFalse;
constexpr Truth U = Truth::kUnknown;

// l in [5, 10], no NULLs, 100 rows.
constexpr std::string_view kL5to10 =
    R"({"numRecords":100,"minValues":{"l":5},"maxValues":{"l":10},"nullCount":{"l":0}})";

TEST_F(FileSkippingTest, MissingStatsKeepFile) {
  EXPECT_EQ(Sql("l < 0", std::nullopt), U);
  EXPECT_EQ(Sql("l < 0", ""), U);
  EXPECT_EQ(Sql("l IS NULL", std::nullopt), U);
}

TEST_F(FileSkippingTest, UnparsableStatsKeepFile) {
  EXPECT_EQ(Sql("l < 0", "{not json"), U);
  EXPECT_EQ(Sql("l < 0", R"({"numRecords":1,"minValues":{"l":5})"), U);  // truncated
  EXPECT_EQ(Sql("l < 0", R"([1,2])"), U);
  EXPECT_EQ(Sql("l < 0", R"({"minValues":{"l":"five"},"maxValues":{"l":10}})"), U);
}

TEST_F(FileSkippingTest, MissingColumnStatsAreNeverZero) {
  // Stats exist but do not cover l: a reader that defaults to 0 would drop this file.
  constexpr std::string_view stats = R"({"numRecords":3,"minValues":{"i":1},"maxValues":{"i":2}})";
  EXPECT_EQ(Sql("l > 0", stats), U);
  EXPECT_EQ(Sql("l = 0", stats), U);
  EXPECT_EQ(Sql("l IS NULL", stats), U);
  EXPECT_EQ(Sql("l < 0", R"({"numRecords":3,"minValues":{"l":null},"maxValues":{"l":null}})"), U);
}

TEST_F(FileSkippingTest, LessThanDropsWhenMinAtLeastLiteral) {
  EXPECT_EQ(Sql("l < 5", kL5to10), F);
  EXPECT_EQ(Sql("l < 6", kL5to10), U);
  EXPECT_EQ(Sql("l < 11", kL5to10), T);
  EXPECT_EQ(Sql("l <= 4", kL5to10), F);
  EXPECT_EQ(Sql("l <= 5", kL5to10), U);
  EXPECT_EQ(Sql("l <= 10", kL5to10), T);
}

TEST_F(FileSkippingTest, GreaterThanDropsWhenMaxAtMostLiteral) {
  EXPECT_EQ(Sql("l > 10", kL5to10), F);
  EXPECT_EQ(Sql("l > 9", kL5to10), U);
  EXPECT_EQ(Sql("l > 4", kL5to10), T);
  EXPECT_EQ(Sql("l >= 11", kL5to10), F);
  EXPECT_EQ(Sql("l >= 10", kL5to10), U);
  EXPECT_EQ(Sql("l >= 5", kL5to10), T);
}

TEST_F(FileSkippingTest, EqualDropsOutsideRange) {
  EXPECT_EQ(Sql("l = 4", kL5to10), F);
  EXPECT_EQ(Sql("l = 11", kL5to10), F);
  EXPECT_EQ(Sql("l = 5", kL5to10), U);
  EXPECT_EQ(Sql("l = 7", kL5to10), U);
  EXPECT_EQ(Sql("l = 10", kL5to10), U);
}

TEST_F(FileSkippingTest, LiteralOnTheLeft) {
  EXPECT_EQ(Sql("10 < l", kL5to10), F);
  EXPECT_EQ(Sql("5 > l", kL5to10), F);
  EXPECT_EQ(Sql("4 = l", kL5to10), F);
  EXPECT_EQ(Sql("4 < l", kL5to10), T);
}

TEST_F(FileSkippingTest, NotEqualDropsOnlyWhenMinEqualsMaxEqualsLiteral) {
  constexpr std::string_view point =
      R"({"numRecords":9,"minValues":{"l":5},"maxValues":{"l":5},"nullCount":{"l":2}})";
  EXPECT_EQ(Sql("l <> 5", point), F);  // every row is 5 or NULL
  EXPECT_EQ(Sql("NOT (l = 5)", point), F);
  EXPECT_EQ(Sql("l <> 6", point), U);  // NULL rows are not TRUE either way
  EXPECT_EQ(Sql("l <> 5", kL5to10), U);
  EXPECT_EQ(Sql("l = 5", point), U);
}

TEST_F(FileSkippingTest, NotOfMayMatchIsNotDropped) {
  // The reference V2 evaluator negates "may match" and would drop this file.
  EXPECT_EQ(Sql("NOT (l = 7)", kL5to10), U);
  EXPECT_EQ(Json(R"({"op":"not","children":[{"op":"equal","children":[
      {"op":"column","name":"l","valueType":"long"},
      {"op":"literal","value":"7","valueType":"long"}]}]})",
                 kL5to10),
            U);
}

TEST_F(FileSkippingTest, NotIsPushedDownThroughAndOr) {
  EXPECT_EQ(Sql("NOT (l < 5 OR l > 10)", kL5to10), T);
  EXPECT_EQ(Sql("NOT (l < 11 AND l > 4)", kL5to10), F);
  EXPECT_EQ(Sql("NOT (l < 5)", kL5to10), T);
  EXPECT_EQ(Sql("NOT (l >= 5)", kL5to10), F);
  EXPECT_EQ(Sql("NOT NOT (l > 10)", kL5to10), F);
  EXPECT_EQ(Sql("NOT (l < 7 OR l > 20)", kL5to10), U);
}

TEST_F(FileSkippingTest, AndNeedsOneFalseChildOrNeedsAll) {
  EXPECT_EQ(Sql("l > 100 AND i = 1", kL5to10), F);  // i has no stats
  EXPECT_EQ(Sql("l > 100 OR i = 1", kL5to10), U);
  EXPECT_EQ(Sql("l > 100 OR l < 0", kL5to10), F);
  EXPECT_EQ(Sql("l > 1 AND l < 100", kL5to10), T);
}

TEST_F(FileSkippingTest, StringEqualityIsNeverExact) {
  constexpr std::string_view stats =
      R"({"numRecords":4,"minValues":{"s":"abc"},"maxValues":{"s":"abc"},"nullCount":{"s":0}})";
  EXPECT_EQ(Sql("s <> 'abc'", stats), U);
  EXPECT_EQ(Sql("s = 'abc'", stats), U);
  EXPECT_EQ(Sql("s = 'abd'", stats), F);
}

TEST_F(FileSkippingTest, TimestampEqualityIsNeverExact) {
  constexpr std::string_view stats =
      R"({"numRecords":4,"minValues":{"ts":"2020-01-01T00:00:00.000Z"},)"
      R"("maxValues":{"ts":"2020-01-01T00:00:00.000Z"},"nullCount":{"ts":0}})";
  EXPECT_EQ(Sql("ts <> TIMESTAMP'2020-01-01 00:00:00'", stats), U);
  EXPECT_EQ(Sql("ts = TIMESTAMP'2020-01-01 00:00:00'", stats), U);
}

TEST_F(FileSkippingTest, TimestampMaxIsWidenedBy999Micros) {
  constexpr std::string_view stats =
      R"({"numRecords":4,"minValues":{"ts":"2020-01-01T00:00:00.000Z"},)"
      R"("maxValues":{"ts":"2020-01-01T00:00:00.000Z"},"nullCount":{"ts":0}})";
  // A row at 00:00:00.000500 is possible: stats are truncated to milliseconds.
  EXPECT_EQ(Sql("ts > '2020-01-01T00:00:00.000500Z'", stats), U);
  EXPECT_EQ(Sql("ts >= '2020-01-01T00:00:00.000999Z'", stats), U);
  EXPECT_EQ(Sql("ts >= '2020-01-01T00:00:00.001Z'", stats), F);
  EXPECT_EQ(Sql("ts = '2020-01-01T00:00:00.000700Z'", stats), U);
  EXPECT_EQ(Sql("ts < '2020-01-01T00:00:00Z'", stats), F);
}

TEST_F(FileSkippingTest, TimestampStatsWithOffsets) {
  // Spark writes the session zone offset.
  constexpr std::string_view stats =
      R"({"numRecords":1,"minValues":{"ts":"2000-01-01T00:00:00.000-08:00"},)"
      R"("maxValues":{"ts":"2000-01-01T00:00:00.000-08:00"},"nullCount":{"ts":0}})";
  EXPECT_EQ(Sql("ts < '2000-01-01T08:00:00Z'", stats), F);
  EXPECT_EQ(Sql("ts = '2000-01-01 08:00:00'", stats), U);
  EXPECT_EQ(Sql("ts > '2000-01-01T08:00:01Z'", stats), F);
}

TEST_F(FileSkippingTest, TimestampNtzStats) {
  constexpr std::string_view stats =
      R"({"numRecords":1,"minValues":{"ntz":"2021-06-01T10:00:00.000"},)"
      R"("maxValues":{"ntz":"2021-06-01T12:00:00.000"},"nullCount":{"ntz":0}})";
  EXPECT_EQ(Sql("ntz > '2021-06-01 12:00:01'", stats), F);
  EXPECT_EQ(Sql("ntz < '2021-06-01 10:00:00'", stats), F);
  EXPECT_EQ(Sql("ntz = '2021-06-01 11:00:00'", stats), U);
}

TEST_F(FileSkippingTest, StringsCompareAsUtf8Bytes) {
  constexpr std::string_view stats =
      R"({"numRecords":2,"minValues":{"s":"a"},"maxValues":{"s":"z"},"nullCount":{"s":0}})";
  EXPECT_EQ(Sql("s = 'é'", stats), F);  // 0xC3 > 'z'
  EXPECT_EQ(Sql("s = 'Z'", stats), F);  // 'Z' < 'a'
  EXPECT_EQ(Sql("s = 'm'", stats), U);
  // U+FFFF < U+10000 in UTF-8 (and code points), though not in UTF-16.
  constexpr std::string_view bmp =
      R"({"numRecords":2,"minValues":{"s":"a"},"maxValues":{"s":"\uffff"},"nullCount":{"s":0}})";
  EXPECT_EQ(Sql("s >= '\xF0\x90\x80\x80'", bmp), F);
  EXPECT_EQ(Sql("s >= '\xEF\xBF\xBF'", bmp), U);
}

TEST_F(FileSkippingTest, TruncatedStringMaxBoundsItsPrefix) {
  const std::string prefix(32, 'a');
  const std::string stats = R"({"numRecords":2,"minValues":{"s":"a"},"maxValues":{"s":")" + prefix +
                            R"("},"nullCount":{"s":0}})";
  // The real max may be "aaa...ab" (cut to 32 characters by a writer without tie-breaker).
  EXPECT_EQ(Sql("s = '" + prefix + "b'", stats), U);
  EXPECT_EQ(Sql("s > '" + prefix + "'", stats), U);
  EXPECT_EQ(Sql("s > '" + std::string(31, 'a') + "b'", stats), F);
  // A short max is exact.
  constexpr std::string_view short_max =
      R"({"numRecords":2,"minValues":{"s":"a"},"maxValues":{"s":"abc"},"nullCount":{"s":0}})";
  EXPECT_EQ(Sql("s > 'abc'", short_max), F);
  EXPECT_EQ(Sql("s = 'abcd'", short_max), F);
  EXPECT_EQ(Sql("s >= 'abc'", short_max), U);
}

TEST_F(FileSkippingTest, SparkTieBreakerMaxBoundsLongerValues) {
  // Spark: 32-char prefix + U+10FFFF when the first dropped char is >= U+007F.
  const std::string prefix(32, 'q');
  const std::string stats = R"({"numRecords":2,"minValues":{"s":")" + prefix +
                            R"("},"maxValues":{"s":")" + prefix +
                            R"(\udbff\udfff"},"nullCount":{"s":0}})";
  EXPECT_EQ(Sql("s = '" + prefix + "\xC3\xA9t\xC3\xA9'", stats), U);
  EXPECT_EQ(Sql("s = '" + prefix + "zzz'", stats), U);
  EXPECT_EQ(Sql("s = 'r'", stats), F);
  EXPECT_EQ(Sql("s < '" + prefix + "'", stats), F);  // the min is a plain prefix: a bound
}

TEST_F(FileSkippingTest, AllNullColumnMakesComparisonsFalse) {
  constexpr std::string_view stats = R"({"numRecords":3,"nullCount":{"l":3}})";
  EXPECT_EQ(Sql("l = 5", stats), F);
  EXPECT_EQ(Sql("l <> 5", stats), F);
  EXPECT_EQ(Sql("NOT (l < 5)", stats), F);
  EXPECT_EQ(Sql("l IS NULL", stats), T);
  EXPECT_EQ(Sql("l IS NOT NULL", stats), F);
}

TEST_F(FileSkippingTest, IsNullFalseWhenNullCountIsZero) {
  EXPECT_EQ(Sql("l IS NULL", kL5to10), F);
  EXPECT_EQ(Sql("l IS NOT NULL", kL5to10), T);
}

TEST_F(FileSkippingTest, IsNullUnknownWithoutNullCount) {
  constexpr std::string_view stats = R"({"numRecords":3,"minValues":{"l":1},"maxValues":{"l":2}})";
  EXPECT_EQ(Sql("l IS NULL", stats), U);
  EXPECT_EQ(Sql("l IS NOT NULL", stats), U);
  EXPECT_EQ(Sql("l < 1", stats), F);
  EXPECT_EQ(Sql("l <= 2", stats), U);  // NULL rows are possible, so not certain
}

TEST_F(FileSkippingTest, PartialNullCountIsOnlyAHint) {
  constexpr std::string_view stats =
      R"({"numRecords":10,"minValues":{"l":1},"maxValues":{"l":2},"nullCount":{"l":3}})";
  EXPECT_EQ(Sql("l IS NULL", stats), U);
  EXPECT_EQ(Sql("l IS NOT NULL", stats), U);
  EXPECT_EQ(Sql("l < 5", stats), U);
}

TEST_F(FileSkippingTest, EmptyFileIsDropped) {
  EXPECT_EQ(Sql("l IS NULL", R"({"numRecords":0})"), F);
}

TEST_F(FileSkippingTest, WideBoundsStaySound) {
  // tightBounds=false (deletion vectors): bounds are wider than the live values.
  constexpr std::string_view stats =
      R"({"numRecords":10,"tightBounds":false,"minValues":{"l":1},"maxValues":{"l":20},)"
      R"("nullCount":{"l":0}})";
  EXPECT_EQ(Sql("l > 20", stats), F);
  EXPECT_EQ(Sql("l = 5", stats), U);
  EXPECT_EQ(Sql("l IS NULL", stats), F);
}

TEST_F(FileSkippingTest, InvertedBoundsAreIgnored) {
  constexpr std::string_view stats =
      R"({"numRecords":10,"minValues":{"l":20},"maxValues":{"l":1},"nullCount":{"l":0}})";
  EXPECT_EQ(Sql("l = 5", stats), U);
  EXPECT_EQ(Sql("l > 30", stats), U);
}

TEST_F(FileSkippingTest, PartitionColumnsAreExactPoints) {
  EXPECT_EQ(Sql("p_int = 5", kL5to10, {{"p_int", "5"}}), T);
  EXPECT_EQ(Sql("p_int = 5", kL5to10, {{"p_int", "6"}}), F);
  EXPECT_EQ(Sql("p_int <> 5", kL5to10, {{"p_int", "5"}}), F);
  EXPECT_EQ(Sql("p_str = 'EU'", std::nullopt, {{"p_str", "EU"}}), T);
  EXPECT_EQ(Sql("p_str <> 'EU'", std::nullopt, {{"p_str", "EU"}}), F);
  EXPECT_EQ(Sql("p_str IN ('US', 'EU')", std::nullopt, {{"p_str", "EU"}}), T);
  EXPECT_EQ(Sql("p_str > 'E'", std::nullopt, {{"p_str", "EU"}}), T);
}

TEST_F(FileSkippingTest, PartitionNullHasSqlNullSemantics) {
  for (const Partitions& parts : {Partitions{{"p_int", std::nullopt}}, Partitions{{"p_int", ""}}}) {
    EXPECT_EQ(Sql("p_int = 5", std::nullopt, parts), F);
    EXPECT_EQ(Sql("p_int <> 5", std::nullopt, parts), F);
    EXPECT_EQ(Sql("p_int IS NULL", std::nullopt, parts), T);
    EXPECT_EQ(Sql("p_int IS NOT NULL", std::nullopt, parts), F);
    EXPECT_EQ(Sql("p_int IS NULL OR p_int = 5", std::nullopt, parts), T);
  }
  EXPECT_EQ(Sql("p_str IS NULL", std::nullopt, {{"p_str", ""}}), T);
}

TEST_F(FileSkippingTest, PartitionValueUnparsableOrAbsentIsUnknown) {
  EXPECT_EQ(Sql("p_int = 5", std::nullopt, {{"p_int", "five"}}), U);
  EXPECT_EQ(Sql("p_int = 5", std::nullopt, {}), U);
  EXPECT_EQ(Sql("p_int IS NULL", std::nullopt, {}), U);
}

TEST_F(FileSkippingTest, PartitionTimestampInBothForms) {
  for (const char* v : {"2021-01-01 10:00:00", "2021-01-01T10:00:00.000000Z",
                        "2021-01-01 10:00:00.000000", "2021-01-01T12:00:00+02:00"}) {
    EXPECT_EQ(Sql("p_ts = TIMESTAMP'2021-01-01 10:00:00'", std::nullopt, {{"p_ts", v}}), T) << v;
    EXPECT_EQ(Sql("p_ts <> '2021-01-01T10:00:00Z'", std::nullopt, {{"p_ts", v}}), F) << v;
  }
  EXPECT_EQ(
      Sql("p_ts = '2021-01-01 10:00:00.000001'", std::nullopt, {{"p_ts", "2021-01-01 10:00:00"}}),
      F);
}

TEST_F(FileSkippingTest, PartitionDecimalWithFullScale) {
  EXPECT_EQ(Sql("p_dec = 1.23", std::nullopt, {{"p_dec", "1.230000000000000000"}}), T);
  EXPECT_EQ(Sql("p_dec > 1.229999999999999999", std::nullopt, {{"p_dec", "1.230000000000000000"}}),
            T);
  EXPECT_EQ(Sql("p_dec < 1.2300000000000000001", std::nullopt, {{"p_dec", "1.23"}}), T);
}

TEST_F(FileSkippingTest, PartitionDoubleJavaForms) {
  EXPECT_EQ(Sql("p_dbl = 1e10", std::nullopt, {{"p_dbl", "1.0E10"}}), T);
  EXPECT_EQ(Sql("p_dbl > 1e300", std::nullopt, {{"p_dbl", "Infinity"}}), T);
  EXPECT_EQ(Sql("p_dbl = 0", std::nullopt, {{"p_dbl", "NaN"}}), F);
  EXPECT_EQ(Sql("p_dbl <> 0", std::nullopt, {{"p_dbl", "NaN"}}), T);  // IEEE: NaN = 0 is FALSE
}

TEST_F(FileSkippingTest, PartitionBool) {
  EXPECT_EQ(Sql("p_bool", std::nullopt, {{"p_bool", "true"}}), T);
  EXPECT_EQ(Sql("p_bool", std::nullopt, {{"p_bool", "false"}}), F);
  EXPECT_EQ(Sql("NOT p_bool", std::nullopt, {{"p_bool", "false"}}), T);
  EXPECT_EQ(Sql("p_bool = FALSE", std::nullopt, {{"p_bool", "false"}}), T);
}

TEST_F(FileSkippingTest, DecimalsComparedExactlyNotViaDouble) {
  constexpr std::string_view stats =
      R"({"numRecords":1,"minValues":{"big":12345678901234567890.123456789012345678},)"
      R"("maxValues":{"big":12345678901234567890.123456789012345678},"nullCount":{"big":0}})";
  // Both literals round to the same double as the stats value.
  EXPECT_EQ(Sql("big > 12345678901234567890.123456789012345677", stats), T);
  EXPECT_EQ(Sql("big > 12345678901234567890.123456789012345678", stats), F);
  EXPECT_EQ(Sql("big = 12345678901234567890.123456789012345678", stats), T);
  EXPECT_EQ(Sql("big <> 12345678901234567890.123456789012345679", stats), T);
}

TEST_F(FileSkippingTest, DecimalStatsInExponentForm) {
  constexpr std::string_view stats =
      R"({"numRecords":2,"minValues":{"dec":1.5E+2},"maxValues":{"dec":2.5E2},)"
      R"("nullCount":{"dec":0}})";
  EXPECT_EQ(Sql("dec < 150", stats), F);
  EXPECT_EQ(Sql("dec <= 150.00", stats), U);
  EXPECT_EQ(Sql("dec > 250.001", stats), F);
  EXPECT_EQ(Sql("dec >= 250.001", stats), F);
  EXPECT_EQ(Sql("dec < 250.001", stats), T);
}

TEST_F(FileSkippingTest, IntLiteralWidensToLongColumn) {
  EXPECT_EQ(Json(R"({"op":"lessThan","children":[{"op":"column","name":"l","valueType":"int"},
                     {"op":"literal","value":"5","valueType":"int"}]})",
                 kL5to10),
            F);
  EXPECT_EQ(Json(R"({"op":"lessThan","children":[{"op":"column","name":"l","valueType":"long"},
                     {"op":"literal","value":6,"valueType":"long"}]})",
                 kL5to10),
            U);
}

TEST_F(FileSkippingTest, FractionalLiteralOnIntegerColumnIsExact) {
  EXPECT_EQ(Sql("l < 5.5", kL5to10), U);
  EXPECT_EQ(Sql("l < 4.9", kL5to10), F);
  EXPECT_EQ(Sql("l > 9.99", kL5to10), U);
  EXPECT_EQ(Sql("l > 10.01", kL5to10), F);
  EXPECT_EQ(Sql("l = 7.5", kL5to10), U);
  EXPECT_EQ(Sql("l >= -4.5", kL5to10), T);
  constexpr std::string_view point =
      R"({"numRecords":9,"minValues":{"l":5},"maxValues":{"l":5},"nullCount":{"l":0}})";
  EXPECT_EQ(Sql("l = 5.5", point), F);
  EXPECT_EQ(Sql("l <> 5.5", point), T);
  EXPECT_EQ(Sql("l = 5.0", point), T);
}

TEST_F(FileSkippingTest, TypeMismatchIsUnknownWithANote) {
  FileSkipper s = CompileSql("l = 'abc' AND l > 100");
  ASSERT_EQ(s.notes().size(), 1u);
  EXPECT_NE(s.notes()[0].find("not a valid integer"), std::string::npos) << s.notes()[0];
  EXPECT_EQ(Run(s, kL5to10), F);  // the usable part still drops
  FileSkipper t = CompileSql("l = 'abc' OR l > 100");
  EXPECT_EQ(Run(t, kL5to10), U);
  // A JSON column declared with a type that does not fit the table.
  EXPECT_EQ(Json(R"({"op":"equal","children":[{"op":"column","name":"l","valueType":"date"},
                     {"op":"literal","value":"2021-01-01","valueType":"date"}]})",
                 kL5to10),
            U);
}

TEST_F(FileSkippingTest, UnknownColumnIsUnknownWithANote) {
  FileSkipper s = CompileSql("nope = 1");
  ASSERT_EQ(s.notes().size(), 1u);
  EXPECT_NE(s.notes()[0].find("not in the table schema"), std::string::npos);
  EXPECT_EQ(Run(s, kL5to10), U);
}

TEST_F(FileSkippingTest, DateColumns) {
  constexpr std::string_view stats =
      R"({"numRecords":2,"minValues":{"d":"2021-01-10"},"maxValues":{"d":"2021-01-20"},)"
      R"("nullCount":{"d":0}})";
  EXPECT_EQ(Sql("d < DATE'2021-01-10'", stats), F);
  EXPECT_EQ(Sql("d > '2021-01-20'", stats), F);
  EXPECT_EQ(Sql("d BETWEEN '2021-01-01' AND '2021-02-01'", stats), T);
  EXPECT_EQ(Json(R"({"op":"greaterThanOrEqual","children":[
      {"op":"column","name":"d","valueType":"date"},
      {"op":"literal","value":"2021-01-21","valueType":"date"}]})",
                 stats),
            F);
}

TEST_F(FileSkippingTest, FloatComparisonsMayBeFalseBecauseOfNaN) {
  constexpr std::string_view stats =
      R"({"numRecords":5,"minValues":{"db":1.0},"maxValues":{"db":2.0},"nullCount":{"db":0}})";
  EXPECT_EQ(Sql("db > 5", stats), F);
  EXPECT_EQ(Sql("db < 5", stats), U);        // a NaN row (not in min/max) would be FALSE
  EXPECT_EQ(Sql("NOT (db > 5)", stats), T);  // and TRUE here
  EXPECT_EQ(Sql("db <> 1.5", stats), U);
  EXPECT_EQ(Sql("db = CAST('NaN' AS DOUBLE)", stats), F);
}

TEST_F(FileSkippingTest, NaNBoundsAreIgnored) {
  EXPECT_EQ(Sql("db > 5", R"({"numRecords":5,"minValues":{"db":1.0},"maxValues":{"db":"NaN"}})"),
            U);
  EXPECT_EQ(Sql("db < 0", R"({"numRecords":5,"minValues":{"db":NaN},"maxValues":{"db":2}})"), U);
}

TEST_F(FileSkippingTest, FloatStatsAreParsedAsFloat32) {
  // 0.1f is 0.100000001490116..., above the double 0.1: a row equal to the max matches.
  constexpr std::string_view stats =
      R"({"numRecords":1,"minValues":{"f":0.1},"maxValues":{"f":0.1},"nullCount":{"f":0}})";
  EXPECT_EQ(Sql("f > 0.1", stats), U);
  EXPECT_EQ(Sql("f > CAST(0.1 AS FLOAT)", stats), F);
  EXPECT_EQ(Sql("f > 0.10000001", stats), F);
}

TEST_F(FileSkippingTest, BoolColumns) {
  EXPECT_EQ(Sql("b", R"({"numRecords":5,"nullCount":{"b":0}})"), U);
  EXPECT_EQ(Sql("b", R"({"numRecords":5,"nullCount":{"b":5}})"), F);
  EXPECT_EQ(Sql("b", R"({"numRecords":5,"minValues":{"b":false},"maxValues":{"b":false}})"), F);
  EXPECT_EQ(Sql("NOT b", R"({"numRecords":5,"minValues":{"b":true},"maxValues":{"b":true},)"
                         R"("nullCount":{"b":0}})"),
            F);
  EXPECT_EQ(Sql("TRUE", kL5to10), T);
  EXPECT_EQ(Sql("FALSE OR l > 100", kL5to10), F);
}

TEST_F(FileSkippingTest, BinaryBoundsAreIgnored) {
  constexpr std::string_view stats =
      R"({"numRecords":5,"minValues":{"bin":"zzz"},"maxValues":{"bin":"zzz"},"nullCount":{"bin":0}})";
  EXPECT_EQ(Sql("bin = 'a'", stats), U);
  EXPECT_EQ(Sql("bin IS NULL", stats), F);
}

TEST_F(FileSkippingTest, NestedColumnsByDottedPath) {
  constexpr std::string_view stats =
      R"({"numRecords":5,"minValues":{"l":1,"nested":{"y":"k","x":7}},)"
      R"("maxValues":{"nested":{"x":9,"y":"m"}},"nullCount":{"nested":{"x":0,"y":1}}})";
  EXPECT_EQ(Sql("nested.x < 7", stats), F);
  EXPECT_EQ(Sql("nested.x > 9", stats), F);
  EXPECT_EQ(Sql("nested.x IS NULL", stats), F);
  EXPECT_EQ(Sql("nested.y = 'z'", stats), F);
  EXPECT_EQ(Sql("nested.y IS NULL", stats), U);
  EXPECT_EQ(Sql("`nested`.`x` = 8", stats), U);
}

TEST_F(FileSkippingTest, ColumnMappingUsesPhysicalNames) {
  table_.physical_name = [](const columnar::Field& f) { return "col-" + f.name; };
  constexpr std::string_view physical =
      R"({"numRecords":5,"minValues":{"col-l":5,"col-nested":{"col-x":1}},)"
      R"("maxValues":{"col-l":10,"col-nested":{"col-x":2}}})";
  EXPECT_EQ(Sql("l > 10", physical), F);
  EXPECT_EQ(Sql("nested.x > 2", physical), F);
  EXPECT_EQ(Sql("l > 10", kL5to10), U);  // logical keys are not stats keys
  EXPECT_EQ(Sql("p_int = 1", std::nullopt, {{"col-p_int", "1"}}), T);
  EXPECT_EQ(Sql("p_int = 1", std::nullopt, {{"p_int", "1"}}), U);
}

TEST_F(FileSkippingTest, UnknownOpIsAnUnknownSubtree) {
  constexpr const char* kLess = R"({"op":"lessThan","children":[
      {"op":"column","name":"l","valueType":"long"},
      {"op":"literal","value":"5","valueType":"long"}]})";
  constexpr const char* kOdd = R"({"op":"like","children":[
      {"op":"column","name":"s","valueType":"string"},
      {"op":"literal","value":"a%","valueType":"string"}]})";
  auto wrap = [](std::string op, std::vector<std::string> kids) {
    std::string out = R"({"op":")" + op + R"(","children":[)";
    for (size_t i = 0; i < kids.size(); ++i) out += (i ? "," : "") + kids[i];
    return out + "]}";
  };
  EXPECT_EQ(Json(wrap("and", {kOdd, kLess}), kL5to10), F);
  EXPECT_EQ(Json(wrap("or", {kOdd, kLess}), kL5to10), U);
  EXPECT_EQ(Json(wrap("not", {kOdd}), kL5to10), U);
  // AND with a FALSE child is FALSE whatever the unknown part is, so its negation is TRUE.
  EXPECT_EQ(Json(wrap("not", {wrap("and", {kOdd, kLess})}), kL5to10), T);
  EXPECT_EQ(Json(wrap("not", {wrap("or", {kOdd, kLess})}), kL5to10), U);
  // An unknown valueType inside a comparison makes that comparison unknown.
  EXPECT_EQ(Json(wrap("and", {R"({"op":"equal","children":[
      {"op":"column","name":"l","valueType":"decimal"},
      {"op":"literal","value":"1","valueType":"decimal"}]})",
                              kLess}),
                 kL5to10),
            F);
}

TEST_F(FileSkippingTest, EscapedKeysAndValues) {
  auto schema = columnar::SchemaFromJson(R"({"type":"struct","fields":[
      {"name":"a\"b","type":"string","nullable":true,"metadata":{}}]})");
  ASSERT_OK(schema);
  table_.schema = *schema;
  table_.partition_columns.clear();
  auto e =
      Expr::Compare(Op::kEqual, *Expr::Column("a\"b"), *Expr::Literal(ValueType::kString, "x\n"));
  ASSERT_OK(e);
  FileSkipper s = Compile(*e);
  EXPECT_EQ(Run(s, R"({"numRecords":1,"minValues":{"a\"b":"x\n"},"maxValues":{"a\u0022b":"x\n"}})"),
            U);
  EXPECT_EQ(Run(s, R"({"numRecords":1,"minValues":{"a\"b":"x\u000b"},"maxValues":{"a\"b":"y"}})"),
            F);
}

TEST_F(FileSkippingTest, ColumnAgainstColumn) {
  EXPECT_EQ(Sql("p_int = p_int", std::nullopt, {{"p_int", "3"}}), T);
  EXPECT_EQ(Sql("p_int < i", R"({"numRecords":2,"minValues":{"i":1},"maxValues":{"i":3}})",
                {{"p_int", "3"}}),
            F);
  EXPECT_EQ(
      Sql("l > i", R"({"numRecords":2,"minValues":{"i":11,"l":5},"maxValues":{"i":20,"l":10}})"),
      F);
  FileSkipper s = CompileSql("l = s");
  EXPECT_EQ(s.notes().size(), 1u);
}

TEST_F(FileSkippingTest, CertainTrueServesEnforcedPartitionFilters) {
  FileSkipper s = CompileSql("p_str = 'EU' AND p_date >= '2023-01-01'");
  EXPECT_TRUE(s.partition_only());
  EXPECT_EQ(Run(s, std::nullopt, {{"p_str", "EU"}, {"p_date", "2023-05-01"}}), T);
  EXPECT_EQ(Run(s, std::nullopt, {{"p_str", "EU"}, {"p_date", "2022-05-01"}}), F);
  EXPECT_EQ(Run(s, std::nullopt, {{"p_str", "US"}, {"p_date", "2023-05-01"}}), F);
  EXPECT_EQ(Run(s, std::nullopt, {{"p_str", std::nullopt}, {"p_date", "2023-05-01"}}), F);
  EXPECT_EQ(Run(s, std::nullopt, {{"p_str", "EU"}, {"p_date", "bad"}}), U);
  // Partition-only predicates never look at stats, even broken ones.
  EXPECT_EQ(Run(s, "{broken", {{"p_str", "EU"}, {"p_date", "2023-05-01"}}), T);
  EXPECT_FALSE(CompileSql("p_str = 'EU' AND l > 1").partition_only());
}

TEST_F(FileSkippingTest, BatchEvaluation) {
  FileSkipper s = CompileSql("l > 7");
  std::vector<std::string> stats = {
      R"({"numRecords":1,"minValues":{"l":1},"maxValues":{"l":2},"nullCount":{"l":0}})",
      R"({"numRecords":1,"minValues":{"l":8},"maxValues":{"l":9},"nullCount":{"l":0}})",
      R"({"numRecords":1,"minValues":{"l":5},"maxValues":{"l":9},"nullCount":{"l":0}})"};
  std::vector<FileView> files;
  for (const auto& st : stats) files.push_back({{}, st});
  files.push_back({{}, std::nullopt});
  std::vector<Truth> out(files.size());
  s.EvaluateBatch(files, out);
  EXPECT_EQ(out, (std::vector<Truth>{F, T, U, U}));
}

TEST_F(FileSkippingTest, CopiesAreIndependent) {
  FileSkipper a = CompileSql("l > 7 AND s = 'x'");
  FileSkipper b = a;
  EXPECT_EQ(a.Evaluate({{}, kL5to10}), U);
  EXPECT_EQ(b.Evaluate({{}, R"({"numRecords":1,"minValues":{"l":1},"maxValues":{"l":2}})"}), F);
  EXPECT_EQ(a.Evaluate({{}, R"({"numRecords":1,"minValues":{"s":"y"},"maxValues":{"s":"z"}})"}), F);
}

TEST_F(FileSkippingTest, MakeRejectsBadTables) {
  auto e = ParseSqlPredicate("l = 1");
  ASSERT_OK(e);
  SkippingTable bad;
  ASSERT_RAISES(kInvalidArgument, FileSkipper::Make(**e, bad));
  bad.schema = table_.schema;
  bad.partition_columns = {"missing"};
  ASSERT_RAISES(kInvalidArgument, FileSkipper::Make(**e, bad));
}

}  // namespace
}  // namespace ds::expr
