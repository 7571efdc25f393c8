#include "delta/actions.h"

#include "util/string_util.h"

namespace ds::delta {
namespace {

StringMap ToStringMap(std::span<const StringPairView> pairs) {
  StringMap out;
  out.reserve(pairs.size());
  for (const StringPairView& p : pairs) {
    out.emplace_back(std::string(p.key),
                     p.value_is_null ? std::nullopt : std::optional<std::string>(p.value));
  }
  return out;
}

}  // namespace

const std::optional<std::string>* FindKey(const StringMap& map, std::string_view key) {
  for (const auto& [k, v] : map) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::optional<std::string_view> Metadata::Property(std::string_view key) const {
  const std::optional<std::string>* v = FindKey(configuration, key);
  if (v == nullptr || !v->has_value()) return std::nullopt;
  return std::string_view(**v);
}

bool Metadata::PropertyIsTrue(std::string_view key) const {
  std::optional<std::string_view> v = Property(key);
  return v && EqualsIgnoreCase(Trim(*v), "true");
}

std::string DeletionVectorDescriptor::UniqueId() const {
  std::string id(1, storage_type);
  id += path_or_inline_dv;
  if (offset) {
    id += '@';
    id += std::to_string(*offset);
  }
  return id;
}

std::string_view FileActionKindName(FileActionKind kind) {
  switch (kind) {
    case FileActionKind::kAdd:
      return "add";
    case FileActionKind::kRemove:
      return "remove";
    case FileActionKind::kCdc:
      return "cdc";
  }
  return "?";
}

std::string FileAction::Key() const {
  std::string key = path;
  key += '\n';
  if (deletion_vector) key += deletion_vector->UniqueId();
  return key;
}

DeletionVectorDescriptor DeletionVectorView::ToOwned() const {
  return {storage_type, std::string(path_or_inline_dv), offset, size_in_bytes, cardinality,
          max_row_index};
}

FileAction FileActionView::ToOwned() const {
  FileAction a;
  a.kind = kind;
  a.path = std::string(path);
  if (has_partition_values) a.partition_values = ToStringMap(partition_values);
  a.size = size;
  a.modification_time = modification_time;
  a.data_change = data_change;
  if (stats) a.stats = std::string(*stats);
  if (has_tags) a.tags = ToStringMap(tags);
  if (deletion_vector) a.deletion_vector = deletion_vector->ToOwned();
  a.base_row_id = base_row_id;
  a.default_row_commit_version = default_row_commit_version;
  if (clustering_provider) a.clustering_provider = std::string(*clustering_provider);
  a.deletion_timestamp = deletion_timestamp;
  a.extended_file_metadata = extended_file_metadata;
  return a;
}

Status CollectingHandler::OnFileAction(const FileActionView& action) {
  out_->files.push_back(action.ToOwned());
  return Status::OK();
}

Status CollectingHandler::OnProtocol(Protocol&& protocol) {
  if (out_->protocol) return Status::Corruption("more than one protocol action in one commit");
  out_->protocol = std::move(protocol);
  return Status::OK();
}

Status CollectingHandler::OnMetadata(Metadata&& metadata) {
  if (out_->metadata) return Status::Corruption("more than one metaData action in one commit");
  out_->metadata = std::move(metadata);
  return Status::OK();
}

Status CollectingHandler::OnTransaction(SetTransaction&& txn) {
  out_->transactions.push_back(std::move(txn));
  return Status::OK();
}

Status CollectingHandler::OnDomainMetadata(DomainMetadata&& domain) {
  out_->domains.push_back(std::move(domain));
  return Status::OK();
}

Status CollectingHandler::OnCommitInfo(CommitInfo&& info) {
  if (!out_->commit_info) out_->commit_info = std::move(info);
  return Status::OK();
}

}  // namespace ds::delta
