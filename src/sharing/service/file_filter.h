// Which files of a snapshot a query may return.
//
// Two kinds of predicate, with opposite rules:
//   * the grant's partition filter (a per-recipient predicate on partition columns) is
//     ENFORCED: a file is served only if its partition values provably satisfy it. A filter
//     that does not bind to the table's partition columns fails the request (closed);
//   * the client's jsonPredicateHints / predicateHints are HINTS: a file is dropped only if
//     it provably cannot match (sound skipping); a hint that does not parse is ignored.
// Not thread-safe (evaluators keep scratch space); one per request.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "delta/file_table.h"
#include "delta/snapshot.h"
#include "delta/table_schema.h"
#include "expr/file_skipping.h"
#include "sharing/protocol/requests.h"

namespace ds::sharing::service {

class FileFilter {
 public:
  // For a table with `schema` and `metadata` (partition columns). PermissionDenied if
  // `grant_filter` is set but cannot be enforced on this table (does not parse, or references
  // a column that is not a partition column). `hints` may be null (change responses).
  static Result<FileFilter> Make(const delta::TableSchema& schema, const delta::Metadata& metadata,
                                 const std::optional<std::string>& grant_filter,
                                 const protocol::QueryRequest* hints, bool use_json_hints,
                                 bool use_sql_hints);

  // True if the file may be returned: the grant filter holds and no hint rules it out.
  bool Admit(const delta::FileView& file);
  // Only the enforced part (change responses: add/remove actions).
  bool AdmitPartitions(const delta::FileActionView& action);
  // True if any hint predicate is in use (limitHint is then not applied).
  bool has_hints() const { return hinted_.has_value(); }
  int64_t skipped() const { return skipped_; }

 private:
  FileFilter() = default;
  std::optional<expr::FileSkipper> enforced_;
  std::optional<expr::FileSkipper> hinted_;
  std::vector<expr::PartitionValue> scratch_;
  int64_t skipped_ = 0;
};

// The physical name of a logical field under column mapping (its
// delta.columnMapping.physicalName metadata), or its name.
std::string PhysicalNameOf(const columnar::Field& field);

// numRecords from an add's stats JSON, or nullopt.
std::optional<int64_t> NumRecordsOf(std::string_view stats);

}  // namespace ds::sharing::service
