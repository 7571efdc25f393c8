// libFuzzer target: SQL predicates (predicateHints, admin partition filters) from untrusted
// bytes. Parsing must return a tree or an error; a tree's SQL form must parse back to the
// same tree.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "expr/sql_predicate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto e = ds::expr::ParseSqlPredicate(text);
  if (e.ok()) {
    std::string sql = (*e)->ToString();
    auto again = ds::expr::ParseSqlPredicate(sql);
    if (!again.ok() || (*again)->ToString() != sql) __builtin_trap();
  }
  // The same bytes as a list of hints, split at newlines.
  std::vector<std::string> hints;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      hints.emplace_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  (void)ds::expr::ParseSqlPredicateHints(hints);
  return 0;
}
