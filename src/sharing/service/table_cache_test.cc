// TableCache freshness under concurrency: requests that share another request's log check
// (CachedTable::Latest coalescing) still see every commit made before they arrived.
#include "sharing/service/table_cache.h"

#include <atomic>
#include <thread>
#include <vector>

#include "http/metrics.h"
#include "test/sharing/delta_log_writer.h"
#include "test/testing/testing.h"

namespace ds::sharing::testing {
namespace {

using service::CachedTable;
using service::TableCache;

TEST(TableCacheTest, ConcurrentRequestsSeeEveryCommitMadeBeforeTheyArrived) {
  ds::testing::TempDir dir;
  DeltaLogWriter log(dir.path() / "t");
  ASSERT_OK(log.Commit({ProtocolAction(1, 2), MetadataAction(SimpleSchema({{"id", "long"}}), {})},
                       1700000000000));
  service::TableCacheOptions options;
  options.metrics = std::make_shared<http::MetricsRegistry>();
  TableCache cache(service::OpenLocalLocation, options);
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<CachedTable> table, cache.Get((dir.path() / "t").string()));

  constexpr int kCommits = 40;
  std::atomic<int64_t> committed{0};  // the newest version whose commit file is complete
  std::atomic<bool> done{false};
  // Commit files are written in place, so a reader may list one half-written (an error, not
  // what this test is about): such calls are counted apart.
  std::atomic<int64_t> stale{0}, calls{0}, failed{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        const int64_t before = committed.load();
        auto s = table->Latest();
        if (!s.ok()) {
          ++failed;
          continue;
        }
        if ((*s)->version() < before) ++stale;
        ++calls;
      }
    });
  }
  for (int v = 1; v <= kCommits; ++v) {
    ASSERT_OK(log.Commit({AddAction("f" + std::to_string(v) + ".parquet", {}, 10)},
                         1700000000000 + v * 1000));
    committed.store(v);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  done = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(stale.load(), 0) << "of " << calls.load() << " calls";
  EXPECT_GT(calls.load(), kCommits) << failed.load() << " failed";
  ASSERT_OK_AND_ASSIGN(delta::SnapshotPtr last, table->Latest());
  EXPECT_EQ(last->version(), kCommits);
  EXPECT_EQ(last->files().num_files(), static_cast<size_t>(kCommits));
}

}  // namespace
}  // namespace ds::sharing::testing
