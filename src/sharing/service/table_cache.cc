#include "sharing/service/table_cache.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "objstore/local_store.h"
#include "util/string_util.h"
#include "util/uri.h"

namespace ds::sharing::service {
namespace {

template <typename T>
void PushFront(std::list<T>* list, T value, size_t max) {
  list->push_front(std::move(value));
  while (list->size() > max) list->pop_back();
}

}  // namespace

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<OpenedLocation> OpenLocalLocation(const std::string& uri) {
  std::string path = uri;
  if (StartsWith(path, "file://")) {
    ASSIGN_OR_RETURN(path, PercentDecode(path.substr(7)));
  } else if (StartsWith(path, "file:")) {
    ASSIGN_OR_RETURN(path, PercentDecode(path.substr(5)));
  } else if (path.find("://") != std::string::npos) {
    return Status::NotSupported("no object store is configured for '" + uri + "'");
  }
  if (path.empty()) return Status::InvalidArgument("empty table location");
  std::error_code ec;
  std::string abs = std::filesystem::absolute(path, ec).lexically_normal().string();
  if (ec) return Status::InvalidArgument("bad table location '" + uri + "': " + ec.message());
  while (abs.size() > 1 && abs.back() == '/') abs.pop_back();
  OpenedLocation out;
  out.store = std::make_shared<objstore::LocalStore>(abs);
  out.root = "";
  out.local = true;
  out.local_root = abs;
  return out;
}

CachedTable::CachedTable(std::string location, OpenedLocation opened, int64_t refresh_interval_ms,
                         size_t max_historical, TableCacheCounters counters)
    : location_(std::move(location)),
      opened_(std::move(opened)),
      table_(delta::Table::Open(opened_.store, opened_.root)),
      refresh_interval_ms_(refresh_interval_ms),
      max_historical_(max_historical),
      counters_(counters) {}

Result<delta::SnapshotPtr> CachedTable::LatestLocked(int64_t now_ms, uint64_t seen_checks) {
  if (latest_ && checked_at_ms_ >= 0 && now_ms - checked_at_ms_ < refresh_interval_ms_) {
    Count(counters_.hits);
    return latest_;
  }
  // A check that started after the caller arrived saw every commit made before it did: its
  // result is as fresh as a check of the caller's own (requests that queued on mu_ behind a
  // check share the next one instead of listing the log one after another).
  if (latest_ && last_check_ > seen_checks) {
    Count(counters_.hits);
    return latest_;
  }
  const uint64_t check = checks_started_.fetch_add(1) + 1;
  delta::SnapshotPtr next;
  if (latest_) {
    auto updated = table_->Update(latest_);
    if (updated.ok()) {
      next = std::move(updated).value();
      Count(next == latest_ ? counters_.hits : counters_.updates);
    } else {
      // The log moved in a way an update cannot follow (e.g. the table was replaced, or it
      // broke): forget the cached state and load afresh.
      latest_.reset();
      historical_.clear();
    }
  }
  if (!next) {
    auto loaded = table_->LatestSnapshot();
    if (!loaded.ok()) {
      Count(counters_.failures);
      return loaded.status();
    }
    next = std::move(loaded).value();
    Count(counters_.loads);
  }
  if (latest_ && next != latest_ && next->version() > latest_->version()) {
    // Keep the previous head for requests pinned to it (pagination in flight).
    PushFront(&historical_, latest_, max_historical_);
  }
  latest_ = std::move(next);
  checked_at_ms_ = now_ms;
  last_check_ = check;
  return latest_;
}

Result<delta::SnapshotPtr> CachedTable::Latest() {
  const uint64_t seen = checks_started_.load();  // before waiting for mu_
  std::lock_guard<std::mutex> lock(mu_);
  return LatestLocked(NowMs(), seen);
}

Result<int64_t> CachedTable::LatestVersion() {
  ASSIGN_OR_RETURN(delta::SnapshotPtr s, Latest());
  return s->version();
}

Result<delta::SnapshotPtr> CachedTable::AtVersion(int64_t version) {
  std::lock_guard<std::mutex> lock(mu_);
  if (latest_ && latest_->version() == version) {
    Count(counters_.hits);
    return latest_;
  }
  for (auto it = historical_.begin(); it != historical_.end(); ++it) {
    if ((*it)->version() == version) {
      historical_.splice(historical_.begin(), historical_, it);
      Count(counters_.hits);
      return historical_.front();
    }
  }
  // Build from the newest cached snapshot older than `version`, else from scratch.
  delta::SnapshotPtr base;
  if (latest_ && latest_->version() < version) base = latest_;
  for (const auto& s : historical_) {
    if (s->version() < version && (!base || s->version() > base->version())) base = s;
  }
  delta::SnapshotPtr built;
  if (base) {
    auto updated = table_->Update(base, version);
    if (updated.ok()) {
      built = std::move(updated).value();
      Count(counters_.updates);
    }
  }
  if (!built) {
    auto loaded = table_->SnapshotAtVersion(version);
    if (!loaded.ok()) {
      Count(counters_.failures);
      return loaded.status();
    }
    built = std::move(loaded).value();
    Count(counters_.loads);
  }
  if (latest_ && built->version() > latest_->version()) {
    PushFront(&historical_, latest_, max_historical_);
    latest_ = built;  // a newer head than we knew
  } else {
    PushFront(&historical_, built, max_historical_);
  }
  return built;
}

Result<std::shared_ptr<const delta::ProtocolAndMetadata>> CachedTable::ProtocolAndMetadataAt(
    int64_t version) {
  std::lock_guard<std::mutex> lock(mu_);
  auto from_snapshot = [&](const delta::SnapshotPtr& s) {
    auto pm = std::make_shared<delta::ProtocolAndMetadata>();
    pm->version = s->version();
    pm->protocol = s->protocol();
    pm->metadata = s->metadata();
    return pm;
  };
  for (auto it = headers_.begin(); it != headers_.end(); ++it) {
    if ((*it)->version == version) {
      headers_.splice(headers_.begin(), headers_, it);
      Count(counters_.hits);
      return headers_.front();
    }
  }
  std::shared_ptr<const delta::ProtocolAndMetadata> found;
  if (latest_ && latest_->version() == version) found = from_snapshot(latest_);
  for (const auto& s : historical_) {
    if (!found && s->version() == version) found = from_snapshot(s);
  }
  if (found) {
    Count(counters_.hits);
  } else {
    auto loaded = table_->LoadProtocolAndMetadata(version);
    if (!loaded.ok()) {
      Count(counters_.failures);
      return loaded.status();
    }
    found = std::make_shared<delta::ProtocolAndMetadata>(std::move(loaded).value());
    Count(counters_.loads);
  }
  PushFront(&headers_, found, 2 * max_historical_ + 2);
  return found;
}

Result<std::shared_ptr<const delta::CommitTimeline>> CachedTable::Timeline() {
  const uint64_t seen = checks_started_.load();
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(delta::SnapshotPtr latest, LatestLocked(NowMs(), seen));
  if (!timeline_ || timeline_version_ != latest->version()) {
    ASSIGN_OR_RETURN(timeline_, table_->Timeline());
    timeline_version_ = timeline_->latest_version();
  }
  return timeline_;
}

Result<std::shared_ptr<const std::vector<uint32_t>>> CachedTable::SortedFiles(
    const delta::SnapshotPtr& snapshot) {
  {
    std::lock_guard<std::mutex> lock(sorted_mu_);
    auto it = sorted_.find(snapshot.get());
    if (it != sorted_.end() && !it->second.first.expired()) return it->second.second;
  }
  const delta::FileTable& files = snapshot->files();
  auto order = std::make_shared<std::vector<uint32_t>>(files.num_files());
  for (uint32_t i = 0; i < order->size(); ++i) (*order)[i] = i;
  // Paths are views into the snapshot; deletion vector ids only break ties (one path with
  // several DVs), so they are computed only then.
  std::vector<std::string_view> paths(files.num_files());
  for (size_t i = 0; i < paths.size(); ++i) paths[i] = files.file(i).path();
  auto dv_id = [&](uint32_t i) {
    auto dv = files.file(i).deletion_vector();
    return dv ? dv->ToOwned().UniqueId() : std::string();
  };
  std::sort(order->begin(), order->end(), [&](uint32_t a, uint32_t b) {
    const int c = paths[a].compare(paths[b]);
    if (c != 0) return c < 0;
    return dv_id(a) < dv_id(b);
  });
  std::lock_guard<std::mutex> lock(sorted_mu_);
  for (auto it = sorted_.begin(); it != sorted_.end();) {
    it = it->second.first.expired() ? sorted_.erase(it) : std::next(it);
  }
  sorted_[snapshot.get()] = {snapshot, order};
  return std::shared_ptr<const std::vector<uint32_t>>(order);
}

TableCache::TableCache(LocationResolver resolver, TableCacheOptions options)
    : resolver_(std::move(resolver)), options_(std::move(options)) {
  if (options_.metrics) {
    auto& family = options_.metrics->AddCounter(
        "deltashare_snapshot_cache_total",
        "Snapshot lookups by outcome: hit (cached as is), update (new commits applied), load "
        "(replayed from the log), failure.",
        {"result"});
    counters_.hits = &family.WithLabels({"hit"});
    counters_.updates = &family.WithLabels({"update"});
    counters_.loads = &family.WithLabels({"load"});
    counters_.failures = &family.WithLabels({"failure"});
  }
}

Result<std::shared_ptr<CachedTable>> TableCache::Get(const std::string& location) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = tables_.find(location);
    if (it != tables_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.second);
      return it->second.first;
    }
  }
  ASSIGN_OR_RETURN(OpenedLocation opened, resolver_(location));
  auto table =
      std::make_shared<CachedTable>(location, std::move(opened), options_.refresh_interval_ms,
                                    options_.max_historical_per_table, counters_);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tables_.find(location);
  if (it != tables_.end()) return it->second.first;  // another request opened it meanwhile
  lru_.push_front(location);
  tables_[location] = {table, lru_.begin()};
  while (tables_.size() > options_.max_tables) {
    tables_.erase(lru_.back());
    lru_.pop_back();
  }
  return table;
}

size_t TableCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tables_.size();
}

}  // namespace ds::sharing::service
