// Reads from a Delta `add.stats` JSON string only the values a predicate needs: `numRecords`,
// and for each referenced (physical, possibly nested) column its `minValues`, `maxValues`
// and `nullCount` entries. Built on simdjson On-Demand: one structural pass over the bytes,
// then forward lookups of the referenced keys in the order StatsPaths::Add was called
// (callers add columns in schema order, the order writers emit stats in); when a key is
// missing or out of order, one more pass walks every field. Nothing else is decoded.
//
// Keys are matched in their raw JSON form as Jackson (Spark) and serde (delta-rs) write
// them: `"` and `\` and control characters escaped, everything else (non-ASCII too) raw. A
// key written with other escapes (e.g. "\u00e9" for "é") is not found, which is sound: the
// column then has no stats. Malformed JSON in the parts visited, or a non-object top level,
// make Scan return false: the caller then treats the stats as missing.
//
// Thread-safety: a StatsPaths is immutable after building. A StatsScanner holds parser
// scratch space: one per thread (copies get their own).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ds::expr {

// Bytes that must be readable after a stats string for Scan to read it in place (see
// Scan); otherwise it is copied into a padded buffer first.
constexpr size_t kStatsPadding = 64;

struct StatsToken {
  enum class Kind : uint8_t { kAbsent, kNumber, kString, kTrue, kFalse, kNull, kOther };
  Kind kind = Kind::kAbsent;
  // kNumber: the raw token ("1.5E+2"); kString: the decoded string. Valid until the next
  // Scan with the same scanner.
  std::string_view text;
};

// The set of column paths to look up, as a trie of key names.
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
    std::string raw_name;  // as written in JSON, without quotes
    int leaf = -1;         // leaf id, or -1 for an interior node
    std::vector<int> children;
  };
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

class StatsScanner {
 public:
  StatsScanner();
  ~StatsScanner();
  StatsScanner(const StatsScanner& other);  // fresh scratch
  StatsScanner& operator=(const StatsScanner& other);
  StatsScanner(StatsScanner&&) noexcept;
  StatsScanner& operator=(StatsScanner&&) noexcept;

  // Looks up `paths` in `json`. `padding` is how many bytes after the end of `json` may be
  // read (e.g. a std::string's capacity() - size()); with kStatsPadding or more, no copy is
  // made. Returns false if the stats are not a well-formed object (then `out` holds nothing).
  bool Scan(std::string_view json, const StatsPaths& paths, ScannedStats* out, size_t padding = 0);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ds::expr
