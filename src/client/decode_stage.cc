#include "client/decode_stage.h"

#include <algorithm>

namespace ds::client {

DecodeStage::DecodeStage(DownloadPool* pool, Opener open, Transform transform, Label label,
                         int threads, int queue_batches)
    : pool_(pool),
      open_(std::move(open)),
      transform_(std::move(transform)),
      label_(std::move(label)),
      queue_batches_(static_cast<size_t>(std::max(queue_batches, 1))) {
  if (threads < 1) {
    threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  }
  const size_t n = std::min(static_cast<size_t>(threads), std::max<size_t>(pool->num_files(), 1));
  for (size_t i = 0; i < n; ++i) threads_.emplace_back([this] { Work(); });
}

DecodeStage::~DecodeStage() {
  Cancel();
  for (std::thread& t : threads_) t.join();
}

void DecodeStage::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    cv_.notify_all();
  }
  pool_->Cancel();
}

bool DecodeStage::Push(size_t index, columnar::RecordBatch batch) {
  std::unique_lock<std::mutex> lock(mu_);
  FileQueue& q = queues_[index];
  // The file the reader is on never waits: the reader may be waiting for it.
  cv_.wait(lock, [&] {
    return cancelled_ || q.batches.size() - q.head < queue_batches_ || index == next_read_;
  });
  if (cancelled_) return false;
  q.batches.push_back(std::move(batch));
  cv_.notify_all();
  return true;
}

void DecodeStage::Finish(size_t index, Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  FileQueue& q = queues_[index];
  q.done = true;
  q.error = std::move(status);
  cv_.notify_all();
}

void DecodeStage::Work() {
  while (true) {
    size_t index = 0;
    Result<std::optional<FetchedFile>> fetched = std::optional<FetchedFile>();
    {
      std::lock_guard<std::mutex> take(take_mu_);
      if (exhausted_) return;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (cancelled_) return;
        index = next_take_;
        queues_[index];  // the reader now waits on this file's queue
      }
      fetched = pool_->Next();
      ++next_take_;
      if (fetched.ok() && !*fetched) {
        exhausted_ = true;
        std::lock_guard<std::mutex> lock(mu_);
        queues_.erase(index);
        end_ = index;
        cv_.notify_all();
        return;
      }
    }
    if (!fetched.ok()) {
      Finish(index, fetched.status());
      return;
    }
    FetchedFile file = std::move(**fetched);
    Status st;
    auto reader = open_(file);
    if (!reader.ok()) {
      st = reader.status().WithContext(label_(index));
    } else {
      while (true) {
        auto batch = (*reader)->Next();
        if (!batch.ok()) {
          st = batch.status().WithContext(label_(index));
          break;
        }
        if (!*batch) break;
        if ((*batch)->num_rows == 0) continue;
        auto out = transform_(**batch);
        if (!out.ok()) {
          st = out.status().WithContext(label_(index));
          break;
        }
        if (out->num_rows == 0) continue;
        if (!Push(index, std::move(out).value())) return;
      }
    }
    const bool failed = !st.ok();
    Finish(index, std::move(st));
    if (failed) return;
  }
}

Result<std::optional<columnar::RecordBatch>> DecodeStage::Next() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (end_ && next_read_ >= *end_) return std::optional<columnar::RecordBatch>();
    auto it = queues_.find(next_read_);
    if (it != queues_.end()) {
      FileQueue& q = it->second;
      if (q.head < q.batches.size()) {
        columnar::RecordBatch batch = std::move(q.batches[q.head++]);
        if (q.head == q.batches.size()) {
          q.batches.clear();
          q.head = 0;
        }
        cv_.notify_all();
        return std::optional<columnar::RecordBatch>(std::move(batch));
      }
      if (q.done) {
        if (!q.error.ok()) return q.error;
        queues_.erase(it);
        ++next_read_;
        cv_.notify_all();
        continue;
      }
    }
    if (cancelled_) return Status::Cancelled("reading cancelled");
    cv_.wait(lock);
  }
}

}  // namespace ds::client
