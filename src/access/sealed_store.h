// SealedStore: an ObjectStore that keeps every object of another store encrypted at rest
// (sealed_file.h: chunked AES-256-GCM under the share's data key), for tables whose files
// must not be readable from the disk or bucket they live in.
//
//   Put / PutIfAbsent   seal at the key ring's current key version, then write the inner
//                       object (atomically, like the inner store)
//   Get                 reads the inner object and opens every chunk
//   GetRange / OpenRead read and open only the chunks the range touches
//   Head / List         report plaintext sizes (mtime and etag are the inner object's)
//
// Each object is bound to its key: the key (relative to this store's root) is the sealed
// file's context, so an object copied or renamed to another key, or into another share's
// store, fails to open (Corruption), as do altered, truncated or reordered bytes. Wrap the
// store at the table root (objstore::PrefixStore) so that keys stay valid if the table is
// moved.
//
// Sizes: Head reads the object's 32-byte header to learn its chunk size (it authenticates no
// chunk: sizes are not secret); List computes sizes
// from this store's chunk size, which is exact for every object written through it (objects
// sealed with another chunk size are listed with a wrong size; OpenRead with that size
// detects the mismatch and asks the inner store). An object that is not a sealed file is
// Corruption on every read, never returned as plaintext.
//
// Errors: the inner store's, plus Corruption as above and FailedPrecondition when the object
// was sealed with a retired or unknown key version. Thread-safety: as thread-safe as the
// inner store (every method may be called concurrently).
#pragma once

#include <memory>
#include <string>

#include "access/key_ring.h"
#include "access/sealed_file.h"
#include "objstore/object_store.h"

namespace ds::access {

class SealedStore final : public objstore::ObjectStore {
 public:
  // Seals for `share_id` (the tenant of the data key). InvalidArgument for a null inner store
  // or key ring, an empty share id, or a chunk size outside 1 KiB .. 16 MiB.
  static Result<std::shared_ptr<SealedStore>> Make(objstore::ObjectStorePtr inner,
                                                   std::shared_ptr<const KeyRing> keys,
                                                   std::string share_id,
                                                   uint32_t chunk_bytes = kDefaultSealedChunkBytes);

  const objstore::ObjectStorePtr& inner() const { return inner_; }

  std::string Uri(std::string_view key) const override;
  Result<objstore::ObjectMeta> Head(const std::string& key) const override;
  Result<std::vector<objstore::ObjectMeta>> List(
      const std::string& prefix, const objstore::ListOptions& options = {}) const override;
  Result<std::string> Get(const std::string& key) const override;
  Result<std::string> GetRange(const std::string& key, int64_t offset,
                               int64_t length) const override;
  Result<io::RandomAccessFilePtr> OpenRead(const std::string& key,
                                           int64_t size = -1) const override;
  Status Put(const std::string& key, std::string_view bytes) override;
  Status PutIfAbsent(const std::string& key, std::string_view bytes) override;
  Status Delete(const std::string& key) override;

 private:
  SealedStore(objstore::ObjectStorePtr inner, std::shared_ptr<const KeyRing> keys,
              std::string share_id, uint32_t chunk_bytes)
      : inner_(std::move(inner)),
        keys_(std::move(keys)),
        share_id_(std::move(share_id)),
        chunk_bytes_(chunk_bytes) {}

  // A reader over the inner object; `sealed_size` < 0 = unknown.
  Result<std::unique_ptr<SealedFileReader>> OpenSealed(const std::string& key,
                                                       int64_t sealed_size) const;
  Result<std::string> Seal(const std::string& key, std::string_view bytes) const;

  objstore::ObjectStorePtr inner_;
  std::shared_ptr<const KeyRing> keys_;
  std::string share_id_;
  uint32_t chunk_bytes_;
};

}  // namespace ds::access
