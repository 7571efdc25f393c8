// PrefixStore: an ObjectStore view of the keys below a directory of another store — a
// table's root inside a shared bucket store. Keys are validated (ValidateKey) before the
// root is prepended, so no key can name an object outside the root.
//
// Thread-safety: as thread-safe as the inner store (every cloud store is).
#pragma once

#include <string>

#include "objstore/object_store.h"

namespace ds::objstore {

class PrefixStore final : public ObjectStore {
 public:
  // `root` is a directory key of `inner` ("" or ending in '/'; a missing '/' is added).
  // InvalidArgument for an invalid root.
  static Result<std::shared_ptr<PrefixStore>> Make(ObjectStorePtr inner, std::string root);

  const std::string& root() const { return root_; }
  const ObjectStorePtr& inner() const { return inner_; }

  std::string Uri(std::string_view key) const override;
  Result<ObjectMeta> Head(const std::string& key) const override;
  Result<std::vector<ObjectMeta>> List(const std::string& prefix,
                                       const ListOptions& options = {}) const override;
  Result<std::string> Get(const std::string& key) const override;
  Result<std::string> GetRange(const std::string& key, int64_t offset,
                               int64_t length) const override;
  Result<io::RandomAccessFilePtr> OpenRead(const std::string& key,
                                           int64_t size = -1) const override;
  Status Put(const std::string& key, std::string_view bytes) override;
  Status PutIfAbsent(const std::string& key, std::string_view bytes) override;
  Status Delete(const std::string& key) override;

 private:
  PrefixStore(ObjectStorePtr inner, std::string root)
      : inner_(std::move(inner)), root_(std::move(root)) {}
  // ValidateKey(key), then root + key.
  Result<std::string> Full(const std::string& key, bool directory = false) const;

  ObjectStorePtr inner_;
  std::string root_;
};

}  // namespace ds::objstore
