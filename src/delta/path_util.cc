#include "delta/path_util.h"

#include <cctype>

#include "objstore/object_store.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool HasScheme(std::string_view path) {
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  if (path.empty() || !std::isalpha(static_cast<unsigned char>(path[0]))) return false;
  for (size_t i = 1; i < path.size(); ++i) {
    char c = path[i];
    if (c == ':') return true;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return false;
}

}  // namespace

Result<std::string> PercentDecode(std::string_view path) {
  if (path.find('%') == std::string_view::npos) return std::string(path);
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') {
      out.push_back(path[i]);
      continue;
    }
    int hi = i + 2 < path.size() ? HexValue(path[i + 1]) : -1;
    int lo = i + 2 < path.size() ? HexValue(path[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return Status::Corruption("malformed percent-escape in path '" + std::string(path) + "'");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

bool IsAbsolutePath(std::string_view path) {
  return (!path.empty() && path[0] == '/') || HasScheme(path);
}

std::string NormalizeFileUri(std::string_view uri) {
  std::string_view rest;
  if (StartsWith(uri, "file://")) {
    rest = uri.substr(7);
    // "file://host/path": keep only the path of a local host.
    if (StartsWith(rest, "localhost/")) rest.remove_prefix(9);
  } else if (StartsWith(uri, "file:")) {
    rest = uri.substr(5);
  } else if (StartsWith(uri, "/")) {
    rest = uri;
  } else {
    return std::string(uri);
  }
  while (rest.size() > 1 && rest[0] == '/' && rest[1] == '/') rest.remove_prefix(1);
  return "file://" + std::string(rest);
}

Result<FileLocation> ResolveLogPath(std::string_view path, std::string_view root_key,
                                    std::string_view root_uri) {
  ASSIGN_OR_RETURN(std::string decoded, PercentDecode(path));
  FileLocation out;
  if (IsAbsolutePath(path)) {
    std::string uri = NormalizeFileUri(decoded);
    std::string root = NormalizeFileUri(root_uri);
    while (!root.empty() && root.back() == '/') root.pop_back();
    if (!root.empty() && StartsWith(uri, root + "/")) {
      decoded = uri.substr(root.size() + 1);
    } else {
      out.absolute = true;
      out.location = std::move(uri);
      return out;
    }
  }
  std::string key = objstore::JoinKey(root_key, decoded);
  Status valid = objstore::ValidateKey(key);
  if (!valid.ok()) {
    return Status::Corruption("path '" + std::string(path) + "' does not name a file inside the " +
                              "table: " + valid.message());
  }
  out.location = std::move(key);
  return out;
}

}  // namespace ds::delta
