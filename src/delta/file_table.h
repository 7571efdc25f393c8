// FileTable: the reconciled file actions of a snapshot (live add files and remove
// tombstones) in a compact, immutable, structurally shared layout.
//
// Records live in segments (one per checkpoint part or commit), each a flat array of
// fixed-size records plus one string arena, so 300k files cost tens of megabytes, not
// gigabytes. Reconciliation (delta.md §3: newest action per (path, DV unique id) wins) uses
// a hash index split into copy-on-write chunks. An incremental update (a snapshot at v+k
// from the one at v) shares every old segment and index chunk, and copies only what the new
// commits touch: the superseded-bits of the segments they change and the index chunks they
// write.
//
// Thread-safety: a FileTable is immutable; share it freely. A FileTableBuilder is
// single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "delta/action_json.h"
#include "delta/actions.h"

namespace ds::delta {

struct FileSegment;

// A read-only view of one stored add or remove. Valid while its FileTable (or any table
// sharing the segment) is alive.
class FileView {
 public:
  FileView(const FileSegment* segment, uint32_t record) : segment_(segment), record_(record) {}

  FileActionKind kind() const;
  // The path exactly as written in the log (a URI reference, percent-encoded).
  std::string_view path() const;
  bool has_partition_values() const;
  size_t num_partition_values() const;
  // Entry i of partitionValues (keyed by physical names), in log order.
  StringPairView partition_value(size_t i) const;
  // The value for a physical column name: nullopt if absent, engaged-with-nullopt if null.
  std::optional<std::optional<std::string_view>> FindPartitionValue(std::string_view key) const;
  std::optional<int64_t> size() const;
  std::optional<int64_t> modification_time() const;
  bool data_change() const;
  std::optional<std::string_view> stats() const;
  bool has_tags() const;
  size_t num_tags() const;
  StringPairView tag(size_t i) const;
  std::optional<DeletionVectorView> deletion_vector() const;
  std::optional<int64_t> base_row_id() const;
  std::optional<int64_t> default_row_commit_version() const;
  std::optional<std::string_view> clustering_provider() const;
  std::optional<int64_t> deletion_timestamp() const;
  std::optional<bool> extended_file_metadata() const;

  // The whole action as an owning value, or as a parser-style view (map entries in `scratch`).
  FileAction ToOwned() const;
  FileActionView View(std::vector<StringPairView>* pv_scratch,
                      std::vector<StringPairView>* tag_scratch) const;
  // Appends the action as Delta JSON ({"add":{...}}), see action_json.h.
  void AppendJson(const FileActionJsonOptions& options, std::string* out) const;

 private:
  const FileSegment* segment_;
  uint32_t record_;
};

// Where a record lives: segment index + record index within it.
struct FileRef {
  uint32_t segment = 0;
  uint32_t record = 0;
};

class KeyIndex;

class FileTable {
 public:
  FileTable();
  ~FileTable();
  FileTable(const FileTable&);
  FileTable& operator=(const FileTable&);
  FileTable(FileTable&&) noexcept;
  FileTable& operator=(FileTable&&) noexcept;

  // Live add files, in log order (checkpoint rows first, then commits in version order).
  size_t num_files() const { return active_->size(); }
  FileView file(size_t i) const { return View((*active_)[i]); }
  // Sum of the live files' sizes.
  int64_t total_bytes() const { return total_bytes_; }
  // Surviving removes (tombstones), in log order.
  size_t num_tombstones() const { return tombstones_->size(); }
  FileView tombstone(size_t i) const { return View((*tombstones_)[i]); }
  // Records kept, including superseded ones (memory diagnostics).
  size_t num_records() const;
  // Approximate heap bytes held (segments, index, lists).
  size_t MemoryUsage() const;

  // The live record (add or tombstone) for (path, DV unique id), if any.
  std::optional<FileView> Find(std::string_view path,
                               const std::optional<DeletionVectorDescriptor>& dv) const;

 private:
  friend class FileTableBuilder;
  FileView View(FileRef ref) const { return FileView(segments_[ref.segment].get(), ref.record); }

  std::vector<std::shared_ptr<const FileSegment>> segments_;
  // Per segment: one bit per record, set when a newer action superseded it (null = none).
  std::vector<std::shared_ptr<const std::vector<uint64_t>>> superseded_;
  std::shared_ptr<const KeyIndex> index_;
  std::shared_ptr<const std::vector<FileRef>> active_;
  std::shared_ptr<const std::vector<FileRef>> tombstones_;
  int64_t total_bytes_ = 0;
};

class FileTableBuilder {
 public:
  // An empty table.
  FileTableBuilder();
  // Continues from `base` (an incremental update); `base` itself is not changed.
  explicit FileTableBuilder(const FileTable& base);
  ~FileTableBuilder();
  FileTableBuilder(const FileTableBuilder&) = delete;
  FileTableBuilder& operator=(const FileTableBuilder&) = delete;

  // Ends the current segment; the next action starts a new one (call between sources).
  void EndSegment();
  // Applies an add or remove: it supersedes the live record with the same key. cdc actions
  // are InvalidArgument (snapshots ignore them; the caller filters). ResourceExhausted if a
  // single action is larger than 4 GiB of strings.
  Status Apply(const FileActionView& action);
  // Freezes the result.
  FileTable Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ds::delta
