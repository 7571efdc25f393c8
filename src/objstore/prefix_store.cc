#include "objstore/prefix_store.h"

namespace ds::objstore {

Result<std::shared_ptr<PrefixStore>> PrefixStore::Make(ObjectStorePtr inner, std::string root) {
  if (inner == nullptr) return Status::InvalidArgument("prefix store: no inner store");
  RETURN_NOT_OK(ValidateKey(root, /*directory=*/true));
  if (!root.empty() && root.back() != '/') root.push_back('/');
  return std::shared_ptr<PrefixStore>(new PrefixStore(std::move(inner), std::move(root)));
}

Result<std::string> PrefixStore::Full(const std::string& key, bool directory) const {
  RETURN_NOT_OK(ValidateKey(key, directory));
  return root_ + key;
}

std::string PrefixStore::Uri(std::string_view key) const {
  return inner_->Uri(root_ + std::string(key));
}

Result<ObjectMeta> PrefixStore::Head(const std::string& key) const {
  ASSIGN_OR_RETURN(std::string full, Full(key));
  ASSIGN_OR_RETURN(ObjectMeta meta, inner_->Head(full));
  meta.key = key;
  return meta;
}

Result<std::vector<ObjectMeta>> PrefixStore::List(const std::string& prefix,
                                                  const ListOptions& options) const {
  ASSIGN_OR_RETURN(std::string full, Full(prefix, /*directory=*/true));
  ListOptions inner_options = options;
  if (!options.start_after.empty()) inner_options.start_after = root_ + options.start_after;
  ASSIGN_OR_RETURN(std::vector<ObjectMeta> listed, inner_->List(full, inner_options));
  for (ObjectMeta& meta : listed) {
    if (meta.key.compare(0, root_.size(), root_) != 0) {
      return Status::Internal("prefix store: inner listing returned '" + meta.key + "' outside '" +
                              root_ + "'");
    }
    meta.key.erase(0, root_.size());
  }
  return listed;
}

Result<std::string> PrefixStore::Get(const std::string& key) const {
  ASSIGN_OR_RETURN(std::string full, Full(key));
  return inner_->Get(full);
}

Result<std::string> PrefixStore::GetRange(const std::string& key, int64_t offset,
                                          int64_t length) const {
  ASSIGN_OR_RETURN(std::string full, Full(key));
  return inner_->GetRange(full, offset, length);
}

Result<io::RandomAccessFilePtr> PrefixStore::OpenRead(const std::string& key, int64_t size) const {
  ASSIGN_OR_RETURN(std::string full, Full(key));
  return inner_->OpenRead(full, size);
}

Status PrefixStore::Put(const std::string& key, std::string_view bytes) {
  ASSIGN_OR_RETURN(std::string full, Full(key));
  return inner_->Put(full, bytes);
}

Status PrefixStore::PutIfAbsent(const std::string& key, std::string_view bytes) {
  ASSIGN_OR_RETURN(std::string full, Full(key));
  return inner_->PutIfAbsent(full, bytes);
}

Status PrefixStore::Delete(const std::string& key) {
  ASSIGN_OR_RETURN(std::string full, Full(key));
  return inner_->Delete(full);
}

}  // namespace ds::objstore
