// Snapshot: the reconciled state of a table at one version (delta.md §3): protocol,
// metadata, schema, live files, tombstones, app transactions and domains.
//
// Snapshots are immutable and shared as SnapshotPtr (std::shared_ptr<const Snapshot>); every
// accessor is thread-safe. They are built by Table (table.h), in full or incrementally from
// an older snapshot.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "delta/actions.h"
#include "delta/file_table.h"
#include "delta/log_segment.h"
#include "delta/table_schema.h"

namespace ds::delta {

class Snapshot {
 public:
  int64_t version() const { return segment_.version; }
  // The table's URI, for messages.
  const std::string& table_uri() const { return table_uri_; }

  const Protocol& protocol() const { return protocol_; }
  const Metadata& metadata() const { return metadata_; }
  // The inner protocol / metaData objects as compact Delta JSON.
  const std::string& protocol_json() const { return protocol_json_; }
  const std::string& metadata_json() const { return metadata_json_; }
  const TableSchema& schema() const { return schema_; }
  ColumnMappingMode column_mapping_mode() const { return schema_.mode(); }

  // Live add files and tombstones.
  const FileTable& files() const { return files_; }
  // Newest txn action per appId (retention is not applied).
  const std::map<std::string, SetTransaction>& transactions() const { return transactions_; }
  // Live (not removed) domains by name.
  const std::map<std::string, DomainMetadata>& domains() const { return domains_; }

  // The checkpoint and commits this snapshot was built from (for an incrementally updated
  // snapshot: the original checkpoint and every commit since).
  const LogSegment& segment() const { return segment_; }
  // The commitInfo of the snapshot's version, when that commit was read (replayed commits;
  // not a checkpoint-only version).
  const std::optional<CommitInfo>& commit_info() const { return commit_info_; }

  bool change_data_feed_enabled() const;
  bool in_commit_timestamps_enabled() const;
  // Notes about recoverable oddities met while loading (an ignored corrupt hint, ...).
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  friend class SnapshotBuilder;
  Snapshot() = default;

  std::string table_uri_;
  Protocol protocol_;
  Metadata metadata_;
  std::string protocol_json_;
  std::string metadata_json_;
  TableSchema schema_;
  FileTable files_;
  std::map<std::string, SetTransaction> transactions_;
  std::map<std::string, DomainMetadata> domains_;
  LogSegment segment_;
  std::optional<CommitInfo> commit_info_;
  std::vector<std::string> warnings_;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

}  // namespace ds::delta
