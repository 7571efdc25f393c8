#include "objstore/local_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>

namespace ds::objstore {
namespace {

constexpr std::string_view kTempPrefix = ".ds-tmp-";

Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  std::string msg = std::string(what) + " '" + path + "': " + std::strerror(err);
  if (err == ENOENT || err == ENOTDIR) return Status::NotFound(msg);
  if (err == EEXIST) return Status::AlreadyExists(msg);
  if (err == EACCES || err == EPERM) return Status::PermissionDenied(msg);
  return Status::IOError(msg);
}

int64_t MtimeMs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", path, errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::OK();
}

Status MakeParents(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return Status::IOError("cannot create directories for '" + path + "': " + ec.message());
  return Status::OK();
}

Status SyncDir(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::OK();  // best effort
  ::fsync(fd);
  ::close(fd);
  return Status::OK();
}

}  // namespace

LocalStore::LocalStore(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string LocalStore::PathOf(std::string_view key) const {
  if (key.empty()) return root_;
  return root_ + "/" + std::string(key);
}

std::string LocalStore::Uri(std::string_view key) const {
  std::error_code ec;
  std::string abs = std::filesystem::absolute(PathOf(key), ec).string();
  return "file://" + (ec ? PathOf(key) : abs);
}

Result<ObjectMeta> LocalStore::Head(const std::string& key) const {
  RETURN_NOT_OK(ValidateKey(key));
  const std::string path = PathOf(key);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("cannot stat", path, errno);
  if (!S_ISREG(st.st_mode)) return Status::NotFound("not a file: '" + path + "'");
  return ObjectMeta{key, static_cast<int64_t>(st.st_size), MtimeMs(st), {}};
}

Result<std::vector<ObjectMeta>> LocalStore::List(const std::string& prefix,
                                                 const ListOptions& options) const {
  RETURN_NOT_OK(ValidateKey(prefix, /*directory=*/true));
  std::string dir_key = prefix;
  if (!dir_key.empty() && dir_key.back() != '/') dir_key.push_back('/');
  std::vector<ObjectMeta> out;
  std::function<Status(const std::string&)> walk = [&](const std::string& key_dir) -> Status {
    const std::string path =
        key_dir.empty() ? root_ : PathOf(key_dir.substr(0, key_dir.size() - 1));
    DIR* d = ::opendir(path.c_str());
    if (d == nullptr) {
      if (errno == ENOENT || errno == ENOTDIR) return Status::OK();
      return ErrnoStatus("cannot list", path, errno);
    }
    std::vector<std::string> subdirs;
    while (struct dirent* e = ::readdir(d)) {
      std::string_view name = e->d_name;
      if (name == "." || name == ".." || name.substr(0, kTempPrefix.size()) == kTempPrefix) {
        continue;
      }
      const std::string child = path + "/" + std::string(name);
      struct stat st;
      if (::lstat(child.c_str(), &st) != 0) continue;  // raced with a delete
      if (S_ISDIR(st.st_mode)) {
        if (options.recursive) subdirs.push_back(key_dir + std::string(name) + "/");
        continue;
      }
      if (S_ISLNK(st.st_mode)) continue;  // never follow links out of the root
      if (!S_ISREG(st.st_mode)) continue;
      std::string key = key_dir + std::string(name);
      if (!options.start_after.empty() && key <= options.start_after) continue;
      out.push_back({std::move(key), static_cast<int64_t>(st.st_size), MtimeMs(st), {}});
    }
    ::closedir(d);
    for (const auto& sub : subdirs) RETURN_NOT_OK(walk(sub));
    return Status::OK();
  };
  RETURN_NOT_OK(walk(dir_key));
  std::sort(out.begin(), out.end(),
            [](const ObjectMeta& a, const ObjectMeta& b) { return a.key < b.key; });
  if (options.limit > 0 && static_cast<int64_t>(out.size()) > options.limit) {
    out.resize(static_cast<size_t>(options.limit));
  }
  return out;
}

Result<std::string> LocalStore::Get(const std::string& key) const {
  RETURN_NOT_OK(ValidateKey(key));
  return io::ReadFileToString(PathOf(key));
}

Result<std::string> LocalStore::GetRange(const std::string& key, int64_t offset,
                                         int64_t length) const {
  ASSIGN_OR_RETURN(auto file, OpenRead(key));
  std::string out(static_cast<size_t>(std::max<int64_t>(length, 0)), '\0');
  RETURN_NOT_OK(file->ReadAt(offset, length, reinterpret_cast<uint8_t*>(out.data())));
  return out;
}

Result<io::RandomAccessFilePtr> LocalStore::OpenRead(const std::string& key, int64_t) const {
  RETURN_NOT_OK(ValidateKey(key));
  return io::OpenLocalFile(PathOf(key));
}

Result<std::string> LocalStore::WriteTemp(const std::string& key, std::string_view bytes) {
  RETURN_NOT_OK(ValidateKey(key));
  static std::atomic<uint64_t> counter{0};
  const std::string path = PathOf(key);
  RETURN_NOT_OK(MakeParents(path));
  const std::string temp = std::filesystem::path(path).parent_path().string() + "/" +
                           std::string(kTempPrefix) + std::to_string(::getpid()) + "-" +
                           std::to_string(counter.fetch_add(1)) + "-" + std::string(BaseName(key));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot create", temp, errno);
  Status st = WriteAll(fd, bytes, temp);
  if (st.ok() && ::fsync(fd) != 0) st = ErrnoStatus("cannot sync", temp, errno);
  ::close(fd);
  if (!st.ok()) {
    ::unlink(temp.c_str());
    return st;
  }
  return temp;
}

Status LocalStore::Put(const std::string& key, std::string_view bytes) {
  ASSIGN_OR_RETURN(std::string temp, WriteTemp(key, bytes));
  const std::string path = PathOf(key);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    return ErrnoStatus("cannot rename into", path, err);
  }
  return SyncDir(path);
}

Status LocalStore::PutIfAbsent(const std::string& key, std::string_view bytes) {
  ASSIGN_OR_RETURN(std::string temp, WriteTemp(key, bytes));
  const std::string path = PathOf(key);
  int rc = ::link(temp.c_str(), path.c_str());
  int err = errno;
  ::unlink(temp.c_str());
  if (rc != 0) {
    if (err == EEXIST) return Status::AlreadyExists("object already exists: '" + path + "'");
    return ErrnoStatus("cannot create", path, err);
  }
  return SyncDir(path);
}

Status LocalStore::Delete(const std::string& key) {
  RETURN_NOT_OK(ValidateKey(key));
  const std::string path = PathOf(key);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return ErrnoStatus("cannot delete", path, errno);
  }
  return Status::OK();
}

Status LocalStore::SetMtime(const std::string& key, int64_t mtime_ms) {
  RETURN_NOT_OK(ValidateKey(key));
  const std::string path = PathOf(key);
  struct timespec times[2];
  times[0].tv_sec = times[1].tv_sec = mtime_ms / 1000;
  times[0].tv_nsec = times[1].tv_nsec = (mtime_ms % 1000) * 1000000;
  if (::utimensat(AT_FDCWD, path.c_str(), times, 0) != 0) {
    return ErrnoStatus("cannot set mtime of", path, errno);
  }
  return Status::OK();
}

}  // namespace ds::objstore
