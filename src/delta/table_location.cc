#include "delta/table_location.h"

#include <mutex>

#include "objstore/credentials.h"
#include "objstore/local_store.h"
#include "objstore/location.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

bool IsLocal(std::string_view location) {
  return StartsWith(location, "file:") || location.find("://") == std::string_view::npos;
}

Result<std::string> LocalDirectory(std::string_view location) {
  std::string dir(location);
  if (StartsWith(location, "file:")) {
    std::string uri = NormalizeFileUri(location);
    ASSIGN_OR_RETURN(dir, PercentDecode(uri.substr(7)));
  }
  if (dir.empty()) return Status::InvalidArgument("empty table location");
  return dir;
}

// One registry per process, so tables in one bucket share connections.
Result<std::shared_ptr<objstore::StoreRegistry>> Registry() {
  static std::mutex mu;
  static std::shared_ptr<objstore::StoreRegistry> registry;
  std::lock_guard<std::mutex> lock(mu);
  if (!registry) {
    objstore::StorageCredentials credentials;
    RETURN_NOT_OK(credentials.FillFromEnvironment());
    ASSIGN_OR_RETURN(registry, objstore::StoreRegistry::Make(std::move(credentials)));
  }
  return registry;
}

}  // namespace

Result<objstore::ObjectStorePtr> OpenStoreAt(std::string_view location) {
  if (IsLocal(location)) {
    ASSIGN_OR_RETURN(std::string dir, LocalDirectory(location));
    return objstore::ObjectStorePtr(std::make_shared<objstore::LocalStore>(dir));
  }
  ASSIGN_OR_RETURN(auto registry, Registry());
  ASSIGN_OR_RETURN(objstore::Location resolved, registry->Resolve(location));
  return resolved.store;
}

Result<TablePtr> OpenTableAt(std::string_view location) {
  ASSIGN_OR_RETURN(objstore::ObjectStorePtr store, OpenStoreAt(location));
  TableOptions options;
  if (IsLocal(location)) {
    auto root_store = std::make_shared<objstore::LocalStore>("/");
    options.resolve_absolute =
        [root_store](
            std::string_view uri) -> Result<std::pair<objstore::ObjectStorePtr, std::string>> {
      if (!StartsWith(uri, "file:///")) {
        return Status::NotSupported("cannot read '" + std::string(uri) + "': not a local file");
      }
      return std::make_pair(objstore::ObjectStorePtr(root_store), std::string(uri.substr(8)));
    };
  }
  return Table::Open(std::move(store), "", std::move(options));
}

}  // namespace ds::delta
