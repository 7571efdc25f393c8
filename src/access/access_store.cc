#include "access/access_store.h"

#include <chrono>

#include "access/memory_store.h"
#include "access/sql_store.h"
#include "util/string_util.h"

namespace ds::access {

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string RedactStoreUrl(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t authority = scheme + 3;
  size_t end = url.find_first_of("/?#", authority);
  if (end == std::string_view::npos) end = url.size();
  size_t at = url.rfind('@', end);
  std::string out(url);
  if (at != std::string_view::npos && at >= authority) {
    size_t colon = url.find(':', authority);
    if (colon != std::string_view::npos && colon < at) {
      out = std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
    }
  }
  // libpq also takes the password as a query parameter.
  size_t query = out.find('?');
  if (query != std::string::npos) {
    std::string head = out.substr(0, query + 1);
    std::vector<std::string> parts;
    for (auto part : Split(std::string_view(out).substr(query + 1), '&')) {
      if (StartsWith(ToLower(part), "password=")) {
        parts.push_back("password=***");
      } else {
        parts.emplace_back(part);
      }
    }
    out = head + Join(parts, "&");
  }
  return out;
}

Result<AccessStorePtr> OpenAccessStore(const std::string& url, const StoreOptions& options) {
  if (url == "memory:") return AccessStorePtr(std::make_shared<MemoryAccessStore>());
  if (StartsWith(url, "sqlite:")) {
    std::string path = url.substr(7);
    if (StartsWith(path, "//")) path = path.substr(2);  // sqlite:///abs/path
    ASSIGN_OR_RETURN(auto store, SqlAccessStore::OpenSqlite(path, options));
    return AccessStorePtr(std::move(store));
  }
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    ASSIGN_OR_RETURN(auto store, SqlAccessStore::OpenPostgres(url, options));
    return AccessStorePtr(std::move(store));
  }
  return Status::InvalidArgument("access store URL '" + RedactStoreUrl(url) +
                                 "' is not memory:, sqlite:PATH or postgresql://...");
}

}  // namespace ds::access
