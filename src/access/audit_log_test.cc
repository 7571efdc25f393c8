// AuditLog: batching, ordering, flushing on destruction, retrying and bounding the queue
// when the store fails.
#include "access/audit_log.h"

#include <thread>

#include "access/faulty_store.h"
#include "access/memory_store.h"
#include "test/testing/testing.h"

namespace ds::access {
namespace {

AuditRecord Record(int64_t i) {
  AuditRecord r;
  r.time_ms = i;
  r.recipient = "r";
  r.operation = "queryTable";
  r.status = 200;
  return r;
}

TEST(AuditLogTest, RecordsArriveInOrder) {
  auto store = std::make_shared<MemoryAccessStore>();
  {
    AuditLogOptions options;
    options.max_batch = 7;
    AuditLog log(store, options);
    for (int i = 0; i < 100; ++i) ASSERT_OK(log.Append(Record(i)));
    ASSERT_OK(log.Flush());
    EXPECT_EQ(log.stats().written, 100);
    EXPECT_EQ(log.stats().queued, 0u);
  }
  AuditQuery q;
  q.limit = 1000;
  ASSERT_OK_AND_ASSIGN(auto records, store->QueryAudit(q));
  ASSERT_EQ(records.size(), 100u);
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].time_ms, static_cast<int64_t>(99 - i));  // newest first
  }
}

TEST(AuditLogTest, MemoryStoreKeepsOnlyTheNewestRecords) {
  MemoryAccessStore store(/*max_audit_records=*/50);
  for (int batch = 0; batch < 4; ++batch) {
    std::vector<AuditRecord> records;
    for (int i = 0; i < 30; ++i) records.push_back(Record(batch * 30 + i));
    ASSERT_OK(store.AppendAudit(records));
  }
  AuditQuery q;
  q.limit = 1000;
  ASSERT_OK_AND_ASSIGN(auto kept, store.QueryAudit(q));
  ASSERT_EQ(kept.size(), 50u);
  EXPECT_EQ(kept.front().time_ms, 119);
  EXPECT_EQ(kept.back().time_ms, 70);  // the 70 oldest were dropped
}

TEST(AuditLogTest, BackgroundThreadWritesWithoutAFlush) {
  auto store = std::make_shared<MemoryAccessStore>();
  AuditLogOptions options;
  options.flush_interval_ms = 10;
  AuditLog log(store, options);
  ASSERT_OK(log.Append(Record(1)));
  for (int i = 0; i < 200 && log.stats().written == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(log.stats().written, 1);
}

TEST(AuditLogTest, DestructionFlushes) {
  auto store = std::make_shared<MemoryAccessStore>();
  {
    AuditLogOptions options;
    options.flush_interval_ms = 60'000;
    AuditLog log(store, options);
    ASSERT_OK(log.Append(Record(1)));
    ASSERT_OK(log.Append(Record(2)));
  }
  ASSERT_OK_AND_ASSIGN(auto records, store->QueryAudit({}));
  EXPECT_EQ(records.size(), 2u);
}

TEST(AuditLogTest, FailuresKeepRecordsQueuedAndTheQueueIsBounded) {
  auto faulty = std::make_shared<FaultyAccessStore>(std::make_shared<MemoryAccessStore>());
  AuditLogOptions options;
  options.flush_interval_ms = 60'000;
  options.max_queued = 5;
  AuditLog log(faulty, options);
  faulty->SetFailing(true);
  for (int i = 0; i < 5; ++i) ASSERT_OK(log.Append(Record(i)));
  ASSERT_RAISES(kResourceExhausted, log.Append(Record(5)));
  ASSERT_RAISES(kUnavailable, log.Flush());
  AuditLog::Stats stats = log.stats();
  EXPECT_EQ(stats.queued, 5u);
  EXPECT_EQ(stats.dropped, 1);
  EXPECT_GE(stats.failed_writes, 1);
  faulty->SetFailing(false);
  ASSERT_OK(log.Flush());
  EXPECT_EQ(log.stats().written, 5);
  ASSERT_OK_AND_ASSIGN(auto records, faulty->QueryAudit({}));
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records.back().time_ms, 0);  // order kept across the retry
}

TEST(AuditLogTest, ManyWriters) {
  auto store = std::make_shared<MemoryAccessStore>();
  AuditLog log(store);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) EXPECT_TRUE(log.Append(Record(i)).ok());
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_OK(log.Flush());
  EXPECT_EQ(log.stats().written, 4000);
}

}  // namespace
}  // namespace ds::access
