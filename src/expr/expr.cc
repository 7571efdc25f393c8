#include "expr/expr.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "util/civil_time.h"
#include "util/string_util.h"

namespace ds::expr {

namespace {

constexpr std::string_view kTypeNames[] = {"",     "bool",  "int",    "long",     "string",
                                           "date", "float", "double", "timestamp"};

Status ValidateLiteralText(ValueType type, std::string_view text) {
  auto bad = [&](std::string_view want) {
    return Status::InvalidArgument("literal '" + std::string(text) + "' is not a valid " +
                                   std::string(ValueTypeName(type)) + " (want " +
                                   std::string(want) + ")");
  };
  switch (type) {
    case ValueType::kUnspecified:
      return Status::InvalidArgument("literal '" + std::string(text) + "' has no value type");
    case ValueType::kBool:
      if (!EqualsIgnoreCase(text, "true") && !EqualsIgnoreCase(text, "false")) {
        return bad("true or false");
      }
      return Status::OK();
    case ValueType::kInt: {
      auto v = ParseInt64(text);
      if (!v || *v < std::numeric_limits<int32_t>::min() ||
          *v > std::numeric_limits<int32_t>::max()) {
        return bad("a 32-bit integer");
      }
      return Status::OK();
    }
    case ValueType::kLong:
      if (!ParseInt64(text)) return bad("a 64-bit integer");
      return Status::OK();
    case ValueType::kFloat:
    case ValueType::kDouble:
      if (!ParseDouble(text)) return bad("a number, NaN or Infinity");
      return Status::OK();
    case ValueType::kString:
      return Status::OK();
    case ValueType::kDate:
      if (!ParseDate(text).ok()) return bad("YYYY-MM-DD");
      return Status::OK();
    case ValueType::kTimestamp:
      if (!ParseTimestampMicros(text).ok()) return bad("ISO 8601, e.g. 2024-01-31T12:00:00Z");
      return Status::OK();
  }
  return Status::InvalidArgument("unknown value type");
}

bool IsBoolLeaf(const Expr& e) {
  if (e.op() == Op::kLiteral) return e.value_type() == ValueType::kBool;
  if (e.op() == Op::kColumn) {
    return e.value_type() == ValueType::kBool || e.value_type() == ValueType::kUnspecified;
  }
  return false;
}

// Leaves may stand as conditions only when they are booleans.
Status CheckCondition(const ExprPtr& e, std::string_view where) {
  if (e == nullptr) return Status::InvalidArgument(std::string(where) + ": missing child");
  if (e->is_leaf() && !IsBoolLeaf(*e)) {
    return Status::InvalidArgument(std::string(where) + ": " + e->ToString() + " of type " +
                                   std::string(ValueTypeName(e->value_type())) +
                                   " is not a condition (only bool leaves are)");
  }
  return Status::OK();
}

int HeightOf(const std::vector<ExprPtr>& children) {
  int h = 0;
  for (const auto& c : children) h = std::max(h, c->height());
  return h + 1;
}

Result<ExprPtr> MakeNode(Op op, std::vector<ExprPtr> children) {
  int height = HeightOf(children);
  if (height > kMaxHeight) {
    return Status::InvalidArgument("predicate is nested deeper than " + std::to_string(kMaxHeight) +
                                   " levels");
  }
  return std::make_shared<const Expr>(op, ValueType::kUnspecified, std::string(), std::string(),
                                      std::move(children));
}

Result<ExprPtr> MakeJunction(Op op, std::vector<ExprPtr> children) {
  std::string_view what = OpName(op);
  if (children.empty()) {
    return Status::InvalidArgument(std::string(what) + ": expected at least 2 children, got 0");
  }
  std::vector<ExprPtr> flat;
  flat.reserve(children.size());
  for (auto& c : children) {
    RETURN_NOT_OK(CheckCondition(c, what));
    if (c->op() == op) {
      flat.insert(flat.end(), c->children().begin(), c->children().end());
    } else {
      flat.push_back(std::move(c));
    }
  }
  if (flat.size() == 1) return flat[0];
  return MakeNode(op, std::move(flat));
}

// A name the SQL parser reads back unquoted: dot-separated identifiers, none a keyword.
bool IsPlainIdentifier(std::string_view s) {
  static constexpr std::string_view kKeywords[] = {"and",   "or",      "not",  "is",
                                                   "in",    "between", "null", "true",
                                                   "false", "cast",    "date", "timestamp"};
  for (std::string_view part : Split(s, '.')) {
    if (part.empty() || std::isdigit(static_cast<unsigned char>(part[0]))) return false;
    for (char c : part) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    }
    for (std::string_view kw : kKeywords) {
      if (EqualsIgnoreCase(part, kw)) return false;
    }
  }
  return true;
}

// True if `s` lexes as one SQL number token, optionally negative: 12, -1.5, .5, 1e-3.
bool IsSqlNumber(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  size_t digits = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) {
    digits += s[i] != '.';
    ++i;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp;
    if (exp == 0) return false;
  }
  return i == s.size();
}

void AppendQuoted(std::string_view s, char quote, std::string* out) {
  out->push_back(quote);
  for (char c : s) {
    if (c == quote) out->push_back(quote);
    out->push_back(c);
  }
  out->push_back(quote);
}

std::string_view ComparisonSymbol(Op op) {
  switch (op) {
    case Op::kEqual:
      return "=";
    case Op::kLessThan:
      return "<";
    case Op::kLessThanOrEqual:
      return "<=";
    case Op::kGreaterThan:
      return ">";
    case Op::kGreaterThanOrEqual:
      return ">=";
    default:
      return "?";
  }
}

}  // namespace

std::string_view ValueTypeName(ValueType type) { return kTypeNames[static_cast<int>(type)]; }

std::optional<ValueType> ValueTypeFromName(std::string_view name) {
  for (int i = 1; i < static_cast<int>(std::size(kTypeNames)); ++i) {
    if (kTypeNames[i] == name) return static_cast<ValueType>(i);
  }
  return std::nullopt;
}

bool IsNumeric(ValueType type) {
  return type == ValueType::kInt || type == ValueType::kLong || type == ValueType::kFloat ||
         type == ValueType::kDouble;
}

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kColumn:
      return "column";
    case Op::kLiteral:
      return "literal";
    case Op::kIsNull:
      return "isNull";
    case Op::kEqual:
      return "equal";
    case Op::kLessThan:
      return "lessThan";
    case Op::kLessThanOrEqual:
      return "lessThanOrEqual";
    case Op::kGreaterThan:
      return "greaterThan";
    case Op::kGreaterThanOrEqual:
      return "greaterThanOrEqual";
    case Op::kAnd:
      return "and";
    case Op::kOr:
      return "or";
    case Op::kNot:
      return "not";
    case Op::kUnknown:
      return "unknown";
  }
  return "unknown";
}

bool IsComparison(Op op) {
  return op == Op::kEqual || op == Op::kLessThan || op == Op::kLessThanOrEqual ||
         op == Op::kGreaterThan || op == Op::kGreaterThanOrEqual;
}

Expr::Expr(Op op, ValueType type, std::string a, std::string b, std::vector<ExprPtr> children)
    : op_(op),
      type_(type),
      text_a_(std::move(a)),
      text_b_(std::move(b)),
      children_(std::move(children)) {
  height_ = children_.empty() ? 1 : HeightOf(children_);
  contains_unknown_ = op_ == Op::kUnknown;
  for (const auto& c : children_) contains_unknown_ = contains_unknown_ || c->contains_unknown();
}

Result<ExprPtr> Expr::Column(std::string name, ValueType type) {
  if (name.empty()) return Status::InvalidArgument("column: name must not be empty");
  return std::make_shared<const Expr>(Op::kColumn, type, std::move(name), std::string(),
                                      std::vector<ExprPtr>());
}

Result<ExprPtr> Expr::Literal(ValueType type, std::string text) {
  RETURN_NOT_OK(ValidateLiteralText(type, text));
  return std::make_shared<const Expr>(Op::kLiteral, type, std::string(), std::move(text),
                                      std::vector<ExprPtr>());
}

Result<ExprPtr> Expr::IsNull(ExprPtr column) {
  if (column == nullptr || column->op() != Op::kColumn) {
    return Status::InvalidArgument("isNull: the child must be a column, got " +
                                   (column ? column->ToString() : std::string("nothing")));
  }
  return MakeNode(Op::kIsNull, {std::move(column)});
}

Result<ExprPtr> Expr::Compare(Op op, ExprPtr left, ExprPtr right) {
  std::string what(OpName(op));
  if (!IsComparison(op)) return Status::InvalidArgument(what + " is not a comparison");
  if (left == nullptr || right == nullptr) {
    return Status::InvalidArgument(what + ": expected 2 children");
  }
  if (!left->is_leaf() || !right->is_leaf()) {
    return Status::InvalidArgument(what + ": children must be columns or literals, got " +
                                   left->ToString() + " and " + right->ToString());
  }
  ValueType lt = left->value_type(), rt = right->value_type();
  if (lt != ValueType::kUnspecified && rt != ValueType::kUnspecified && lt != rt) {
    return Status::InvalidArgument(what + ": type mismatch, " + std::string(ValueTypeName(lt)) +
                                   " vs " + std::string(ValueTypeName(rt)) + " for " +
                                   left->ToString() + " and " + right->ToString());
  }
  return MakeNode(op, {std::move(left), std::move(right)});
}

Result<ExprPtr> Expr::And(std::vector<ExprPtr> children) {
  return MakeJunction(Op::kAnd, std::move(children));
}

Result<ExprPtr> Expr::Or(std::vector<ExprPtr> children) {
  return MakeJunction(Op::kOr, std::move(children));
}

Result<ExprPtr> Expr::Not(ExprPtr child) {
  RETURN_NOT_OK(CheckCondition(child, "not"));
  return MakeNode(Op::kNot, {std::move(child)});
}

ExprPtr Expr::Unknown(std::string op_name, std::string raw_json) {
  return std::make_shared<const Expr>(Op::kUnknown, ValueType::kUnspecified, std::move(op_name),
                                      std::move(raw_json), std::vector<ExprPtr>());
}

std::string Expr::ToString() const {
  std::string out;
  AppendTo(&out);
  return out;
}

void Expr::AppendTo(std::string* out) const {
  switch (op_) {
    case Op::kColumn:
      if (IsPlainIdentifier(text_a_)) {
        out->append(text_a_);
      } else {
        AppendQuoted(text_a_, '`', out);
      }
      return;
    case Op::kLiteral:
      switch (type_) {
        case ValueType::kString:
          AppendQuoted(text_b_, '\'', out);
          return;
        case ValueType::kDate:
          out->append("DATE");
          AppendQuoted(text_b_, '\'', out);
          return;
        case ValueType::kTimestamp:
          out->append("TIMESTAMP");
          AppendQuoted(text_b_, '\'', out);
          return;
        case ValueType::kBool:
          out->append(EqualsIgnoreCase(text_b_, "true") ? "TRUE" : "FALSE");
          return;
        default:
          if (IsSqlNumber(text_b_)) {
            out->append(text_b_);
            return;
          }
          // NaN, Infinity, "+5": no SQL number form.
          out->append("CAST(");
          AppendQuoted(text_b_, '\'', out);
          out->append(type_ == ValueType::kInt     ? " AS INT)"
                      : type_ == ValueType::kLong  ? " AS BIGINT)"
                      : type_ == ValueType::kFloat ? " AS FLOAT)"
                                                   : " AS DOUBLE)");
          return;
      }
    case Op::kIsNull:
      children_[0]->AppendTo(out);
      out->append(" IS NULL");
      return;
    case Op::kEqual:
    case Op::kLessThan:
    case Op::kLessThanOrEqual:
    case Op::kGreaterThan:
    case Op::kGreaterThanOrEqual:
      children_[0]->AppendTo(out);
      out->push_back(' ');
      out->append(ComparisonSymbol(op_));
      out->push_back(' ');
      children_[1]->AppendTo(out);
      return;
    case Op::kAnd:
    case Op::kOr:
      out->push_back('(');
      for (size_t i = 0; i < children_.size(); ++i) {
        if (i > 0) out->append(op_ == Op::kAnd ? " AND " : " OR ");
        children_[i]->AppendTo(out);
      }
      out->push_back(')');
      return;
    case Op::kNot:
      out->append("NOT (");
      children_[0]->AppendTo(out);
      out->push_back(')');
      return;
    case Op::kUnknown:
      out->append("UNKNOWN(");
      out->append(text_a_);
      out->push_back(')');
      return;
  }
}

}  // namespace ds::expr
