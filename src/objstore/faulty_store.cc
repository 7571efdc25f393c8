#include "objstore/faulty_store.h"

namespace ds::objstore {

void FaultyStore::FailNext(StoreOp op, std::string key_part, Status status, int times) {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.push_back({op, std::move(key_part), std::move(status), times});
}

void FaultyStore::BeforeEach(StoreOp op, std::function<void(const std::string& key)> hook) {
  std::lock_guard<std::mutex> lock(mu_);
  hooks_.emplace_back(op, std::move(hook));
}

void FaultyStore::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
  hooks_.clear();
}

int FaultyStore::Count(StoreOp op) const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_[static_cast<int>(op)];
}

Status FaultyStore::Check(StoreOp op, const std::string& key) const {
  std::vector<std::function<void(const std::string&)>> to_run;
  Status result;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_[static_cast<int>(op)];
    for (const auto& [hop, hook] : hooks_) {
      if (hop == op) to_run.push_back(hook);
    }
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
      if (it->op != op || key.find(it->key_part) == std::string::npos) continue;
      result = it->status;
      if (it->times > 0 && --it->times == 0) rules_.erase(it);
      break;
    }
  }
  for (auto& hook : to_run) hook(key);  // outside the lock: hooks may use the store
  return result;
}

Result<ObjectMeta> FaultyStore::Head(const std::string& key) const {
  RETURN_NOT_OK(Check(StoreOp::kHead, key));
  return inner_->Head(key);
}
Result<std::vector<ObjectMeta>> FaultyStore::List(const std::string& prefix,
                                                  const ListOptions& options) const {
  RETURN_NOT_OK(Check(StoreOp::kList, prefix));
  return inner_->List(prefix, options);
}
Result<std::string> FaultyStore::Get(const std::string& key) const {
  RETURN_NOT_OK(Check(StoreOp::kGet, key));
  return inner_->Get(key);
}
Result<std::string> FaultyStore::GetRange(const std::string& key, int64_t offset,
                                          int64_t length) const {
  RETURN_NOT_OK(Check(StoreOp::kGet, key));
  return inner_->GetRange(key, offset, length);
}
Status FaultyStore::Put(const std::string& key, std::string_view bytes) {
  RETURN_NOT_OK(Check(StoreOp::kPut, key));
  return inner_->Put(key, bytes);
}
Status FaultyStore::PutIfAbsent(const std::string& key, std::string_view bytes) {
  RETURN_NOT_OK(Check(StoreOp::kPutIfAbsent, key));
  return inner_->PutIfAbsent(key, bytes);
}
Status FaultyStore::Delete(const std::string& key) {
  RETURN_NOT_OK(Check(StoreOp::kDelete, key));
  return inner_->Delete(key);
}

}  // namespace ds::objstore
