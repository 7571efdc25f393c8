// TableCache: the snapshot cache shared by every request of the server.
//
// One CachedTable per table location, holding the opened delta::Table and its newest
// snapshot. Latest() re-checks the log at most every `refresh_interval_ms` and applies only
// the new commits (delta::Table::Update), so a hot 300k-file table costs at most one log
// listing per request, not a replay; requests that arrive while a check runs share the next
// one (each still sees every commit made before it arrived). A few historical snapshots
// (time travel, pinned page tokens) are kept too, built from the nearest older cached snapshot when
// possible, and the protocol and metadata of a few more versions (change queries need only those).
// Concurrent requests for the same table share one load: the first loads, the others wait for it.
//
// Errors are the kernel's (delta/table.h): NotFound without a Delta log, OutOfRange for a
// version outside the history, Corruption for a broken log, store errors as they are. A
// failed load is not cached: the next request tries again, and other tables are unaffected.
//
// Thread-safety: every method may be called from many threads.
#pragma once

#include <atomic>
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
#include "http/metrics.h"
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
  // Sealed at rest for this share id (sealed_tables.h): `store` decrypts, and so must the
  // local-file endpoint. Empty = plain.
  std::string sealed_for;
};

// Opens a location URI (a path, file://, s3://, abfss://, gs://…).
using LocationResolver = std::function<Result<OpenedLocation>(const std::string& uri)>;

// The resolver for local paths and file:// URIs only (tests, the embedded default).
Result<OpenedLocation> OpenLocalLocation(const std::string& uri);

// How requests were answered, for /metrics (counters shared by every table of a cache).
struct TableCacheCounters {
  http::Counter* hits = nullptr;     // a cached snapshot (or protocol/metadata) served as is
  http::Counter* updates = nullptr;  // a cached snapshot brought forward by new commits
  http::Counter* loads = nullptr;    // built from the log (checkpoint + commits)
  http::Counter* failures = nullptr;
};

class CachedTable {
 public:
  CachedTable(std::string location, OpenedLocation opened, int64_t refresh_interval_ms,
              size_t max_historical, TableCacheCounters counters);

  const std::string& location() const { return location_; }
  const OpenedLocation& opened() const { return opened_; }
  const delta::TablePtr& table() const { return table_; }

  // The newest snapshot (checked against the log if the last check is older than the
  // refresh interval).
  Result<delta::SnapshotPtr> Latest();
  // The snapshot at `version`; OutOfRange from the kernel if the version does not exist.
  Result<delta::SnapshotPtr> AtVersion(int64_t version);
  // The newest version (same freshness rule as Latest).
  Result<int64_t> LatestVersion();
  // The protocol and metadata at `version`, from a cached snapshot when there is one, else
  // read from the log without building a snapshot (cached too).
  Result<std::shared_ptr<const delta::ProtocolAndMetadata>> ProtocolAndMetadataAt(int64_t version);
  // The commit timeline (cached with the latest snapshot's version).
  Result<std::shared_ptr<const delta::CommitTimeline>> Timeline();

  // The live files of `snapshot` ordered by (path, deletion vector id): a stable order for
  // pagination across servers and restarts. Computed once per snapshot.
  Result<std::shared_ptr<const std::vector<uint32_t>>> SortedFiles(
      const delta::SnapshotPtr& snapshot);

 private:
  // `seen_checks`: checks_started_ when the caller arrived (before it waited for mu_).
  Result<delta::SnapshotPtr> LatestLocked(int64_t now_ms, uint64_t seen_checks);
  void Count(http::Counter* counter) {
    if (counter != nullptr) counter->Increment();
  }

  const std::string location_;
  const OpenedLocation opened_;
  const delta::TablePtr table_;
  const int64_t refresh_interval_ms_;
  const size_t max_historical_;
  const TableCacheCounters counters_;

  std::mutex mu_;  // held while loading: concurrent requests wait for one load
  delta::SnapshotPtr latest_;
  int64_t checked_at_ms_ = -1;
  // Log checks started (incremented under mu_, read without it) and the number of the last
  // one that succeeded: a caller that arrived before that check started needs no check of its
  // own.
  std::atomic<uint64_t> checks_started_{0};
  uint64_t last_check_ = 0;
  std::shared_ptr<const delta::CommitTimeline> timeline_;
  int64_t timeline_version_ = -1;
  std::list<delta::SnapshotPtr> historical_;  // most recently used first
  std::list<std::shared_ptr<const delta::ProtocolAndMetadata>> headers_;  // idem
  std::mutex sorted_mu_;
  std::map<const delta::Snapshot*, std::pair<std::weak_ptr<const delta::Snapshot>,
                                             std::shared_ptr<const std::vector<uint32_t>>>>
      sorted_;
};

struct TableCacheOptions {
  int64_t refresh_interval_ms = 0;  // 0 = check the log on every request
  size_t max_tables = 1024;         // least recently used tables are dropped beyond this
  size_t max_historical_per_table = 4;
  // Where the cache counts hits, updates, loads and failures
  // (deltashare_snapshot_cache_total{result}); null = not counted.
  std::shared_ptr<http::MetricsRegistry> metrics;
};

class TableCache {
 public:
  explicit TableCache(LocationResolver resolver, TableCacheOptions options = {});

  // The cached table for a location, opening it on first use. Errors from the resolver.
  Result<std::shared_ptr<CachedTable>> Get(const std::string& location);

  size_t size() const;

 private:
  LocationResolver resolver_;
  TableCacheOptions options_;
  TableCacheCounters counters_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;  // most recent first
  std::unordered_map<std::string,
                     std::pair<std::shared_ptr<CachedTable>, std::list<std::string>::iterator>>
      tables_;
};

// ms since the epoch (system clock).
int64_t NowMs();

}  // namespace ds::sharing::service
