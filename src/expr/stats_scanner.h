// A single-pass scanner over a Delta `add.stats` JSON string that captures only the values
// a predicate needs: `numRecords`, and for each referenced (physical, possibly nested)
// column its `minValues`, `maxValues` and `nullCount` tokens. Everything else is skipped
// without being decoded, and scanning stops as soon as every wanted token has been seen.
//
// Tokens are views into the stats text (no copies, no allocation once the output has been
// sized). Malformed JSON (within the parts scanned), nesting beyond 64 levels, or a
// non-object top level make ScanStats return false: the caller then treats the stats as
// missing. Duplicate keys: the first occurrence wins.
//
// Thread-safety: a StatsPaths is immutable after building; ScanStats writes only `out`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ds::expr {

struct StatsToken {
  enum class Kind : uint8_t { kAbsent, kNumber, kString, kTrue, kFalse, kNull, kOther };
  Kind kind = Kind::kAbsent;
  bool escaped = false;   // kString: contains backslash escapes (decode with UnescapeJson)
  std::string_view text;  // kNumber: the token; kString: the raw content between the quotes
};

// The set of column paths to capture, as a trie of key names.
class StatsPaths {
 public:
  StatsPaths();
  // Adds a path of physical names (outermost first) and returns its leaf id (0, 1, ...).
  // Adding the same path twice returns the same id.
  int Add(const std::vector<std::string>& path);
  int num_leaves() const { return num_leaves_; }

 private:
  friend class StatsScanner;
  struct Node {
    std::string name;
    int leaf = -1;  // leaf id, or -1 for an interior node
    std::vector<int> children;
  };
  int FindChild(int node, std::string_view name) const;

  std::vector<Node> nodes_;  // nodes_[0] is the root
  int num_leaves_ = 0;
};

struct ScannedStats {
  bool has_num_records = false;
  int64_t num_records = 0;
  std::vector<StatsToken> min_values;  // indexed by leaf id
  std::vector<StatsToken> max_values;
  std::vector<StatsToken> null_count;
};

// Scans `json` for `paths`. Returns false if the text is not a well-formed stats object;
// `out` is then reset (nothing captured). `scratch` holds decoded escaped keys between calls.
bool ScanStats(std::string_view json, const StatsPaths& paths, ScannedStats* out,
               std::string* scratch);

// Decodes the raw content of a JSON string (between the quotes) into `out` (replacing it).
// Returns false on a malformed escape. Lone surrogates become U+FFFD.
bool UnescapeJson(std::string_view raw, std::string* out);

}  // namespace ds::expr
