#include "access/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ds::access {

Result<SecretFile> SecretFile::Create(const std::string& path, bool replace) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL);
  int fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status::AlreadyExists("'" + path + "' exists; pass --force to replace it");
    }
    return Status::IOError("cannot create '" + path + "': " + std::strerror(errno));
  }
  SecretFile file(path, fd);
  if (::fchmod(fd, 0600) != 0) return Status::IOError("cannot restrict '" + path + "' to mode 600");
  return file;
}

SecretFile::SecretFile(SecretFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), written_(other.written_) {
  other.fd_ = -1;
}

SecretFile& SecretFile::operator=(SecretFile&& other) noexcept {
  if (this != &other) {
    Abandon();
    path_ = std::move(other.path_);
    fd_ = other.fd_;
    written_ = other.written_;
    other.fd_ = -1;
  }
  return *this;
}

SecretFile::~SecretFile() { Abandon(); }

void SecretFile::Abandon() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  if (!written_) ::unlink(path_.c_str());
}

Status SecretFile::Write(std::string_view contents) {
  if (fd_ < 0) return Status::FailedPrecondition("secret file '" + path_ + "' is closed");
  const char* p = contents.data();
  size_t left = contents.size();
  bool ok = true;
  while (ok && left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) {
      p += n;
      left -= static_cast<size_t>(n);
    }
  }
  ok = ok && ::fsync(fd_) == 0;
  ok = ::close(fd_) == 0 && ok;
  fd_ = -1;
  if (!ok) {
    ::unlink(path_.c_str());
    return Status::IOError("cannot write '" + path_ + "'");
  }
  written_ = true;
  return Status::OK();
}

}  // namespace ds::access
