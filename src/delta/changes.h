// Change data feed (delta.md §11, protocol.md §10): which files of each commit carry its
// changes, the check that the feed was on for the whole range, and the rows with
// _change_type, _commit_version and _commit_timestamp.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "delta/actions.h"
#include "delta/data_reader.h"
#include "delta/table.h"

namespace ds::delta {

enum class ChangeFileKind { kCdc, kAdd, kRemove };

// One file of a commit's changes and the rows of it that changed.
struct ChangeFile {
  ChangeFileKind kind = ChangeFileKind::kCdc;
  FileAction action;        // the cdc/add/remove action, path as written in the log
  std::string change_type;  // "insert" or "delete"; empty for cdc files (their rows say)
  // Rows to read: all rows except `exclude` (its deletion vector), or, for the halves of a
  // DV pair (remove(P, dv1) + add(P, dv2) in one commit), only rows in `select` and not in
  // `select_minus` (an absent DV is the empty set).
  bool dv_pair = false;
  std::optional<DeletionVectorDescriptor> exclude;
  std::optional<DeletionVectorDescriptor> select;
  std::optional<DeletionVectorDescriptor> select_minus;
};

struct CommitChanges {
  int64_t version = 0;
  int64_t timestamp_ms = 0;
  std::optional<CommitInfo> commit_info;
  std::optional<Metadata> metadata;  // a metaData action of this commit
  std::optional<Protocol> protocol;  // a protocol action of this commit
  std::vector<ChangeFile> files;
};

// True for a MERGE that changed nothing (operationMetrics numTargetRowsInserted, Updated and
// Deleted all "0"): sharing sends no files for it.
bool IsNoOpMerge(const CommitInfo& info);

// The change files of one commit: its cdc files when it has any; else (unless a no-op
// MERGE) its add and remove actions with dataChange=true, DV pairs split into their
// delete and insert halves.
std::vector<ChangeFile> SelectChangeFiles(const CommitActions& commit);

// Hands the changes of commits start..end (inclusive) to `fn`. FailedPrecondition
// "change data was not recorded for version v" when delta.enableChangeDataFeed is not true
// at `start` or a metaData action in the range turns it off; OutOfRange for versions outside
// the retained history; NotSupported for an unreadable protocol in the range.
Status ForEachChange(const Table& table, int64_t start, int64_t end,
                     const std::function<Status(CommitChanges&&)>& fn);

// The scan schema of change rows: `columns` of the table schema (all when empty) plus
// _change_type (string), _commit_version (long), _commit_timestamp (timestamp).
Result<ScanSchema> ChangeScanSchema(const TableSchema& schema,
                                    const std::vector<std::string>& columns = {});

struct ChangeScanOptions {
  std::vector<std::string> columns;
  int64_t limit = -1;
  int64_t batch_size = 65536;
};

// The change rows of commits start..end, batch by batch, in commit order. The schema is the
// table's at `end`.
Status ScanChanges(const Table& table, int64_t start, int64_t end, const ChangeScanOptions& options,
                   const std::function<Status(const columnar::RecordBatch&)>& fn);

}  // namespace ds::delta
