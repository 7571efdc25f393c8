// Paths in the Delta log (delta.md §3 "Paths"): add/remove/cdc/sidecar paths and DV `p` paths
// are RFC 2396 URI references, percent-encoded once. Relative ones resolve against the table
// root; absolute ones have a scheme ("s3://…", "file:/…") or start with '/'.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::delta {

// Percent-decodes once ("%25" -> "%", "+" stays "+"). Corruption naming `path` on a
// malformed escape.
Result<std::string> PercentDecode(std::string_view path);

// True if `path` has a URI scheme or starts with '/'.
bool IsAbsolutePath(std::string_view path);

// "file:/x", "file:///x" and "/x" all become "file:///x"; other URIs are returned as is.
std::string NormalizeFileUri(std::string_view uri);

// Where a log path points: a key in the table's store, or an absolute (decoded) URI outside it.
struct FileLocation {
  bool absolute = false;
  std::string location;  // store key, or absolute URI (file URIs normalized)
};

// Resolves a log path. `root_key` is the table root's key in its store ("" or "a/b");
// `root_uri` is the store's URI of the root (e.g. "file:///data/t") so that absolute paths
// inside the table become keys again. Corruption for malformed escapes or a relative path
// that leaves the table root ("..").
Result<FileLocation> ResolveLogPath(std::string_view path, std::string_view root_key,
                                    std::string_view root_uri);

}  // namespace ds::delta
