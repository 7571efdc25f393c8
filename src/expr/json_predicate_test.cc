#include "expr/json_predicate.h"

#include "test/testing/testing.h"

namespace ds::expr {
namespace {

std::string Col(std::string_view name, std::string_view type) {
  return R"({"op":"column","name":")" + std::string(name) + R"(","valueType":")" +
         std::string(type) + R"("})";
}
std::string Lit(std::string_view value, std::string_view type) {
  return R"({"op":"literal","value":")" + std::string(value) + R"(","valueType":")" +
         std::string(type) + R"("})";
}
std::string Node(std::string_view op, const std::vector<std::string>& kids) {
  std::string out = R"({"op":")" + std::string(op) + R"(","children":[)";
  for (size_t i = 0; i < kids.size(); ++i) out += (i ? "," : "") + kids[i];
  return out + "]}";
}

TEST(JsonPredicateTest, ParsesEveryOp) {
  std::string json =
      Node("and", {Node("equal", {Col("a", "int"), Lit("1", "int")}),
                   Node("lessThan", {Col("b", "long"), Lit("2", "long")}),
                   Node("lessThanOrEqual", {Col("c", "string"), Lit("x", "string")}),
                   Node("greaterThan", {Col("d", "date"), Lit("2021-01-01", "date")}),
                   Node("greaterThanOrEqual", {Col("e", "double"), Lit("1.5", "double")}),
                   Node("or", {Node("isNull", {Col("f", "float")}), Col("g", "bool")}),
                   Node("not", {Node("equal", {Col("h", "timestamp"),
                                               Lit("2021-01-01T00:00:00Z", "timestamp")})})});
  ASSERT_OK_AND_ASSIGN(ExprPtr e, ParseJsonPredicate(json));
  EXPECT_EQ(e->ToString(),
            "(a = 1 AND b < 2 AND c <= 'x' AND d > DATE'2021-01-01' AND e >= 1.5 AND (f IS NULL "
            "OR g) AND NOT (h = TIMESTAMP'2021-01-01T00:00:00Z'))");
  EXPECT_FALSE(e->contains_unknown());
}

TEST(JsonPredicateTest, AcceptsEveryValueType) {
  struct Case {
    const char* type;
    const char* value;
  } cases[] = {{"bool", "true"},
               {"bool", "FALSE"},
               {"int", "-2147483648"},
               {"long", "9223372036854775807"},
               {"string", ""},
               {"date", "2024-02-29"},
               {"float", "1.5"},
               {"double", "-1e300"},
               {"double", "NaN"},
               {"double", "Infinity"},
               {"timestamp", "2021-01-01T10:00:00.123456Z"},
               {"timestamp", "2021-01-01T10:00:00+05:30"},
               {"timestamp", "2021-01-01 10:00:00"}};
  for (const auto& c : cases) {
    std::string json = Node("equal", {Col("x", c.type), Lit(c.value, c.type)});
    EXPECT_OK(ParseJsonPredicate(json));
  }
}

TEST(JsonPredicateTest, LiteralValueMayBeANumberOrBool) {
  ASSERT_OK_AND_ASSIGN(
      ExprPtr e,
      ParseJsonPredicate(R"({"op":"equal","children":[{"op":"column","name":"a","valueType":"long"},
                           {"op":"literal","value":42,"valueType":"long"}]})"));
  EXPECT_EQ(e->children()[1]->text(), "42");
  ASSERT_OK_AND_ASSIGN(
      e,
      ParseJsonPredicate(R"({"op":"equal","children":[{"op":"column","name":"a","valueType":"bool"},
                              {"op":"literal","value":true,"valueType":"bool"}]})"));
  EXPECT_EQ(e->children()[1]->text(), "true");
}

TEST(JsonPredicateTest, RejectsBadLiterals) {
  for (auto [value, type] :
       std::vector<std::pair<const char*, const char*>>{{"2147483648", "int"},
                                                        {"1.5", "long"},
                                                        {"yes", "bool"},
                                                        {"2021-02-30", "date"},
                                                        {"tomorrow", "timestamp"},
                                                        {"1,5", "double"}}) {
    auto r = ParseJsonPredicate(Node("equal", {Col("x", type), Lit(value, type)}));
    ASSERT_RAISES(kInvalidArgument, r);
    EXPECT_NE(r.status().message().find(value), std::string::npos) << r.status();
  }
  ASSERT_RAISES(kInvalidArgument,
                ParseJsonPredicate(R"({"op":"equal","children":[{"op":"column","name":"a",
                  "valueType":"long"},{"op":"literal","valueType":"long"}]})"));
  ASSERT_RAISES(kInvalidArgument,
                ParseJsonPredicate(R"({"op":"equal","children":[{"op":"column","name":"a",
                  "valueType":"long"},{"op":"literal","value":"1"}]})"));
  ASSERT_RAISES(kInvalidArgument,
                ParseJsonPredicate(R"({"op":"equal","children":[{"op":"column","name":"a",
                  "valueType":"long"},{"op":"literal","value":[1],"valueType":"long"}]})"));
}

TEST(JsonPredicateTest, ChecksArity) {
  auto expect_error = [](const std::string& json, std::string_view fragment) {
    auto r = ParseJsonPredicate(json);
    ASSERT_RAISES(kInvalidArgument, r);
    EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status();
  };
  expect_error(Node("equal", {Col("a", "int")}), "expected 2 children, got 1");
  expect_error(Node("equal", {Col("a", "int"), Lit("1", "int"), Lit("2", "int")}),
               "expected 2 children, got 3");
  expect_error(Node("isNull", {}), "expected 1 children, got 0");
  expect_error(Node("isNull", {Col("a", "int"), Col("b", "int")}), "expected 1 children");
  expect_error(Node("not", {}), "expected 1 children, got 0");
  expect_error(Node("and", {Node("isNull", {Col("a", "int")})}), "at least 2 children, got 1");
  expect_error(Node("or", {}), "at least 2 children, got 0");
  expect_error(R"({"op":"and"})", "needs a \"children\" array");
  expect_error(R"({"op":"and","children":{}})", "needs a \"children\" array");
}

TEST(JsonPredicateTest, ChecksTypes) {
  auto expect_error = [](const std::string& json, std::string_view fragment) {
    auto r = ParseJsonPredicate(json);
    ASSERT_RAISES(kInvalidArgument, r);
    EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status();
  };
  expect_error(Node("equal", {Col("a", "int"), Lit("1", "long")}), "type mismatch, int vs long");
  expect_error(Node("isNull", {Lit("1", "int")}), "must be a column");
  expect_error(Node("equal", {Node("isNull", {Col("a", "int")}), Lit("1", "int")}),
               "must be columns or literals");
  expect_error(Node("and", {Col("a", "int"), Col("b", "bool")}), "is not a condition");
  expect_error(Node("not", {Lit("1", "long")}), "is not a condition");
  expect_error(R"({"op":"column","valueType":"int"})", "non-empty string \"name\"");
  expect_error(R"({"op":"column","name":"","valueType":"int"})", "non-empty");
  expect_error(R"({"op":"column","name":"a","valueType":5})", "valueType must be a string");
  expect_error(R"({"children":[]})", "no string \"op\"");
  expect_error(R"({"op":7})", "no string \"op\"");
  expect_error(R"([])", "not a JSON object");
  expect_error(R"("and")", "not a JSON object");
}

TEST(JsonPredicateTest, BareBoolLeavesAreConditions) {
  ASSERT_OK_AND_ASSIGN(ExprPtr e, ParseJsonPredicate(Col("flag", "bool")));
  EXPECT_EQ(e->op(), Op::kColumn);
  ASSERT_OK(ParseJsonPredicate(Node("and", {Col("flag", "bool"), Lit("true", "bool")})));
  ASSERT_OK(ParseJsonPredicate(Node("not", {Col("flag", "bool")})));
}

TEST(JsonPredicateTest, ColumnWithoutValueTypeIsUntyped) {
  ASSERT_OK_AND_ASSIGN(
      ExprPtr e,
      ParseJsonPredicate(Node("equal", {R"({"op":"column","name":"a"})", Lit("1", "int")})));
  EXPECT_EQ(e->children()[0]->value_type(), ValueType::kUnspecified);
}

TEST(JsonPredicateTest, RejectsTextOverOneMebibyte) {
  std::string big =
      Node("equal", {Col("a", "string"), Lit(std::string(kMaxPredicateBytes, 'x'), "string")});
  auto r = ParseJsonPredicate(big);
  ASSERT_RAISES(kInvalidArgument, r);
  EXPECT_NE(r.status().message().find("over the limit"), std::string::npos);
  std::string fits = Node("equal", {Col("a", "string"), Lit(std::string(1000, 'x'), "string")});
  EXPECT_OK(ParseJsonPredicate(fits));
}

TEST(JsonPredicateTest, RejectsDepthOver100) {
  auto nested = [](int levels) {
    std::string e = Node("isNull", {Col("a", "int")});
    for (int i = 1; i < levels - 1; ++i) e = Node("not", {e});
    return e;  // height: levels (leaf = 1)
  };
  EXPECT_OK(ParseJsonPredicate(nested(100)));
  auto r = ParseJsonPredicate(nested(101));
  ASSERT_RAISES(kInvalidArgument, r);
  EXPECT_NE(r.status().message().find("deeper than 100"), std::string::npos) << r.status();
  ASSERT_RAISES(kInvalidArgument, ParseJsonPredicate(nested(5000)));
}

TEST(JsonPredicateTest, RejectsMalformedJson) {
  for (const char* bad : {"", "{", R"({"op":"and",})", "nul", R"({"op":"column","name":"a"} x)",
                          "{\"op\":\"column\",\"name\":\"\xC3\",\"valueType\":\"bool\"}"}) {
    ASSERT_RAISES(kInvalidArgument, ParseJsonPredicate(bad));
  }
}

TEST(JsonPredicateTest, UnknownOpBecomesAnUnknownSubtree) {
  std::string odd = R"({"op":"like","children":[{"op":"column","name":"s","valueType":"string"}]})";
  ASSERT_OK_AND_ASSIGN(ExprPtr e,
                       ParseJsonPredicate(Node("and", {odd, Node("isNull", {Col("a", "int")})})));
  EXPECT_TRUE(e->contains_unknown());
  EXPECT_EQ(e->children()[0]->op(), Op::kUnknown);
  EXPECT_EQ(e->children()[0]->name(), "like");
  // The unknown node serializes back verbatim.
  ASSERT_OK_AND_ASSIGN(std::string back, ToJsonPredicate(*e));
  EXPECT_NE(back.find(R"("op":"like")"), std::string::npos) << back;
  // A comparison with an unknown child, or a leaf with an unknown type, is unknown itself.
  ASSERT_OK_AND_ASSIGN(e, ParseJsonPredicate(Node("equal", {Col("a", "int"), odd})));
  EXPECT_EQ(e->op(), Op::kUnknown);
  EXPECT_EQ(e->name(), "equal");
  ASSERT_OK_AND_ASSIGN(
      e, ParseJsonPredicate(Node("equal", {Col("a", "decimal"), Lit("1", "decimal")})));
  EXPECT_EQ(e->op(), Op::kUnknown);
  ASSERT_OK_AND_ASSIGN(e, ParseJsonPredicate(Node("isNull", {Col("a", "interval")})));
  EXPECT_EQ(e->op(), Op::kUnknown);
}

TEST(JsonPredicateTest, RejectPolicyRefusesUnknownOpsAndTypes) {
  JsonPredicateOptions strict;
  strict.unknown = UnknownPolicy::kReject;
  auto r = ParseJsonPredicate(R"({"op":"like","children":[]})", strict);
  ASSERT_RAISES(kInvalidArgument, r);
  EXPECT_NE(r.status().message().find("unknown predicate op 'like'"), std::string::npos);
  r = ParseJsonPredicate(Node("isNull", {Col("a", "decimal")}), strict);
  ASSERT_RAISES(kInvalidArgument, r);
  EXPECT_NE(r.status().message().find("unknown valueType 'decimal'"), std::string::npos);
}

TEST(JsonPredicateTest, IgnoresUnknownKeys) {
  ASSERT_OK(ParseJsonPredicate(
      R"({"op":"isNull","extra":1,"children":[{"op":"column","name":"a","valueType":"int","x":[]}]})"));
}

TEST(JsonPredicateTest, SerializerRoundTrips) {
  std::string json = Node(
      "or", {Node("equal", {Col("a", "int"), Lit("1", "int")}),
             Node("not", {Node("isNull", {Col("b", "string")})}),
             Node("greaterThan", {Lit("2021-01-01", "date"), Col("d", "date")}), Col("g", "bool")});
  ASSERT_OK_AND_ASSIGN(ExprPtr e, ParseJsonPredicate(json));
  ASSERT_OK_AND_ASSIGN(std::string out, ToJsonPredicate(*e));
  EXPECT_EQ(out, json);
  ASSERT_OK_AND_ASSIGN(ExprPtr again, ParseJsonPredicate(out));
  EXPECT_EQ(again->ToString(), e->ToString());
}

TEST(JsonPredicateTest, SerializerInfersUntypedColumnsFromTheirPartner) {
  ASSERT_OK_AND_ASSIGN(auto col, Expr::Column("a"));
  ASSERT_OK_AND_ASSIGN(auto lit, Expr::Literal(ValueType::kString, "it's \"x\""));
  ASSERT_OK_AND_ASSIGN(auto eq, Expr::Compare(Op::kEqual, col, lit));
  ASSERT_OK_AND_ASSIGN(std::string out, ToJsonPredicate(*eq));
  EXPECT_EQ(out, Node("equal", {Col("a", "string"),
                                R"({"op":"literal","value":"it's \"x\"","valueType":"string"})"}));
  ASSERT_OK_AND_ASSIGN(auto isnull, Expr::IsNull(col));
  ASSERT_RAISES(kInvalidArgument, ToJsonPredicate(*isnull));
}

}  // namespace
}  // namespace ds::expr
