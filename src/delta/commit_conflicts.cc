#include "delta/commit_conflicts.h"

#include "util/json.h"

namespace ds::delta {
namespace {

Status Conflict(const CommitActions& winner, const std::string& what) {
  std::string op = winner.commit_info && winner.commit_info->operation
                       ? " (" + *winner.commit_info->operation + ")"
                       : "";
  return Status::FailedPrecondition("concurrent modification: version " +
                                    std::to_string(winner.version) + op +
                                    ", committed meanwhile, " + what);
}

}  // namespace

bool IsBlindAppend(const CommitActions& commit) {
  if (!commit.commit_info) return false;
  Result<JsonValue> info = ParseJson(commit.commit_info->json);
  if (!info.ok()) return false;
  const JsonValue* blind = info->Find("isBlindAppend");
  return blind != nullptr && blind->is_bool() && blind->bool_value();
}

Status CheckConflicts(const TransactionSummary& ours, const CommitActions& winner) {
  if (winner.protocol) return Conflict(winner, "changed the table protocol");
  if (winner.metadata) return Conflict(winner, "changed the table metadata (schema or properties)");
  if (ours.changes_protocol && !winner.files.empty()) {
    return Conflict(winner, "wrote files while this transaction changes the protocol");
  }
  for (const SetTransaction& txn : winner.transactions) {
    if (ours.app_ids.count(txn.app_id)) {
      return Conflict(winner, "wrote a transaction for application '" + txn.app_id + "'");
    }
  }
  for (const DomainMetadata& d : winner.domains) {
    if (ours.domains.count(d.domain)) {
      return Conflict(winner, "wrote domain metadata '" + d.domain + "'");
    }
  }
  const bool blind_winner = IsBlindAppend(winner);
  for (const FileAction& f : winner.files) {
    if (f.kind == FileActionKind::kRemove) {
      if (ours.removed_keys.count(f.Key())) {
        return Conflict(winner, "removed file " + f.path + ", which this transaction removes too");
      }
      if (ours.read_whole_table) {
        return Conflict(winner, "removed file " + f.path + ", which this transaction read");
      }
    } else if (f.kind == FileActionKind::kAdd && f.data_change) {
      if (ours.changes_metadata || (ours.read_whole_table && !blind_winner)) {
        return Conflict(winner,
                        "added file " + f.path + ", which this transaction should have read");
      }
    }
  }
  return Status::OK();
}

}  // namespace ds::delta
