// Byte-level file interfaces: random-access input (local disk, memory, later object stores
// through ranged GETs) and sequential output.
//
// Thread-safety: RandomAccessFile::ReadAt and Size may be called from many threads at once.
// OutputStream is single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/buffer.h"
#include "util/result.h"

namespace ds::io {

class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Total size in bytes.
  virtual int64_t size() const = 0;
  // A name for error messages (a path or URL).
  virtual const std::string& name() const = 0;
  // Reads exactly `length` bytes at `offset` into `out`. OutOfRange if the range is not
  // inside the file; IOError if the OS or store fails.
  virtual Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const = 0;

  // Convenience: ReadAt into a new buffer.
  Result<Buffer> ReadAt(int64_t offset, int64_t length) const;

 protected:
  // OutOfRange unless 0 <= offset and offset + length <= size().
  Status CheckRange(int64_t offset, int64_t length) const;
};

using RandomAccessFilePtr = std::shared_ptr<RandomAccessFile>;

// Opens a local file for reading. NotFound if it does not exist, IOError otherwise.
Result<RandomAccessFilePtr> OpenLocalFile(const std::string& path);
// A file over bytes in memory (which it shares).
RandomAccessFilePtr MemoryFile(std::shared_ptr<const Buffer> bytes, std::string name = "<memory>");
RandomAccessFilePtr MemoryFile(std::string_view bytes, std::string name = "<memory>");

class OutputStream {
 public:
  virtual ~OutputStream() = default;
  virtual Status Write(ByteView bytes) = 0;
  Status Write(std::string_view s) { return Write(AsBytes(s)); }
  // Bytes written so far.
  virtual int64_t Tell() const = 0;
  // Flushes and closes; further writes fail. Idempotent.
  virtual Status Close() = 0;
};

// Creates (or truncates) a local file for buffered writing.
Result<std::unique_ptr<OutputStream>> OpenLocalOutput(const std::string& path);

// An output stream collecting bytes in memory.
class MemoryOutputStream final : public OutputStream {
 public:
  Status Write(ByteView bytes) override;
  int64_t Tell() const override { return static_cast<int64_t>(buffer_.size()); }
  Status Close() override { return Status::OK(); }
  Buffer& buffer() { return buffer_; }
  Buffer Take() { return std::move(buffer_); }

 private:
  Buffer buffer_;
};

// Whole-file helpers for small files (configs, logs, test data).
Result<std::string> ReadFileToString(const std::string& path);
Status WriteStringToFile(const std::string& path, std::string_view contents);

}  // namespace ds::io
