#include "http/worker_pool.h"

#include <bit>
#include <system_error>

namespace ds::http {

WorkerPool::WorkerPool(Passkey, size_t capacity)
    : mask_(std::bit_ceil(std::max<size_t>(capacity, 2)) - 1),
      cells_(std::make_unique<Cell[]>(mask_ + 1)) {
  for (size_t i = 0; i <= mask_; ++i) cells_[i].sequence.store(i, std::memory_order_relaxed);
}

Result<std::unique_ptr<WorkerPool>> WorkerPool::Start(int threads, size_t queue_capacity) {
  auto pool = std::make_unique<WorkerPool>(Passkey{}, queue_capacity);
  try {
    for (int i = 0; i < std::max(threads, 1); ++i) {
      pool->threads_.emplace_back([p = pool.get()] { p->Run(); });
    }
  } catch (const std::system_error& e) {
    return Status::Internal(std::string("cannot start worker thread: ") + e.what());
  }
  return pool;
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::Push(Task& task) {
  size_t pos = enqueue_pos_.load(std::memory_order_relaxed);
  Cell* cell;
  while (true) {
    cell = &cells_[pos & mask_];
    size_t seq = cell->sequence.load(std::memory_order_acquire);
    auto diff = static_cast<std::ptrdiff_t>(seq) - static_cast<std::ptrdiff_t>(pos);
    if (diff == 0) {
      if (enqueue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
    } else if (diff < 0) {
      return false;  // full
    } else {
      pos = enqueue_pos_.load(std::memory_order_relaxed);
    }
  }
  cell->task = std::move(task);
  cell->sequence.store(pos + 1, std::memory_order_release);
  return true;
}

bool WorkerPool::Pop(Task* task) {
  size_t pos = dequeue_pos_.load(std::memory_order_relaxed);
  Cell* cell;
  while (true) {
    cell = &cells_[pos & mask_];
    size_t seq = cell->sequence.load(std::memory_order_acquire);
    auto diff = static_cast<std::ptrdiff_t>(seq) - static_cast<std::ptrdiff_t>(pos + 1);
    if (diff == 0) {
      if (dequeue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
    } else if (diff < 0) {
      return false;  // empty, or the producer of this cell has not finished publishing
    } else {
      pos = dequeue_pos_.load(std::memory_order_relaxed);
    }
  }
  *task = std::move(cell->task);
  cell->task = nullptr;
  cell->sequence.store(pos + mask_ + 1, std::memory_order_release);
  return true;
}

bool WorkerPool::TrySubmit(Task& task) {
  if (stopping_.load(std::memory_order_acquire)) return false;
  if (!Push(task)) return false;
  available_.release();
  return true;
}

void WorkerPool::Run() {
  Task task;
  while (true) {
    available_.acquire();
    // Each release matches one published task or one stop token. A task's release comes
    // after its cell is published, but an earlier cell may still be mid-publish: wait for it.
    while (!Pop(&task)) {
      if (stopping_.load(std::memory_order_acquire) && queue_depth() == 0) return;
      std::this_thread::yield();
    }
    task();
    task = nullptr;
  }
}

void WorkerPool::Shutdown() {
  if (stopping_.exchange(true, std::memory_order_acq_rel)) {
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    return;
  }
  available_.release(static_cast<std::ptrdiff_t>(threads_.size()));
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

size_t WorkerPool::queue_depth() const {
  size_t enq = enqueue_pos_.load(std::memory_order_acquire);
  size_t deq = dequeue_pos_.load(std::memory_order_acquire);
  return enq > deq ? enq - deq : 0;
}

}  // namespace ds::http
