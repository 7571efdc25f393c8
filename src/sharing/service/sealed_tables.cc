#include "sharing/service/sealed_tables.h"

#include "access/sealed_store.h"
#include "objstore/prefix_store.h"

namespace ds::sharing::service {
namespace {

constexpr std::string_view kPrefix{"\0sealed\0", 8};

}  // namespace

std::string SealedCacheLocation(std::string_view share_id, std::string_view location) {
  std::string out(kPrefix);
  out.append(share_id);
  out.push_back('\0');
  out.append(location);
  return out;
}

std::optional<SealedLocation> ParseSealedCacheLocation(std::string_view cache_location) {
  if (cache_location.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  cache_location.remove_prefix(kPrefix.size());
  const size_t nul = cache_location.find('\0');
  if (nul == std::string_view::npos || nul == 0) return std::nullopt;
  return SealedLocation{std::string(cache_location.substr(0, nul)),
                        std::string(cache_location.substr(nul + 1))};
}

LocationResolver WithSealedTables(LocationResolver inner,
                                  std::shared_ptr<const access::KeyRing> keys) {
  return [inner = std::move(inner),
          keys = std::move(keys)](const std::string& cache_location) -> Result<OpenedLocation> {
    std::optional<SealedLocation> sealed = ParseSealedCacheLocation(cache_location);
    if (!sealed) return inner(cache_location);
    ASSIGN_OR_RETURN(OpenedLocation opened, inner(sealed->location));
    if (!opened.local) {
      return Status::FailedPrecondition(
          "an encrypted table must be local (a path or file://), not " + sealed->location +
          ": pre-signed cloud URLs would hand out ciphertext");
    }
    objstore::ObjectStorePtr store = opened.store;
    if (!opened.root.empty()) {
      ASSIGN_OR_RETURN(store, objstore::PrefixStore::Make(store, opened.root));
    }
    ASSIGN_OR_RETURN(store, access::SealedStore::Make(std::move(store), keys, sealed->share_id));
    opened.store = std::move(store);
    opened.root.clear();
    opened.sealed_for = sealed->share_id;
    return opened;
  };
}

}  // namespace ds::sharing::service
