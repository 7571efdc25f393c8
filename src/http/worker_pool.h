// WorkerPool: a fixed set of threads running handler tasks from a bounded queue.
//
// The queue is a lock-free bounded multi-producer multi-consumer ring (Vyukov's sequence
// numbered cells), and idle workers sleep on a futex-based counting semaphore that costs one
// atomic add when nobody sleeps (libstdc++'s std::counting_semaphore spins with sched_yield,
// which burned 15% of the CPU under load). Submitting a task takes no lock. A full queue
// refuses the task (the server answers 503): load is shed instead of queued without bound.
//
// Thread-safety: TrySubmit may be called from any thread until Shutdown starts; Shutdown from
// one thread, once no thread submits any more.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "util/result.h"

namespace ds::http {

class WorkerPool {
 public:
  using Task = std::function<void()>;

  // Starts `threads` workers (>= 1) with a queue of at least `queue_capacity` tasks (rounded
  // up to a power of two). Internal error if a thread cannot be started.
  static Result<std::unique_ptr<WorkerPool>> Start(int threads, size_t queue_capacity);
  ~WorkerPool();  // Shutdown()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (and `task` untouched) if the queue is full or the pool is shutting
  // down. Tasks run in roughly FIFO order; a task must not throw.
  bool TrySubmit(Task& task);
  // Stops accepting tasks, runs every queued task, and joins the workers. Idempotent.
  void Shutdown();

  // Tasks queued and not yet started (approximate).
  size_t queue_depth() const;
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  struct Passkey {};

 public:
  WorkerPool(Passkey, size_t capacity);

 private:
  bool Push(Task& task);
  bool Pop(Task* task);
  void Run();

  // Permits = published tasks + stop tokens. Release wakes a sleeper only if there is one.
  class Semaphore {
   public:
    void Release(int n = 1);
    void Acquire();

   private:
    alignas(64) std::atomic<int32_t> permits_{0};
    alignas(64) std::atomic<int32_t> sleepers_{0};
  };

  struct alignas(64) Cell {
    std::atomic<size_t> sequence;
    Task task;
  };
  const size_t mask_;
  std::unique_ptr<Cell[]> cells_;
  alignas(64) std::atomic<size_t> enqueue_pos_{0};
  alignas(64) std::atomic<size_t> dequeue_pos_{0};
  Semaphore available_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace ds::http
