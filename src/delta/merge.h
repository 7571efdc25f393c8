// Merge by key (upsert + delete): the MERGE a publisher or a sync job needs.
//
// For each source row, the target rows with the same key (all key columns equal and not
// null) are updated to it when they differ; a source key no target row has is inserted.
// Keys listed in `delete_keys`, and with `delete_missing` every target key absent from the
// source, are deleted. Only files that may hold an affected key are read (key ranges from
// stats or partition values, key_skipping.h), and only files with a changed row are
// rewritten; the others stay untouched.
//
// With the change data feed on, a merge that updates or deletes rows writes cdc files
// holding update_preimage / update_postimage / delete rows and, because a commit with cdc
// files is read from them alone, an insert row for every inserted row. A merge of inserts
// only relies on its add files. commitInfo.operationMetrics has numSourceRows and
// numTargetRows{Inserted,Updated,Deleted,Copied}. A merge that changes nothing makes no
// commit.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "delta/table_writer.h"

namespace ds::delta {

struct MergeSpec {
  // Key columns (logical names).
  std::vector<std::string> keys;
  // Rows whose key columns name target rows to delete (other columns are ignored). A key
  // may not also be in the source.
  std::optional<columnar::RecordBatch> delete_keys;
  // The source is a full snapshot: target rows whose key is not in it are deleted.
  bool delete_missing = false;
};

struct MergeResult {
  std::optional<CommitResult> commit;  // nullopt: nothing changed, no commit
  int64_t source_rows = 0;
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t deleted = 0;
  int64_t copied = 0;  // unchanged rows rewritten with changed ones
  int64_t files_read = 0;
  int64_t files_added = 0;
  int64_t files_removed = 0;
  int64_t change_files_added = 0;
  int64_t bytes_written = 0;
};

// Merges `source` (conformed to the table schema by column name) into the table.
// InvalidArgument for unknown or nested key columns, two source rows with one key, or a
// key both upserted and deleted; other errors as for WriteRows.
Result<MergeResult> MergeRows(const TablePtr& table, const columnar::RecordBatch& source,
                              const MergeSpec& spec, const WriteOptions& options = {});

}  // namespace ds::delta
