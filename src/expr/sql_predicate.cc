#include "expr/sql_predicate.h"

#include <cctype>

#include "expr/json_predicate.h"
#include "util/string_util.h"

namespace ds::expr {

namespace {

constexpr int kMaxParseDepth = 4 * kMaxHeight;

struct Token {
  enum class Kind : uint8_t { kName, kQuotedName, kString, kNumber, kSymbol, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;  // names and strings decoded; symbols as written
  size_t offset = 0;
};

bool IsNameStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsNameChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

Status SyntaxError(std::string_view sql, size_t offset, std::string_view what) {
  std::string shown(sql.substr(0, 200));
  if (sql.size() > 200) shown += "...";
  return Status::InvalidArgument("SQL predicate: " + std::string(what) + " at offset " +
                                 std::to_string(offset) + " in '" + shown + "'");
}

Result<std::vector<Token>> Lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (true) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    Token t;
    t.offset = i;
    if (i >= s.size()) {
      out.push_back(std::move(t));
      return out;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\'' || c == '"' || c == '`') {
      t.kind = c == '`' ? Token::Kind::kQuotedName : Token::Kind::kString;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (static_cast<unsigned char>(s[i]) == c) {
          if (i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == c) {
            t.text.push_back(s[i]);
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        t.text.push_back(s[i++]);
      }
      if (!closed) return SyntaxError(s, t.offset, "unterminated quote");
    } else if (IsNameStart(c)) {
      t.kind = Token::Kind::kName;
      while (i < s.size() && IsNameChar(static_cast<unsigned char>(s[i]))) t.text.push_back(s[i++]);
    } else if (std::isdigit(c) || (c == '.' && i + 1 < s.size() &&
                                   std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      t.kind = Token::Kind::kNumber;
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) {
        t.text.push_back(s[i++]);
      }
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) {
          while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
          t.text.append(s.substr(i, j - i));
          i = j;
        }
      }
      if (i < s.size() && IsNameChar(static_cast<unsigned char>(s[i]))) {
        return SyntaxError(s, i, "unexpected character after number");
      }
    } else {
      t.kind = Token::Kind::kSymbol;
      static constexpr std::string_view kSymbols[] = {"<=>", "<=", ">=", "<>", "!=", "==", "=",
                                                      "<",   ">",  "(",  ")",  ",",  ".",  "-"};
      for (std::string_view sym : kSymbols) {
        if (s.substr(i, sym.size()) == sym) {
          t.text = std::string(sym);
          break;
        }
      }
      if (t.text.empty()) {
        return SyntaxError(s, i, "unexpected character '" + std::string(1, s[i]) + "'");
      }
      i += t.text.size();
    }
    out.push_back(std::move(t));
  }
}

// An operand of a comparison: a column, a literal, or NULL.
struct Operand {
  enum class Kind : uint8_t { kColumn, kLiteral, kNull };
  Kind kind = Kind::kNull;
  ExprPtr expr;  // null for kNull
};

class SqlParser {
 public:
  SqlParser(std::string_view sql, std::vector<Token> tokens)
      : sql_(sql), tokens_(std::move(tokens)) {}

  Result<ExprPtr> Run() {
    ASSIGN_OR_RETURN(ExprPtr e, ParseOr());
    if (Peek().kind != Token::Kind::kEnd) return Error("unexpected '" + Peek().text + "'");
    if (e->is_leaf() && e->value_type() != ValueType::kBool &&
        e->value_type() != ValueType::kUnspecified) {
      return Status::InvalidArgument("SQL predicate: " + e->ToString() + " is not a condition");
    }
    return e;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    size_t i = std::min(pos_ + ahead, tokens_.size() - 1);
    return tokens_[i];
  }
  const Token& Next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool IsKeyword(const Token& t, std::string_view kw) const {
    return t.kind == Token::Kind::kName && EqualsIgnoreCase(t.text, kw);
  }
  bool IsSymbol(const Token& t, std::string_view sym) const {
    return t.kind == Token::Kind::kSymbol && t.text == sym;
  }
  bool EatKeyword(std::string_view kw) {
    if (!IsKeyword(Peek(), kw)) return false;
    Next();
    return true;
  }
  bool EatSymbol(std::string_view sym) {
    if (!IsSymbol(Peek(), sym)) return false;
    Next();
    return true;
  }
  Status Error(std::string_view what) const { return SyntaxError(sql_, Peek().offset, what); }
  Status Expect(std::string_view sym) {
    if (EatSymbol(sym)) return Status::OK();
    return Error("expected '" + std::string(sym) + "'");
  }

  // Bounds the recursion; the tree's own height limit (kMaxHeight) applies on top.
  Status Enter() {
    if (++depth_ > kMaxParseDepth) {
      return Error("parentheses, NOTs and CASTs nested deeper than " +
                   std::to_string(kMaxParseDepth) + " levels");
    }
    return Status::OK();
  }

  Result<ExprPtr> ParseOr() {
    RETURN_NOT_OK(Enter());
    std::vector<ExprPtr> parts;
    ASSIGN_OR_RETURN(auto first, ParseAnd());
    parts.push_back(std::move(first));
    while (EatKeyword("OR")) {
      ASSIGN_OR_RETURN(auto next, ParseAnd());
      parts.push_back(std::move(next));
    }
    --depth_;
    return Expr::Or(std::move(parts));
  }

  Result<ExprPtr> ParseAnd() {
    std::vector<ExprPtr> parts;
    ASSIGN_OR_RETURN(auto first, ParseNot());
    parts.push_back(std::move(first));
    while (EatKeyword("AND")) {
      ASSIGN_OR_RETURN(auto next, ParseNot());
      parts.push_back(std::move(next));
    }
    return Expr::And(std::move(parts));
  }

  Result<ExprPtr> ParseNot() {
    if (EatKeyword("NOT")) {
      RETURN_NOT_OK(Enter());
      ASSIGN_OR_RETURN(auto inner, ParseNot());
      --depth_;
      return Expr::Not(std::move(inner));
    }
    if (EatSymbol("(")) {
      ASSIGN_OR_RETURN(auto inner, ParseOr());
      RETURN_NOT_OK(Expect(")"));
      return inner;
    }
    return ParseTest();
  }

  Result<ExprPtr> ParseTest() {
    size_t at = Peek().offset;
    ASSIGN_OR_RETURN(Operand left, ParseOperand());
    const Token& t = Peek();
    if (t.kind == Token::Kind::kSymbol &&
        (t.text == "=" || t.text == "==" || t.text == "<>" || t.text == "!=" || t.text == "<" ||
         t.text == "<=" || t.text == ">" || t.text == ">=" || t.text == "<=>")) {
      std::string op = Next().text;
      ASSIGN_OR_RETURN(Operand right, ParseOperand());
      return BuildComparison(op, left, right, at);
    }
    if (EatKeyword("IS")) {
      bool negated = EatKeyword("NOT");
      if (!EatKeyword("NULL")) return Error("expected NULL after IS");
      ASSIGN_OR_RETURN(auto test, BuildIsNull(left));
      return negated ? Expr::Not(std::move(test)) : test;
    }
    bool negated = false;
    if (IsKeyword(t, "NOT") && (IsKeyword(Peek(1), "IN") || IsKeyword(Peek(1), "BETWEEN"))) {
      Next();
      negated = true;
    }
    if (EatKeyword("IN")) {
      RETURN_NOT_OK(Expect("("));
      std::vector<ExprPtr> equals;
      do {
        ASSIGN_OR_RETURN(Operand item, ParseOperand());
        if (item.kind == Operand::Kind::kNull || left.kind == Operand::Kind::kNull) {
          return SyntaxError(sql_, at, "NULL in an IN list is not supported");
        }
        ASSIGN_OR_RETURN(auto eq, Expr::Compare(Op::kEqual, left.expr, item.expr));
        equals.push_back(std::move(eq));
      } while (EatSymbol(","));
      RETURN_NOT_OK(Expect(")"));
      ASSIGN_OR_RETURN(auto any, Expr::Or(std::move(equals)));
      return negated ? Expr::Not(std::move(any)) : any;
    }
    if (EatKeyword("BETWEEN")) {
      ASSIGN_OR_RETURN(Operand lo, ParseOperand());
      if (!EatKeyword("AND")) return Error("expected AND in BETWEEN");
      ASSIGN_OR_RETURN(Operand hi, ParseOperand());
      ASSIGN_OR_RETURN(auto ge, BuildComparison(">=", left, lo, at));
      ASSIGN_OR_RETURN(auto le, BuildComparison("<=", left, hi, at));
      ASSIGN_OR_RETURN(auto both, Expr::And({std::move(ge), std::move(le)}));
      return negated ? Expr::Not(std::move(both)) : both;
    }
    if (negated) return Error("expected IN or BETWEEN after NOT");
    if (left.kind == Operand::Kind::kNull) return SyntaxError(sql_, at, "NULL is not a condition");
    return left.expr;
  }

  Result<ExprPtr> BuildIsNull(const Operand& x) {
    switch (x.kind) {
      case Operand::Kind::kNull:
        return Expr::Literal(ValueType::kBool, "true");
      case Operand::Kind::kLiteral:
        return Expr::Literal(ValueType::kBool, "false");
      case Operand::Kind::kColumn:
        break;
    }
    return Expr::IsNull(x.expr);
  }

  Result<ExprPtr> BuildComparison(const std::string& op, const Operand& a, const Operand& b,
                                  size_t at) {
    bool a_null = a.kind == Operand::Kind::kNull, b_null = b.kind == Operand::Kind::kNull;
    if (op == "<=>") {
      if (a_null && b_null) return Expr::Literal(ValueType::kBool, "true");
      if (a_null || b_null) return BuildIsNull(a_null ? b : a);
      if (a.kind == Operand::Kind::kLiteral && b.kind == Operand::Kind::kLiteral) {
        return Expr::Compare(Op::kEqual, a.expr, b.expr);
      }
      ASSIGN_OR_RETURN(auto eq, Expr::Compare(Op::kEqual, a.expr, b.expr));
      std::vector<ExprPtr> present;
      std::vector<ExprPtr> absent;
      for (const Operand* x : {&a, &b}) {
        if (x->kind != Operand::Kind::kColumn) continue;
        ASSIGN_OR_RETURN(auto is_null, Expr::IsNull(x->expr));
        ASSIGN_OR_RETURN(auto not_null, Expr::Not(is_null));
        present.push_back(std::move(not_null));
        absent.push_back(std::move(is_null));
      }
      present.push_back(std::move(eq));
      ASSIGN_OR_RETURN(auto both_present, Expr::And(std::move(present)));
      if (absent.size() < 2) return both_present;  // column <=> literal
      ASSIGN_OR_RETURN(auto both_absent, Expr::And(std::move(absent)));
      return Expr::Or({std::move(both_absent), std::move(both_present)});
    }
    if (a_null || b_null) {
      return SyntaxError(sql_, at, "a comparison with NULL is never TRUE (use IS NULL)");
    }
    Operand left = a, right = b;
    RETURN_NOT_OK(MatchTypes(&left, &right));
    Op cmp = Op::kEqual;
    if (op == "<") cmp = Op::kLessThan;
    if (op == "<=") cmp = Op::kLessThanOrEqual;
    if (op == ">") cmp = Op::kGreaterThan;
    if (op == ">=") cmp = Op::kGreaterThanOrEqual;
    ASSIGN_OR_RETURN(auto c, Expr::Compare(cmp, left.expr, right.expr));
    if (op == "<>" || op == "!=") return Expr::Not(std::move(c));
    return c;
  }

  // A CAST column takes a literal of another type when the literal's text is valid in the
  // column's type (CAST(a AS INT) = 5, CAST(d AS DATE) = '2021-01-01').
  static Status MatchTypes(Operand* a, Operand* b) {
    for (auto [col, lit] : {std::pair{a, b}, std::pair{b, a}}) {
      if (col->kind != Operand::Kind::kColumn || lit->kind != Operand::Kind::kLiteral) continue;
      ValueType want = col->expr->value_type();
      if (want == ValueType::kUnspecified || want == lit->expr->value_type()) continue;
      auto retyped = Expr::Literal(want, lit->expr->text());
      if (retyped.ok()) lit->expr = std::move(retyped).value();
    }
    return Status::OK();
  }

  Result<Operand> ParseOperand() {
    const Token& t = Peek();
    Operand out;
    switch (t.kind) {
      case Token::Kind::kString: {
        out.kind = Operand::Kind::kLiteral;
        ASSIGN_OR_RETURN(out.expr, Expr::Literal(ValueType::kString, Next().text));
        return out;
      }
      case Token::Kind::kNumber:
        return NumberOperand(Next().text);
      case Token::Kind::kSymbol:
        if (t.text == "-" && Peek(1).kind == Token::Kind::kNumber) {
          Next();
          return NumberOperand("-" + Next().text);
        }
        return Error("expected a column or a value");
      case Token::Kind::kEnd:
        return Error("expected a column or a value");
      case Token::Kind::kName:
      case Token::Kind::kQuotedName:
        break;
    }
    if (t.kind == Token::Kind::kName) {
      if (EatKeyword("NULL")) return Operand{};
      if (IsKeyword(t, "TRUE") || IsKeyword(t, "FALSE")) {
        out.kind = Operand::Kind::kLiteral;
        ASSIGN_OR_RETURN(out.expr, Expr::Literal(ValueType::kBool, ToLower(Next().text)));
        return out;
      }
      if ((IsKeyword(t, "DATE") || IsKeyword(t, "TIMESTAMP")) &&
          Peek(1).kind == Token::Kind::kString) {
        ValueType type = IsKeyword(t, "DATE") ? ValueType::kDate : ValueType::kTimestamp;
        Next();
        out.kind = Operand::Kind::kLiteral;
        auto lit = Expr::Literal(type, Next().text);
        if (!lit.ok()) return lit.status().WithContext("SQL predicate");
        out.expr = std::move(lit).value();
        return out;
      }
      if (IsKeyword(t, "CAST") && IsSymbol(Peek(1), "(")) return ParseCast();
      for (std::string_view reserved : {"AND", "OR", "NOT", "IS", "IN", "BETWEEN"}) {
        if (IsKeyword(t, reserved)) return Error("expected a column or a value");
      }
    }
    std::string name = Next().text;
    while (IsSymbol(Peek(), ".") &&
           (Peek(1).kind == Token::Kind::kName || Peek(1).kind == Token::Kind::kQuotedName)) {
      Next();
      name += ".";
      name += Next().text;
    }
    if (name.empty()) return Error("empty column name");
    out.kind = Operand::Kind::kColumn;
    ASSIGN_OR_RETURN(out.expr, Expr::Column(std::move(name)));
    return out;
  }

  Result<Operand> NumberOperand(const std::string& text) {
    bool integral = text.find_first_of(".eE") == std::string::npos;
    ValueType type = integral && ParseInt64(text) ? ValueType::kLong : ValueType::kDouble;
    Operand out;
    out.kind = Operand::Kind::kLiteral;
    auto lit = Expr::Literal(type, text);
    if (!lit.ok()) return lit.status().WithContext("SQL predicate");
    out.expr = std::move(lit).value();
    return out;
  }

  Result<ValueType> ParseTypeName() {
    const Token& t = Peek();
    if (t.kind != Token::Kind::kName) return Error("expected a type name");
    std::string name = ToLower(Next().text);
    // Optional (p[,s]) / (n) parameters.
    if (EatSymbol("(")) {
      do {
        if (Peek().kind != Token::Kind::kNumber) return Error("expected a number");
        Next();
      } while (EatSymbol(","));
      RETURN_NOT_OK(Expect(")"));
    }
    if (name == "boolean" || name == "bool") return ValueType::kBool;
    if (name == "tinyint" || name == "byte" || name == "smallint" || name == "short" ||
        name == "int" || name == "integer") {
      return ValueType::kInt;
    }
    if (name == "bigint" || name == "long") return ValueType::kLong;
    if (name == "float" || name == "real") return ValueType::kFloat;
    if (name == "double" || name == "decimal" || name == "dec" || name == "numeric") {
      return ValueType::kDouble;
    }
    if (name == "string" || name == "varchar" || name == "char") return ValueType::kString;
    if (name == "date") return ValueType::kDate;
    if (name == "timestamp" || name == "timestamp_ntz") return ValueType::kTimestamp;
    return SyntaxError(sql_, t.offset, "unknown type '" + name + "'");
  }

  Result<Operand> ParseCast() {
    Next();  // CAST
    Next();  // (
    RETURN_NOT_OK(Enter());
    ASSIGN_OR_RETURN(Operand inner, ParseOperand());
    --depth_;
    if (!EatKeyword("AS")) return Error("expected AS in CAST");
    ASSIGN_OR_RETURN(ValueType type, ParseTypeName());
    RETURN_NOT_OK(Expect(")"));
    Operand out = inner;
    switch (inner.kind) {
      case Operand::Kind::kNull:
        return out;
      case Operand::Kind::kColumn: {
        ASSIGN_OR_RETURN(out.expr, Expr::Column(inner.expr->name(), type));
        return out;
      }
      case Operand::Kind::kLiteral:
        break;
    }
    auto lit = Expr::Literal(type, inner.expr->text());
    if (!lit.ok()) return lit.status().WithContext("SQL predicate: CAST");
    out.expr = std::move(lit).value();
    return out;
  }

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Result<ExprPtr> ParseSqlPredicate(std::string_view sql) {
  if (sql.size() > kMaxPredicateBytes) {
    return Status::InvalidArgument("SQL predicate is " + std::to_string(sql.size()) +
                                   " bytes, over the limit of " +
                                   std::to_string(kMaxPredicateBytes));
  }
  if (!IsValidUtf8(sql)) return Status::InvalidArgument("SQL predicate is not valid UTF-8");
  ASSIGN_OR_RETURN(auto tokens, Lex(sql));
  if (tokens.size() == 1) return Status::InvalidArgument("SQL predicate is empty");
  return SqlParser(sql, std::move(tokens)).Run();
}

SqlHints ParseSqlPredicateHints(std::span<const std::string> hints) {
  SqlHints out;
  std::vector<ExprPtr> parts;
  for (const std::string& hint : hints) {
    auto e = ParseSqlPredicate(hint);
    if (e.ok()) {
      parts.push_back(std::move(e).value());
    } else {
      out.skipped.push_back(hint + ": " + e.status().message());
    }
  }
  if (!parts.empty()) {
    auto all = Expr::And(std::move(parts));
    if (all.ok()) {
      out.predicate = std::move(all).value();
    } else {
      out.skipped.push_back("(all hints): " + all.status().message());
    }
  }
  return out;
}

}  // namespace ds::expr
