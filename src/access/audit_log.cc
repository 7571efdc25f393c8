#include "access/audit_log.h"

#include <algorithm>
#include <chrono>

namespace ds::access {

AuditLog::AuditLog(AccessStorePtr store, AuditLogOptions options)
    : store_(std::move(store)), options_(options) {
  thread_ = std::thread([this] { Run(); });
}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  (void)Flush();
}

Status AuditLog::Append(AuditRecord record) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= options_.max_queued) {
      ++stats_.dropped;
      return Status::ResourceExhausted("audit log: " + std::to_string(queue_.size()) +
                                       " records are waiting for the access store");
    }
    queue_.push_back(std::move(record));
    wake = queue_.size() >= options_.max_batch;
  }
  if (wake) cv_.notify_one();
  return Status::OK();
}

bool AuditLog::Accepting() const {
  std::lock_guard lock(mu_);
  return queue_.size() < options_.max_queued;
}

Status AuditLog::WriteBatch() {
  std::vector<AuditRecord> batch;
  {
    std::lock_guard lock(mu_);
    size_t n = std::min(queue_.size(), options_.max_batch);
    batch.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }
  if (batch.empty()) return Status::OK();
  Status st = store_->AppendAudit(batch);
  std::lock_guard lock(mu_);
  if (st.ok()) {
    stats_.written += static_cast<int64_t>(batch.size());
    return st;
  }
  ++stats_.failed_writes;
  // Put the batch back in front, in order, within the queue's bound.
  for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
    if (queue_.size() >= options_.max_queued) {
      ++stats_.dropped;
      continue;
    }
    queue_.push_front(std::move(*it));
  }
  return st;
}

Status AuditLog::Flush() {
  std::lock_guard writer(write_mu_);
  size_t target;
  {
    std::lock_guard lock(mu_);
    target = queue_.size();
  }
  while (target > 0) {
    size_t before;
    {
      std::lock_guard lock(mu_);
      before = queue_.size();
      if (before == 0) break;
    }
    RETURN_NOT_OK(WriteBatch());
    target -= std::min(target, std::min(before, options_.max_batch));
  }
  return Status::OK();
}

void AuditLog::Run() {
  int64_t backoff_ms = options_.flush_interval_ms;
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::milliseconds(backoff_ms),
                 [&] { return stop_ || queue_.size() >= options_.max_batch; });
    if (stop_) break;
    if (queue_.empty()) continue;
    lock.unlock();
    Status st;
    {
      std::lock_guard writer(write_mu_);
      st = WriteBatch();
    }
    lock.lock();
    backoff_ms = st.ok() ? options_.flush_interval_ms : std::min<int64_t>(backoff_ms * 2, 30'000);
  }
}

AuditLog::Stats AuditLog::stats() const {
  std::lock_guard lock(mu_);
  Stats s = stats_;
  s.queued = queue_.size();
  return s;
}

}  // namespace ds::access
