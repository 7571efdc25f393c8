#include "expr/stats_scanner.h"

#include "test/testing/testing.h"

namespace ds::expr {
namespace {

using Kind = StatsToken::Kind;

class StatsScannerTest : public ::testing::Test {
 protected:
  bool Scan(std::string_view json) { return ScanStats(json, paths_, &out_, &scratch_); }
  StatsPaths paths_;
  ScannedStats out_;
  std::string scratch_;
};

TEST_F(StatsScannerTest, CapturesReferencedColumnsOnly) {
  int a = paths_.Add({"a"});
  int c = paths_.Add({"s", "c"});
  EXPECT_EQ(paths_.Add({"a"}), a);
  EXPECT_EQ(paths_.num_leaves(), 2);
  ASSERT_TRUE(
      Scan(R"({"numRecords":42,"minValues":{"z":[1,{"q":2}],"a":-1.5e3,"s":{"b":1,"c":"lo"}},
                       "maxValues":{"a":7,"s":{"c":"h\u00e9"}},"nullCount":{"a":0,"s":{"c":3}},
                       "tightBounds":true})"));
  EXPECT_TRUE(out_.has_num_records);
  EXPECT_EQ(out_.num_records, 42);
  EXPECT_EQ(out_.min_values[a].kind, Kind::kNumber);
  EXPECT_EQ(out_.min_values[a].text, "-1.5e3");
  EXPECT_EQ(out_.min_values[c].text, "lo");
  EXPECT_EQ(out_.max_values[c].kind, Kind::kString);
  EXPECT_TRUE(out_.max_values[c].escaped);
  std::string decoded;
  ASSERT_TRUE(UnescapeJson(out_.max_values[c].text, &decoded));
  EXPECT_EQ(decoded, "h\xC3\xA9");
  EXPECT_EQ(out_.null_count[a].text, "0");
  EXPECT_EQ(out_.null_count[c].text, "3");
}

TEST_F(StatsScannerTest, AbsentAndNonScalarEntries) {
  int a = paths_.Add({"a"});
  int b = paths_.Add({"b"});
  ASSERT_TRUE(Scan(R"({"minValues":{"a":null,"b":{"x":1}},"maxValues":{"a":true}})"));
  EXPECT_FALSE(out_.has_num_records);
  EXPECT_EQ(out_.min_values[a].kind, Kind::kNull);
  EXPECT_EQ(out_.min_values[b].kind, Kind::kOther);
  EXPECT_EQ(out_.max_values[a].kind, Kind::kTrue);
  EXPECT_EQ(out_.max_values[b].kind, Kind::kAbsent);
  EXPECT_EQ(out_.null_count[a].kind, Kind::kAbsent);
}

TEST_F(StatsScannerTest, NestedPathAgainstScalarIsIgnored) {
  int c = paths_.Add({"s", "c"});
  ASSERT_TRUE(Scan(R"({"minValues":{"s":5},"maxValues":{"s":{"c":1}}})"));
  EXPECT_EQ(out_.min_values[c].kind, Kind::kAbsent);
  EXPECT_EQ(out_.max_values[c].text, "1");
}

TEST_F(StatsScannerTest, EscapedKeysMatch) {
  int q = paths_.Add({"we\"ird"});
  int e = paths_.Add({"\xC3\xA9t\xC3\xA9"});
  ASSERT_TRUE(Scan(R"({"minValues":{"we\"ird":1,"\u00e9t\u00e9":2}})"));
  EXPECT_EQ(out_.min_values[q].text, "1");
  EXPECT_EQ(out_.min_values[e].text, "2");
}

TEST_F(StatsScannerTest, FirstDuplicateWins) {
  int a = paths_.Add({"a"});
  ASSERT_TRUE(Scan(R"({"numRecords":1,"numRecords":2,"minValues":{"a":1,"a":2}})"));
  EXPECT_EQ(out_.num_records, 1);
  EXPECT_EQ(out_.min_values[a].text, "1");
}

TEST_F(StatsScannerTest, StopsOnceEverythingIsCaptured) {
  int a = paths_.Add({"a"});
  // The tail is garbage, but everything wanted came before it.
  ASSERT_TRUE(Scan(R"({"numRecords":3,"minValues":{"a":1},"maxValues":{"a":2},"nullCount":{"a":0},)"
                   R"( garbage)"));
  EXPECT_EQ(out_.null_count[a].text, "0");
}

TEST_F(StatsScannerTest, MalformedInputResetsEverything) {
  int a = paths_.Add({"a"});
  for (const char* bad : {"", "[]", "null", "{", R"({"a")", R"({"numRecords":1,)",
                          R"({"minValues":{"a":1)", R"({"minValues":{"a":1,}})",
                          R"({"minValues":{"a":"x\q"}})", R"({"minValues":{"a":"\u12"}})",
                          "{\"minValues\":{\"a\":\"tab\there\"}}", R"({"minValues":{"a":tru}})",
                          R"({"minValues":{"b":[1,2}})", R"({"x":})", R"({"numRecords" 1})"}) {
    EXPECT_FALSE(Scan(bad)) << bad;
    EXPECT_FALSE(out_.has_num_records);
    EXPECT_EQ(out_.min_values[a].kind, Kind::kAbsent) << bad;
  }
}

TEST_F(StatsScannerTest, DeepNestingIsRefused) {
  paths_.Add({"a"});
  std::string deep = R"({"minValues":{"z":)";
  for (int i = 0; i < 10000; ++i) deep += "[";
  EXPECT_FALSE(Scan(deep));
  std::string ok = R"({"minValues":{"z":)";
  for (int i = 0; i < 30; ++i) ok += "[";
  for (int i = 0; i < 30; ++i) ok += "]";
  ok += "}}";
  EXPECT_TRUE(Scan(ok));
}

TEST_F(StatsScannerTest, NegativeOrHugeNumRecordsIsIgnored) {
  paths_.Add({"a"});
  ASSERT_TRUE(Scan(R"({"numRecords":-1})"));
  EXPECT_FALSE(out_.has_num_records);
  ASSERT_TRUE(Scan(R"({"numRecords":99999999999999999999999})"));
  EXPECT_FALSE(out_.has_num_records);
  ASSERT_TRUE(Scan(R"({"numRecords":"5"})"));
  EXPECT_FALSE(out_.has_num_records);
}

TEST(UnescapeJsonTest, DecodesEverything) {
  std::string out;
  ASSERT_TRUE(UnescapeJson(R"(a\"b\\c\/d\b\f\n\r\t\u0041\ud83d\ude00)", &out));
  EXPECT_EQ(out, "a\"b\\c/d\b\f\n\r\tA\xF0\x9F\x98\x80");
  ASSERT_TRUE(UnescapeJson(R"(\ud800x)", &out));
  EXPECT_EQ(out, "\xEF\xBF\xBDx");
  EXPECT_FALSE(UnescapeJson(R"(\x)", &out));
  EXPECT_FALSE(UnescapeJson(R"(\u00)", &out));
  EXPECT_FALSE(UnescapeJson("\\", &out));
}

}  // namespace
}  // namespace ds::expr
