#include "http/worker_pool.h"

#include <atomic>
#include <chrono>
#include <latch>

#include "test/testing/testing.h"

namespace ds::http {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskFromManyProducers) {
  ASSERT_OK_AND_ASSIGN(auto pool, WorkerPool::Start(4, 1024));
  std::atomic<int> ran{0};
  std::vector<std::thread> producers;
  std::atomic<int> submitted{0};
  for (int p = 0; p < 4; ++p) {
    producers.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        WorkerPool::Task t = [&ran] { ran.fetch_add(1); };
        while (!pool->TrySubmit(t)) std::this_thread::yield();
        submitted.fetch_add(1);
      }
    });
  }
  for (auto& t : producers) t.join();
  pool->Shutdown();  // runs what is queued
  EXPECT_EQ(submitted.load(), 80000);
  EXPECT_EQ(ran.load(), 80000);
}

TEST(WorkerPoolTest, FullQueueRefusesAndKeepsTheTask) {
  ASSERT_OK_AND_ASSIGN(auto pool, WorkerPool::Start(1, 4));
  std::latch release(1);
  std::atomic<int> ran{0};
  WorkerPool::Task block = [&] { release.wait(); };
  ASSERT_TRUE(pool->TrySubmit(block));
  // The worker may or may not have taken the blocking task yet: fill until refused.
  int accepted = 0;
  WorkerPool::Task t;
  while (true) {
    t = [&ran] { ran.fetch_add(1); };
    if (!pool->TrySubmit(t)) break;
    ++accepted;
    ASSERT_LE(accepted, 5);
  }
  EXPECT_TRUE(static_cast<bool>(t));  // a refused task is left to the caller
  EXPECT_GE(accepted, 3);
  release.count_down();
  pool->Shutdown();
  EXPECT_EQ(ran.load(), accepted);
  WorkerPool::Task late = [] {};
  EXPECT_FALSE(pool->TrySubmit(late));  // after shutdown
}

}  // namespace
}  // namespace ds::http
