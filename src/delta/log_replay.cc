#include "delta/log_replay.h"

#include <unordered_set>

#include "delta/action_json.h"
#include "delta/checkpoint_reader.h"
#include "delta/commit_parser.h"
#include "delta/path_util.h"

namespace ds::delta {

// Applies actions in log order to build a Snapshot (a friend of Snapshot).
class SnapshotBuilder final : public ActionHandler {
 public:
  explicit SnapshotBuilder(const TableLocation& table) : table_(table) {}

  void StartFrom(const Snapshot& base) {
    protocol_ = base.protocol_;
    metadata_ = base.metadata_;
    has_protocol_ = has_metadata_ = true;
    transactions_ = base.transactions_;
    domains_ = base.domains_;
    files_ = std::make_unique<FileTableBuilder>(base.files_);
    warnings_ = base.warnings_;
  }

  // Starts reading one file; `keep_commit_info` for the commit at the snapshot version.
  void BeginSource(std::string name, bool keep_commit_info) {
    source_ = std::move(name);
    source_protocols_ = source_metadata_ = 0;
    keep_commit_info_ = keep_commit_info;
  }
  void EndSource() { files_->EndSegment(); }

  Status OnFileAction(const FileActionView& action) override {
    if (action.kind == FileActionKind::kCdc) return Status::OK();
    return files_->Apply(action);
  }
  Status OnProtocol(Protocol&& protocol) override {
    if (++source_protocols_ > 1) return Twice("protocol");
    protocol_ = std::move(protocol);
    has_protocol_ = true;
    return Status::OK();
  }
  Status OnMetadata(Metadata&& metadata) override {
    if (++source_metadata_ > 1) return Twice("metaData");
    metadata_ = std::move(metadata);
    has_metadata_ = true;
    return Status::OK();
  }
  Status OnTransaction(SetTransaction&& txn) override {
    std::string app = txn.app_id;
    transactions_[app] = std::move(txn);
    return Status::OK();
  }
  Status OnDomainMetadata(DomainMetadata&& domain) override {
    if (domain.removed) {
      domains_.erase(domain.domain);
    } else {
      std::string name = domain.domain;
      domains_[name] = std::move(domain);
    }
    return Status::OK();
  }
  Status OnCommitInfo(CommitInfo&& info) override {
    if (keep_commit_info_) commit_info_ = std::move(info);
    return Status::OK();
  }
  Status OnSidecar(SidecarFile&& sidecar) override {
    sidecars_.push_back(std::move(sidecar));
    return Status::OK();
  }

  std::vector<SidecarFile> TakeSidecars() { return std::move(sidecars_); }
  void SetCommitInfo(std::optional<CommitInfo> info) { commit_info_ = std::move(info); }

  Result<SnapshotPtr> Finish(LogSegment segment, std::vector<std::string> warnings) {
    const std::string at = table_.uri + " at version " + std::to_string(segment.version);
    if (!has_protocol_) return Status::Corruption(at + ": the log has no protocol action");
    if (!has_metadata_) return Status::Corruption(at + ": the log has no metaData action");
    RETURN_NOT_OK_CTX(CheckReadable(protocol_), at);
    auto mode = EffectiveColumnMappingMode(protocol_, metadata_);
    if (!mode.ok()) return mode.status().WithContext(at);
    auto schema = TableSchema::Make(metadata_, *mode);
    if (!schema.ok()) return schema.status().WithContext(at);
    auto snapshot = std::shared_ptr<Snapshot>(new Snapshot());
    snapshot->table_uri_ = table_.uri;
    snapshot->protocol_json_ = ProtocolJson(protocol_);
    snapshot->metadata_json_ = MetadataJson(metadata_);
    snapshot->protocol_ = std::move(protocol_);
    snapshot->metadata_ = std::move(metadata_);
    snapshot->schema_ = std::move(schema).value();
    snapshot->files_ = files_->Finish();
    snapshot->transactions_ = std::move(transactions_);
    snapshot->domains_ = std::move(domains_);
    snapshot->segment_ = std::move(segment);
    snapshot->commit_info_ = std::move(commit_info_);
    for (std::string& w : warnings) warnings_.push_back(std::move(w));
    snapshot->warnings_ = std::move(warnings_);
    return SnapshotPtr(std::move(snapshot));
  }

 private:
  Status Twice(std::string_view action) const {
    return Status::Corruption(source_ + ": more than one " + std::string(action) +
                              " action in one commit");
  }

  const TableLocation& table_;
  std::unique_ptr<FileTableBuilder> files_ = std::make_unique<FileTableBuilder>();
  Protocol protocol_;
  Metadata metadata_;
  bool has_protocol_ = false;
  bool has_metadata_ = false;
  std::map<std::string, SetTransaction> transactions_;
  std::map<std::string, DomainMetadata> domains_;
  std::optional<CommitInfo> commit_info_;
  std::vector<SidecarFile> sidecars_;
  std::vector<std::string> warnings_;
  std::string source_;
  int source_protocols_ = 0;
  int source_metadata_ = 0;
  bool keep_commit_info_ = false;
};

namespace {

// Collects only protocol and metaData, newest first (the first one seen wins).
class ProtocolMetadataHandler final : public ActionHandler {
 public:
  Status OnProtocol(Protocol&& p) override {
    if (!protocol) protocol = std::move(p);
    return Status::OK();
  }
  Status OnMetadata(Metadata&& m) override {
    if (!metadata) metadata = std::move(m);
    return Status::OK();
  }
  std::optional<Protocol> protocol;
  std::optional<Metadata> metadata;
};

// Finds the first commitInfo in a file.
class CommitInfoHandler final : public ActionHandler {
 public:
  Status OnCommitInfo(CommitInfo&& info) override {
    if (!found) found = std::move(info);
    return Status::OK();
  }
  std::optional<CommitInfo> found;
};

// A log compaction holds the actions of commits x..y; writers emit them newest first and
// need not deduplicate (delta-rs does not), so the first action per key wins, then the
// survivors are applied as one newer step.
class CompactionHandler final : public ActionHandler {
 public:
  Status OnFileAction(const FileActionView& action) override {
    if (action.kind == FileActionKind::kCdc) return Status::OK();
    FileAction owned = action.ToOwned();
    std::string key = owned.Key();
    if (seen_.insert(std::move(key)).second) files_.push_back(std::move(owned));
    return Status::OK();
  }
  Status OnProtocol(Protocol&& p) override {
    if (!protocol_) protocol_ = std::move(p);
    return Status::OK();
  }
  Status OnMetadata(Metadata&& m) override {
    if (!metadata_) metadata_ = std::move(m);
    return Status::OK();
  }
  Status OnTransaction(SetTransaction&& t) override {
    std::string app = t.app_id;
    txns_.emplace(std::move(app), std::move(t));
    return Status::OK();
  }
  Status OnDomainMetadata(DomainMetadata&& d) override {
    std::string name = d.domain;
    domains_.emplace(std::move(name), std::move(d));
    return Status::OK();
  }
  Status ApplyTo(ActionHandler* target) {
    if (protocol_) RETURN_NOT_OK(target->OnProtocol(std::move(*protocol_)));
    if (metadata_) RETURN_NOT_OK(target->OnMetadata(std::move(*metadata_)));
    for (auto& [app, txn] : txns_) RETURN_NOT_OK(target->OnTransaction(std::move(txn)));
    for (auto& [name, d] : domains_) RETURN_NOT_OK(target->OnDomainMetadata(std::move(d)));
    FileActionViewScratch scratch;
    for (const FileAction& f : files_) RETURN_NOT_OK(target->OnFileAction(ViewOf(f, &scratch)));
    return Status::OK();
  }

 private:
  std::unordered_set<std::string> seen_;
  std::vector<FileAction> files_;
  std::optional<Protocol> protocol_;
  std::optional<Metadata> metadata_;
  std::map<std::string, SetTransaction> txns_;
  std::map<std::string, DomainMetadata> domains_;
};

Status ReadCheckpointPart(const TableLocation& table, const LogFile& part, bool file_actions,
                          ActionHandler* handler) {
  if (part.path.kind == LogFileKind::kUuidCheckpoint && part.path.json) {
    return ReadCommitFile(*table.store, part, handler);
  }
  ASSIGN_OR_RETURN(io::RandomAccessFilePtr file,
                   table.store->OpenRead(part.meta.key, part.meta.size));
  CheckpointReadOptions options;
  options.file_actions = file_actions;
  return ReadParquetCheckpoint(file, part.meta.key, options, handler);
}

Result<std::string> SidecarKey(const TableLocation& table, const SidecarFile& sidecar) {
  ASSIGN_OR_RETURN(FileLocation loc,
                   ResolveLogPath(sidecar.path, table.log_dir + "_sidecars", table.uri));
  if (loc.absolute) {
    return Status::NotSupported("sidecar '" + sidecar.path + "' lies outside the table");
  }
  return loc.location;
}

Status ReadCheckpoint(const TableLocation& table, const CheckpointFiles& checkpoint,
                      SnapshotBuilder* builder) {
  for (const LogFile& part : checkpoint.parts) {
    builder->BeginSource(part.meta.key, false);
    RETURN_NOT_OK(ReadCheckpointPart(table, part, true, builder));
    builder->EndSource();
  }
  for (const SidecarFile& sidecar : builder->TakeSidecars()) {
    ASSIGN_OR_RETURN(std::string key, SidecarKey(table, sidecar));
    auto file = table.store->OpenRead(key, sidecar.size_in_bytes > 0 ? sidecar.size_in_bytes : -1);
    if (!file.ok())
      return file.status().WithContext("sidecar of checkpoint " +
                                       std::to_string(checkpoint.version));
    builder->BeginSource(key, false);
    RETURN_NOT_OK(ReadParquetCheckpoint(*file, key, {}, builder));
    builder->EndSource();
  }
  return Status::OK();
}

}  // namespace

TableLocation TableLocation::Make(objstore::ObjectStorePtr store, std::string root) {
  while (!root.empty() && root.back() == '/') root.pop_back();
  TableLocation t;
  t.log_dir = objstore::JoinKey(root, "_delta_log/");
  t.uri = store->Uri(root);
  t.root = std::move(root);
  t.store = std::move(store);
  return t;
}

Status ReadCommitFile(const objstore::ObjectStore& store, const LogFile& file,
                      ActionHandler* handler) {
  ASSIGN_OR_RETURN(std::string text, store.Get(file.meta.key));
  if (text.empty()) return Status::Corruption(file.meta.key + " is empty");
  CommitParser parser;
  return parser.Parse(&text, file.meta.key, handler);
}

Result<std::optional<CommitInfo>> ReadCommitInfo(const objstore::ObjectStore& store,
                                                 const LogFile& commit) {
  CommitInfoHandler handler;
  CommitParser parser;
  constexpr int64_t kHead = 64 * 1024;
  if (commit.meta.size > kHead) {
    ASSIGN_OR_RETURN(std::string head, store.GetRange(commit.meta.key, 0, kHead));
    size_t nl = head.find('\n');
    if (nl != std::string::npos) {
      head.resize(nl);
      RETURN_NOT_OK(parser.Parse(&head, commit.meta.key, &handler));
      if (handler.found) return handler.found;
    }
  }
  RETURN_NOT_OK(ReadCommitFile(store, commit, &handler));
  return std::move(handler.found);
}

Result<SnapshotPtr> ReplaySegment(const TableLocation& table, LogSegment segment,
                                  std::vector<std::string> warnings, const ReplayOptions& options,
                                  bool* checkpoint_unreadable) {
  SnapshotBuilder builder(table);
  if (segment.checkpoint) {
    Status st = ReadCheckpoint(table, *segment.checkpoint, &builder);
    if (!st.ok()) {
      if (checkpoint_unreadable) *checkpoint_unreadable = true;
      return st;
    }
  }
  size_t next_compaction = 0;
  bool last_read_from_compaction = false;
  for (size_t i = 0; i < segment.commits.size(); ++i) {
    const LogFile& commit = segment.commits[i];
    const int64_t v = commit.path.version;
    while (options.use_compactions && next_compaction < segment.compactions.size() &&
           segment.compactions[next_compaction].path.version < v) {
      ++next_compaction;
    }
    if (options.use_compactions && next_compaction < segment.compactions.size() &&
        segment.compactions[next_compaction].path.version == v) {
      const LogFile& compaction = segment.compactions[next_compaction++];
      CompactionHandler actions;
      RETURN_NOT_OK(ReadCommitFile(*table.store, compaction, &actions));
      builder.BeginSource(compaction.meta.key, false);
      RETURN_NOT_OK(actions.ApplyTo(&builder));
      builder.EndSource();
      i += static_cast<size_t>(compaction.path.end_version - v);
      last_read_from_compaction = compaction.path.end_version == segment.version;
      continue;
    }
    builder.BeginSource(commit.meta.key, v == segment.version);
    RETURN_NOT_OK(ReadCommitFile(*table.store, commit, &builder));
    builder.EndSource();
  }
  const LogFile* last = segment.FindCommit(segment.version);
  if (last != nullptr && (segment.commits.empty() || last_read_from_compaction)) {
    ASSIGN_OR_RETURN(std::optional<CommitInfo> info, ReadCommitInfo(*table.store, *last));
    builder.SetCommitInfo(std::move(info));
  }
  return builder.Finish(std::move(segment), std::move(warnings));
}

Result<SnapshotPtr> ReplayNewCommits(const TableLocation& table, const SnapshotPtr& base,
                                     std::vector<LogFile> commits) {
  if (commits.empty()) return base;
  int64_t expected = base->version() + 1;
  for (const LogFile& c : commits) {
    if (c.path.kind != LogFileKind::kCommit || c.path.version != expected++) {
      return Status::Internal("ReplayNewCommits: commits must follow the base version");
    }
  }
  SnapshotBuilder builder(table);
  builder.StartFrom(*base);
  LogSegment segment = base->segment();
  const int64_t last = commits.back().path.version;
  for (const LogFile& commit : commits) {
    builder.BeginSource(commit.meta.key, commit.path.version == last);
    RETURN_NOT_OK(ReadCommitFile(*table.store, commit, &builder));
    builder.EndSource();
    segment.commits.push_back(commit);
  }
  segment.version = last;
  return builder.Finish(std::move(segment), {});
}

Result<ProtocolAndMetadata> ReplayProtocolAndMetadata(const TableLocation& table,
                                                      const LogSegment& segment) {
  ProtocolMetadataHandler handler;
  for (auto it = segment.commits.rbegin(); it != segment.commits.rend(); ++it) {
    RETURN_NOT_OK(ReadCommitFile(*table.store, *it, &handler));
    if (handler.protocol && handler.metadata) break;
  }
  if ((!handler.protocol || !handler.metadata) && segment.checkpoint) {
    for (const LogFile& part : segment.checkpoint->parts) {
      RETURN_NOT_OK(ReadCheckpointPart(table, part, false, &handler));
    }
  }
  const std::string at = table.uri + " at version " + std::to_string(segment.version);
  if (!handler.protocol) return Status::Corruption(at + ": the log has no protocol action");
  if (!handler.metadata) return Status::Corruption(at + ": the log has no metaData action");
  RETURN_NOT_OK_CTX(CheckReadable(*handler.protocol), at);
  return ProtocolAndMetadata{segment.version, std::move(*handler.protocol),
                             std::move(*handler.metadata)};
}

}  // namespace ds::delta
