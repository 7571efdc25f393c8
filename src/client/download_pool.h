// DownloadPool: fetches the data files (and deletion vectors) of a sharing response in
// parallel, ahead of the reader, within a bounded window of bytes.
//
// Files are handed out strictly in index order (Next). Workers start file i only while the
// bytes held (downloaded or in flight, not yet released by the reader) stay within
// `window_bytes`, or when i is the file the reader waits for, so memory stays bounded by the
// window plus one file per worker and the reader never starves. Files larger than
// `spill_threshold_bytes` go to an unlinked temporary file instead of memory.
//
// Every download is checked: the byte count must equal the size from the log (a short or
// long body is retried as a truncated download), and the Parquet magic must open and close
// the file. Transient failures (connection errors, timeouts, 5xx after the HTTP client's own
// retries, truncation) are retried with backoff up to `max_attempts` per file. A URL that is
// refused (HTTP 400/401/403: expired or invalid signature) or that expires within
// `expiry_margin_ms` (at most a quarter of the URLs' lifetime) before its download starts
// triggers one refresh for every worker that
// saw the same URLs: the refresher returns fresh URLs for all files, which replace the old
// ones of the files not yet done; completed files are never downloaded again.
//
// Thread-safety: Next and Cancel are for one consumer thread; the callbacks in the options
// run on worker threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "delta/deletion_vector.h"
#include "httpclient/http_client.h"
#include "io/file.h"

namespace ds::client {

struct RemoteFile {
  std::string key;  // names the file in refreshed URL sets
  std::string url;
  int64_t size = 0;
  std::optional<int64_t> expiration_ms;
  // Deletion vectors the reader needs with this file ('i' inline or 'p' with a URL path).
  std::vector<delta::DeletionVectorDescriptor> dvs;
  std::string label;  // for messages (e.g. the file id)
};

struct FetchedFile {
  size_t index = 0;
  io::RandomAccessFilePtr data;
  std::vector<delta::DeletionVector> dvs;  // parallel to RemoteFile::dvs
};

// Fresh URLs, by RemoteFile::key. A file missing from the set keeps its URL.
struct FreshUrl {
  std::string url;
  std::optional<int64_t> expiration_ms;
  std::vector<std::string> dv_urls;  // the 'p' DV paths, in RemoteFile::dvs order
};
using FreshUrls = std::unordered_map<std::string, FreshUrl>;
using UrlRefresher = std::function<Result<FreshUrls>()>;

struct DownloadOptions {
  int parallelism = 8;
  int64_t window_bytes = int64_t{256} << 20;
  int64_t spill_threshold_bytes = int64_t{64} << 20;
  std::string spill_dir;  // empty: $TMPDIR, else /tmp
  int max_attempts = 8;   // per file, on top of the HTTP client's retries
  int max_refreshes = 20;
  int64_t expiry_margin_ms = 10'000;
  int64_t initial_backoff_ms = 250;
  int64_t max_backoff_ms = 8'000;
  std::function<int64_t()> now_ms;  // null: the system clock
  // Progress: body bytes as they arrive, and each completed file.
  std::function<void(int64_t bytes)> on_bytes;
  std::function<void()> on_file_done;
};

struct DownloadStats {
  std::atomic<int64_t> files{0};
  std::atomic<int64_t> bytes{0};
  std::atomic<int64_t> retries{0};
  std::atomic<int64_t> truncated{0};
  std::atomic<int64_t> refreshes{0};
};

class DownloadPool {
 public:
  // Starts the workers at once. `http` must outlive the pool.
  DownloadPool(httpclient::HttpClient* http, std::vector<RemoteFile> files, UrlRefresher refresher,
               DownloadOptions options);
  // Cancels outstanding work and joins the workers.
  ~DownloadPool();
  DownloadPool(const DownloadPool&) = delete;
  DownloadPool& operator=(const DownloadPool&) = delete;

  // The next file in index order (blocking until it is downloaded), or nullopt after the
  // last. The previous file's bytes leave the window. Errors: the file's final download
  // error, naming it: Corruption for a size mismatch or a non-Parquet body that persisted,
  // PermissionDenied/InvalidArgument when the URL stayed refused after refreshing,
  // NotFound for a file the store no longer has, Unavailable/DeadlineExceeded when the
  // retries ran out, the refresher's error; Cancelled after Cancel.
  Result<std::optional<FetchedFile>> Next();
  // Stops starting downloads and wakes everyone (idempotent).
  void Cancel();

  size_t num_files() const { return files_.size(); }
  const DownloadStats& stats() const { return stats_; }

 private:
  void Work();
  Result<FetchedFile> Fetch(size_t index);
  Result<io::RandomAccessFilePtr> FetchData(const RemoteFile& file, const std::string& url);
  Result<delta::DeletionVector> FetchDeletionVector(const delta::DeletionVectorDescriptor& dv);
  // Replaces the URLs unless another worker already did since `generation`.
  Status Refresh(uint64_t generation);
  int64_t Now() const;
  // The expiry margin in force; REQUIRES mu_ held (or no workers yet).
  int64_t Margin() const;

  httpclient::HttpClient* http_;
  std::vector<RemoteFile> files_;
  UrlRefresher refresher_;
  DownloadOptions options_;
  DownloadStats stats_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::optional<Result<FetchedFile>>> results_;
  size_t next_start_ = 0;
  size_t next_take_ = 0;
  int64_t held_bytes_ = 0;
  bool cancelled_ = false;
  std::atomic<bool> cancel_flag_{false};  // cancelled_, readable without mu_ (body sinks)
  bool failed_ = false;
  uint64_t generation_ = 0;  // bumped by each refresh; guarded by mu_
  int64_t margin_ms_ = 0;    // guarded by mu_
  std::mutex refresh_mu_;
  std::vector<std::thread> workers_;
};

}  // namespace ds::client
