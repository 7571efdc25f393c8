#include "expr/row_filter.h"

#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "expr/json_predicate.h"
#include "expr/sql_predicate.h"
#include "test/testing/testing.h"

namespace ds::expr {
namespace {

constexpr const char* kSchema = R"json({"type":"struct","fields":[
  {"name":"id","type":"long","nullable":true,"metadata":{}},
  {"name":"i","type":"integer","nullable":true,"metadata":{}},
  {"name":"s","type":"string","nullable":true,"metadata":{}},
  {"name":"d","type":"date","nullable":true,"metadata":{}},
  {"name":"ts","type":"timestamp","nullable":true,"metadata":{}},
  {"name":"db","type":"double","nullable":true,"metadata":{}},
  {"name":"f","type":"float","nullable":true,"metadata":{}},
  {"name":"dec","type":"decimal(10,2)","nullable":true,"metadata":{}},
  {"name":"b","type":"boolean","nullable":true,"metadata":{}},
  {"name":"st","type":{"type":"struct","fields":[
    {"name":"x","type":"long","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}}]})json";

constexpr const char* kRows =
    R"({"id":0,"i":1,"s":"a","d":"2021-01-01","ts":"2021-01-01T00:00:00.000001Z","db":1.5,"f":0.1,"dec":"1.25","b":true,"st":{"x":1}}
{"id":1,"i":2,"s":"b","d":"2021-06-01","ts":"2021-06-01T12:00:00Z","db":"NaN","f":2,"dec":"-3.00","b":false,"st":{"x":null}}
{"id":2,"i":null,"s":null,"d":null,"ts":null,"db":null,"f":null,"dec":null,"b":null,"st":null}
{"id":3,"i":4,"s":"\u00e9","d":"2022-01-01","ts":"2022-01-01T00:00:00Z","db":-0.0,"f":-1,"dec":"100.00","b":true,"st":{"x":3}}
)";

class RowFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(schema_, columnar::SchemaFromJson(kSchema));
    ASSERT_OK_AND_ASSIGN(batch_, columnar::ParseJsonLines(kRows, schema_));
  }
  // The ids of the rows where `sql` is TRUE.
  std::vector<int64_t> Select(std::string_view sql) {
    auto e = ParseSqlPredicate(sql);
    EXPECT_OK(e);
    auto f = RowFilter::Make(**e, schema_);
    EXPECT_OK(f);
    auto rows = f->Select(batch_);
    EXPECT_OK(rows);
    return *rows;
  }
  std::vector<Truth> Truths(std::string_view sql) {
    auto e = ParseSqlPredicate(sql);
    EXPECT_OK(e);
    auto f = RowFilter::Make(**e, schema_);
    EXPECT_OK(f);
    std::vector<Truth> out;
    EXPECT_OK(f->Evaluate(batch_, &out));
    return out;
  }

  columnar::SchemaPtr schema_;
  columnar::RecordBatch batch_;
};

using V = std::vector<int64_t>;
constexpr Truth T = Truth::kTrue;
constexpr Truth F = Truth::kFalse;
constexpr Truth N = Truth::kUnknown;

TEST_F(RowFilterTest, ComparisonsOnEveryType) {
  EXPECT_EQ(Select("i > 1"), (V{1, 3}));
  EXPECT_EQ(Select("i >= 2 AND i <= 2"), (V{1}));
  EXPECT_EQ(Select("s < 'b'"), (V{0}));
  EXPECT_EQ(Select("s > 'z'"), (V{3}));  // é sorts after z in UTF-8
  EXPECT_EQ(Select("d >= '2021-06-01'"), (V{1, 3}));
  EXPECT_EQ(Select("ts > '2021-01-01T00:00:00Z'"), (V{0, 1, 3}));
  EXPECT_EQ(Select("ts = TIMESTAMP'2021-01-01 00:00:00.000001'"), (V{0}));
  EXPECT_EQ(Select("dec = 1.25"), (V{0}));
  EXPECT_EQ(Select("dec < 0"), (V{1}));
  EXPECT_EQ(Select("dec > 99.999"), (V{3}));
  EXPECT_EQ(Select("b"), (V{0, 3}));
  EXPECT_EQ(Select("NOT b"), (V{1}));
  EXPECT_EQ(Select("st.x >= 1"), (V{0, 3}));
  EXPECT_EQ(Select("i = id"), (V{}));
  EXPECT_EQ(Select("i > id"), (V{0, 1, 3}));
}

TEST_F(RowFilterTest, ThreeValuedLogic) {
  EXPECT_EQ(Truths("i > 1"), (std::vector<Truth>{F, T, N, T}));
  EXPECT_EQ(Truths("NOT (i > 1)"), (std::vector<Truth>{T, F, N, F}));
  EXPECT_EQ(Truths("i > 1 OR id = 2"), (std::vector<Truth>{F, T, T, T}));
  EXPECT_EQ(Truths("i > 1 AND id = 2"), (std::vector<Truth>{F, F, N, F}));
  EXPECT_EQ(Truths("i IS NULL"), (std::vector<Truth>{F, F, T, F}));
  EXPECT_EQ(Truths("st.x IS NULL"), (std::vector<Truth>{F, T, T, F}));  // NULL struct too
}

TEST_F(RowFilterTest, FloatsFollowIeee) {
  EXPECT_EQ(Select("db > 0"), (V{0}));
  EXPECT_EQ(Select("db <= 0"), (V{3}));  // -0.0 <= 0; NaN is never ordered
  EXPECT_EQ(Select("db = 0"), (V{3}));
  EXPECT_EQ(Select("NOT (db = 0)"), (V{0, 1}));
  EXPECT_EQ(Select("db = CAST('NaN' AS DOUBLE)"), (V{}));
  EXPECT_EQ(Select("f = 0.1"), (V{}));  // 0.1f != 0.1
  EXPECT_EQ(Select("f = CAST(0.1 AS FLOAT)"), (V{0}));
}

TEST_F(RowFilterTest, JsonPredicates) {
  ASSERT_OK_AND_ASSIGN(auto e, ParseJsonPredicate(R"({"op":"and","children":[
      {"op":"greaterThanOrEqual","children":[{"op":"column","name":"id","valueType":"int"},
                                             {"op":"literal","value":"1","valueType":"int"}]},
      {"op":"not","children":[{"op":"isNull","children":[{"op":"column","name":"s",
                                                          "valueType":"string"}]}]}]})"));
  ASSERT_OK_AND_ASSIGN(auto f, RowFilter::Make(*e, schema_));
  ASSERT_OK_AND_ASSIGN(auto rows, f.Select(batch_));
  EXPECT_EQ(rows, (V{1, 3}));
}

TEST_F(RowFilterTest, RefusesWhatItCannotEvaluate) {
  for (const char* sql : {"nope = 1", "s = 1", "d = 'x'"}) {
    ASSERT_OK_AND_ASSIGN(auto e, ParseSqlPredicate(sql));
    auto f = RowFilter::Make(*e, schema_);
    ASSERT_RAISES(kNotSupported, f);
  }
  ASSERT_OK_AND_ASSIGN(auto unknown, ParseJsonPredicate(R"({"op":"like","children":[]})"));
  ASSERT_RAISES(kNotSupported, RowFilter::Make(*unknown, schema_));
  ASSERT_RAISES(kInvalidArgument, RowFilter::Make(*unknown, nullptr));
}

TEST_F(RowFilterTest, ChecksTheBatchAgainstTheBoundSchema) {
  ASSERT_OK_AND_ASSIGN(auto e, ParseSqlPredicate("s = 'a'"));
  ASSERT_OK_AND_ASSIGN(auto f, RowFilter::Make(*e, schema_));
  columnar::RecordBatch other = batch_;
  other.columns[2] = other.columns[0];  // a long where a string was bound
  std::vector<Truth> out;
  ASSERT_RAISES(kInvalidArgument, f.Evaluate(other, &out));
  other.columns.resize(1);
  ASSERT_RAISES(kInvalidArgument, f.Evaluate(other, &out));
}

TEST_F(RowFilterTest, EmptyBatch) {
  ASSERT_OK_AND_ASSIGN(auto empty, columnar::ParseJsonLines("", schema_));
  ASSERT_OK_AND_ASSIGN(auto e, ParseSqlPredicate("i > 1 OR s IS NULL"));
  ASSERT_OK_AND_ASSIGN(auto f, RowFilter::Make(*e, schema_));
  ASSERT_OK_AND_ASSIGN(auto rows, f.Select(empty));
  EXPECT_TRUE(rows.empty());
}

}  // namespace
}  // namespace ds::expr
