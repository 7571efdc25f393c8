// Row-group pruning from column chunk statistics.
//
//   ReaderOptions o;
//   o.row_group_filter = MakeRowGroupFilter({{"id", ColumnPredicate::kGt, Scalar::MakeInt(...)}});
//
// A filter is a conjunction of predicates on top-level, non-nested columns. A row group is
// skipped only when some predicate provably holds for none of its rows, judged from the
// statistics that survive statistics.h's rules; anything unknown keeps the group:
//   * a column that does not exist, is nested or repeated, or whose statistics are missing,
//     undecodable or not comparable with the literal (CompareScalars gives nullopt);
//   * a null literal, or a NaN one.
// Comparisons follow SQL: a null never satisfies one, so an all-null chunk
// (null_count == num_values) fails them all. Truncated bounds still bound. For float columns
// the bounds exclude NaN, and a NaN may count as the largest value (Spark) or as unordered
// (IEEE): kGt/kGe use max only when nan_count == 0 is known, kNe never prunes unless
// nan_count == 0, and kEq/kLt/kLe are safe under both readings.
//
// Thread-safety: the returned callback is immutable and may be shared.
#pragma once

#include <string>
#include <vector>

#include "columnar/scalar.h"
#include "parquet/file_reader.h"
#include "parquet/statistics.h"

namespace ds::parquet {

struct ColumnPredicate {
  enum Op { kEq, kNe, kLt, kLe, kGt, kGe, kIsNull, kIsNotNull };

  std::string column;  // a top-level leaf column, by exact name
  Op op = kEq;
  columnar::Scalar value;  // ignored by kIsNull / kIsNotNull

  // "id > 5" (the literal in deltashare's JSON encoding); for messages and tests.
  std::string ToString() const;
};

// False only if no row described by `stats` can satisfy `predicate` (the column's name
// is not consulted).
bool PredicateMayMatch(const ColumnPredicate& predicate, const ColumnChunkStats& stats);

// False only if no row of `row_group` can satisfy all of `predicates`.
bool RowGroupMayMatch(const FileReader& reader, int row_group,
                      const std::vector<ColumnPredicate>& predicates);

// A ReaderOptions::row_group_filter that applies RowGroupMayMatch.
RowGroupFilter MakeRowGroupFilter(std::vector<ColumnPredicate> predicates);

}  // namespace ds::parquet
