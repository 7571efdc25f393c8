#include "access/sealed_store.h"

#include <cstring>

namespace ds::access {
namespace {

// A random-access view of bytes it owns (a whole object read by Get).
class OwnedBytesFile final : public io::RandomAccessFile {
 public:
  OwnedBytesFile(std::string bytes, std::string name)
      : bytes_(std::move(bytes)), name_(std::move(name)) {}
  int64_t size() const override { return static_cast<int64_t>(bytes_.size()); }
  const std::string& name() const override { return name_; }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    RETURN_NOT_OK(CheckRange(offset, length));
    if (length > 0) std::memcpy(out, bytes_.data() + offset, static_cast<size_t>(length));
    return Status::OK();
  }

 private:
  std::string bytes_;
  std::string name_;
};

// The plaintext of a sealed object, read chunk by chunk on demand.
class SealedFile final : public io::RandomAccessFile {
 public:
  SealedFile(std::unique_ptr<SealedFileReader> reader, std::string name)
      : reader_(std::move(reader)), name_(std::move(name)) {}
  int64_t size() const override { return reader_->plaintext_size(); }
  const std::string& name() const override { return name_; }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    RETURN_NOT_OK(CheckRange(offset, length));
    ASSIGN_OR_RETURN(std::string plain, reader_->ReadRange(offset, length));
    if (length > 0) std::memcpy(out, plain.data(), static_cast<size_t>(length));
    return Status::OK();
  }

 private:
  std::unique_ptr<SealedFileReader> reader_;
  std::string name_;
};

}  // namespace

Result<std::shared_ptr<SealedStore>> SealedStore::Make(objstore::ObjectStorePtr inner,
                                                       std::shared_ptr<const KeyRing> keys,
                                                       std::string share_id, uint32_t chunk_bytes) {
  if (!inner || !keys) return Status::InvalidArgument("sealed store needs a store and keys");
  if (share_id.empty()) return Status::InvalidArgument("sealed store needs a share id");
  // The writer checks the chunk size; try it once so that a bad one fails here.
  RETURN_NOT_OK(SealBytes(*keys, share_id, "", chunk_bytes).status());
  return std::shared_ptr<SealedStore>(
      new SealedStore(std::move(inner), std::move(keys), std::move(share_id), chunk_bytes));
}

std::string SealedStore::Uri(std::string_view key) const { return inner_->Uri(key); }

Result<std::unique_ptr<SealedFileReader>> SealedStore::OpenSealed(const std::string& key,
                                                                  int64_t sealed_size) const {
  RETURN_NOT_OK(objstore::ValidateKey(key));
  ASSIGN_OR_RETURN(io::RandomAccessFilePtr file, inner_->OpenRead(key, sealed_size));
  return SealedFileReader::Open(*keys_, share_id_, std::move(file), key);
}

Result<objstore::ObjectMeta> SealedStore::Head(const std::string& key) const {
  ASSIGN_OR_RETURN(objstore::ObjectMeta meta, inner_->Head(key));
  ASSIGN_OR_RETURN(auto reader, OpenSealed(key, meta.size));
  meta.size = reader->plaintext_size();
  return meta;
}

Result<std::vector<objstore::ObjectMeta>> SealedStore::List(
    const std::string& prefix, const objstore::ListOptions& options) const {
  ASSIGN_OR_RETURN(std::vector<objstore::ObjectMeta> metas, inner_->List(prefix, options));
  for (objstore::ObjectMeta& meta : metas) {
    auto size = PlaintextSize(meta.size, chunk_bytes_);
    if (!size.ok()) {
      return Status::Corruption("sealed object '" + inner_->Uri(meta.key) +
                                "': " + size.status().message());
    }
    meta.size = *size;
  }
  return metas;
}

Result<std::string> SealedStore::Get(const std::string& key) const {
  RETURN_NOT_OK(objstore::ValidateKey(key));
  ASSIGN_OR_RETURN(std::string sealed, inner_->Get(key));
  auto file = std::make_shared<OwnedBytesFile>(std::move(sealed), inner_->Uri(key));
  ASSIGN_OR_RETURN(auto reader, SealedFileReader::Open(*keys_, share_id_, std::move(file), key));
  return reader->ReadRange(0, reader->plaintext_size());
}

Result<std::string> SealedStore::GetRange(const std::string& key, int64_t offset,
                                          int64_t length) const {
  ASSIGN_OR_RETURN(auto reader, OpenSealed(key, -1));
  return reader->ReadRange(offset, length);
}

Result<io::RandomAccessFilePtr> SealedStore::OpenRead(const std::string& key, int64_t size) const {
  auto wrap = [&](std::unique_ptr<SealedFileReader> reader) {
    return io::RandomAccessFilePtr(std::make_shared<SealedFile>(std::move(reader), Uri(key)));
  };
  // A plaintext size (from a listing or the Delta log) maps to the sealed size at this store's
  // chunk size, saving a Head; an object sealed with another chunk size is reopened at its real
  // size.
  if (size >= 0) {
    auto hinted = OpenSealed(key, SealedSize(size, chunk_bytes_));
    if (hinted.ok() && (*hinted)->chunk_bytes() == chunk_bytes_) return wrap(std::move(*hinted));
    if (!hinted.ok() && !hinted.status().IsCorruption()) return hinted.status();
  }
  ASSIGN_OR_RETURN(auto reader, OpenSealed(key, -1));
  return wrap(std::move(reader));
}

Result<std::string> SealedStore::Seal(const std::string& key, std::string_view bytes) const {
  RETURN_NOT_OK(objstore::ValidateKey(key));
  return SealBytes(*keys_, share_id_, bytes, chunk_bytes_, key);
}

Status SealedStore::Put(const std::string& key, std::string_view bytes) {
  ASSIGN_OR_RETURN(std::string sealed, Seal(key, bytes));
  return inner_->Put(key, sealed);
}

Status SealedStore::PutIfAbsent(const std::string& key, std::string_view bytes) {
  ASSIGN_OR_RETURN(std::string sealed, Seal(key, bytes));
  return inner_->PutIfAbsent(key, sealed);
}

Status SealedStore::Delete(const std::string& key) { return inner_->Delete(key); }

}  // namespace ds::access
