#include "expr/stats_scanner.h"

#include "test/testing/testing.h"

namespace ds::expr {
namespace {

using Kind = StatsToken::Kind;

class StatsScannerTest : public ::testing::Test {
 protected:
  bool Scan(std::string_view json) { return scanner_.Scan(json, paths_, &out_); }
  StatsPaths paths_;
  StatsScanner scanner_;
  ScannedStats out_;
};

TEST_F(StatsScannerTest, CapturesReferencedColumnsOnly) {
  int a = paths_.Add({"a"});
  int c = paths_.Add({"s", "c"});
  EXPECT_EQ(paths_.Add({"a"}), a);
  EXPECT_EQ(paths_.num_leaves(), 2);
  ASSERT_TRUE(
      Scan(R"({"numRecords":42,"minValues":{"z":[1,{"q":2}],"a":-1.5e3,"s":{"b":1,"c":"lo"}},
                       "maxValues":{"a":7 ,"s":{"c":"h\u00e9"}},"nullCount":{"a":0,"s":{"c":3}},
                       "tightBounds":true})"));
  EXPECT_TRUE(out_.has_num_records);
  EXPECT_EQ(out_.num_records, 42);
  EXPECT_EQ(out_.min_values[a].kind, Kind::kNumber);
  EXPECT_EQ(out_.min_values[a].text, "-1.5e3");
  EXPECT_EQ(out_.max_values[a].text, "7");  // trailing space trimmed
  EXPECT_EQ(out_.min_values[c].text, "lo");
  EXPECT_EQ(out_.max_values[c].kind, Kind::kString);
  EXPECT_EQ(out_.max_values[c].text, "h\xC3\xA9");  // decoded
  EXPECT_EQ(out_.null_count[a].text, "0");
  EXPECT_EQ(out_.null_count[c].text, "3");
}

TEST_F(StatsScannerTest, FindsKeysInAnyOrder) {
  int z = paths_.Add({"z"});
  int a = paths_.Add({"a"});
  ASSERT_TRUE(Scan(R"({"nullCount":{"z":1,"a":2},"maxValues":{"a":3,"z":4},"numRecords":9})"));
  EXPECT_EQ(out_.num_records, 9);
  EXPECT_EQ(out_.null_count[z].text, "1");
  EXPECT_EQ(out_.null_count[a].text, "2");
  EXPECT_EQ(out_.max_values[a].text, "3");
  EXPECT_EQ(out_.max_values[z].text, "4");
  EXPECT_EQ(out_.min_values[a].kind, Kind::kAbsent);
}

TEST_F(StatsScannerTest, AbsentAndNonScalarEntries) {
  int a = paths_.Add({"a"});
  int b = paths_.Add({"b"});
  ASSERT_TRUE(
      Scan(R"({"minValues":{"a":null,"b":{"x":1}},"maxValues":{"a":true},"nullCount":null})"));
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

TEST_F(StatsScannerTest, KeysMatchInTheirJacksonForm) {
  int q = paths_.Add({"we\"ird"});
  int e = paths_.Add({"\xC3\xA9t\xC3\xA9"});
  int t = paths_.Add({"tab\there"});
  ASSERT_TRUE(Scan(R"({"minValues":{"we\"ird":1,"été":2,"tab\there":3}})"));
  EXPECT_EQ(out_.min_values[q].text, "1");
  EXPECT_EQ(out_.min_values[e].text, "2");
  EXPECT_EQ(out_.min_values[t].text, "3");
  // Non-ASCII written as \u escapes is not matched: the column just has no stats.
  ASSERT_TRUE(Scan(R"({"minValues":{"\u00e9t\u00e9":2}})"));
  EXPECT_EQ(out_.min_values[e].kind, Kind::kAbsent);
}

TEST_F(StatsScannerTest, FirstDuplicateWins) {
  int a = paths_.Add({"a"});
  ASSERT_TRUE(Scan(R"({"numRecords":1,"numRecords":2,"minValues":{"a":1,"a":2}})"));
  EXPECT_EQ(out_.num_records, 1);
  EXPECT_EQ(out_.min_values[a].text, "1");
}

TEST_F(StatsScannerTest, MalformedInputResetsEverything) {
  int a = paths_.Add({"a"});
  for (const char* bad :
       {"", "[]", "null", "5", "{", R"({"a")", R"({"numRecords":1,)", R"({"minValues":{"a":1)",
        R"({"minValues":{"a":"x\q"}})", R"({"minValues":{"a":"\u12"}})",
        "{\"minValues\":{\"a\":\"tab\there\"}}", R"({"minValues":{"b":[1,2}})",
        R"({"numRecords" 1})", "{\"minValues\":{\"a\":\"\xFF\"}}"}) {
    EXPECT_FALSE(Scan(bad)) << bad;
    EXPECT_FALSE(out_.has_num_records);
    EXPECT_EQ(out_.min_values[a].kind, Kind::kAbsent) << bad;
  }
}

TEST_F(StatsScannerTest, DeepNestingIsSkippedWithoutRecursion) {
  int a = paths_.Add({"a"});
  std::string deep = R"({"minValues":{"z":)";
  for (int i = 0; i < 100000; ++i) deep += "[";
  for (int i = 0; i < 100000; ++i) deep += "]";
  deep += R"(,"a":1}})";
  ASSERT_TRUE(Scan(deep));
  EXPECT_EQ(out_.min_values[a].text, "1");
  std::string unbalanced = R"({"minValues":{"z":)";
  for (int i = 0; i < 100000; ++i) unbalanced += "[";
  unbalanced += R"(,"a":1}})";
  EXPECT_FALSE(Scan(unbalanced));
}

TEST_F(StatsScannerTest, NegativeFractionalOrStringNumRecordsIsIgnored) {
  paths_.Add({"a"});
  for (const char* json : {R"({"numRecords":-1})", R"({"numRecords":99999999999999999999999})",
                           R"({"numRecords":"5"})", R"({"numRecords":5.0})"}) {
    Scan(json);
    EXPECT_FALSE(out_.has_num_records) << json;
  }
}

TEST_F(StatsScannerTest, ReadsPaddedInputInPlace) {
  int a = paths_.Add({"a"});
  std::string stats = R"({"minValues":{"a":12}})";
  stats.reserve(stats.size() + kStatsPadding);
  ASSERT_TRUE(scanner_.Scan(stats, paths_, &out_, stats.capacity() - stats.size()));
  EXPECT_EQ(out_.min_values[a].text.data(), stats.data() + stats.find("12"));
}

TEST_F(StatsScannerTest, CopiesScanIndependently) {
  int a = paths_.Add({"a"});
  StatsScanner other = scanner_;
  ScannedStats out2;
  ASSERT_TRUE(Scan(R"({"minValues":{"a":"x"}})"));
  ASSERT_TRUE(other.Scan(R"({"minValues":{"a":"y"}})", paths_, &out2));
  EXPECT_EQ(out_.min_values[a].text, "x");
  EXPECT_EQ(out2.min_values[a].text, "y");
}

}  // namespace
}  // namespace ds::expr
