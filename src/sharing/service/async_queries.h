// AsyncQueries: the registry behind asynchronous queries (protocol.md §7.8).
//
// A submitted query runs its expensive part (resolving the version and loading the snapshot
// into the table cache) on a background thread; polls answer "pending" until that is done,
// then serve the ordinary paginated query response from the loaded snapshot. The same
// idempotency key (with the same tenant, table and parameters) maps to the same entry and
// query id. Entries expire after `ttl_ms`; at most `max_running` loads run at once (more
// wait their turn).
//
// Thread-safety: every method may be called from many threads.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "util/result.h"

namespace ds::sharing::service {

class AsyncQueries {
 public:
  enum class State { kPending, kSucceeded, kFailed };

  struct Snapshot {
    State state = State::kPending;
    std::string error;                    // kFailed
    std::optional<int64_t> version;       // kSucceeded: the pinned version
    std::shared_ptr<const void> context;  // what Submit was given
  };

  explicit AsyncQueries(int max_running = 4, int64_t ttl_ms = 3'600'000);
  ~AsyncQueries();
  AsyncQueries(const AsyncQueries&) = delete;
  AsyncQueries& operator=(const AsyncQueries&) = delete;

  struct Submitted {
    std::string query_id;  // of the registered entry (an earlier submit's for a known key)
    bool created = false;  // a new entry: `work` will run
  };
  // Registers `key` under `query_id` and runs `work` (which returns the pinned version) in
  // the background, unless `key` exists already: then nothing runs and the existing entry's
  // id is returned, so that resubmitting gives the same query id. `context` is handed back by
  // Get (the caller's description of the query).
  Submitted Submit(const std::string& key, std::string query_id,
                   std::shared_ptr<const void> context, std::function<Result<int64_t>()> work);
  // The state of `key`; NotFound if unknown or expired.
  Result<Snapshot> Get(const std::string& key);
  size_t size() const;

 private:
  struct Entry {
    std::string query_id;
    Snapshot snapshot;
    int64_t created_ms = 0;
    std::function<Result<int64_t>()> work;
  };
  void Run();
  void ExpireLocked(int64_t now_ms);

  const int64_t ttl_ms_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;
  std::vector<std::string> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ds::sharing::service
