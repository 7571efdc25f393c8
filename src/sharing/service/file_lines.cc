#include "sharing/service/file_lines.h"

#include <algorithm>

#include "delta/action_json.h"

namespace ds::sharing::service {

FileSigner::FileSigner(const CachedTable* table, const LocalFileUrls* local_urls,
                       std::string base_url, std::string tenant, int64_t lifetime_seconds)
    : table_(table),
      local_urls_(local_urls),
      base_url_(std::move(base_url)),
      tenant_(std::move(tenant)),
      lifetime_seconds_(lifetime_seconds),
      now_ms_(NowMs()) {}

Status FileSigner::SignKey(const delta::FileLocation& location, objstore::PresignedUrl* out) {
  if (location.absolute) {
    return Status::NotSupported("the table references a file outside its root (" +
                                location.location + "); such files cannot be shared");
  }
  const OpenedLocation& opened = table_->opened();
  ++signed_;
  if (opened.local) {
    return local_urls_->Sign(base_url_, tenant_, opened.local_root, location.location,
                             lifetime_seconds_, now_ms_, out);
  }
  if (!opened.signer) return Status::Internal("no URL signer for " + table_->location());
  return opened.signer->PresignAt(location.location, lifetime_seconds_, now_ms_, out);
}

Status FileSigner::SignLogPath(std::string_view log_path, objstore::PresignedUrl* out) {
  ASSIGN_OR_RETURN(delta::FileLocation location, table_->table()->Resolve(log_path));
  return SignKey(location, out);
}

Status FileSigner::SignDeletionVector(const delta::DeletionVectorDescriptor& dv,
                                      objstore::PresignedUrl* out) {
  ASSIGN_OR_RETURN(delta::FileLocation location, table_->table()->DeletionVectorLocation(dv));
  return SignKey(location, out);
}

Status AppendFileLine(const delta::FileActionView& action, protocol::FileKind kind,
                      const FileLineOptions& options, FileSigner* signer, int64_t* min_expiration,
                      std::string* out) {
  thread_local objstore::PresignedUrl url;
  RETURN_NOT_OK(signer->SignLogPath(action.path, &url));
  *min_expiration = std::min(*min_expiration, url.expiration_ms);
  const std::string id = protocol::FileId(options.id_scheme, action.path);

  if (options.format == protocol::ResponseFormat::kParquet) {
    thread_local protocol::PartitionValues pv;
    pv.clear();
    for (const delta::StringPairView& p : action.partition_values) {
      pv.emplace_back(std::string(p.key),
                      p.value_is_null ? std::nullopt : std::optional<std::string>(p.value));
    }
    protocol::ParquetFile f;
    f.kind = kind;
    f.url = url.url;
    f.id = id;
    f.partition_values = &pv;
    f.size = action.size.value_or(0);
    if (action.stats) f.stats = *action.stats;
    f.version = options.version;
    f.timestamp = options.timestamp;
    f.expiration_timestamp = url.expiration_ms;
    protocol::AppendParquetFile(f, out);
    return Status::OK();
  }

  // Delta format: the whole action with the path replaced by the URL, and an on-disk
  // deletion vector turned into an absolute ('p') one pointing at its own signed URL.
  delta::FileActionJsonOptions json_options;
  json_options.path = url.url;
  std::optional<delta::DeletionVectorDescriptor> dv;
  objstore::PresignedUrl dv_url;
  if (action.deletion_vector && action.deletion_vector->storage_type != 'i') {
    dv = action.deletion_vector->ToOwned();
    RETURN_NOT_OK(signer->SignDeletionVector(*dv, &dv_url));
    *min_expiration = std::min(*min_expiration, dv_url.expiration_ms);
    dv->storage_type = 'p';
    dv->path_or_inline_dv = dv_url.url;
    json_options.deletion_vector = &*dv;
  }
  thread_local std::string action_json;
  action_json.clear();
  delta::AppendFileActionJson(action, json_options, &action_json);
  protocol::DeltaFile f;
  f.id = id;
  f.delta_single_action = action_json;
  f.version = options.version;
  f.timestamp = options.timestamp;
  f.expiration_timestamp =
      std::min(url.expiration_ms, dv ? dv_url.expiration_ms : url.expiration_ms);
  protocol::AppendDeltaFile(f, out);
  return Status::OK();
}

}  // namespace ds::sharing::service
