// Skipping files that cannot hold any of a set of key values (merge by key): a file is
// kept when its partition value is one of the keys, or when some key lies within its stats
// [minValues, maxValues] of the key column (sound under Spark's truncation rules: string
// bounds are prefixes / tie-broken, timestamp maxima are widened by 999 µs). Missing or
// unreadable stats keep the file.
//
// Thread-safety: not thread-safe (scanner scratch); one per thread.
#pragma once

#include <string>
#include <vector>

#include "columnar/scalar.h"
#include "delta/file_table.h"
#include "delta/table_schema.h"
#include "expr/stats_scanner.h"

namespace ds::delta {

class KeyFileSkipper {
 public:
  // `column` is a logical top-level column of `schema`; `values` holds the keys (nulls are
  // ignored: a null key matches nothing). InvalidArgument for an unknown column.
  static Result<KeyFileSkipper> Make(const TableSchema& schema, const std::string& column,
                                     const columnar::Array& values);

  // False only when no row of `file` can hold one of the values.
  bool MayContain(const FileView& file);
  size_t num_values() const { return values_.size(); }

 private:
  KeyFileSkipper() = default;
  bool AnyWithin(const std::optional<columnar::Scalar>& lo,
                 const std::optional<columnar::Scalar>& hi) const;
  std::optional<columnar::Scalar> Bound(const expr::StatsToken& token, bool max) const;

  columnar::TypePtr type_;
  std::vector<columnar::Scalar> values_;  // sorted, distinct
  bool partition_ = false;
  std::string physical_name_;
  bool usable_stats_ = false;
  expr::StatsPaths paths_;
  expr::StatsScanner scanner_;
  expr::ScannedStats scanned_;
};

}  // namespace ds::delta
