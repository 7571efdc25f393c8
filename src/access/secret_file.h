// Files that hold secrets (profiles with tokens, master keys): created readable by their
// owner only (mode 600), refusing to replace an existing file unless asked, and created
// before the secret is minted, so a refusal wastes no credential. A file that was created but
// never fully written is removed.
#pragma once

#include <string>

#include "util/result.h"

namespace ds::access {

class SecretFile {
 public:
  // AlreadyExists if `path` exists and `replace` is false; IOError if it cannot be created.
  static Result<SecretFile> Create(const std::string& path, bool replace);
  SecretFile(SecretFile&& other) noexcept;
  SecretFile& operator=(SecretFile&& other) noexcept;
  ~SecretFile();

  // Writes `contents`, syncs and closes. IOError (and the file is removed) on failure.
  Status Write(std::string_view contents);

 private:
  // Closes the file, removing it unless it was written.
  void Abandon();
  SecretFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
  bool written_ = false;
};

}  // namespace ds::access
