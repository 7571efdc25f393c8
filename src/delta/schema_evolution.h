// Schema evolution (delta.md §12.3): new nullable columns (top-level or inside structs) and
// type widening (byte->short->int->long, float->double, integers to double or wider
// decimals, decimal precision/scale growth, date->timestamp_ntz), written as a full metaData
// action with the same id.
//
// Widened columns record {"fromType","toType"} in their delta.typeChanges field metadata
// and the table gets the typeWidening feature (reader version 3, writer 7) and
// delta.enableTypeWidening=true. Under column mapping new columns get fresh ids and
// physical names and delta.columnMapping.maxColumnId is bumped.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "columnar/type.h"
#include "delta/table_writer.h"

namespace ds::delta {

struct SchemaChange {
  Metadata metadata;                 // the full new metaData (same id)
  Protocol protocol;                 // the protocol it needs (maybe unchanged)
  std::vector<std::string> added;    // dotted column names
  std::vector<std::string> widened;  // "col: integer -> long"
  bool changed() const { return !added.empty() || !widened.empty(); }
};

// The metadata (and protocol) after merging `incoming` into the table's schema: columns are
// matched by name (case-insensitive), absent ones stay, new ones are appended as nullable;
// a wider type widens the column when `allow_widening`. InvalidArgument naming the column
// for a narrowing or unrelated type, a widening not allowed or not supported, or a change
// inside arrays and maps; NotSupported for variant columns.
Result<SchemaChange> MergeSchema(const Protocol& protocol, const Metadata& metadata,
                                 const columnar::Schema& incoming, bool allow_widening);

// Merges the schemas of `rows` into the transaction's metadata (UpdateMetadata/Protocol when
// they add or widen columns): mergeSchema for writes. Errors of MergeSchema.
Status MergeSchemaInto(Transaction* txn, const std::vector<columnar::RecordBatch>& rows,
                       bool allow_widening);

// Commits `incoming` merged into the latest schema (nothing when it adds nothing). Errors of
// MergeSchema and of the commit.
Result<std::optional<CommitResult>> EvolveSchema(const TablePtr& table,
                                                 const columnar::Schema& incoming,
                                                 bool allow_widening,
                                                 const WriteOptions& options = {});

}  // namespace ds::delta
