// File ids of query and changes responses (protocol.md §4 `fileidhash`): a deterministic hash
// of a file's path exactly as it appears in the Delta log.
//
//   parquet scheme: lower-case hex MD5 (32 characters)
//   delta scheme:   lower-case hex SHA-256 (64 characters)
//
// FileIdHasher is the hot-path form: no allocation per id (one per file line of a response).
// Thread-safety: a FileIdHasher is single-threaded; FileId may be called from any thread.
#pragma once

#include <string>
#include <string_view>

#include "sharing/protocol/capabilities.h"

namespace ds::sharing::protocol {

class FileIdHasher {
 public:
  explicit FileIdHasher(FileIdScheme scheme) : scheme_(scheme) {}
  // The id of `path`; valid until the next call.
  std::string_view Id(std::string_view path);
  FileIdScheme scheme() const { return scheme_; }

 private:
  FileIdScheme scheme_;
  char hex_[64];
};

// The id of a file (or DV file) whose Delta log path is `path`.
std::string FileId(FileIdScheme scheme, std::string_view path);

}  // namespace ds::sharing::protocol
