#include "expr/json_predicate.h"

#include "util/json.h"
#include "util/string_util.h"

namespace ds::expr {

namespace {

struct OpEntry {
  std::string_view name;
  Op op;
};

constexpr OpEntry kOps[] = {
    {"column", Op::kColumn},
    {"literal", Op::kLiteral},
    {"isNull", Op::kIsNull},
    {"equal", Op::kEqual},
    {"lessThan", Op::kLessThan},
    {"lessThanOrEqual", Op::kLessThanOrEqual},
    {"greaterThan", Op::kGreaterThan},
    {"greaterThanOrEqual", Op::kGreaterThanOrEqual},
    {"and", Op::kAnd},
    {"or", Op::kOr},
    {"not", Op::kNot},
};

std::optional<Op> OpFromName(std::string_view name) {
  for (const auto& e : kOps) {
    if (e.name == name) return e.op;
  }
  return std::nullopt;
}

class Parser {
 public:
  explicit Parser(const JsonPredicateOptions& options) : options_(options) {}

  Result<ExprPtr> Parse(const JsonValue& node, int depth) {
    if (depth > kMaxHeight) {
      return Status::InvalidArgument("predicate is nested deeper than " +
                                     std::to_string(kMaxHeight) + " levels");
    }
    if (!node.is_object()) {
      return Status::InvalidArgument("predicate node is not a JSON object: " + Snippet(node));
    }
    const JsonValue* op_value = node.Find("op");
    if (op_value == nullptr || !op_value->is_string()) {
      return Status::InvalidArgument("predicate node has no string \"op\": " + Snippet(node));
    }
    const std::string& op_name = op_value->string_value();
    std::optional<Op> op = OpFromName(op_name);
    if (!op) {
      if (options_.unknown == UnknownPolicy::kReject) {
        return Status::InvalidArgument("unknown predicate op '" + op_name + "'");
      }
      return Expr::Unknown(op_name, node.ToString());
    }
    switch (*op) {
      case Op::kColumn:
      case Op::kLiteral:
        return ParseLeaf(node, *op);
      case Op::kIsNull: {
        ASSIGN_OR_RETURN(auto children, ParseChildren(node, op_name, 1, 1, depth));
        if (children[0]->op() == Op::kUnknown) return Expr::Unknown(op_name, node.ToString());
        return WithContext(Expr::IsNull(std::move(children[0])), op_name);
      }
      case Op::kEqual:
      case Op::kLessThan:
      case Op::kLessThanOrEqual:
      case Op::kGreaterThan:
      case Op::kGreaterThanOrEqual: {
        ASSIGN_OR_RETURN(auto children, ParseChildren(node, op_name, 2, 2, depth));
        for (const auto& c : children) {
          if (c->op() == Op::kUnknown) return Expr::Unknown(op_name, node.ToString());
        }
        return Expr::Compare(*op, std::move(children[0]), std::move(children[1]));
      }
      case Op::kAnd:
      case Op::kOr: {
        ASSIGN_OR_RETURN(auto children, ParseChildren(node, op_name, 2, SIZE_MAX, depth));
        return *op == Op::kAnd ? Expr::And(std::move(children)) : Expr::Or(std::move(children));
      }
      case Op::kNot: {
        ASSIGN_OR_RETURN(auto children, ParseChildren(node, op_name, 1, 1, depth));
        return Expr::Not(std::move(children[0]));
      }
      case Op::kUnknown:
        break;
    }
    return Status::Internal("unhandled predicate op " + op_name);
  }

 private:
  static std::string Snippet(const JsonValue& node) {
    std::string s = node.ToString();
    if (s.size() > 80) s = s.substr(0, 77) + "...";
    return s;
  }

  static Result<ExprPtr> WithContext(Result<ExprPtr> r, std::string_view what) {
    if (r.ok()) return r;
    return r.status().WithContext(what);
  }

  Result<ExprPtr> ParseLeaf(const JsonValue& node, Op op) {
    const char* what = op == Op::kColumn ? "column" : "literal";
    ValueType type = ValueType::kUnspecified;
    const JsonValue* type_value = node.Find("valueType");
    if (type_value != nullptr && !type_value->is_null()) {
      if (!type_value->is_string()) {
        return Status::InvalidArgument(std::string(what) +
                                       ": valueType must be a string: " + Snippet(node));
      }
      auto t = ValueTypeFromName(type_value->string_value());
      if (!t) {
        if (options_.unknown == UnknownPolicy::kReject) {
          return Status::InvalidArgument(std::string(what) + ": unknown valueType '" +
                                         type_value->string_value() + "'");
        }
        return Expr::Unknown(what, node.ToString());
      }
      type = *t;
    }
    if (op == Op::kColumn) {
      const JsonValue* name = node.Find("name");
      if (name == nullptr || !name->is_string() || name->string_value().empty()) {
        return Status::InvalidArgument("column: needs a non-empty string \"name\": " +
                                       Snippet(node));
      }
      return Expr::Column(name->string_value(), type);
    }
    if (type == ValueType::kUnspecified) {
      return Status::InvalidArgument("literal: needs a \"valueType\": " + Snippet(node));
    }
    const JsonValue* value = node.Find("value");
    std::string text;
    if (value == nullptr || value->is_null()) {
      return Status::InvalidArgument("literal: needs a \"value\": " + Snippet(node));
    } else if (value->is_string()) {
      text = value->string_value();
    } else if (value->is_number()) {
      text = value->number_text();
    } else if (value->is_bool()) {
      text = value->bool_value() ? "true" : "false";
    } else {
      return Status::InvalidArgument("literal: \"value\" must be a string, number or bool: " +
                                     Snippet(node));
    }
    return Expr::Literal(type, std::move(text));
  }

  Result<std::vector<ExprPtr>> ParseChildren(const JsonValue& node, const std::string& op_name,
                                             size_t min, size_t max, int depth) {
    const JsonValue* children = node.Find("children");
    if (children == nullptr || !children->is_array()) {
      return Status::InvalidArgument(op_name + ": needs a \"children\" array");
    }
    size_t n = children->size();
    if (n < min || n > max) {
      std::string want = min == max ? std::to_string(min) : "at least " + std::to_string(min);
      return Status::InvalidArgument(op_name + ": expected " + want + " children, got " +
                                     std::to_string(n));
    }
    std::vector<ExprPtr> out;
    out.reserve(n);
    for (const auto& c : children->items()) {
      ASSIGN_OR_RETURN(auto e, Parse(c, depth + 1));
      out.push_back(std::move(e));
    }
    return out;
  }

  const JsonPredicateOptions& options_;
};

// The value type a column should be written with: its own, else its comparison partner's.
ValueType ColumnTypeFor(const Expr& column, const Expr* partner) {
  if (column.value_type() != ValueType::kUnspecified) return column.value_type();
  if (partner != nullptr) return partner->value_type();
  return ValueType::kUnspecified;
}

Status WriteLeaf(const Expr& leaf, ValueType type, JsonWriter* w) {
  w->BeginObject();
  if (leaf.op() == Op::kColumn) {
    if (type == ValueType::kUnspecified) {
      return Status::InvalidArgument("column " + leaf.ToString() +
                                     " has no value type to write; resolve the predicate against "
                                     "the table schema first");
    }
    w->Field("op", "column");
    w->Field("name", leaf.name());
  } else {
    w->Field("op", "literal");
    w->Field("value", leaf.text());
    type = leaf.value_type();
  }
  w->Field("valueType", ValueTypeName(type));
  w->EndObject();
  return Status::OK();
}

Status Write(const Expr& e, JsonWriter* w) {
  switch (e.op()) {
    case Op::kColumn:  // a bare condition: only bool columns are conditions
      return WriteLeaf(
          e,
          ColumnTypeFor(e, nullptr) == ValueType::kUnspecified ? ValueType::kBool : e.value_type(),
          w);
    case Op::kLiteral:
      return WriteLeaf(e, e.value_type(), w);
    case Op::kUnknown:
      w->Raw(e.text());
      return Status::OK();
    default:
      break;
  }
  w->BeginObject();
  w->Field("op", OpName(e.op()));
  w->Key("children");
  w->BeginArray();
  if (e.op() == Op::kIsNull) {
    RETURN_NOT_OK(WriteLeaf(*e.children()[0], e.children()[0]->value_type(), w));
  } else if (IsComparison(e.op())) {
    const Expr& a = *e.children()[0];
    const Expr& b = *e.children()[1];
    RETURN_NOT_OK(WriteLeaf(a, ColumnTypeFor(a, &b), w));
    RETURN_NOT_OK(WriteLeaf(b, ColumnTypeFor(b, &a), w));
  } else {
    for (const auto& c : e.children()) RETURN_NOT_OK(Write(*c, w));
  }
  w->EndArray();
  w->EndObject();
  return Status::OK();
}

}  // namespace

Result<ExprPtr> ParseJsonPredicate(std::string_view json, const JsonPredicateOptions& options) {
  if (json.size() > kMaxPredicateBytes) {
    return Status::InvalidArgument("predicate text is " + std::to_string(json.size()) +
                                   " bytes, over the limit of " +
                                   std::to_string(kMaxPredicateBytes));
  }
  if (!IsValidUtf8(json)) return Status::InvalidArgument("predicate JSON is not valid UTF-8");
  // Each predicate level is two JSON levels (node object, children array).
  auto doc = ParseJson(json, 2 * kMaxHeight + 2);
  if (!doc.ok()) return doc.status().WithContext("predicate JSON");
  return Parser(options).Parse(*doc, 1);
}

Result<std::string> ToJsonPredicate(const Expr& expr) {
  std::string out;
  JsonWriter w(&out);
  RETURN_NOT_OK(Write(expr, &w));
  return out;
}

}  // namespace ds::expr
