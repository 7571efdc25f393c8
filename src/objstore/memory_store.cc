#include "objstore/memory_store.h"

#include <chrono>

namespace ds::objstore {
namespace {

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

MemoryStore::MemoryStore(std::function<int64_t()> clock_ms)
    : clock_ms_(clock_ms ? std::move(clock_ms) : SystemNowMs) {}

std::string MemoryStore::Uri(std::string_view key) const { return "memory:///" + std::string(key); }

Result<ObjectMeta> MemoryStore::Head(const std::string& key) const {
  RETURN_NOT_OK(ValidateKey(key));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return Status::NotFound("no such object: " + Uri(key));
  return ObjectMeta{key, static_cast<int64_t>(it->second.bytes.size()), it->second.mtime_ms,
                    std::to_string(it->second.generation)};
}

Result<std::vector<ObjectMeta>> MemoryStore::List(const std::string& prefix,
                                                  const ListOptions& options) const {
  RETURN_NOT_OK(ValidateKey(prefix, /*directory=*/true));
  std::string dir = prefix;
  if (!dir.empty() && dir.back() != '/') dir.push_back('/');
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ObjectMeta> out;
  auto it = options.start_after.empty() || options.start_after < dir
                ? objects_.lower_bound(dir)
                : objects_.upper_bound(options.start_after);
  for (; it != objects_.end(); ++it) {
    const std::string& key = it->first;
    if (key.compare(0, dir.size(), dir) != 0) break;
    if (!options.recursive && key.find('/', dir.size()) != std::string::npos) continue;
    out.push_back({key, static_cast<int64_t>(it->second.bytes.size()), it->second.mtime_ms,
                   std::to_string(it->second.generation)});
    if (options.limit > 0 && static_cast<int64_t>(out.size()) >= options.limit) break;
  }
  return out;
}

Result<std::string> MemoryStore::Get(const std::string& key) const {
  RETURN_NOT_OK(ValidateKey(key));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return Status::NotFound("no such object: " + Uri(key));
  return it->second.bytes;
}

Result<std::string> MemoryStore::GetRange(const std::string& key, int64_t offset,
                                          int64_t length) const {
  RETURN_NOT_OK(ValidateKey(key));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return Status::NotFound("no such object: " + Uri(key));
  const auto size = static_cast<int64_t>(it->second.bytes.size());
  if (offset < 0 || length < 0 || offset > size || length > size - offset) {
    return Status::OutOfRange("range " + std::to_string(offset) + "+" + std::to_string(length) +
                              " outside " + Uri(key) + " of " + std::to_string(size) + " bytes");
  }
  return it->second.bytes.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
}

Status MemoryStore::Put(const std::string& key, std::string_view bytes) {
  RETURN_NOT_OK(ValidateKey(key));
  const int64_t now = clock_ms_();
  std::lock_guard<std::mutex> lock(mu_);
  objects_[key] = Object{std::string(bytes), now, next_generation_++};
  return Status::OK();
}

Status MemoryStore::PutIfAbsent(const std::string& key, std::string_view bytes) {
  RETURN_NOT_OK(ValidateKey(key));
  const int64_t now = clock_ms_();
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] =
      objects_.try_emplace(key, Object{std::string(bytes), now, next_generation_});
  if (!inserted) return Status::AlreadyExists("object already exists: " + Uri(key));
  ++next_generation_;
  return Status::OK();
}

Status MemoryStore::Delete(const std::string& key) {
  RETURN_NOT_OK(ValidateKey(key));
  std::lock_guard<std::mutex> lock(mu_);
  objects_.erase(key);
  return Status::OK();
}

Status MemoryStore::SetMtime(const std::string& key, int64_t mtime_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return Status::NotFound("no such object: " + Uri(key));
  it->second.mtime_ms = mtime_ms;
  return Status::OK();
}

}  // namespace ds::objstore
