#include "http/worker_pool.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bit>
#include <system_error>

namespace ds::http {

namespace {

constexpr int kSpins = 300;  // about 10 µs of pause instructions

void FutexWait(std::atomic<int32_t>* word, int32_t expected) {
  syscall(SYS_futex, reinterpret_cast<int32_t*>(word), FUTEX_WAIT_PRIVATE, expected, nullptr,
          nullptr, 0);
}

void FutexWake(std::atomic<int32_t>* word, int32_t count) {
  syscall(SYS_futex, reinterpret_cast<int32_t*>(word), FUTEX_WAKE_PRIVATE, count, nullptr, nullptr,
          0);
}

}  // namespace

void WorkerPool::Semaphore::Release(int n) {
  permits_.fetch_add(n, std::memory_order_seq_cst);
  // Paired with Acquire's seq_cst sleepers_ increment: either we see the sleeper, or the
  // sleeper sees our permit before it sleeps.
  if (sleepers_.load(std::memory_order_seq_cst) > 0) FutexWake(&permits_, n);
}

void WorkerPool::Semaphore::Acquire() {
  auto try_take = [this] {
    int32_t p = permits_.load(std::memory_order_relaxed);
    while (p > 0) {
      if (permits_.compare_exchange_weak(p, p - 1, std::memory_order_acquire)) return true;
    }
    return false;
  };
  // A worker that just finished a task looks for the next one briefly before sleeping: under
  // load the next task is usually microseconds away, and a futex sleep/wake pair costs two
  // context switches.
  for (int spin = 0; spin < kSpins; ++spin) {
    if (try_take()) return;
    __builtin_ia32_pause();
  }
  sleepers_.fetch_add(1, std::memory_order_seq_cst);
  while (!try_take()) FutexWait(&permits_, 0);  // returns at once unless permits_ is still 0
  sleepers_.fetch_sub(1, std::memory_order_relaxed);
}

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
  available_.Release();
  return true;
}

void WorkerPool::Run() {
  Task task;
  while (true) {
    available_.Acquire();
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
  available_.Release(static_cast<int>(threads_.size()));
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
