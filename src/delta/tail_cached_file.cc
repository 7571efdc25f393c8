#include "delta/tail_cached_file.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <vector>

namespace ds::delta {
namespace {

class TailCachedFile final : public io::RandomAccessFile {
 public:
  explicit TailCachedFile(io::RandomAccessFilePtr inner)
      : inner_(std::move(inner)), tail_start_(std::max<int64_t>(0, inner_->size() - kTail)) {}
  int64_t size() const override { return inner_->size(); }
  const std::string& name() const override { return inner_->name(); }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    RETURN_NOT_OK(CheckRange(offset, length));
    if (offset < tail_start_) return inner_->ReadAt(offset, length, out);
    std::lock_guard<std::mutex> lock(mu_);
    if (!loaded_) {
      tail_.resize(static_cast<size_t>(size() - tail_start_));
      RETURN_NOT_OK(inner_->ReadAt(tail_start_, size() - tail_start_, tail_.data()));
      loaded_ = true;
    }
    if (length > 0) {
      std::memcpy(out, tail_.data() + (offset - tail_start_), static_cast<size_t>(length));
    }
    return Status::OK();
  }

 private:
  static constexpr int64_t kTail = 256 * 1024;
  io::RandomAccessFilePtr inner_;
  const int64_t tail_start_;
  mutable std::mutex mu_;
  mutable bool loaded_ = false;
  mutable std::vector<uint8_t> tail_;
};

}  // namespace

io::RandomAccessFilePtr WithCachedTail(io::RandomAccessFilePtr file) {
  return std::make_shared<TailCachedFile>(std::move(file));
}

}  // namespace ds::delta
