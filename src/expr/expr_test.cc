// Expression trees, exact values, binding and type resolution.
#include "expr/expr.h"

#include <cmath>
#include <limits>

#include "columnar/schema_json.h"
#include "expr/binding.h"
#include "expr/json_predicate.h"
#include "expr/sql_predicate.h"
#include "expr/value.h"
#include "test/testing/testing.h"

namespace ds::expr {
namespace {

TEST(ValueTest, ParseExactNumber) {
  auto n = ParseExactNumber("123.450");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->unscaled == 123450 && n->scale == 3 && !n->truncated);
  n = ParseExactNumber("-0.05");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->unscaled == -5 && n->scale == 2);
  n = ParseExactNumber("1.5E+2");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->unscaled == 15 && n->scale == -1);
  n = ParseExactNumber("2e-3");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->unscaled == 2 && n->scale == 3);
  n = ParseExactNumber("000");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->unscaled == 0 && n->scale == 0);
  n = ParseExactNumber(".5");
  ASSERT_TRUE(n && n->unscaled == 5 && n->scale == 1);
  n = ParseExactNumber("5.");
  ASSERT_TRUE(n && n->unscaled == 5 && n->scale == 0);
  // 45 significant digits: 38 kept, the rest reported as truncation.
  n = ParseExactNumber("123456789012345678901234567890123456789012345");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->truncated);
  EXPECT_EQ(n->scale, -7);
  for (const char* bad :
       {"", "-", ".", "1e", "1e+", "1.2.3", "0x10", "NaN", "Infinity", "1 ", "+-1", "1e999999"}) {
    EXPECT_FALSE(ParseExactNumber(bad)) << bad;
  }
}

TEST(ValueTest, ToScaledFloorsExactly) {
  auto at = [](const char* text, int scale) { return ToScaled(*ParseExactNumber(text), scale); };
  ScaledValue v = at("12.345", 2);
  EXPECT_TRUE(v.floor == 1234 && v.frac);
  v = at("-12.345", 2);
  EXPECT_TRUE(v.floor == -1235 && v.frac);
  v = at("12.3", 2);
  EXPECT_TRUE(v.floor == 1230 && !v.frac);
  v = at("1e-50", 0);
  EXPECT_TRUE(v.floor == 0 && v.frac);
  v = at("-1e-50", 0);
  EXPECT_TRUE(v.floor == -1 && v.frac);
  v = at("1e50", 0);
  EXPECT_TRUE(v.clamped && v.floor == kClampMagnitude);
  v = at("-1e50", 2);
  EXPECT_TRUE(v.clamped && v.floor == -kClampMagnitude);
  v = at("1.00000000000000000000000000000000000000001", 0);  // truncated beyond 38 digits
  EXPECT_TRUE(v.floor == 1 && v.frac);
  EXPECT_EQ(ParseExactAtScale("12.50", 2), std::optional<int128_t>(1250));
  EXPECT_EQ(ParseExactAtScale("12.505", 2), std::nullopt);
  EXPECT_EQ(ParseExactAtScale("1E3", 0), std::optional<int128_t>(1000));
  EXPECT_EQ(ParseExactAtScale("1e40", 0), std::nullopt);
}

TEST(ValueTest, FloatingAndBoolText) {
  EXPECT_EQ(*ParseFloating("0.1", true), static_cast<double>(0.1f));
  EXPECT_EQ(*ParseFloating("0.1", false), 0.1);
  EXPECT_TRUE(std::isnan(*ParseFloating("NaN", true)));
  EXPECT_EQ(*ParseFloating("-Infinity", true), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(*ParseFloating("1e39", true), std::numeric_limits<double>::infinity());
  EXPECT_FALSE(ParseFloating("x", true));
  EXPECT_EQ(ParseBoolText("TRUE"), std::optional<bool>(true));
  EXPECT_EQ(ParseBoolText("no"), std::nullopt);
  EXPECT_EQ(CodePointCount("a\xC3\xA9\xF0\x9F\x98\x80"), 3u);
}

TEST(ExprTest, FactoriesCheckStructure) {
  ASSERT_RAISES(kInvalidArgument, Expr::Column(""));
  ASSERT_RAISES(kInvalidArgument, Expr::Literal(ValueType::kUnspecified, "1"));
  ASSERT_RAISES(kInvalidArgument, Expr::Literal(ValueType::kInt, "x"));
  ASSERT_OK_AND_ASSIGN(auto col, Expr::Column("a", ValueType::kLong));
  ASSERT_OK_AND_ASSIGN(auto lit, Expr::Literal(ValueType::kLong, "1"));
  ASSERT_OK_AND_ASSIGN(auto s, Expr::Literal(ValueType::kString, "1"));
  ASSERT_RAISES(kInvalidArgument, Expr::Compare(Op::kAnd, col, lit));
  ASSERT_RAISES(kInvalidArgument, Expr::Compare(Op::kEqual, col, s));
  ASSERT_RAISES(kInvalidArgument, Expr::Compare(Op::kEqual, col, nullptr));
  ASSERT_RAISES(kInvalidArgument, Expr::IsNull(lit));
  ASSERT_RAISES(kInvalidArgument, Expr::And({}));
  ASSERT_RAISES(kInvalidArgument, Expr::Not(lit));
  ASSERT_RAISES(kInvalidArgument, Expr::And({col, col}));  // a long column is no condition
  ASSERT_OK_AND_ASSIGN(auto eq, Expr::Compare(Op::kEqual, col, lit));
  ASSERT_OK_AND_ASSIGN(auto one, Expr::And({eq}));
  EXPECT_EQ(one, eq);
  ASSERT_OK_AND_ASSIGN(auto inner, Expr::And({eq, eq}));
  ASSERT_OK_AND_ASSIGN(auto outer, Expr::And({inner, eq}));
  EXPECT_EQ(outer->children().size(), 3u);  // flattened
  EXPECT_EQ(outer->height(), 3);
}

TEST(ExprTest, HeightIsLimited) {
  ASSERT_OK_AND_ASSIGN(auto col, Expr::Column("a", ValueType::kBool));
  ExprPtr e = col;
  for (int i = 1; i < kMaxHeight; ++i) {
    ASSERT_OK_AND_ASSIGN(e, Expr::Not(e));
  }
  EXPECT_EQ(e->height(), kMaxHeight);
  ASSERT_RAISES(kInvalidArgument, Expr::Not(e));
}

constexpr const char* kSchema = R"json({"type":"struct","fields":[
  {"name":"i","type":"integer","nullable":true,"metadata":{}},
  {"name":"l","type":"long","nullable":true,"metadata":{}},
  {"name":"s","type":"string","nullable":true,"metadata":{}},
  {"name":"d","type":"date","nullable":true,"metadata":{}},
  {"name":"dec","type":"decimal(10,2)","nullable":true,"metadata":{}},
  {"name":"f","type":"float","nullable":true,"metadata":{}},
  {"name":"Mixed","type":"boolean","nullable":true,"metadata":{}},
  {"name":"a.b","type":"long","nullable":true,"metadata":{}},
  {"name":"st","type":{"type":"struct","fields":[
    {"name":"x","type":"long","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
  {"name":"arr","type":{"type":"array","elementType":"long","containsNull":true},
   "nullable":true,"metadata":{}}]})json";

TEST(BindingTest, ResolvesColumns) {
  ASSERT_OK_AND_ASSIGN(auto schema, columnar::SchemaFromJson(kSchema));
  EXPECT_EQ(ResolveColumnPath(*schema, "l"), (std::vector<int>{1}));
  EXPECT_EQ(ResolveColumnPath(*schema, "a.b"), (std::vector<int>{7}));  // exact name wins
  EXPECT_EQ(ResolveColumnPath(*schema, "st.x"), (std::vector<int>{8, 0}));
  EXPECT_EQ(ResolveColumnPath(*schema, "mixed"), (std::vector<int>{6}));
  EXPECT_TRUE(ResolveColumnPath(*schema, "st.y").empty());
  EXPECT_TRUE(ResolveColumnPath(*schema, "l.x").empty());
  EXPECT_TRUE(ResolveColumnPath(*schema, "nope").empty());
}

TEST(BindingTest, NotesExplainUnknownParts) {
  ASSERT_OK_AND_ASSIGN(auto schema, columnar::SchemaFromJson(kSchema));
  ASSERT_OK_AND_ASSIGN(auto e, ParseSqlPredicate("arr = 1 OR s = 1 OR nope IS NULL OR d = 'x'"));
  BoundPlan plan = Bind(*e, *schema);
  ASSERT_EQ(plan.notes.size(), 4u);
  EXPECT_NE(plan.notes[0].find("predicates cannot compare"), std::string::npos) << plan.notes[0];
  EXPECT_NE(plan.notes[1].find("does not fit a string column"), std::string::npos) << plan.notes[1];
  EXPECT_NE(plan.notes[2].find("not in the table schema"), std::string::npos);
  EXPECT_NE(plan.notes[3].find("not a valid date"), std::string::npos);
  EXPECT_FALSE(plan.exact());
}

TEST(BindingTest, ResolveTypesMakesSerializableJson) {
  ASSERT_OK_AND_ASSIGN(auto schema, columnar::SchemaFromJson(kSchema));
  ASSERT_OK_AND_ASSIGN(
      auto e, ParseSqlPredicate("i = 5 AND l > 2 AND d >= '2021-01-01' AND dec < 10.25 AND "
                                "f = 1 AND s IS NOT NULL AND Mixed AND i < 5.5 AND i = l"));
  ASSERT_OK_AND_ASSIGN(auto typed, ResolveTypes(*e, *schema));
  ASSERT_OK_AND_ASSIGN(std::string json, ToJsonPredicate(*typed));
  ASSERT_OK_AND_ASSIGN(auto back, ParseJsonPredicate(json));
  EXPECT_EQ(back->ToString(), typed->ToString());
  auto has = [&](std::string_view s) { return json.find(s) != std::string::npos; };
  EXPECT_TRUE(has(
      R"({"op":"column","name":"i","valueType":"int"},{"op":"literal","value":"5","valueType":"int"})"))
      << json;
  EXPECT_TRUE(has(R"({"op":"literal","value":"2021-01-01","valueType":"date"})")) << json;
  EXPECT_TRUE(has(R"({"op":"column","name":"dec","valueType":"double"})")) << json;
  EXPECT_TRUE(has(
      R"({"op":"column","name":"i","valueType":"double"},{"op":"literal","value":"5.5","valueType":"double"})"))
      << json;
  EXPECT_TRUE(has(
      R"({"op":"column","name":"i","valueType":"long"},{"op":"column","name":"l","valueType":"long"})"))
      << json;
  EXPECT_TRUE(has(R"({"op":"column","name":"Mixed","valueType":"bool"})")) << json;
}

TEST(BindingTest, ResolveTypesReportsProblems) {
  ASSERT_OK_AND_ASSIGN(auto schema, columnar::SchemaFromJson(kSchema));
  for (const char* sql : {"nope = 1", "s = 1", "d = 'someday'", "arr IS NULL", "l", "s = l"}) {
    ASSERT_OK_AND_ASSIGN(auto e, ParseSqlPredicate(sql));
    ASSERT_RAISES(kInvalidArgument, ResolveTypes(*e, *schema));
  }
}

}  // namespace
}  // namespace ds::expr
