// Sound file skipping: evaluates a predicate against one data file's partition values and
// Delta stats, without reading the file (delta.md §9, protocol.md §8).
//
//   FileSkipper skipper = FileSkipper::Make(*predicate, table).ValueOrDie();
//   for (const AddFile& add : files) {
//     PartitionValue pv[] = {{"region", "EU"}};
//     if (skipper.Evaluate({pv, add.stats}) == Truth::kFalse) continue;  // no row can match
//     ...
//   }
//
// Result per file: kFalse when no row of the file can satisfy the predicate (drop it),
// kTrue when every row satisfies it for certain (what enforcing a per-recipient filter
// needs: serve only kTrue files), kUnknown otherwise. The evaluator computes, per condition,
// the set of SQL outcomes (TRUE/FALSE/NULL) its rows may take (see truth.h), which makes NOT
// exact and sound (no "negated may-match").
//
// Rules, each a named test in file_skipping_test.cc:
//   * missing, null or unparsable stats (or column entries) mean "anything": never 0;
//   * a partition column is the exact point of its parsed value; "" and null are NULL;
//     an unparsable or absent partition value means "anything";
//   * min/max are inclusive bounds (wide bounds, tightBounds=false, stay sound);
//     nullCount is used only when 0 (no NULLs) or == numRecords (all NULL);
//   * numRecords == 0: the file has no rows, kFalse;
//   * timestamp max is widened by 999 us (stats are truncated to ms);
//   * a string max of >= string_prefix_length code points may be a truncated prefix: it
//     bounds every string that starts with it; strings compare as unsigned UTF-8 bytes;
//   * equality is "certain" (x = L is kTrue, NOT(x = L) kFalse) only for exact types: ints,
//     decimals, dates, bools and partition values; never for strings or timestamps;
//   * float/double: a NaN row is FALSE for every comparison and stats may omit NaN, so a
//     comparison on a float column always may be FALSE; NaN bounds are ignored;
//   * decimals and integers are parsed exactly from the raw token (never via double);
//   * binary min/max are ignored; boolean min/max are used when present (Delta writes none);
//   * nested columns are found by dotted paths ("a.b"), physical names per level;
//   * parts the binder could not bind (see binding.h) are UNKNOWN; notes() says why.
//
// Performance: Make() compiles the predicate once. Evaluate() allocates nothing after the
// first few calls: one simdjson pass over the stats text, targeted lookups of the referenced
// columns only (stats_scanner.h), then a flat node array. A predicate on partition columns
// only never looks at the stats.
//
// Thread-safety: Evaluate mutates scratch space, so one FileSkipper per thread; copies are
// cheap (the compiled plan is shared and immutable) and independent.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/type.h"
#include "expr/expr.h"
#include "expr/stats_scanner.h"
#include "expr/truth.h"
#include "util/decimal.h"
#include "util/result.h"

namespace ds::expr {

namespace internal {
// What one operand (a literal, or a column in the current file) may be.
struct SkipInterval {
  bool may_null = true;     // some row may be NULL
  bool may_nonnull = true;  // some row may be non-NULL
  bool has_lo = false;      // lo_* is an inclusive lower bound of the non-NULL values
  bool has_hi = false;      // hi_* is an inclusive upper bound ...
  bool exact = false;       // every non-NULL value equals lo (== hi)
  bool hi_prefix = false;   // kBytes: hi bounds every string that starts with hi_s
  bool maybe_nan = false;   // kDouble: NaN values may exist beyond the bounds
  bool nan_point = false;   // kDouble: the value is NaN
  bool frac = false;        // kInt: the point is lo_i + a fraction (literals only)
  int128_t lo_i = 0, hi_i = 0;
  double lo_d = 0, hi_d = 0;
  std::string_view lo_s, hi_s;
};
}  // namespace internal

struct PartitionValue {
  std::string_view name;                  // physical partition column name
  std::optional<std::string_view> value;  // nullopt or "" = NULL
};

// One data file as the evaluator sees it. Views must stay valid during Evaluate.
struct FileView {
  std::span<const PartitionValue> partition_values;
  std::optional<std::string_view> stats;  // raw add.stats JSON; nullopt or "" = no stats
  // Bytes readable after the end of `stats` (e.g. capacity() - size() of the std::string
  // holding it); kStatsPadding or more saves a copy per file.
  size_t stats_padding = 0;
};

struct SkippingTable {
  columnar::SchemaPtr schema;                  // logical schema (Delta schemaString)
  std::vector<std::string> partition_columns;  // logical top-level names
  // Physical name of a field (column mapping); null means the logical name. Called at
  // Make time for each field on a referenced path.
  std::function<std::string(const columnar::Field&)> physical_name;
};

struct SkippingOptions {
  // Spark's spark.databricks.io.skipping.stringPrefixLength.
  int string_prefix_length = 32;
};

class FileSkipper {
 public:
  // Compiles `predicate` against the table. InvalidArgument if `table.schema` is null or a
  // partition column is not a top-level schema field. Unbindable parts are not errors: they
  // evaluate to UNKNOWN and are listed in notes().
  static Result<FileSkipper> Make(const Expr& predicate, const SkippingTable& table,
                                  const SkippingOptions& options = {});

  Truth Evaluate(const FileView& file);
  // Evaluates files[i] into out[i]. REQUIRES: out.size() >= files.size().
  void EvaluateBatch(std::span<const FileView> files, std::span<Truth> out);

  // Why parts of the predicate evaluate to UNKNOWN (empty when all of it is usable).
  const std::vector<std::string>& notes() const;
  // True if the predicate only references partition columns and binds fully: then results
  // are exact (kTrue/kFalse per file, kUnknown only on unparsable partition values).
  bool partition_only() const;

  struct Plan;  // the compiled predicate (file_skipping.cc)

 private:
  explicit FileSkipper(std::shared_ptr<const Plan> plan);
  uint8_t EvaluateMask(const FileView& file);

  std::shared_ptr<const Plan> plan_;
  // Per-file scratch.
  std::vector<internal::SkipInterval> intervals_;  // literals first (fixed), then one per column
  std::vector<uint8_t> masks_;
  StatsScanner scanner_;
  ScannedStats scanned_;
};

}  // namespace ds::expr
