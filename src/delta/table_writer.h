// Table-level write operations on top of Transaction and DataFileWriter: create a table,
// append, overwrite and delete by predicate (merge by key is in merge.h, schema evolution
// in schema_evolution.h).
//
//   delta::CreateTableSpec spec{schema, {"region"}, {{"delta.enableChangeDataFeed", "true"}}};
//   ASSIGN_OR_RETURN(auto r, delta::CreateTable(table, spec, {batch}));
//   ASSIGN_OR_RETURN(r, delta::WriteRows(table, {more}, delta::WriteMode::kAppend));
//
// Every operation reads the latest snapshot, writes its data files, and commits. Operations
// whose outcome depends on what they read (overwrite, delete, merge) declare it, and when a
// concurrent commit invalidates the read they delete the files they wrote and run again on
// the new snapshot, up to WriteOptions::max_operation_attempts; then they fail with
// FailedPrecondition "concurrent modification: …". Appends only retry on metadata changes.
//
// Input rows are conformed to the table schema by column name (conform.h). Thread-safe:
// operations share nothing but the store.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "columnar/array.h"
#include "delta/data_file_writer.h"
#include "delta/transaction.h"
#include "expr/expr.h"

namespace ds::delta {

struct WriteOptions {
  WriterOptions commit;
  DataFileWriterOptions files;
  // Runs of an operation (plan + commit) before a conflict is returned to the caller.
  int max_operation_attempts = 10;
  // Add the input's new columns to the table (schema_evolution.h), in the same commit.
  bool merge_schema = false;
  // With merge_schema: widen column types the input has wider (the typeWidening feature).
  bool allow_type_widening = false;
  // Called on each plan's transaction just before it commits (WriteRows, DeleteRows,
  // MergeRows; not when there is nothing to commit): may add actions such as a txn
  // (SetAppTransaction, for idempotent writers like `client sync`) or fail the operation,
  // e.g. when txn->snapshot() is not the state the caller expected (the plan's files are then
  // deleted and the error returned).
  std::function<Status(Transaction* txn)> before_commit;
};

struct CreateTableSpec {
  columnar::SchemaPtr schema;  // logical; field metadata is kept
  std::vector<std::string> partition_columns;
  StringMap properties;  // e.g. {"delta.enableChangeDataFeed", "true"}
  std::optional<std::string> name;
  std::optional<std::string> description;
};

// A fresh metaData action for `spec` (new id, createdTime = now_ms). InvalidArgument naming
// the problem: no schema, a partition column that is not a top-level column, a duplicate
// column name, or a schema Delta cannot store (columnar::SchemaToJson).
Result<Metadata> NewTableMetadata(const CreateTableSpec& spec, int64_t now_ms);

struct WriteResult {
  // The commit, or nullopt when there was nothing to change (no commit was made).
  std::optional<CommitResult> commit;
  int64_t rows_written = 0;  // rows in the new data files (copies included)
  int64_t rows_deleted = 0;
  int64_t files_added = 0;
  int64_t files_removed = 0;
  int64_t change_files_added = 0;
  int64_t bytes_written = 0;
};

// Creates the table (version 0: protocol, metaData and the files of `rows`). AlreadyExists
// when a table (any log) is there; errors of NewTableMetadata, ProtocolForNewTable and the
// writes.
Result<WriteResult> CreateTable(const TablePtr& table, const CreateTableSpec& spec,
                                const std::vector<columnar::RecordBatch>& rows,
                                const WriteOptions& options = {});

enum class WriteMode { kAppend, kOverwrite };

// Appends `rows`, or replaces every row with them (overwrite: all live files removed with
// dataChange=true). NotFound when there is no table; InvalidArgument for rows that do not
// fit the schema.
Result<WriteResult> WriteRows(const TablePtr& table, const std::vector<columnar::RecordBatch>& rows,
                              WriteMode mode, const WriteOptions& options = {});

// Deletes the rows where `predicate` is TRUE. Files the predicate cannot match are not
// read (file skipping); files it matches entirely are removed without reading; others are
// rewritten without the deleted rows. With the change data feed on, a commit that rewrites
// files also writes cdc files holding every deleted row (_change_type "delete"). No commit
// when no row matches. NotSupported when the predicate cannot be evaluated exactly per row.
Result<WriteResult> DeleteRows(const TablePtr& table, const expr::Expr& predicate,
                               const WriteOptions& options = {});

// ---------------------------------------------------------------------------------------
// The retry loop shared by the operations (and usable by other writers of the library).

// Plans a commit on a snapshot (null when creating the table): writes data files and
// returns the transaction to commit, or null when there is nothing to commit. The keys of
// every file it stores go to `written` (DataFileWriterOptions::record_keys), so they can be
// deleted when the plan fails or loses a conflict.
using CommitPlanner = std::function<Result<std::unique_ptr<Transaction>>(
    const SnapshotPtr& snapshot, std::vector<std::string>* written)>;

// Loads the latest snapshot (`create`: none; the table must not exist), plans and commits;
// after a conflict deletes the plan's files and plans again on a fresh snapshot, up to
// `max_attempts`. Files of a plan that fails are deleted too; files of a commit that failed
// otherwise (its outcome may be unknown) are left for VACUUM. nullopt when the plan had
// nothing to commit.
Result<std::optional<CommitResult>> PlanAndCommit(const TablePtr& table, bool create,
                                                  const CommitPlanner& plan, int max_attempts);

// True for the FailedPrecondition "concurrent modification" errors of Commit.
bool IsConcurrentModification(const Status& status);

// The operationParameters value Spark writes for a list of names: "[\"a\",\"b\"]".
std::string JsonNameList(const std::vector<std::string>& names);

}  // namespace ds::delta
