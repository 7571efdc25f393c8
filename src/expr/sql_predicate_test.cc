#include "expr/sql_predicate.h"

#include "test/testing/testing.h"

namespace ds::expr {
namespace {

std::string Parsed(std::string_view sql) {
  auto e = ParseSqlPredicate(sql);
  if (!e.ok()) return "ERROR: " + e.status().message();
  return (*e)->ToString();
}

TEST(SqlPredicateTest, ComparisonsBothWays) {
  EXPECT_EQ(Parsed("a = 1"), "a = 1");
  EXPECT_EQ(Parsed("a == 1"), "a = 1");
  EXPECT_EQ(Parsed("1 < a"), "1 < a");
  EXPECT_EQ(Parsed("a <= -2.5"), "a <= -2.5");
  EXPECT_EQ(Parsed("a > 'x'"), "a > 'x'");
  EXPECT_EQ(Parsed("a >= b"), "a >= b");
  EXPECT_EQ(Parsed("a <> 1"), "NOT (a = 1)");
  EXPECT_EQ(Parsed("a != 1"), "NOT (a = 1)");
}

TEST(SqlPredicateTest, NullTests) {
  EXPECT_EQ(Parsed("a IS NULL"), "a IS NULL");
  EXPECT_EQ(Parsed("a is not null"), "NOT (a IS NULL)");
  EXPECT_EQ(Parsed("NULL IS NULL"), "TRUE");
  EXPECT_EQ(Parsed("'x' IS NULL"), "FALSE");
  EXPECT_EQ(Parsed("a <=> NULL"), "a IS NULL");
  EXPECT_EQ(Parsed("a <=> 5"), "(NOT (a IS NULL) AND a = 5)");
  EXPECT_EQ(Parsed("a <=> b"),
            "((a IS NULL AND b IS NULL) OR (NOT (a IS NULL) AND NOT (b IS NULL) AND a = b))");
  EXPECT_NE(Parsed("a = NULL").find("never TRUE"), std::string::npos);
  EXPECT_NE(Parsed("NULL < a").find("never TRUE"), std::string::npos);
}

TEST(SqlPredicateTest, StringLiterals) {
  ASSERT_OK_AND_ASSIGN(ExprPtr e, ParseSqlPredicate("name = 'it''s'"));
  EXPECT_EQ(e->children()[1]->text(), "it's");
  EXPECT_EQ(e->children()[1]->value_type(), ValueType::kString);
  ASSERT_OK_AND_ASSIGN(e, ParseSqlPredicate("name = \"dq\"\"x\""));
  EXPECT_EQ(e->children()[1]->text(), "dq\"x");
  ASSERT_OK_AND_ASSIGN(e, ParseSqlPredicate("name = 'back\\slash'"));
  EXPECT_EQ(e->children()[1]->text(), "back\\slash");
  EXPECT_NE(Parsed("a = 'open").find("unterminated"), std::string::npos);
}

TEST(SqlPredicateTest, NumbersDatesTimestampsBooleans) {
  ASSERT_OK_AND_ASSIGN(ExprPtr e, ParseSqlPredicate("a = 12"));
  EXPECT_EQ(e->children()[1]->value_type(), ValueType::kLong);
  ASSERT_OK_AND_ASSIGN(e, ParseSqlPredicate("a = 99999999999999999999"));
  EXPECT_EQ(e->children()[1]->value_type(), ValueType::kDouble);
  EXPECT_EQ(e->children()[1]->text(), "99999999999999999999");  // exact text kept
  ASSERT_OK_AND_ASSIGN(e, ParseSqlPredicate("a = 1.25e3"));
  EXPECT_EQ(e->children()[1]->text(), "1.25e3");
  ASSERT_OK_AND_ASSIGN(e, ParseSqlPredicate("a = .5"));
  EXPECT_EQ(e->children()[1]->text(), ".5");
  EXPECT_EQ(Parsed("d = DATE '2021-01-01'"), "d = DATE'2021-01-01'");
  EXPECT_EQ(Parsed("t < timestamp'2021-01-01 10:00:00'"), "t < TIMESTAMP'2021-01-01 10:00:00'");
  EXPECT_EQ(Parsed("flag = true"), "flag = TRUE");
  EXPECT_NE(Parsed("d = DATE'2021-13-01'").find("not a valid date"), std::string::npos);
  EXPECT_NE(Parsed("a = 12abc").find("after number"), std::string::npos);
}

TEST(SqlPredicateTest, ColumnsNamedLikeKeywordsAndPaths) {
  EXPECT_EQ(Parsed("date = '2021-01-01'"), "`date` = '2021-01-01'");
  EXPECT_EQ(Parsed("timestamp > 1"), "`timestamp` > 1");
  EXPECT_EQ(Parsed("a.b.c = 1"), "a.b.c = 1");
  EXPECT_EQ(Parsed("`my col` = 1"), "`my col` = 1");
  EXPECT_EQ(Parsed("`we``ird`.x = 1"), "`we``ird.x` = 1");
  EXPECT_EQ(Parsed("_x1 = 1"), "_x1 = 1");
}

TEST(SqlPredicateTest, AndOrNotParenthesesAndPrecedence) {
  EXPECT_EQ(Parsed("a = 1 AND b = 2 OR c = 3"), "((a = 1 AND b = 2) OR c = 3)");
  EXPECT_EQ(Parsed("a = 1 AND (b = 2 OR c = 3)"), "(a = 1 AND (b = 2 OR c = 3))");
  EXPECT_EQ(Parsed("NOT a = 1 AND b = 2"), "(NOT (a = 1) AND b = 2)");
  EXPECT_EQ(Parsed("NOT (a = 1 AND b = 2)"), "NOT ((a = 1 AND b = 2))");
  EXPECT_EQ(Parsed("a = 1 and b = 2 and c = 3"), "(a = 1 AND b = 2 AND c = 3)");
  EXPECT_EQ(Parsed("((a = 1))"), "a = 1");
  EXPECT_EQ(Parsed("flag AND NOT other"), "(flag AND NOT (other))");
}

TEST(SqlPredicateTest, InAndBetween) {
  EXPECT_EQ(Parsed("region IN ('EU', 'US')"), "(region = 'EU' OR region = 'US')");
  EXPECT_EQ(Parsed("region IN ('EU')"), "region = 'EU'");
  EXPECT_EQ(Parsed("region NOT IN ('EU', 'US')"), "NOT ((region = 'EU' OR region = 'US'))");
  EXPECT_EQ(Parsed("x BETWEEN 1 AND 5"), "(x >= 1 AND x <= 5)");
  EXPECT_EQ(Parsed("x NOT BETWEEN 1 AND 5 AND y = 2"), "(NOT ((x >= 1 AND x <= 5)) AND y = 2)");
  EXPECT_NE(Parsed("x IN (1, NULL)").find("NULL in an IN list"), std::string::npos);
  EXPECT_NE(Parsed("x IN ()").find("expected a column or a value"), std::string::npos);
}

TEST(SqlPredicateTest, Casts) {
  ASSERT_OK_AND_ASSIGN(ExprPtr e, ParseSqlPredicate("CAST(a AS BIGINT) = 5"));
  EXPECT_EQ(e->children()[0]->value_type(), ValueType::kLong);
  ASSERT_OK_AND_ASSIGN(e, ParseSqlPredicate("CAST(a AS INT) = 5"));
  EXPECT_EQ(e->children()[1]->value_type(), ValueType::kInt);
  ASSERT_OK_AND_ASSIGN(e, ParseSqlPredicate("'2021-01-01' <= CAST(d AS DATE)"));
  EXPECT_EQ(e->children()[0]->value_type(), ValueType::kDate);
  EXPECT_NE(Parsed("CAST(d AS DATE) = 'x'").find("type mismatch"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(e, ParseSqlPredicate("d = CAST('2021-01-01' AS DATE)"));
  EXPECT_EQ(e->children()[1]->value_type(), ValueType::kDate);
  ASSERT_OK_AND_ASSIGN(e, ParseSqlPredicate("p = cast(12.50 as decimal(10, 2))"));
  EXPECT_EQ(e->children()[1]->value_type(), ValueType::kDouble);
  EXPECT_EQ(e->children()[1]->text(), "12.50");
  ASSERT_OK_AND_ASSIGN(e, ParseSqlPredicate("s = CAST(5 AS VARCHAR(10))"));
  EXPECT_EQ(e->children()[1]->value_type(), ValueType::kString);
  EXPECT_NE(Parsed("a = CAST('x' AS INT)").find("not a valid int"), std::string::npos);
  EXPECT_NE(Parsed("a = CAST(1 AS INTERVAL)").find("unknown type"), std::string::npos);
  EXPECT_NE(Parsed("CAST(a BIGINT) = 5").find("expected AS"), std::string::npos);
}

TEST(SqlPredicateTest, SyntaxErrorsNameTheOffset) {
  auto r = ParseSqlPredicate("a = (1");
  ASSERT_RAISES(kInvalidArgument, r);
  for (const char* bad : {"", "   ", "a =", "= 1", "a = 1 AND", "a = 1)", "a ? 1", "(a = 1",
                          "a IS 1", "a NOT 1", "AND = 1", "a = 1 b = 2", "5", "'x'"}) {
    auto e = ParseSqlPredicate(bad);
    ASSERT_RAISES(kInvalidArgument, e);
    if (std::string_view(bad).find_first_not_of(' ') != std::string_view::npos &&
        std::string_view(bad) != "5" && std::string_view(bad) != "'x'") {
      EXPECT_NE(e.status().message().find("offset"), std::string::npos)
          << bad << ": " << e.status();
    }
  }
}

TEST(SqlPredicateTest, Limits) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "(";
  deep += "a = 1";
  for (int i = 0; i < 1000; ++i) deep += ")";
  EXPECT_NE(Parsed(deep).find("nested deeper than 400"), std::string::npos) << Parsed(deep);
  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "NOT ";
  EXPECT_NE(Parsed(nots + "a = 1").find("nested deeper than"), std::string::npos);
  std::string some_nots;
  for (int i = 0; i < 150; ++i) some_nots += "NOT ";
  EXPECT_NE(Parsed(some_nots + "a = 1").find("nested deeper than 100"), std::string::npos);
  EXPECT_EQ(Parsed("((((((((((a = 1))))))))))"), "a = 1");  // redundant parentheses are free
  EXPECT_NE(Parsed("a = '\xFF'").find("not valid UTF-8"), std::string::npos);
  std::string big = "a = '" + std::string(1 << 20, 'x') + "'";
  EXPECT_NE(Parsed(big).find("over the limit"), std::string::npos);
  // Wide is fine.
  std::string wide = "a IN (0";
  for (int i = 1; i < 5000; ++i) wide += "," + std::to_string(i);
  wide += ")";
  EXPECT_OK(ParseSqlPredicate(wide));
}

TEST(SqlPredicateTest, ToStringParsesBackToTheSameTree) {
  for (const char* sql :
       {"a = 1 AND NOT (b IS NULL)", "(x < 'it''s' OR `odd name` >= DATE'2020-01-01')",
        "t > TIMESTAMP'2021-01-01 00:00:00'", "f = CAST('NaN' AS DOUBLE)",
        "NOT ((a = 1 OR b = 2)) AND c", "a.b <= -3.5e2", "`and` = 1", "`a.1` = 2",
        "x = CAST('+5' AS INT)", "x < CAST('inf' AS FLOAT)", "`date` = 'x'"}) {
    ASSERT_OK_AND_ASSIGN(ExprPtr e, ParseSqlPredicate(sql));
    ASSERT_OK_AND_ASSIGN(ExprPtr again, ParseSqlPredicate(e->ToString()));
    EXPECT_EQ(again->ToString(), e->ToString()) << sql;
  }
}

TEST(SqlPredicateTest, HintsAreParsedOneByOneAndBadOnesSkipped) {
  std::vector<std::string> hints = {"a = 1", "b >= 'x'", "c LIKE 'x%'", "d IS NOT NULL", "e ="};
  SqlHints h = ParseSqlPredicateHints(hints);
  ASSERT_NE(h.predicate, nullptr);
  EXPECT_EQ(h.predicate->ToString(), "(a = 1 AND b >= 'x' AND NOT (d IS NULL))");
  ASSERT_EQ(h.skipped.size(), 2u);
  EXPECT_EQ(h.skipped[0].rfind("c LIKE 'x%': ", 0), 0u) << h.skipped[0];
  EXPECT_EQ(h.skipped[1].rfind("e =: ", 0), 0u);
  std::vector<std::string> none = {"???"};
  SqlHints empty = ParseSqlPredicateHints(none);
  EXPECT_EQ(empty.predicate, nullptr);
  EXPECT_EQ(empty.skipped.size(), 1u);
}

}  // namespace
}  // namespace ds::expr
