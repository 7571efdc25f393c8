#include "http/response_head.h"

#include <charconv>
#include <chrono>
#include <ctime>

#include "http/response.h"
#include "util/string_util.h"

namespace ds::http::internal {
namespace {

bool IsServerOwned(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding") ||
         EqualsIgnoreCase(name, "Connection");
}

void AppendField(std::string_view name, std::string_view value, std::string* out) {
  out->append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

std::string_view HttpDate() {
  struct Cache {
    std::time_t second = -1;
    char text[32];
    size_t size = 0;
  };
  thread_local Cache cache;
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  if (now != cache.second) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm;
    gmtime_r(&now, &tm);
    int n = std::snprintf(cache.text, sizeof(cache.text), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                          kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900,
                          tm.tm_hour, tm.tm_min, tm.tm_sec);
    cache.size = n > 0 ? static_cast<size_t>(n) : 0;
    cache.second = now;
  }
  return {cache.text, cache.size};
}

std::string_view FormatHex(uint64_t n, char* buf) {
  auto [end, ec] = std::to_chars(buf, buf + 16, n, 16);
  return {buf, static_cast<size_t>(end - buf)};
}

Status AppendResponseHead(const HeadParams& p, std::string* out) {
  const Headers& headers = *p.headers;
  for (size_t i = 0; i < headers.size(); ++i) {
    std::string_view name = headers.name(i);
    if (!IsValidHeaderName(name) || !IsValidHeaderValue(headers.value(i))) {
      return Status::InvalidArgument("handler set an invalid response header '" +
                                     std::string(name.substr(0, 64)) + "'");
    }
    if (IsServerOwned(name)) {
      return Status::InvalidArgument("handler set response header '" + std::string(name) +
                                     "', which the server owns");
    }
  }
  out->append(p.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  char num[24];
  auto [end, ec] = std::to_chars(num, num + sizeof(num), p.status);
  out->append(num, end).push_back(' ');
  out->append(ReasonPhrase(p.status)).append("\r\n");
  if (!p.server_name.empty()) AppendField("Server", p.server_name, out);
  AppendField("Date", HttpDate(), out);
  switch (p.framing) {
    case Framing::kNone:
    case Framing::kClose:
      break;
    case Framing::kContentLength: {
      auto [len_end, len_ec] = std::to_chars(num, num + sizeof(num), p.content_length);
      AppendField("Content-Length", std::string_view(num, len_end - num), out);
      break;
    }
    case Framing::kChunked:
      AppendField("Transfer-Encoding", "chunked", out);
      break;
  }
  if (!p.keep_alive) {
    AppendField("Connection", "close", out);
  } else if (p.version == 10) {
    AppendField("Connection", "keep-alive", out);
  }
  if (!p.request_id.empty()) AppendField("X-Request-Id", p.request_id, out);
  for (size_t i = 0; i < headers.size(); ++i) AppendField(headers.name(i), headers.value(i), out);
  out->append("\r\n");
  return Status::OK();
}

}  // namespace ds::http::internal
