// Buffer: an owning, growable, move-only byte array whose growth does not zero memory.
// The workhorse for decoded column data, file contents and response bodies.
//
// Thread-safety: none; share immutable buffers through std::shared_ptr<const Buffer>.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace ds {

using ByteView = std::span<const uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsStringView(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

class Buffer {
 public:
  Buffer() = default;
  // A buffer of `size` uninitialized bytes.
  explicit Buffer(size_t size) { Resize(size); }
  ~Buffer() { std::free(data_); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& o) noexcept : data_(o.data_), size_(o.size_), capacity_(o.capacity_) {
    o.data_ = nullptr;
    o.size_ = o.capacity_ = 0;
  }
  Buffer& operator=(Buffer&& o) noexcept {
    if (this != &o) {
      std::free(data_);
      data_ = o.data_;
      size_ = o.size_;
      capacity_ = o.capacity_;
      o.data_ = nullptr;
      o.size_ = o.capacity_ = 0;
    }
    return *this;
  }

  static Buffer CopyOf(ByteView bytes) {
    Buffer b(bytes.size());
    if (!bytes.empty()) std::memcpy(b.data_, bytes.data(), bytes.size());
    return b;
  }
  static Buffer CopyOf(std::string_view s) { return CopyOf(AsBytes(s)); }

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }

  template <typename T>
  T* mutable_data_as() {
    return reinterpret_cast<T*>(data_);
  }
  template <typename T>
  const T* data_as() const {
    return reinterpret_cast<const T*>(data_);
  }

  ByteView view() const { return {data_, size_}; }
  std::string_view string_view() const { return {reinterpret_cast<const char*>(data_), size_}; }

  // Grows or shrinks to `n` bytes; new bytes are uninitialized. Aborts if memory runs out.
  void Resize(size_t n) {
    Reserve(n);
    size_ = n;
  }
  // Like Resize, but new bytes are zero.
  void ResizeZeroed(size_t n) {
    size_t old = size_;
    Resize(n);
    if (n > old) std::memset(data_ + old, 0, n - old);
  }
  void Reserve(size_t n) {
    if (n <= capacity_) return;
    size_t cap = capacity_ < 64 ? 64 : capacity_;
    while (cap < n) cap = cap + cap / 2 > cap ? cap + cap / 2 : n;
    Grow(cap);
  }
  void Clear() { size_ = 0; }
  void Append(const void* p, size_t n) {
    if (n == 0) return;
    Reserve(size_ + n);
    std::memcpy(data_ + size_, p, n);
    size_ += n;
  }
  void Append(ByteView b) { Append(b.data(), b.size()); }
  void Append(std::string_view s) { Append(s.data(), s.size()); }
  void PushByte(uint8_t b) {
    if (size_ == capacity_) Reserve(size_ + 1);
    data_[size_++] = b;
  }
  template <typename T>
  void AppendValue(const T& v) {
    Append(&v, sizeof(T));
  }

 private:
  void Grow(size_t cap);

  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

using BufferPtr = std::shared_ptr<Buffer>;

}  // namespace ds
