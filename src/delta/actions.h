// The actions of the Delta transaction log (delta.md §2) as owning values, plus the
// non-owning views the log parsers hand to their consumers.
//
// Owning structs (Protocol, Metadata, FileAction, ...) are plain values: copy them freely.
// Views (FileActionView, DeletionVectorView) point into a parser's buffers and are valid only
// during the callback that receives them; call ToOwned() to keep one.
//
// add, remove and cdc share one struct (FileAction, with a `kind`): they carry the same kinds
// of fields, and the snapshot, the change feed and the sharing responses treat them alike.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace ds::delta {

// An ordered string map whose values may be null (partitionValues, tags, configuration).
using StringMap = std::vector<std::pair<std::string, std::optional<std::string>>>;

// The value of `key` in `map` (nullopt if absent; an engaged nullopt-valued entry means null).
const std::optional<std::string>* FindKey(const StringMap& map, std::string_view key);

struct Protocol {
  int32_t min_reader_version = 1;
  int32_t min_writer_version = 1;
  // Present iff the protocol lists features (reader version 3 / writer version 7).
  std::optional<std::vector<std::string>> reader_features;
  std::optional<std::vector<std::string>> writer_features;

  bool operator==(const Protocol&) const = default;
};

struct Format {
  std::string provider = "parquet";
  StringMap options;
  bool operator==(const Format&) const = default;
};

struct Metadata {
  std::string id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  Format format;
  std::string schema_string;
  std::vector<std::string> partition_columns;  // logical names
  StringMap configuration;
  std::optional<int64_t> created_time;

  // The value of a table property, or nullopt when unset (or null).
  std::optional<std::string_view> Property(std::string_view key) const;
  // True iff the property is set to "true" (case-insensitive).
  bool PropertyIsTrue(std::string_view key) const;
  bool operator==(const Metadata&) const = default;
};

struct DeletionVectorDescriptor {
  char storage_type = 'u';  // 'u' relative UUID file, 'i' inline, 'p' absolute path
  std::string path_or_inline_dv;
  std::optional<int32_t> offset;
  int32_t size_in_bytes = 0;
  int64_t cardinality = 0;
  std::optional<int64_t> max_row_index;  // spark-internal; kept only to round-trip

  // storageType + pathOrInlineDv (+ "@" + offset when present): the reconciliation key part.
  std::string UniqueId() const;
  bool operator==(const DeletionVectorDescriptor&) const = default;
};

enum class FileActionKind : uint8_t { kAdd, kRemove, kCdc };
std::string_view FileActionKindName(FileActionKind kind);  // "add", "remove", "cdc"

// An add, remove or cdc action. Fields a kind does not have stay unset.
struct FileAction {
  FileActionKind kind = FileActionKind::kAdd;
  std::string path;  // exactly as written in the log (a URI, percent-encoded)
  std::optional<StringMap> partition_values;  // keyed by physical column names
  std::optional<int64_t> size;
  std::optional<int64_t> modification_time;  // add
  bool data_change = false;
  std::optional<std::string> stats;  // add/remove: raw stats JSON
  std::optional<StringMap> tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;  // add/remove
  std::optional<int64_t> base_row_id;                       // add/remove
  std::optional<int64_t> default_row_commit_version;        // add/remove
  std::optional<std::string> clustering_provider;           // add
  std::optional<int64_t> deletion_timestamp;                // remove
  std::optional<bool> extended_file_metadata;               // remove

  // Reconciliation key: path + "\n" + DV unique id (empty without a DV).
  std::string Key() const;
  bool operator==(const FileAction&) const = default;
};

struct SetTransaction {
  std::string app_id;
  int64_t version = 0;
  std::optional<int64_t> last_updated;
  bool operator==(const SetTransaction&) const = default;
};

struct DomainMetadata {
  std::string domain;
  std::string configuration;
  bool removed = false;
  bool operator==(const DomainMetadata&) const = default;
};

// commitInfo is free-form: the raw JSON object plus the fields readers rely on.
struct CommitInfo {
  std::string json;  // the whole object, compact
  std::optional<int64_t> timestamp;
  std::optional<int64_t> in_commit_timestamp;
  std::optional<std::string> operation;
  std::string operation_parameters_json;  // the raw object, or empty
};

struct SidecarFile {
  std::string path;
  int64_t size_in_bytes = 0;
  int64_t modification_time = 0;
};

struct CheckpointMetadata {
  int64_t version = 0;
};

// ---------------------------------------------------------------------------------------
// Views produced by the parsers.

struct StringPairView {
  std::string_view key;
  std::string_view value;
  bool value_is_null = false;
};

struct DeletionVectorView {
  char storage_type = 'u';
  std::string_view path_or_inline_dv;
  std::optional<int32_t> offset;
  int32_t size_in_bytes = 0;
  int64_t cardinality = 0;
  std::optional<int64_t> max_row_index;

  DeletionVectorDescriptor ToOwned() const;
};

struct FileActionView {
  FileActionKind kind = FileActionKind::kAdd;
  std::string_view path;
  bool has_partition_values = false;
  std::span<const StringPairView> partition_values;
  std::optional<int64_t> size;
  std::optional<int64_t> modification_time;
  bool data_change = false;
  std::optional<std::string_view> stats;
  bool has_tags = false;
  std::span<const StringPairView> tags;
  std::optional<DeletionVectorView> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;
  std::optional<std::string_view> clustering_provider;
  std::optional<int64_t> deletion_timestamp;
  std::optional<bool> extended_file_metadata;

  FileAction ToOwned() const;
};

// Receives the actions of a commit or checkpoint, one call per action, in file order. A
// non-OK return stops the parse and is returned from it. Default implementations ignore
// the action.
class ActionHandler {
 public:
  virtual ~ActionHandler() = default;
  virtual Status OnFileAction(const FileActionView& action) { return Status::OK(); }
  virtual Status OnProtocol(Protocol&& protocol) { return Status::OK(); }
  virtual Status OnMetadata(Metadata&& metadata) { return Status::OK(); }
  virtual Status OnTransaction(SetTransaction&& txn) { return Status::OK(); }
  virtual Status OnDomainMetadata(DomainMetadata&& domain) { return Status::OK(); }
  virtual Status OnCommitInfo(CommitInfo&& info) { return Status::OK(); }
  virtual Status OnSidecar(SidecarFile&& sidecar) { return Status::OK(); }
  virtual Status OnCheckpointMetadata(CheckpointMetadata&& meta) { return Status::OK(); }
};

// All actions of one commit, owned (change feed, history, tests).
struct CommitActions {
  int64_t version = 0;
  int64_t timestamp_ms = 0;  // the commit timestamp (delta.md §10)
  std::optional<CommitInfo> commit_info;
  std::optional<Protocol> protocol;
  std::optional<Metadata> metadata;
  std::vector<FileAction> files;  // add, remove and cdc actions in file order
  std::vector<SetTransaction> transactions;
  std::vector<DomainMetadata> domains;
};

// An ActionHandler that collects everything into a CommitActions.
class CollectingHandler final : public ActionHandler {
 public:
  explicit CollectingHandler(CommitActions* out) : out_(out) {}
  Status OnFileAction(const FileActionView& action) override;
  Status OnProtocol(Protocol&& protocol) override;
  Status OnMetadata(Metadata&& metadata) override;
  Status OnTransaction(SetTransaction&& txn) override;
  Status OnDomainMetadata(DomainMetadata&& domain) override;
  Status OnCommitInfo(CommitInfo&& info) override;

 private:
  CommitActions* out_;
};

}  // namespace ds::delta
