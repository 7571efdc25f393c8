#include "sharing/service/file_lines.h"

#include <algorithm>

#include "delta/action_json.h"
#include "objstore/object_store.h"

namespace ds::sharing::service {
namespace {

// True if `path` is a plain relative key: what ResolveLogPath would return unchanged for a
// table rooted at "" (no escapes to decode, no scheme, not absolute, no empty/./.. segment).
bool IsPlainKey(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  if (path.find_first_of("%:") != std::string_view::npos) return false;
  return objstore::ValidateKey(path).ok();
}

}  // namespace

Result<FileSigner> FileSigner::Make(const CachedTable& table, const LocalFileUrls& local_urls,
                                    std::string_view base_url, std::string_view tenant,
                                    int64_t lifetime_seconds, int64_t now_ms) {
  const OpenedLocation& opened = table.opened();
  std::optional<LocalTableSigner> local;
  if (opened.local) {
    ASSIGN_OR_RETURN(local, local_urls.NewSigner(base_url, tenant, opened.local_root,
                                                 lifetime_seconds, now_ms, opened.sealed_for));
  } else if (!opened.signer) {
    return Status::Internal("no URL signer for " + table.location());
  }
  return FileSigner(&table, std::move(local), lifetime_seconds, now_ms);
}

Status FileSigner::SignKey(std::string_view key, objstore::PresignedUrl* out) {
  ++signed_;
  if (local_) return local_->Sign(key, out);
  return table_->opened().signer->PresignAt(key, lifetime_seconds_, now_ms_, out);
}

Status FileSigner::SignLogPath(std::string_view log_path, objstore::PresignedUrl* out) {
  if (table_->table()->location().root.empty() && IsPlainKey(log_path)) {
    return SignKey(log_path, out);
  }
  ASSIGN_OR_RETURN(delta::FileLocation location, table_->table()->Resolve(log_path));
  if (location.absolute) {
    return Status::NotSupported("the table references a file outside its root (" +
                                location.location + "); such files cannot be shared");
  }
  return SignKey(location.location, out);
}

Status FileSigner::SignDeletionVector(const delta::DeletionVectorDescriptor& dv,
                                      objstore::PresignedUrl* out) {
  ASSIGN_OR_RETURN(delta::FileLocation location, table_->table()->DeletionVectorLocation(dv));
  if (location.absolute) {
    return Status::NotSupported("the table references a deletion vector outside its root (" +
                                location.location + "); such files cannot be shared");
  }
  return SignKey(location.location, out);
}

Status FileLineWriter::Append(const delta::FileActionView& action, protocol::FileKind kind,
                              std::optional<int64_t> version, std::optional<int64_t> timestamp,
                              std::string* out) {
  RETURN_NOT_OK(signer_->SignLogPath(action.path, &url_));
  int64_t expiration = url_.expiration_ms;
  const std::string_view id = ids_.Id(action.path);

  if (format_ == protocol::ResponseFormat::kParquet) {
    partition_values_.clear();
    for (const delta::StringPairView& p : action.partition_values) {
      partition_values_.push_back({p.key, p.value, p.value_is_null});
    }
    protocol::ParquetFile f;
    f.kind = kind;
    f.url = url_.url;
    f.id = id;
    f.partition_values = partition_values_;
    f.size = action.size.value_or(0);
    if (action.stats) f.stats = *action.stats;
    f.version = version;
    f.timestamp = timestamp;
    f.expiration_timestamp = expiration;
    protocol::AppendParquetFile(f, out);
  } else {
    // Delta format: the whole action with the path replaced by the URL, and an on-disk
    // deletion vector turned into an absolute ('p') one pointing at its own signed URL.
    delta::FileActionJsonOptions json_options;
    json_options.path = url_.url;
    std::optional<delta::DeletionVectorDescriptor> dv;
    if (action.deletion_vector && action.deletion_vector->storage_type != 'i') {
      dv = action.deletion_vector->ToOwned();
      RETURN_NOT_OK(signer_->SignDeletionVector(*dv, &dv_url_));
      expiration = std::min(expiration, dv_url_.expiration_ms);
      dv->storage_type = 'p';
      dv->path_or_inline_dv = dv_url_.url;
      json_options.deletion_vector = &*dv;
    }
    action_json_.clear();
    delta::AppendFileActionJson(action, json_options, &action_json_);
    protocol::DeltaFile f;
    f.id = id;
    f.delta_single_action = action_json_;
    f.version = version;
    f.timestamp = timestamp;
    f.expiration_timestamp = expiration;
    protocol::AppendDeltaFile(f, out);
  }
  min_expiration_ms_ = std::min(min_expiration_ms_, expiration);
  return Status::OK();
}

}  // namespace ds::sharing::service
