// Transaction: one optimistic commit to a Delta table (delta.md §12.1).
//
//   ASSIGN_OR_RETURN(auto txn, Transaction::Begin(table, snapshot));
//   txn->Add(add_action);                      // adds, removes, cdc files
//   txn->SetOperation("WRITE", {{"mode", "\"Append\""}}, {{"numFiles", "1"}});
//   ASSIGN_OR_RETURN(CommitResult r, txn->Commit());
//
// Commit writes `_delta_log/<version>.json` with ObjectStore::PutIfAbsent, so it either
// lands whole or not at all and never overwrites. When another writer took the version, the
// winning commits are read and checked (commit_conflicts.h): if they commute, the commit is
// rebased onto the next version and retried (bounded); otherwise it fails with
// FailedPrecondition "concurrent modification: …" and the table keeps the winner's state.
// A commit whose outcome the store could not confirm is recognized on the retry by its
// commitInfo.txnId. Every commitInfo is the first line (timestamp, operation, parameters,
// readVersion, isolationLevel, isBlindAppend, metrics, engineInfo, txnId; inCommitTimestamp
// when the table uses in-commit timestamps).
//
// After a successful commit a classic checkpoint is written when the version is a multiple
// of delta.checkpointInterval (default 10); a failed checkpoint never fails the commit (it
// is reported in CommitResult::warnings).
//
// Not thread-safe; one transaction per operation. Any number of transactions, in any
// processes, may commit to one table concurrently.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "delta/actions.h"
#include "delta/commit_conflicts.h"
#include "delta/table.h"

namespace ds::delta {

struct WriterOptions {
  // Wall-clock time in ms since the epoch (commit and deletion timestamps); default: the
  // system clock.
  std::function<int64_t()> clock_ms;
  // How many lost put-if-absent races a commit may rebase over before giving up.
  int max_commit_attempts = 1000;
  // Write checkpoints every delta.checkpointInterval commits.
  bool checkpoints = true;
  // commitInfo.engineInfo; default "deltashare/<version>".
  std::string engine_info;

  int64_t Now() const;
};

struct CommitResult {
  int64_t version = -1;
  // Put-if-absent attempts (1 = no race lost).
  int attempts = 0;
  // Set when a checkpoint was written for `version`.
  std::optional<int64_t> checkpoint_version;
  // Recoverable problems after the commit landed (a checkpoint that could not be written).
  std::vector<std::string> warnings;
};

// Operation parameters and metrics: names and JSON-encoded string values, as Spark writes
// them ({"mode":"Append"} is {{"mode", "Append"}}; values are written as JSON strings).
using OperationFields = std::vector<std::pair<std::string, std::string>>;

class Transaction {
 public:
  // A transaction on `table` that read `snapshot`; a null snapshot creates the table (the
  // commit is version 0 and must set protocol and metadata). NotSupported when deltashare
  // cannot write the snapshot's protocol or metadata (writer_features.h).
  static Result<std::unique_ptr<Transaction>> Begin(TablePtr table, SnapshotPtr snapshot,
                                                    WriterOptions options = {});

  const TablePtr& table() const { return table_; }
  // The snapshot read (null when creating).
  const SnapshotPtr& snapshot() const { return snapshot_; }
  int64_t read_version() const { return snapshot_ ? snapshot_->version() : -1; }
  // The protocol and metadata the commit will have (updated or the snapshot's).
  const Protocol& protocol() const;
  const Metadata& metadata() const;
  const WriterOptions& options() const { return options_; }

  // Replaces the protocol / metadata (written in full; keep the metadata id).
  void UpdateProtocol(Protocol protocol);
  void UpdateMetadata(Metadata metadata);
  // An add, remove or cdc action, written as given (removes count as read).
  void Add(FileAction action);
  void AddAll(std::vector<FileAction> actions);
  // A txn action {appId, version} (idempotent writes; delta.md §12.3).
  void SetAppTransaction(std::string app_id, int64_t version);
  // Declares that the operation's outcome depends on every file of the snapshot.
  void ReadWholeTable() { summary_.read_whole_table = true; }
  void SetOperation(std::string operation, OperationFields parameters = {},
                    OperationFields metrics = {});

  // A remove action for a live file of the snapshot (deletionTimestamp = now,
  // extendedFileMetadata, partitionValues, size, stats and deletion vector copied).
  FileAction RemoveOf(const FileView& file, bool data_change = true) const;

  // Commits. Returns the version written. Errors: AlreadyExists when creating a table where
  // a log exists; FailedPrecondition for a conflict (see above), for removes on an
  // append-only table, or when called twice; InvalidArgument for a creation without protocol
  // or metadata; Unavailable after max_commit_attempts lost races; store errors as returned
  // (the table is then unchanged: data files already written are orphans).
  Result<CommitResult> Commit();

 private:
  Transaction(TablePtr table, SnapshotPtr snapshot, WriterOptions options);
  // The commit file's bytes (commitInfo with `now` and the in-commit timestamp `ict`).
  std::string CommitBytes(int64_t now, std::optional<int64_t> ict) const;
  Result<std::optional<int64_t>> PreviousTimestampForIct(int64_t version) const;
  void MaybeCheckpoint(int64_t version, CommitResult* result) const;

  TablePtr table_;
  SnapshotPtr snapshot_;
  WriterOptions options_;
  std::optional<Protocol> new_protocol_;
  std::optional<Metadata> new_metadata_;
  std::vector<FileAction> files_;
  std::vector<SetTransaction> app_transactions_;
  std::string operation_ = "WRITE";
  OperationFields parameters_;
  OperationFields metrics_;
  TransactionSummary summary_;
  std::string txn_id_;
  bool committed_ = false;
};

}  // namespace ds::delta
