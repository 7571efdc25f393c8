// Tables encrypted at rest (access/sealed_store.h) in the server: how the snapshot cache
// knows that a table is sealed and under which share's data key.
//
// The service looks an encrypted table up in the cache under SealedCacheLocation(share id,
// location) instead of its location, and a resolver made by WithSealedTables opens such a
// key through the plain resolver, then wraps the table's store in a SealedStore for that
// share: the Delta log, checkpoints and deletion vectors are read decrypted, and
// OpenedLocation::sealed_for tells the local-file endpoint to decrypt the files it serves.
// The same directory shared plain (or under another share) is another cache entry, which
// fails to open rather than ever reading ciphertext as plaintext or plaintext as sealed.
//
// Thread-safety: the functions are pure; the resolver may be called from many threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "access/key_ring.h"
#include "sharing/service/table_cache.h"

namespace ds::sharing::service {

// The cache key of `location` sealed for `share_id`. It starts with a NUL byte, so no real
// location can be mistaken for one.
std::string SealedCacheLocation(std::string_view share_id, std::string_view location);

struct SealedLocation {
  std::string share_id;
  std::string location;
};
// The parts of a SealedCacheLocation; nullopt for any other string.
std::optional<SealedLocation> ParseSealedCacheLocation(std::string_view cache_location);

// Opens sealed cache locations with `inner`, then wraps the store in a SealedStore for the
// share (`keys` are the server's); passes every other location to `inner` unchanged.
// FailedPrecondition for a sealed location that `inner` opens as a cloud location (pre-signed
// URLs would hand out ciphertext); `inner`'s errors as they are.
LocationResolver WithSealedTables(LocationResolver inner,
                                  std::shared_ptr<const access::KeyRing> keys);

}  // namespace ds::sharing::service
