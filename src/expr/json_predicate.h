// The Delta Sharing JSON predicate format (`jsonPredicateHints`, protocol.md §8) <-> Expr.
//
//   {"op":"and","children":[
//     {"op":"equal","children":[{"op":"column","name":"region","valueType":"string"},
//                               {"op":"literal","value":"EU","valueType":"string"}]},
//     {"op":"not","children":[{"op":"isNull","children":[{"op":"column","name":"id",
//                                                          "valueType":"long"}]}]}]}
//
// Unknown ops and value types: by default (UnknownPolicy::kUnknownSubtree) a node whose op
// is not one of the protocol's becomes an Expr of kind kUnknown, and so does a comparison or
// isNull with such a child or with a leaf of an unknown valueType. Evaluators treat kUnknown
// as UNKNOWN, which is sound for file skipping: UNKNOWN never drops a file by itself, an
// `and` can still be FALSE through its other children, and `not`/`or` around it stay
// non-FALSE. The reference server instead ignores the whole predicate; kReject does that.
#pragma once

#include <string>
#include <string_view>

#include "expr/expr.h"

namespace ds::expr {

// Largest accepted predicate text (protocol limit).
constexpr size_t kMaxPredicateBytes = 1 << 20;

enum class UnknownPolicy : uint8_t {
  kUnknownSubtree,  // keep the rest of the tree; the unknown part evaluates to UNKNOWN
  kReject,          // InvalidArgument for the whole predicate, as the reference does
};

struct JsonPredicateOptions {
  UnknownPolicy unknown = UnknownPolicy::kUnknownSubtree;
};

// Parses one JSON predicate. InvalidArgument naming the node on: text over 1 MiB or not
// UTF-8, malformed JSON, a node that is not an object or lacks "op", wrong arity (isNull/not: 1
// child, comparisons: 2, and/or: at least 2), a comparison child that is not a leaf, an isNull
// child that is not a column, a column without a name, a literal without a value or
// valueType or whose value does not parse, mismatched valueTypes in a comparison, a non-bool
// leaf used as a condition, nesting deeper than 100, and (kReject only) unknown ops/types.
// Unknown object keys are ignored. A literal "value" may be a JSON string, number or bool.
Result<ExprPtr> ParseJsonPredicate(std::string_view json, const JsonPredicateOptions& options = {});

// Serializes a tree to the JSON predicate form (compact; literal values as strings; unknown
// nodes re-emitted verbatim). A column without a value type takes its comparison partner's;
// InvalidArgument if none can be inferred (an untyped column under isNull or compared with
// another untyped column): resolve types against the schema first (binding.h ResolveTypes).
Result<std::string> ToJsonPredicate(const Expr& expr);

}  // namespace ds::expr
