// SQL predicates -> Expr: the legacy `predicateHints` (protocol.md §9) and the filters
// admins write for per-recipient partition filtering (`region = 'EU' AND year >= 2023`).
//
// Grammar (keywords case-insensitive):
//   expr     := and ( OR and )*
//   and      := not ( AND not )*
//   not      := NOT not | '(' expr ')' | test
//   test     := operand [ cmp operand | IS [NOT] NULL | [NOT] IN '(' operand (',' operand)* ')'
//                       | [NOT] BETWEEN operand AND operand ]
//   cmp      := = | == | <> | != | < | <= | > | >= | <=>
//   operand  := column | literal | CAST '(' operand AS type ')'
//   column   := name ( '.' name )*          name: [A-Za-z_][A-Za-z0-9_]* or `back``ticked`
//   literal  := 'single quoted' ('' escapes a quote) | "double quoted" (a string, as in
//               Spark) | [-]number | TRUE | FALSE | NULL | DATE 'yyyy-mm-dd'
//               | TIMESTAMP 'yyyy-mm-dd[ T]hh:mm:ss[.ffffff][zone]'
//   type     := BOOLEAN | TINYINT | SMALLINT | INT | INTEGER | BIGINT | LONG | FLOAT | REAL
//               | DOUBLE | DECIMAL[(p[,s])] | STRING | VARCHAR(n) | CHAR(n) | DATE | TIMESTAMP
//
// Mapping: `a <> b` -> NOT(a = b); `x IS NOT NULL` -> NOT(x IS NULL); IN -> OR of equals;
// BETWEEN -> AND of >= and <=; `x <=> L` -> (NOT x IS NULL AND x = L), `x <=> NULL` -> x IS
// NULL; CAST(column AS t) gives the column the value type t (the binder then requires it to
// fit); CAST(literal AS t) retypes the literal. Columns are untyped (the schema decides);
// integer literals are long, other numbers double (their exact text is kept, so decimals
// stay exact), quoted strings are strings (converted to the column's type at bind time, as
// Spark casts '2021-01-01' against a date column).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "expr/expr.h"

namespace ds::expr {

// Parses one SQL predicate. InvalidArgument naming the offset on a syntax error, text over
// 1 MiB or not UTF-8, a tree deeper than 100 levels (or parentheses/NOT/CAST nested deeper
// than 400), a comparison with NULL other than <=> (always NULL; use
// IS NULL), NULL inside IN, or a literal that is not a valid value of its type.
Result<ExprPtr> ParseSqlPredicate(std::string_view sql);

struct SqlHints {
  ExprPtr predicate;                 // AND of the usable hints; null if none parsed
  std::vector<std::string> skipped;  // "<hint>: <why>" for each hint that did not parse
};

// Parses legacy predicateHints: each hint on its own, unparsable ones skipped.
SqlHints ParseSqlPredicateHints(std::span<const std::string> hints);

}  // namespace ds::expr
