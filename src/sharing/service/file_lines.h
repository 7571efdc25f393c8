// File lines of query and changes responses: signs the file (and deletion vector) URLs and
// writes the line in the response format (protocol.md §5, §6).
#pragma once

#include <optional>
#include <string>

#include "delta/file_table.h"
#include "delta/table.h"
#include "objstore/url_signer.h"
#include "sharing/protocol/capabilities.h"
#include "sharing/protocol/responses.h"
#include "sharing/service/local_files.h"
#include "sharing/service/table_cache.h"

namespace ds::sharing::service {

// Signs the files of one table for one tenant.
class FileSigner {
 public:
  // `base_url`: where the recipient reaches the API (for files the server serves itself).
  FileSigner(const CachedTable* table, const LocalFileUrls* local_urls, std::string base_url,
             std::string tenant, int64_t lifetime_seconds);

  // A URL for a path from the Delta log. NotSupported for a path outside the table (absolute
  // paths are not shared).
  Status SignLogPath(std::string_view log_path, objstore::PresignedUrl* out);
  // A URL for the file of an on-disk deletion vector.
  Status SignDeletionVector(const delta::DeletionVectorDescriptor& dv, objstore::PresignedUrl* out);
  int64_t signed_count() const { return signed_; }

 private:
  Status SignKey(const delta::FileLocation& location, objstore::PresignedUrl* out);

  const CachedTable* table_;
  const LocalFileUrls* local_urls_;
  std::string base_url_;
  std::string tenant_;
  int64_t lifetime_seconds_;
  int64_t now_ms_;
  int64_t signed_ = 0;
};

struct FileLineOptions {
  protocol::ResponseFormat format = protocol::ResponseFormat::kParquet;
  protocol::FileIdScheme id_scheme = protocol::FileIdScheme::kParquet;
  std::optional<int64_t> version;    // on add/remove/cdf lines
  std::optional<int64_t> timestamp;  // commit time, ms
};

// Appends one file line for `action` ({"file"|"add"|"remove"|"cdf"} in parquet format; a
// {"file":{…deltaSingleAction…}} in delta format). `kind` chooses the parquet wrapper.
// `*min_expiration` is lowered to the URLs' expiry.
Status AppendFileLine(const delta::FileActionView& action, protocol::FileKind kind,
                      const FileLineOptions& options, FileSigner* signer, int64_t* min_expiration,
                      std::string* out);

}  // namespace ds::sharing::service
