// AuditLog: asynchronous, batched appending of audit records to an AccessStore.
//
// Append only queues the record (a mutex and a move); a background thread writes batches
// every flush interval, or sooner when a batch fills. When the store fails, records stay
// queued and are retried with backoff; once `max_queued` records wait, Append refuses new
// ones (ResourceExhausted) so a caller that must not serve unaudited requests can fail
// closed. Destruction flushes what it can.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "access/access_store.h"

namespace ds::access {

struct AuditLogOptions {
  int64_t flush_interval_ms = 200;
  size_t max_batch = 1000;
  size_t max_queued = 100000;
};

class AuditLog {
 public:
  AuditLog(AccessStorePtr store, AuditLogOptions options = {});
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Queues `record`. ResourceExhausted (the record is dropped and counted) when
  // options.max_queued records are already waiting.
  Status Append(AuditRecord record);

  // False while options.max_queued records wait, i.e. while Append would refuse. Callers that
  // must not serve unaudited requests check it before doing any work.
  bool Accepting() const;

  // Writes everything queued before the call returns; the store's error if a write fails
  // (the records stay queued for the background thread).
  Status Flush();

  struct Stats {
    int64_t written = 0;
    int64_t dropped = 0;
    int64_t failed_writes = 0;
    size_t queued = 0;
  };
  Stats stats() const;

 private:
  void Run();
  // Writes up to one batch; REQUIRES: write_mu_ held.
  Status WriteBatch();

  AccessStorePtr store_;
  const AuditLogOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<AuditRecord> queue_;
  bool stop_ = false;
  Stats stats_;
  std::mutex write_mu_;  // one writer at a time keeps records in append order
  std::thread thread_;
};

}  // namespace ds::access
