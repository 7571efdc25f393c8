#include "http/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/civil_time.h"
#include "util/json.h"

namespace ds::http {
namespace {

constexpr size_t kMaxPath = 1024;
constexpr size_t kMaxUserAgent = 256;

std::string_view Truncate(std::string_view s, size_t max) { return s.substr(0, max); }

class FdSink final : public AccessLogSink {
 public:
  FdSink(int fd, bool owned, std::string name) : fd_(fd), owned_(owned), name_(std::move(name)) {}
  ~FdSink() override {
    if (owned_) ::close(fd_);
  }
  Status Write(std::string_view lines) override {
    std::lock_guard lock(mu_);
    while (!lines.empty()) {
      ssize_t n = ::write(fd_, lines.data(), lines.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::IOError("access log " + name_ + ": " + std::strerror(errno));
      }
      lines.remove_prefix(static_cast<size_t>(n));
    }
    return Status::OK();
  }

 private:
  std::mutex mu_;
  int fd_;
  bool owned_;
  std::string name_;
};

}  // namespace

void AppendAccessLogLine(const AccessLogEntry& e, std::string* out) {
  std::string_view path = e.path.substr(0, e.path.find('?'));
  JsonWriter w(out);
  w.BeginObject();
  w.Key("time");
  std::string time;
  AppendTimestamp(e.start_unix_micros, TimeUnit::kMicros, /*utc=*/true, &time);
  w.String(time);
  w.Field("request_id", e.request_id);
  w.Field("client", e.client_address);
  w.Field("method", Truncate(e.method, 32));
  w.Field("path", Truncate(path, kMaxPath));
  w.Field("route", e.route);
  w.FieldInt("status", e.status);
  w.FieldInt("request_bytes", e.request_bytes);
  w.FieldInt("response_bytes", e.response_bytes);
  w.Key("duration_ms");
  w.Double(static_cast<double>(static_cast<int64_t>(e.duration_seconds * 1e6)) / 1e3);
  w.Field("user_agent", Truncate(e.user_agent, kMaxUserAgent));
  w.Field("outcome", Truncate(e.outcome, 256));
  w.FieldBool("tls", e.tls);
  w.EndObject();
  out->push_back('\n');
}

std::shared_ptr<AccessLogSink> StderrAccessLog() {
  static auto sink = std::make_shared<FdSink>(STDERR_FILENO, false, "<stderr>");
  return sink;
}

Result<std::shared_ptr<AccessLogSink>> OpenFileAccessLog(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return Status::IOError("cannot open access log " + path + ": " + std::strerror(errno));
  }
  return std::shared_ptr<AccessLogSink>(std::make_shared<FdSink>(fd, true, path));
}

Status MemoryAccessLog::Write(std::string_view lines) {
  std::lock_guard lock(mu_);
  lines_.append(lines);
  return Status::OK();
}

std::string MemoryAccessLog::Contents() const {
  std::lock_guard lock(mu_);
  return lines_;
}

}  // namespace ds::http
