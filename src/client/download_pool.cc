#include "client/download_pool.h"

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "httpclient/http_status.h"
#include "httpclient/retry.h"
#include "httpclient/url.h"

namespace ds::client {
namespace {

constexpr std::string_view kParquetMagic = "PAR1";
// DV records this close to the file start are fetched with the format byte in one request.
constexpr int64_t kDvSingleRangeBytes = 64 << 10;

// A file of which only some ranges were fetched (deletion vector records).
class SparseFile final : public io::RandomAccessFile {
 public:
  SparseFile(std::string name, int64_t size) : name_(std::move(name)), size_(size) {}
  void AddRange(int64_t offset, std::string bytes) {
    ranges_.emplace_back(offset, std::move(bytes));
  }
  int64_t size() const override { return size_; }
  const std::string& name() const override { return name_; }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    RETURN_NOT_OK(CheckRange(offset, length));
    for (const auto& [start, bytes] : ranges_) {
      if (offset >= start && offset + length <= start + static_cast<int64_t>(bytes.size())) {
        std::memcpy(out, bytes.data() + (offset - start), static_cast<size_t>(length));
        return Status::OK();
      }
    }
    return Status::Internal("deletion vector " + name_ + ": range " + std::to_string(offset) + "+" +
                            std::to_string(length) + " was not fetched");
  }

 private:
  std::string name_;
  int64_t size_;
  std::vector<std::pair<int64_t, std::string>> ranges_;
};

// Removes a path when it goes out of scope (spill files are unlinked once opened).
struct UnlinkOnExit {
  std::string path;
  ~UnlinkOnExit() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

bool Refused(const Status& st) {
  return st.code() == StatusCode::kPermissionDenied || st.code() == StatusCode::kUnauthenticated ||
         st.code() == StatusCode::kInvalidArgument;
}

bool Transient(const Status& st) {
  return st.code() == StatusCode::kUnavailable || st.code() == StatusCode::kDeadlineExceeded ||
         st.code() == StatusCode::kCorruption || st.code() == StatusCode::kOutOfRange;
}

Status CheckMagic(const io::RandomAccessFile& file) {
  if (file.size() < 12) {
    return Status::Corruption("the download (" + std::to_string(file.size()) +
                              " bytes) is too small to be a Parquet file");
  }
  uint8_t head[4], tail[4];
  RETURN_NOT_OK(file.ReadAt(0, 4, head));
  RETURN_NOT_OK(file.ReadAt(file.size() - 4, 4, tail));
  if (std::memcmp(head, kParquetMagic.data(), 4) != 0 ||
      std::memcmp(tail, kParquetMagic.data(), 4) != 0) {
    return Status::Corruption(
        "the download does not start and end with the Parquet magic "
        "(corrupted in transit, or not a Parquet file)");
  }
  return Status::OK();
}

}  // namespace

DownloadPool::DownloadPool(httpclient::HttpClient* http, std::vector<RemoteFile> files,
                           UrlRefresher refresher, DownloadOptions options)
    : http_(http),
      files_(std::move(files)),
      refresher_(std::move(refresher)),
      options_(std::move(options)) {
  results_.resize(files_.size());
  if (options_.parallelism < 1) options_.parallelism = 1;
  margin_ms_ = Margin();
  const size_t workers = std::min<size_t>(static_cast<size_t>(options_.parallelism), files_.size());
  workers_.reserve(workers);
  for (size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { Work(); });
}

DownloadPool::~DownloadPool() {
  Cancel();
  for (std::thread& t : workers_) t.join();
}

void DownloadPool::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_ = true;
  cancel_flag_ = true;
  cv_.notify_all();
}

int64_t DownloadPool::Now() const {
  if (options_.now_ms) return options_.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t DownloadPool::Margin() const {
  // A quarter of the shortest lifetime the server grants, at most the configured margin, so
  // short-lived URLs are not renewed before every download.
  const int64_t now = Now();
  int64_t shortest = options_.expiry_margin_ms * 4;
  for (const RemoteFile& f : files_) {
    if (f.expiration_ms)
      shortest = std::min(shortest, std::max<int64_t>(0, *f.expiration_ms - now));
  }
  return std::min(options_.expiry_margin_ms, shortest / 4);
}

void DownloadPool::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] {
      if (cancelled_ || failed_ || next_start_ >= files_.size()) return true;
      const int64_t size = files_[next_start_].size;
      return next_start_ == next_take_ || held_bytes_ == 0 ||
             held_bytes_ + size <= options_.window_bytes;
    });
    if (cancelled_ || failed_ || next_start_ >= files_.size()) return;
    const size_t index = next_start_++;
    held_bytes_ += files_[index].size;
    lock.unlock();
    Result<FetchedFile> result = Fetch(index);
    lock.lock();
    if (!result.ok()) failed_ = true;
    results_[index] = std::move(result);
    cv_.notify_all();
  }
}

Result<std::optional<FetchedFile>> DownloadPool::Next() {
  std::unique_lock<std::mutex> lock(mu_);
  if (next_take_ > 0 && next_take_ <= files_.size()) {
    held_bytes_ -= files_[next_take_ - 1].size;
    cv_.notify_all();
  }
  if (next_take_ >= files_.size()) {
    next_take_ = files_.size() + 1;  // released
    return std::optional<FetchedFile>();
  }
  cv_.wait(lock, [&] { return cancelled_ || results_[next_take_].has_value(); });
  if (!results_[next_take_].has_value()) return Status::Cancelled("download cancelled");
  Result<FetchedFile> result = std::move(*results_[next_take_]);
  results_[next_take_].reset();
  ++next_take_;
  cv_.notify_all();
  if (!result.ok()) return result.status();
  return std::optional<FetchedFile>(std::move(result).value());
}

Status DownloadPool::Refresh(uint64_t generation) {
  std::lock_guard<std::mutex> serial(refresh_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (generation_ != generation) return Status::OK();  // someone refreshed meanwhile
  }
  if (!refresher_) {
    return Status::FailedPrecondition("the URLs were refused or expired and cannot be refreshed");
  }
  ASSIGN_OR_RETURN(FreshUrls fresh, refresher_());
  std::lock_guard<std::mutex> lock(mu_);
  for (RemoteFile& f : files_) {
    auto it = fresh.find(f.key);
    if (it == fresh.end()) continue;
    f.url = it->second.url;
    f.expiration_ms = it->second.expiration_ms;
    size_t next_dv = 0;
    for (delta::DeletionVectorDescriptor& dv : f.dvs) {
      if (dv.storage_type != 'p') continue;
      if (next_dv < it->second.dv_urls.size()) dv.path_or_inline_dv = it->second.dv_urls[next_dv];
      ++next_dv;
    }
  }
  ++generation_;
  ++stats_.refreshes;
  margin_ms_ = Margin();
  return Status::OK();
}

Result<FetchedFile> DownloadPool::Fetch(size_t index) {
  int attempts = 0, refreshes = 0;
  Status last;
  while (true) {
    RemoteFile file;
    uint64_t generation = 0;
    int64_t margin_ms = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (cancelled_) return Status::Cancelled("download cancelled");
      file = files_[index];
      generation = generation_;
      margin_ms = margin_ms_;
    }
    const std::string what = "file " + file.label + " (" + httpclient::RedactUrl(file.url) + ")";
    auto refresh = [&](const Status& cause) -> Status {
      if (++refreshes > options_.max_refreshes) {
        return cause.WithContext(what + ": still refused after " +
                                 std::to_string(options_.max_refreshes) + " URL refreshes");
      }
      Status st = Refresh(generation);
      return st.ok() ? st : st.WithContext(what + ": refreshing the URLs");
    };
    if (file.expiration_ms && *file.expiration_ms - margin_ms <= Now()) {
      RETURN_NOT_OK(refresh(Status::PermissionDenied("the pre-signed URL expired")));
      continue;
    }
    FetchedFile out;
    out.index = index;
    Status st;
    auto data = FetchData(file, file.url);
    if (data.ok()) {
      out.data = std::move(data).value();
      for (const delta::DeletionVectorDescriptor& dv : file.dvs) {
        auto loaded = FetchDeletionVector(dv);
        if (!loaded.ok()) {
          st = loaded.status().WithContext("its deletion vector");
          break;
        }
        out.dvs.push_back(std::move(loaded).value());
      }
    } else {
      st = data.status();
    }
    if (st.ok()) {
      ++stats_.files;
      if (options_.on_file_done) options_.on_file_done();
      return out;
    }
    if (st.code() == StatusCode::kCancelled) return st;
    if (Refused(st)) {
      RETURN_NOT_OK(refresh(st));
      continue;
    }
    if (!Transient(st) || ++attempts >= options_.max_attempts) {
      return st.WithContext(what + (attempts > 1
                                        ? " after " + std::to_string(attempts) + " attempts"
                                        : std::string()));
    }
    ++stats_.retries;
    const int64_t wait = std::min(options_.max_backoff_ms,
                                  options_.initial_backoff_ms << std::min(attempts - 1, 20));
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(wait), [&] { return cancelled_; });
  }
}

Result<io::RandomAccessFilePtr> DownloadPool::FetchData(const RemoteFile& file,
                                                        const std::string& url) {
  httpclient::HttpRequest request;
  request.url = url;
  request.timeout_ms = 300'000 + file.size / 1000;  // at least 1 MB/s beyond five minutes
  const bool spill = file.size > options_.spill_threshold_bytes;

  std::shared_ptr<Buffer> buffer;
  std::unique_ptr<io::OutputStream> spill_out;
  UnlinkOnExit spill_path;
  if (spill) {
    std::string dir = options_.spill_dir;
    if (dir.empty()) {
      const char* tmp = std::getenv("TMPDIR");
      dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    }
    std::string path = dir + "/deltashare-download-XXXXXX";
    const int fd = ::mkstemp(path.data());
    if (fd < 0) {
      return Status::IOError("cannot create a temporary file in " + dir + ": " +
                             std::strerror(errno));
    }
    ::close(fd);
    spill_path.path = path;
    ASSIGN_OR_RETURN(spill_out, io::OpenLocalOutput(path));
  } else {
    buffer = std::make_shared<Buffer>(static_cast<size_t>(file.size));
  }

  int64_t received = 0;
  const httpclient::BodySink sink = [&](const httpclient::HttpResponse&,
                                        std::string_view chunk) -> Status {
    if (cancel_flag_.load(std::memory_order_relaxed))
      return Status::Cancelled("download cancelled");
    const int64_t n = static_cast<int64_t>(chunk.size());
    if (received + n > file.size) {
      return Status::Corruption("the server sent more than the " + std::to_string(file.size) +
                                " bytes the table log gives as the file's size");
    }
    if (spill) {
      RETURN_NOT_OK(spill_out->Write(chunk));
    } else {
      std::memcpy(buffer->data() + received, chunk.data(), chunk.size());
    }
    received += n;
    stats_.bytes += n;
    if (options_.on_bytes) options_.on_bytes(n);
    return Status::OK();
  };
  ASSIGN_OR_RETURN(httpclient::HttpResponse response, http_->SendStreaming(request, sink));
  RETURN_NOT_OK(httpclient::HttpResponseStatus(request, response));
  if (received != file.size) {
    ++stats_.truncated;
    return Status::Corruption("the download is truncated: " + std::to_string(received) + " of " +
                              std::to_string(file.size) + " bytes");
  }
  io::RandomAccessFilePtr data;
  const std::string name = file.label;
  if (spill) {
    RETURN_NOT_OK(spill_out->Close());
    ASSIGN_OR_RETURN(data, io::OpenLocalFile(spill_path.path));
  } else {
    data = io::MemoryFile(std::shared_ptr<const Buffer>(std::move(buffer)), name);
  }
  RETURN_NOT_OK(CheckMagic(*data));
  return data;
}

Result<delta::DeletionVector> DownloadPool::FetchDeletionVector(
    const delta::DeletionVectorDescriptor& dv) {
  return delta::LoadDeletionVector(
      dv, [&](const delta::DeletionVectorDescriptor& d) -> Result<io::RandomAccessFilePtr> {
        if (d.storage_type != 'p') {
          return Status::NotSupported(
              "the server sent a table-relative deletion vector (storage type 'u'), which a "
              "recipient cannot resolve");
        }
        const int64_t offset = d.offset.value_or(1);
        const int64_t record = int64_t{d.size_in_bytes} + 8;
        if (offset < 1 || d.size_in_bytes < 0) {
          return Status::Corruption("deletion vector descriptor with offset " +
                                    std::to_string(offset) + " and size " +
                                    std::to_string(d.size_in_bytes));
        }
        httpclient::HttpRequest request;
        request.url = d.path_or_inline_dv;
        auto file =
            std::make_shared<SparseFile>(httpclient::RedactUrl(request.url), offset + record);
        if (offset + record <= kDvSingleRangeBytes) {
          ASSIGN_OR_RETURN(std::string bytes,
                           httpclient::GetRange(http_, request, 0, offset + record));
          file->AddRange(0, std::move(bytes));
        } else {
          ASSIGN_OR_RETURN(std::string head, httpclient::GetRange(http_, request, 0, 1));
          ASSIGN_OR_RETURN(std::string body, httpclient::GetRange(http_, request, offset, record));
          file->AddRange(0, std::move(head));
          file->AddRange(offset, std::move(body));
        }
        return io::RandomAccessFilePtr(std::move(file));
      });
}

}  // namespace ds::client
