#include "sharing/service/async_queries.h"

#include <chrono>

namespace ds::sharing::service {
namespace {

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

AsyncQueries::AsyncQueries(int max_running, int64_t ttl_ms) : ttl_ms_(ttl_ms) {
  for (int i = 0; i < max_running; ++i) threads_.emplace_back([this] { Run(); });
}

AsyncQueries::~AsyncQueries() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void AsyncQueries::ExpireLocked(int64_t now_ms) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    const bool done = it->second->snapshot.state != State::kPending;
    it = done && now_ms - it->second->created_ms > ttl_ms_ ? entries_.erase(it) : std::next(it);
  }
}

AsyncQueries::Submitted AsyncQueries::Submit(const std::string& key, std::string query_id,
                                             std::shared_ptr<const void> context,
                                             std::function<Result<int64_t>()> work) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = SteadyMs();
  ExpireLocked(now);
  if (auto it = entries_.find(key); it != entries_.end()) return {it->second->query_id, false};
  auto entry = std::make_shared<Entry>();
  entry->query_id = query_id;
  entry->created_ms = now;
  entry->work = std::move(work);
  entry->snapshot.context = std::move(context);
  entries_[key] = entry;
  queue_.push_back(key);
  cv_.notify_one();
  return {std::move(query_id), true};
}

Result<AsyncQueries::Snapshot> AsyncQueries::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  ExpireLocked(SteadyMs());
  auto it = entries_.find(key);
  if (it == entries_.end()) return Status::NotFound("query not found (it may have expired)");
  return it->second->snapshot;
}

size_t AsyncQueries::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

void AsyncQueries::Run() {
  while (true) {
    std::shared_ptr<Entry> entry;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      const std::string key = queue_.front();
      queue_.erase(queue_.begin());
      auto it = entries_.find(key);
      if (it == entries_.end()) continue;
      entry = it->second;
    }
    Result<int64_t> version = entry->work();
    std::lock_guard<std::mutex> lock(mu_);
    entry->work = nullptr;
    if (version.ok()) {
      entry->snapshot.state = State::kSucceeded;
      entry->snapshot.version = *version;
    } else {
      entry->snapshot.state = State::kFailed;
      entry->snapshot.error = version.status().message();
    }
  }
}

}  // namespace ds::sharing::service
