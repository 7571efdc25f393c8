// File lines of query and changes responses: signs the file (and deletion vector) URLs and
// writes the line in the response format (protocol.md §5, §6).
//
// This is the hot loop of every response (one call per data file, hundreds of thousands per
// request), so both classes keep their scratch space and allocate nothing per file once warm
// (beyond growing the output).
//
// Thread-safety: single-threaded objects, one per response.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "delta/actions.h"
#include "objstore/url_signer.h"
#include "sharing/protocol/capabilities.h"
#include "sharing/protocol/file_id.h"
#include "sharing/protocol/responses.h"
#include "sharing/service/local_files.h"
#include "sharing/service/table_cache.h"

namespace ds::sharing::service {

// Signs the files of one table for one tenant, all with the same expiry.
class FileSigner {
 public:
  // `base_url`: where the recipient reaches the API (for files the server serves itself).
  // Errors from LocalFileUrls::NewSigner; Internal for a cloud table without a signer.
  static Result<FileSigner> Make(const CachedTable& table, const LocalFileUrls& local_urls,
                                 std::string_view base_url, std::string_view tenant,
                                 int64_t lifetime_seconds, int64_t now_ms);

  // A URL for a path from the Delta log. NotSupported for a path outside the table (absolute
  // paths elsewhere are not shared); Corruption for a malformed path.
  Status SignLogPath(std::string_view log_path, objstore::PresignedUrl* out);
  // A URL for the file of an on-disk ('u' or 'p') deletion vector.
  Status SignDeletionVector(const delta::DeletionVectorDescriptor& dv, objstore::PresignedUrl* out);
  int64_t signed_count() const { return signed_; }

 private:
  FileSigner(const CachedTable* table, std::optional<LocalTableSigner> local,
             int64_t lifetime_seconds, int64_t now_ms)
      : table_(table),
        local_(std::move(local)),
        lifetime_seconds_(lifetime_seconds),
        now_ms_(now_ms) {}
  Status SignKey(std::string_view key, objstore::PresignedUrl* out);

  const CachedTable* table_;
  std::optional<LocalTableSigner> local_;
  int64_t lifetime_seconds_;
  int64_t now_ms_;
  int64_t signed_ = 0;
};

// Writes file lines in one response format with one file-id scheme.
class FileLineWriter {
 public:
  FileLineWriter(FileSigner* signer, protocol::ResponseFormat format,
                 protocol::FileIdScheme id_scheme)
      : signer_(signer), format_(format), ids_(id_scheme) {}

  // Appends one line for `action`: {"file"|"add"|"remove"|"cdf":{…}} in parquet format (`kind`
  // picks the wrapper), {"file":{…,"deltaSingleAction":…}} in delta format, where on-disk
  // deletion vectors become absolute ('p') ones pointing at their own signed URLs. `version`
  // and `timestamp` (commit time, ms) go on change lines. Errors from the signer.
  Status Append(const delta::FileActionView& action, protocol::FileKind kind,
                std::optional<int64_t> version, std::optional<int64_t> timestamp, std::string* out);

  // The smallest expiry among the URLs written (INT64_MAX before the first).
  int64_t min_expiration_ms() const { return min_expiration_ms_; }

 private:
  FileSigner* signer_;
  protocol::ResponseFormat format_;
  protocol::FileIdHasher ids_;
  int64_t min_expiration_ms_ = INT64_MAX;
  objstore::PresignedUrl url_, dv_url_;
  std::vector<protocol::PartitionValueRef> partition_values_;
  std::string action_json_;
};

}  // namespace ds::sharing::service
