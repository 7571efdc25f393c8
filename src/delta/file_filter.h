// Data skipping over a snapshot's files with src/expr's sound evaluator: binds a predicate
// to the table's logical schema, partition columns and physical names (column mapping), and
// evaluates each live file from its partition values and raw stats.
//
// Thread-safety: a FileFilter mutates scratch space; use one per thread.
#pragma once

#include <vector>

#include "delta/file_table.h"
#include "delta/table_schema.h"
#include "expr/expr.h"
#include "expr/file_skipping.h"

namespace ds::delta {

class FileFilter {
 public:
  // Compiles `predicate` against the table. Errors from expr::FileSkipper::Make.
  static Result<FileFilter> Make(const TableSchema& schema, const expr::Expr& predicate);

  // kFalse when no row of the file can match (the file may be skipped), kTrue when every
  // row matches, kUnknown otherwise.
  expr::Truth Evaluate(const FileView& file);
  // Why parts of the predicate could not be used (they never skip a file).
  const std::vector<std::string>& notes() const { return skipper_.notes(); }

 private:
  explicit FileFilter(expr::FileSkipper skipper) : skipper_(std::move(skipper)) {}
  expr::FileSkipper skipper_;
  std::vector<expr::PartitionValue> partition_values_;
};

// The physical name of a logical field under `mode` (its delta.columnMapping.physicalName, or
// its name without column mapping).
std::string PhysicalName(const columnar::Field& field, ColumnMappingMode mode);

}  // namespace ds::delta
