// Conflict detection between a transaction and the commits that won the race for its
// version (delta.md §12.2, Spark's ConflictChecker at the WriteSerializable level).
#pragma once

#include <set>
#include <string>

#include "delta/actions.h"

namespace ds::delta {

// What a transaction read and wrote, as far as conflicts are concerned.
struct TransactionSummary {
  // The outcome depends on every file of the snapshot (delete, merge, overwrite): any file
  // a winner removed, or any file a non-blind winner added, invalidates it.
  bool read_whole_table = false;
  bool changes_metadata = false;
  bool changes_protocol = false;
  // Reconciliation keys (FileAction::Key) of the files it removes; they were read.
  std::set<std::string> removed_keys;
  // App ids whose txn version it read or writes.
  std::set<std::string> app_ids;
  // Domains it writes.
  std::set<std::string> domains;
};

// OK if the transaction may be committed after `winner` (it commutes), else
// FailedPrecondition "concurrent modification: …" naming the winner's version and
// operation and what clashed: a protocol or metadata change, a txn or domain both wrote, a
// file the transaction read that the winner removed (including the same file removed by
// both), or files the winner added that the transaction's reads would have seen (a
// winner's blind appends are exempt unless the transaction changes the metadata).
Status CheckConflicts(const TransactionSummary& ours, const CommitActions& winner);

// True if the commit says it is a blind append (commitInfo.isBlindAppend = true).
bool IsBlindAppend(const CommitActions& commit);

}  // namespace ds::delta
