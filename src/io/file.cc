#include "io/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ds::io {
namespace {

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  std::string msg = what + " '" + path + "': " + std::strerror(err);
  if (err == ENOENT) return Status::NotFound(msg);
  if (err == EACCES || err == EPERM) return Status::PermissionDenied(msg);
  return Status::IOError(msg);
}

class LocalFile final : public RandomAccessFile {
 public:
  LocalFile(int fd, int64_t size, std::string path)
      : fd_(fd), size_(size), path_(std::move(path)) {}
  ~LocalFile() override { ::close(fd_); }
  int64_t size() const override { return size_; }
  const std::string& name() const override { return path_; }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    RETURN_NOT_OK(CheckRange(offset, length));
    while (length > 0) {
      ssize_t n = ::pread(fd_, out, static_cast<size_t>(length), offset);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("cannot read", path_, errno);
      }
      if (n == 0) return Status::IOError("unexpected end of file '" + path_ + "'");
      out += n;
      offset += n;
      length -= n;
    }
    return Status::OK();
  }

 private:
  int fd_;
  int64_t size_;
  std::string path_;
};

class InMemoryFile final : public RandomAccessFile {
 public:
  InMemoryFile(std::shared_ptr<const Buffer> bytes, std::string name)
      : bytes_(std::move(bytes)), name_(std::move(name)) {}
  int64_t size() const override { return static_cast<int64_t>(bytes_->size()); }
  const std::string& name() const override { return name_; }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    RETURN_NOT_OK(CheckRange(offset, length));
    if (length > 0) std::memcpy(out, bytes_->data() + offset, static_cast<size_t>(length));
    return Status::OK();
  }

 private:
  std::shared_ptr<const Buffer> bytes_;
  std::string name_;
};

class LocalOutput final : public OutputStream {
 public:
  LocalOutput(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~LocalOutput() override { (void)Close(); }
  Status Write(ByteView bytes) override {
    if (fd_ < 0) return Status::FailedPrecondition("write to closed file '" + path_ + "'");
    written_ += static_cast<int64_t>(bytes.size());
    if (buffer_.size() + bytes.size() > kBufferSize) RETURN_NOT_OK(Flush());
    if (bytes.size() >= kBufferSize) return WriteAll(bytes.data(), bytes.size());
    buffer_.Append(bytes);
    return Status::OK();
  }
  int64_t Tell() const override { return written_; }
  Status Close() override {
    if (fd_ < 0) return Status::OK();
    Status st = Flush();
    if (::close(fd_) != 0 && st.ok()) st = ErrnoStatus("cannot close", path_, errno);
    fd_ = -1;
    return st;
  }

 private:
  static constexpr size_t kBufferSize = 1 << 20;
  Status Flush() {
    Status st = WriteAll(buffer_.data(), buffer_.size());
    buffer_.Clear();
    return st;
  }
  Status WriteAll(const uint8_t* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("cannot write", path_, errno);
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
    return Status::OK();
  }
  int fd_;
  std::string path_;
  Buffer buffer_;
  int64_t written_ = 0;
};

}  // namespace

Status RandomAccessFile::CheckRange(int64_t offset, int64_t length) const {
  if (offset < 0 || length < 0 || offset > size() || length > size() - offset) {
    return Status::OutOfRange("read of " + std::to_string(length) + " bytes at offset " +
                              std::to_string(offset) + " is outside '" + name() + "' (" +
                              std::to_string(size()) + " bytes)");
  }
  return Status::OK();
}

Result<Buffer> RandomAccessFile::ReadAt(int64_t offset, int64_t length) const {
  RETURN_NOT_OK(CheckRange(offset, length));
  Buffer b(static_cast<size_t>(length));
  RETURN_NOT_OK(ReadAt(offset, length, b.data()));
  return b;
}

Result<RandomAccessFilePtr> OpenLocalFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("cannot stat", path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument("'" + path + "' is a directory, not a file");
  }
  return RandomAccessFilePtr(std::make_shared<LocalFile>(fd, st.st_size, path));
}

RandomAccessFilePtr MemoryFile(std::shared_ptr<const Buffer> bytes, std::string name) {
  return std::make_shared<InMemoryFile>(std::move(bytes), std::move(name));
}

RandomAccessFilePtr MemoryFile(std::string_view bytes, std::string name) {
  return MemoryFile(std::make_shared<const Buffer>(Buffer::CopyOf(bytes)), std::move(name));
}

Status MemoryOutputStream::Write(ByteView bytes) {
  buffer_.Append(bytes);
  return Status::OK();
}

Result<std::unique_ptr<OutputStream>> OpenLocalOutput(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot create", path, errno);
  return std::unique_ptr<OutputStream>(std::make_unique<LocalOutput>(fd, path));
}

Result<std::string> ReadFileToString(const std::string& path) {
  ASSIGN_OR_RETURN(auto file, OpenLocalFile(path));
  std::string out(static_cast<size_t>(file->size()), '\0');
  RETURN_NOT_OK(file->ReadAt(0, file->size(), reinterpret_cast<uint8_t*>(out.data())));
  return out;
}

Status WriteStringToFile(const std::string& path, std::string_view contents) {
  ASSIGN_OR_RETURN(auto out, OpenLocalOutput(path));
  RETURN_NOT_OK(out->Write(contents));
  return out->Close();
}

}  // namespace ds::io
