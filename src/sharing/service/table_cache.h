// TableCache: the snapshot cache shared by every request of the server.
//
// One CachedTable per table location, holding the opened delta::Table and its newest
// snapshot. Latest() re-checks the log at most every `refresh_interval_ms` and applies only
// the new commits (delta::Table::Update), so a hot 300k-file table costs one log listing per
// request, not a replay. A few historical snapshots (time travel, pinned page tokens) are
// kept too, built from the nearest older cached snapshot when possible. Concurrent requests
// for the same table share one load: the first loads, the others wait for it.
//
// Thread-safety: every method may be called from many threads.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "delta/table.h"
#include "objstore/url_signer.h"

namespace ds::sharing::service {

// A table location opened for the server: where the table lives and how its files are
// handed out. `signer` is null for stores the server serves itself (local files).
struct OpenedLocation {
  objstore::ObjectStorePtr store;
  std::string root;  // the table root's key in `store`
  objstore::UrlSignerPtr signer;
  bool local = false;      // files served by the server's own signed-URL endpoint
  std::string local_root;  // local: the table's directory on disk
};

// Opens a location URI (a path, file://, s3://, abfss://, gs://…).
using LocationResolver = std::function<Result<OpenedLocation>(const std::string& uri)>;

// The resolver for local paths and file:// URIs only (tests, the embedded default).
Result<OpenedLocation> OpenLocalLocation(const std::string& uri);

class CachedTable {
 public:
  CachedTable(std::string location, OpenedLocation opened, int64_t refresh_interval_ms,
              size_t max_historical);

  const std::string& location() const { return location_; }
  const OpenedLocation& opened() const { return opened_; }
  const delta::TablePtr& table() const { return table_; }

  // The newest snapshot (checked against the log if the last check is older than the
  // refresh interval).
  Result<delta::SnapshotPtr> Latest();
  // The snapshot at `version`; OutOfRange from the kernel if the version does not exist.
  Result<delta::SnapshotPtr> AtVersion(int64_t version);
  // The newest version without building a snapshot when the cache is fresh.
  Result<int64_t> LatestVersion();
  // The commit timeline (cached with the latest snapshot's version).
  Result<std::shared_ptr<const delta::CommitTimeline>> Timeline();

  // The live files of `snapshot` ordered by (path, deletion vector id): a stable order for
  // pagination across servers and restarts. Computed once per snapshot.
  Result<std::shared_ptr<const std::vector<uint32_t>>> SortedFiles(
      const delta::SnapshotPtr& snapshot);

 private:
  Result<delta::SnapshotPtr> LatestLocked(int64_t now_ms);

  const std::string location_;
  const OpenedLocation opened_;
  const delta::TablePtr table_;
  const int64_t refresh_interval_ms_;
  const size_t max_historical_;

  std::mutex mu_;  // held while loading: concurrent requests wait for one load
  delta::SnapshotPtr latest_;
  int64_t checked_at_ms_ = -1;
  std::shared_ptr<const delta::CommitTimeline> timeline_;
  int64_t timeline_version_ = -1;
  std::list<delta::SnapshotPtr> historical_;  // most recently used first
  std::mutex sorted_mu_;
  std::map<const delta::Snapshot*, std::pair<std::weak_ptr<const delta::Snapshot>,
                                             std::shared_ptr<const std::vector<uint32_t>>>>
      sorted_;
};

struct TableCacheOptions {
  int64_t refresh_interval_ms = 0;  // 0 = check the log on every request
  size_t max_tables = 1024;         // least recently used tables are dropped beyond this
  size_t max_historical_per_table = 4;
};

class TableCache {
 public:
  TableCache(LocationResolver resolver, TableCacheOptions options = {});

  // The cached table for a location, opening it on first use. Errors from the resolver.
  Result<std::shared_ptr<CachedTable>> Get(const std::string& location);

  size_t size() const;

 private:
  LocationResolver resolver_;
  TableCacheOptions options_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;  // most recent first
  std::unordered_map<std::string,
                     std::pair<std::shared_ptr<CachedTable>, std::list<std::string>::iterator>>
      tables_;
};

// ms since the epoch (steady enough for cache ages).
int64_t NowMs();

}  // namespace ds::sharing::service
