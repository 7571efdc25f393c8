// LocalStore: an ObjectStore over a directory of the local file system.
//
// Keys map to files below the root; no key can name a file outside it (ValidateKey rejects
// "..", and symlinks are not followed out of the root when listing). Put writes a hidden
// temporary file, fsyncs it and renames it into place; PutIfAbsent links it into place
// (link(2) fails if the name exists), so a commit is atomic and never overwrites. Hidden
// temporary files ('.ds-tmp-' prefix) are never listed.
#pragma once

#include <string>

#include "objstore/object_store.h"

namespace ds::objstore {

class LocalStore final : public ObjectStore {
 public:
  // `root` is an absolute or relative directory path; it need not exist yet (Put creates
  // directories as needed).
  explicit LocalStore(std::string root);

  const std::string& root() const { return root_; }
  // The file system path of a key (after ValidateKey).
  std::string PathOf(std::string_view key) const;

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

  // Sets a file's modification time (tests of commit timestamps).
  Status SetMtime(const std::string& key, int64_t mtime_ms);

 private:
  Result<std::string> WriteTemp(const std::string& key, std::string_view bytes);
  std::string root_;
};

}  // namespace ds::objstore
