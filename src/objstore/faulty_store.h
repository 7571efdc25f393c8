// FaultyStore: wraps another ObjectStore and injects failures, for tests of retries, commit
// races and partial failures. Rules are checked in order; the first that matches an
// operation (kind + key substring) fires and counts down.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "objstore/object_store.h"

namespace ds::objstore {

enum class StoreOp { kHead, kList, kGet, kPut, kPutIfAbsent, kDelete };

class FaultyStore final : public ObjectStore {
 public:
  explicit FaultyStore(ObjectStorePtr inner) : inner_(std::move(inner)) {}

  // The next `times` operations of kind `op` on keys containing `key_part` fail with
  // `status` (times < 0: forever).
  void FailNext(StoreOp op, std::string key_part, Status status, int times = 1);
  // Runs `hook` before each operation of kind `op` (e.g. to let a rival writer commit first).
  void BeforeEach(StoreOp op, std::function<void(const std::string& key)> hook);
  void Clear();
  // How many operations of a kind were attempted.
  int Count(StoreOp op) const;

  std::string Uri(std::string_view key) const override { return inner_->Uri(key); }
  Result<ObjectMeta> Head(const std::string& key) const override;
  Result<std::vector<ObjectMeta>> List(const std::string& prefix,
                                       const ListOptions& options = {}) const override;
  Result<std::string> Get(const std::string& key) const override;
  Result<std::string> GetRange(const std::string& key, int64_t offset,
                               int64_t length) const override;
  Status Put(const std::string& key, std::string_view bytes) override;
  Status PutIfAbsent(const std::string& key, std::string_view bytes) override;
  Status Delete(const std::string& key) override;

 private:
  struct Rule {
    StoreOp op;
    std::string key_part;
    Status status;
    int times;
  };
  Status Check(StoreOp op, const std::string& key) const;

  ObjectStorePtr inner_;
  mutable std::mutex mu_;
  mutable std::vector<Rule> rules_;
  std::vector<std::pair<StoreOp, std::function<void(const std::string&)>>> hooks_;
  mutable int counts_[6] = {};
};

}  // namespace ds::objstore
