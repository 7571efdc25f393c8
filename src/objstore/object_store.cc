#include "objstore/object_store.h"

#include <cstring>

namespace ds::objstore {
namespace {

// Ranged reads through an ObjectStore, for Parquet files in remote stores.
class StoreFile final : public io::RandomAccessFile {
 public:
  StoreFile(const ObjectStore* store, std::string key, int64_t size)
      : store_(store), key_(std::move(key)), size_(size), name_(store->Uri(key_)) {}
  int64_t size() const override { return size_; }
  const std::string& name() const override { return name_; }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    RETURN_NOT_OK(CheckRange(offset, length));
    if (length == 0) return Status::OK();
    ASSIGN_OR_RETURN(std::string bytes, store_->GetRange(key_, offset, length));
    if (static_cast<int64_t>(bytes.size()) != length) {
      return Status::IOError("short read from '" + name_ + "'");
    }
    std::memcpy(out, bytes.data(), bytes.size());
    return Status::OK();
  }

 private:
  const ObjectStore* store_;
  std::string key_;
  int64_t size_;
  std::string name_;
};

}  // namespace

Result<io::RandomAccessFilePtr> ObjectStore::OpenRead(const std::string& key, int64_t size) const {
  if (size < 0) {
    ASSIGN_OR_RETURN(ObjectMeta meta, Head(key));
    size = meta.size;
  }
  return io::RandomAccessFilePtr(std::make_shared<StoreFile>(this, key, size));
}

Status ValidateKey(std::string_view key, bool directory) {
  if (key.empty()) {
    if (directory) return Status::OK();
    return Status::InvalidArgument("object key is empty");
  }
  if (key.front() == '/')
    return Status::InvalidArgument("object key starts with '/': " + std::string(key));
  std::string_view rest = key;
  if (directory && rest.back() == '/') rest.remove_suffix(1);
  size_t start = 0;
  while (start <= rest.size()) {
    size_t end = rest.find('/', start);
    if (end == std::string_view::npos) end = rest.size();
    std::string_view seg = rest.substr(start, end - start);
    if (seg.empty() || seg == "." || seg == "..") {
      return Status::InvalidArgument("object key has an empty, '.' or '..' segment: " +
                                     std::string(key));
    }
    for (char c : seg) {
      if (c == '\0') return Status::InvalidArgument("object key contains a NUL byte");
    }
    start = end + 1;
  }
  return Status::OK();
}

std::string JoinKey(std::string_view dir, std::string_view rel) {
  if (dir.empty()) return std::string(rel);
  std::string out(dir);
  if (out.back() != '/') out.push_back('/');
  out.append(rel);
  return out;
}

std::string_view BaseName(std::string_view key) {
  size_t slash = key.rfind('/');
  return slash == std::string_view::npos ? key : key.substr(slash + 1);
}

}  // namespace ds::objstore
