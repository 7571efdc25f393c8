#include "client/shared_files.h"

#include "delta/table_features.h"

namespace ds::client {

Result<delta::TableSchema> ResponseSchema(const TableResponse& response) {
  delta::ColumnMappingMode mode = delta::ColumnMappingMode::kNone;
  if (response.format == ResponseFormat::kDelta) {
    RETURN_NOT_OK(delta::CheckReadable(response.protocol.protocol));
    ASSIGN_OR_RETURN(mode, delta::EffectiveColumnMappingMode(response.protocol.protocol,
                                                             response.metadata.metadata));
  } else if (response.protocol.protocol.min_reader_version > 1) {
    return Status::NotSupported("a parquet-format response with minReaderVersion " +
                                std::to_string(response.protocol.protocol.min_reader_version));
  }
  return delta::TableSchema::Make(response.metadata.metadata, mode);
}

RemoteFile ToRemoteFile(const SharedFile& file, std::string key) {
  RemoteFile r;
  r.key = std::move(key);
  r.url = file.url();
  r.size = file.size();
  r.expiration_ms = file.expiration_ms;
  r.label = file.id;
  if (file.action.deletion_vector) r.dvs.push_back(*file.action.deletion_vector);
  return r;
}

FreshUrls FreshUrlsOf(const std::vector<RemoteFile>& files) {
  FreshUrls out;
  out.reserve(files.size());
  for (const RemoteFile& f : files) {
    FreshUrl& u = out[f.key];
    u.url = f.url;
    u.expiration_ms = f.expiration_ms;
    for (const delta::DeletionVectorDescriptor& dv : f.dvs) {
      if (dv.storage_type == 'p') u.dv_urls.push_back(dv.path_or_inline_dv);
    }
  }
  return out;
}

std::vector<delta::StringPairView> PartitionValueViews(const delta::StringMap& values) {
  std::vector<delta::StringPairView> out;
  out.reserve(values.size());
  for (const auto& [k, v] : values) out.push_back({k, v ? std::string_view(*v) : "", !v});
  return out;
}

}  // namespace ds::client
