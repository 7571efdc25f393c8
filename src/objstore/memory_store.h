// MemoryStore: an ObjectStore in memory, for tests and fault injection. Modification times
// come from a settable clock so tests control commit timestamps.
#pragma once

#include <functional>
#include <map>
#include <mutex>

#include "objstore/object_store.h"

namespace ds::objstore {

class MemoryStore final : public ObjectStore {
 public:
  // `clock_ms` returns the time used as mtime of new objects (default: the system clock).
  explicit MemoryStore(std::function<int64_t()> clock_ms = {});

  std::string Uri(std::string_view key) const override;
  Result<ObjectMeta> Head(const std::string& key) const override;
  Result<std::vector<ObjectMeta>> List(const std::string& prefix,
                                       const ListOptions& options = {}) const override;
  Result<std::string> Get(const std::string& key) const override;
  Result<std::string> GetRange(const std::string& key, int64_t offset,
                               int64_t length) const override;
  Status Put(const std::string& key, std::string_view bytes) override;
  Status PutIfAbsent(const std::string& key, std::string_view bytes) override;
  Status Delete(const std::string& key) override;

  Status SetMtime(const std::string& key, int64_t mtime_ms);

 private:
  struct Object {
    std::string bytes;
    int64_t mtime_ms = 0;
    uint64_t generation = 0;
  };
  std::function<int64_t()> clock_ms_;
  mutable std::mutex mu_;
  std::map<std::string, Object> objects_;
  uint64_t next_generation_ = 1;
};

}  // namespace ds::objstore
