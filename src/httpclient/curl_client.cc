#include "httpclient/curl_client.h"

#include <chrono>
#include <mutex>
#include <thread>

#include "httpclient/curl_transfer.h"
#include "httpclient/http_status.h"
#include "httpclient/url.h"
#include "util/string_util.h"
#include "util/version.h"

namespace ds::httpclient {
namespace {

// Bodies of error responses are kept up to this size (for messages).
constexpr int64_t kErrorBodyLimit = 64 * 1024;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status GlobalInit() {
  static std::once_flag once;
  static CURLcode code = CURLE_OK;
  std::call_once(once, [] { code = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (code != CURLE_OK) {
    return Status::Internal(std::string("http: libcurl initialization failed: ") +
                            curl_easy_strerror(code));
  }
  return Status::OK();
}

void LockShare(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  static_cast<CurlHttpClient::Impl*>(user)->share_locks[data].lock();
}
void UnlockShare(CURL*, curl_lock_data data, void* user) {
  static_cast<CurlHttpClient::Impl*>(user)->share_locks[data].unlock();
}

size_t HeaderCallback(char* buffer, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(buffer, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (StartsWith(line, "HTTP/")) {
    // A new response (interim 1xx, a followed redirect, or the final one) starts.
    t->response.headers.Clear();
    const size_t sp = line.find(' ');
    auto code = sp == std::string_view::npos ? std::nullopt : ParseInt64(line.substr(sp + 1, 3));
    t->response.status = code ? static_cast<int>(*code) : 0;
  } else if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    auto& entries = t->response.headers.mutable_entries();
    if (!entries.empty()) {  // obsolete line folding continues the previous value
      entries.back().second += ' ';
      entries.back().second += Trim(line);
    }
  } else if (!line.empty()) {
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      t->response.headers.Add(std::string(Trim(line.substr(0, colon))),
                              std::string(Trim(line.substr(colon + 1))));
    }
  }
  return n;
}

size_t WriteCallback(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  const std::string_view chunk(data, n);
  if (t->response.ok() && t->sink != nullptr) {
    Status st = (*t->sink)(t->response, chunk);
    if (!st.ok()) {
      t->abort_status = std::move(st);
      return CURL_WRITEFUNC_ERROR;
    }
    t->delivered = true;
    return n;
  }
  const int64_t limit = t->response.ok() ? t->max_body : kErrorBodyLimit;
  const int64_t room = limit - static_cast<int64_t>(t->response.body.size());
  if (static_cast<int64_t>(n) > room) {
    if (!t->response.ok()) {  // keep the start of an error body, drop the rest
      if (room > 0) t->response.body.append(data, static_cast<size_t>(room));
      return n;
    }
    t->abort_status =
        Status::ResourceExhausted(DescribeRequest(*t->request) + ": response body exceeds " +
                                  std::to_string(limit) + " bytes");
    return CURL_WRITEFUNC_ERROR;
  }
  t->response.body.append(data, n);
  return n;
}

std::string HeaderLine(std::string_view name, std::string_view value) {
  std::string line(name);
  if (value.empty()) {
    line += ';';  // libcurl's syntax for a header with an empty value
  } else {
    line += ": ";
    line += value;
  }
  return line;
}

Status ValidateOptions(const HttpClientOptions& o) {
  if (o.connect_timeout_ms < 0 || o.timeout_ms < 0 || o.low_speed_time_ms < 0 ||
      o.low_speed_bytes_per_second < 0) {
    return Status::InvalidArgument("http: timeouts must not be negative");
  }
  if (o.retry.max_attempts < 1) {
    return Status::InvalidArgument("http: retry.max_attempts must be at least 1");
  }
  if (o.retry.initial_backoff_ms < 0 || o.retry.max_backoff_ms < 0 ||
      o.retry.max_retry_after_ms < 0) {
    return Status::InvalidArgument("http: retry delays must not be negative");
  }
  if (o.max_redirects < 0 || o.max_response_bytes < 0 || o.max_idle_connections < 0) {
    return Status::InvalidArgument("http: limits must not be negative");
  }
  return Status::OK();
}

}  // namespace

Result<HttpResponse> FinalResult(AttemptOutcome outcome, Transfer* t, int attempts) {
  if (outcome.transport.ok()) return std::move(t->response);
  if (attempts == 1) return std::move(outcome.transport);
  return Status(outcome.transport.code(),
                outcome.transport.message() + " (after " + std::to_string(attempts) + " attempts)");
}

Transfer::~Transfer() { curl_slist_free_all(header_list); }

void Transfer::Reset() {
  response = HttpResponse();
  abort_status = Status::OK();
  delivered = false;
  error[0] = '\0';
}

CurlHttpClient::Impl::~Impl() {
  for (CURLM* m : idle_multi) curl_multi_cleanup(m);
  for (CURL* e : idle_easy) curl_easy_cleanup(e);
  if (share != nullptr) curl_share_cleanup(share);
}

CURL* CurlHttpClient::Impl::TakeEasy() {
  {
    std::lock_guard<std::mutex> lock(pool_mu);
    if (!idle_easy.empty()) {
      CURL* e = idle_easy.back();
      idle_easy.pop_back();
      return e;
    }
  }
  return curl_easy_init();
}

void CurlHttpClient::Impl::ReturnEasy(CURL* easy) {
  if (easy == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(pool_mu);
    if (static_cast<int>(idle_easy.size()) < options.max_idle_connections) {
      idle_easy.push_back(easy);
      return;
    }
  }
  curl_easy_cleanup(easy);
}

CURLM* CurlHttpClient::Impl::TakeMulti() {
  {
    std::lock_guard<std::mutex> lock(pool_mu);
    if (!idle_multi.empty()) {
      CURLM* m = idle_multi.back();
      idle_multi.pop_back();
      return m;
    }
  }
  return curl_multi_init();
}

void CurlHttpClient::Impl::ReturnMulti(CURLM* multi) {
  if (multi == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(pool_mu);
    if (idle_multi.size() < 4) {
      idle_multi.push_back(multi);
      return;
    }
  }
  curl_multi_cleanup(multi);
}

Status CurlHttpClient::Impl::Prepare(CURL* easy, Transfer* t) {
  const HttpRequest& req = *t->request;
  const bool has_body_method = req.method == HttpMethod::kPut || req.method == HttpMethod::kPost ||
                               req.method == HttpMethod::kPatch;
  if (!req.body.empty() && !has_body_method && req.method != HttpMethod::kDelete) {
    return Status::InvalidArgument(DescribeRequest(req) + ": this method cannot carry a body");
  }
  if (!StartsWith(req.url, "http://") && !StartsWith(req.url, "https://")) {
    return Status::InvalidArgument("http: '" + RedactUrl(req.url) +
                                   "' is not an http or https URL");
  }
  curl_easy_reset(easy);
  curl_slist_free_all(t->header_list);
  t->header_list = nullptr;
  t->Reset();

  curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(easy, CURLOPT_SHARE, share);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, HeaderCallback);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, t);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, WriteCallback);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, t);

  switch (req.method) {
    case HttpMethod::kGet:
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
      break;
    case HttpMethod::kHead:
      curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
      break;
    default:
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, std::string(MethodName(req.method)).c_str());
      break;
  }
  if (has_body_method || !req.body.empty()) {
    // POSTFIELDS does not copy: the body outlives the send by contract.
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.body.empty() ? "" : req.body.data());
  }

  bool has_content_type = false;
  for (const auto& [name, value] : req.headers) {
    if (EqualsIgnoreCase(name, "Content-Type")) has_content_type = true;
    t->header_list = curl_slist_append(t->header_list, HeaderLine(name, value).c_str());
  }
  // No default form Content-Type on bodies (it would enter Azure's signature) and no
  // "Expect: 100-continue" round trip.
  if (!has_content_type && (has_body_method || !req.body.empty())) {
    t->header_list = curl_slist_append(t->header_list, "Content-Type:");
  }
  t->header_list = curl_slist_append(t->header_list, "Expect:");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->header_list);

  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms));
  const int64_t total = req.timeout_ms > 0 ? req.timeout_ms : options.timeout_ms;
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(total));
  if (options.low_speed_bytes_per_second > 0 && options.low_speed_time_ms > 0) {
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT,
                     static_cast<long>(options.low_speed_bytes_per_second));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>((options.low_speed_time_ms + 999) / 1000));
  }

  if (options.insecure_skip_verify) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!options.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file.c_str());
  if (!options.ca_path.empty()) curl_easy_setopt(easy, CURLOPT_CAPATH, options.ca_path.c_str());

  if (!options.proxy.empty()) {
    curl_easy_setopt(easy, CURLOPT_PROXY, options.proxy.c_str());
  } else if (!options.use_env_proxy) {
    curl_easy_setopt(easy, CURLOPT_PROXY, "");  // "" disables the environment variables
  }
  if (!options.no_proxy.empty()) curl_easy_setopt(easy, CURLOPT_NOPROXY, options.no_proxy.c_str());

  if (options.follow_redirects) {
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(options.max_redirects));
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  }
  t->max_body = options.max_response_bytes;
  return Status::OK();
}

AttemptOutcome CurlHttpClient::Impl::Outcome(CURL* easy, CURLcode code, Transfer* t) const {
  AttemptOutcome out;
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    t->response.status = static_cast<int>(status);
    return out;
  }
  if (!t->abort_status.ok()) {
    out.transport = t->abort_status;
    return out;
  }
  std::string detail = t->error[0] != '\0' ? std::string(t->error) : curl_easy_strerror(code);
  const std::string what = DescribeRequest(*t->request) + ": ";
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      out.transport = Status::InvalidArgument(what + "bad URL: " + detail);
      break;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      out.transport = Status::Unavailable(what + "cannot connect: " + detail);
      out.transient = true;
      break;
    case CURLE_OPERATION_TIMEDOUT:
      out.transport = Status::DeadlineExceeded(what + "timed out: " + detail);
      out.transient = true;
      break;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP3:
      out.transport = Status::Unavailable(what + "connection failed: " + detail);
      out.transient = true;
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
      out.transport = Status::IOError(what + "TLS verification failed: " + detail);
      break;
    case CURLE_TOO_MANY_REDIRECTS:
      out.transport = Status::IOError(what + "too many redirects: " + detail);
      break;
    case CURLE_ABORTED_BY_CALLBACK:
      out.transport = Status::Cancelled(what + "cancelled");
      break;
    default:
      out.transport = Status::IOError(what + detail);
      break;
  }
  return out;
}

CurlHttpClient::CurlHttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CurlHttpClient::~CurlHttpClient() = default;

const HttpClientOptions& CurlHttpClient::options() const { return impl_->options; }

Result<std::shared_ptr<CurlHttpClient>> CurlHttpClient::Make(HttpClientOptions options) {
  RETURN_NOT_OK(ValidateOptions(options));
  RETURN_NOT_OK(GlobalInit());
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->user_agent = impl->options.user_agent.empty() ? std::string("deltashare/") + kVersion
                                                      : impl->options.user_agent;
  impl->share = curl_share_init();
  if (impl->share == nullptr) return Status::Internal("http: curl_share_init failed");
  curl_share_setopt(impl->share, CURLSHOPT_LOCKFUNC, LockShare);
  curl_share_setopt(impl->share, CURLSHOPT_UNLOCKFUNC, UnlockShare);
  curl_share_setopt(impl->share, CURLSHOPT_USERDATA, impl.get());
  // Connections are not put in the share (libcurl does not support sharing them between
  // concurrent threads); each pooled handle keeps its own.
  curl_share_setopt(impl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  return std::shared_ptr<CurlHttpClient>(new CurlHttpClient(std::move(impl)));
}

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) {
  return SendStreaming(request, nullptr);
}

Result<HttpResponse> CurlHttpClient::SendStreaming(const HttpRequest& request,
                                                   const BodySink& sink) {
  CURL* easy = impl_->TakeEasy();
  if (easy == nullptr) return Status::Internal("http: curl_easy_init failed");
  Transfer t;
  t.request = &request;
  t.sink = sink ? &sink : nullptr;
  for (int attempt = 1;; ++attempt) {
    Status prepared = impl_->Prepare(easy, &t);
    if (!prepared.ok()) {
      impl_->ReturnEasy(easy);
      return prepared;
    }
    const CURLcode code = curl_easy_perform(easy);
    AttemptOutcome outcome = impl_->Outcome(easy, code, &t);
    t.response.attempts = attempt;
    std::optional<int64_t> delay;
    if (!t.delivered && (outcome.transport.ok() || outcome.transient)) {
      delay = RetryDelayMs(impl_->options.retry, request, attempt,
                           outcome.transport.ok() ? &t.response : nullptr, NowMs());
    }
    if (!delay) {
      curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
      impl_->ReturnEasy(easy);
      return FinalResult(std::move(outcome), &t, attempt);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(*delay));
  }
}

}  // namespace ds::httpclient
