// File statistics for add.stats (delta.md §9): numRecords, and per indexed leaf column
// minValues, maxValues and nullCount, keyed by physical names and nested like the schema.
//
// Conventions (Spark's): the indexed columns are the first delta.dataSkippingNumIndexedCols
// (default 32, -1 = all) leaves in schema order, or exactly delta.dataSkippingStatsColumns;
// arrays and maps count as one leaf with a nullCount only; booleans and binary get a
// nullCount only; an all-null column has no min/max; strings are cut to 32 code points (the
// max then gets a tie-breaker so it stays an upper bound, or is omitted); timestamps are
// truncated down to milliseconds; floats with NaN get no min/max (an infinite bound is left
// out, JSON cannot hold it); decimals are exact JSON numbers.
//
// Not thread-safe; one collector per file being written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "columnar/array.h"
#include "delta/actions.h"
#include "util/decimal.h"

namespace ds::delta {

struct StatsOptions {
  int32_t num_indexed_cols = 32;           // -1: every leaf
  std::vector<std::string> stats_columns;  // dotted logical names; overrides the count
  int32_t string_prefix_length = 32;
};

// The options a table's properties ask for. InvalidArgument naming the property when
// delta.dataSkippingNumIndexedCols is not an integer >= -1.
Result<StatsOptions> StatsOptionsFromMetadata(const Metadata& metadata);

// The min and max of the string stats of a column of values whose true min and max are
// `min` and `max` (UTF-8): min is a prefix of `prefix_length` code points; max is either
// the whole value, a prefix plus U+007F or U+10FFFF (chosen so it stays >= the value), or
// nullopt when no such cut exists within 2 * prefix_length code points.
std::string TruncateMinString(std::string_view min, int32_t prefix_length);
std::optional<std::string> TruncateMaxString(std::string_view max, int32_t prefix_length);

// numRecords of an add.stats JSON string; nullopt when absent or unreadable.
std::optional<int64_t> StatsNumRecords(std::string_view stats);

class StatsCollector {
 public:
  StatsCollector() = default;
  // `logical` and `physical` are the data file's columns (same tree; physical names are the
  // stats keys). InvalidArgument if a stats column names no field.
  static Result<StatsCollector> Make(const std::vector<columnar::Field>& logical,
                                     const std::vector<columnar::Field>& physical,
                                     const StatsOptions& options);

  // Accounts for `rows` rows; `columns` are parallel to the fields given to Make.
  void Add(const std::vector<columnar::ArrayPtr>& columns, int64_t rows);
  int64_t num_records() const { return num_records_; }
  // {"numRecords":…,"minValues":{…},"maxValues":{…},"nullCount":{…}}.
  std::string ToJson() const;

 private:
  enum class Kind : uint8_t { kCountOnly, kInt, kFloat, kDecimal, kString, kDate, kTimestamp };
  struct Leaf {
    std::vector<int> path;  // child indices from the top-level column
    Kind kind = Kind::kCountOnly;
    columnar::TypePtr type;
    bool indexed = false;
    int64_t null_count = 0;
    bool has_value = false;
    bool has_nan = false;
    int64_t min_i = 0, max_i = 0;
    double min_d = 0, max_d = 0;
    int128_t min_dec = 0, max_dec = 0;
    std::string min_s, max_s;
  };
  struct Node {  // the stats tree: a field and its children (struct members)
    std::string name;
    int leaf = -1;  // index into leaves_, or -1 for a struct
    std::vector<Node> children;
  };

  Status Build(const columnar::Field& logical, const columnar::Field& physical,
               std::vector<int> path, const std::string& dotted, Node* node);
  void AddLeaf(Leaf* leaf, const std::vector<columnar::ArrayPtr>& columns, int64_t rows);
  enum class Part : uint8_t { kMin, kMax, kNullCount };
  // Appends the members of `node` for one part; returns false when it wrote nothing.
  bool AppendPart(const Node& node, Part part, std::string* out) const;
  bool AppendValue(const Leaf& leaf, Part part, std::string* out) const;

  std::vector<Leaf> leaves_;
  Node root_;  // a struct node over the top-level columns
  StatsOptions options_;
  int64_t num_records_ = 0;
  int indexed_so_far_ = 0;
};

}  // namespace ds::delta
