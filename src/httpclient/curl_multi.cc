// CurlHttpClient::SendAll: many transfers on one curl multi handle.
#include <algorithm>
#include <chrono>

#include "httpclient/curl_transfer.h"

namespace ds::httpclient {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Slot {
  size_t index = 0;
  CURL* easy = nullptr;
  Transfer transfer;
  BodySink sink;
  int attempt = 0;
  int64_t ready_ms = 0;  // steady-clock time a waiting retry may start
};

}  // namespace

std::vector<Result<HttpResponse>> CurlHttpClient::SendAll(std::span<const HttpRequest> requests,
                                                          const ParallelOptions& options) {
  const size_t n = requests.size();
  std::vector<Result<HttpResponse>> results;
  results.reserve(n);
  for (size_t i = 0; i < n; ++i) results.emplace_back(Status::Cancelled("http: not sent"));
  if (n == 0) return results;
  const size_t limit = static_cast<size_t>(std::clamp(options.max_concurrency, 1, 1024));
  CURLM* multi = impl_->TakeMulti();
  if (multi == nullptr) {
    for (auto& r : results) r = Status::Internal("http: curl_multi_init failed");
    return results;
  }

  std::vector<std::unique_ptr<Slot>> slots(n);
  std::vector<Slot*> waiting;  // retries waiting for their backoff to pass
  size_t next = 0;             // the first request not started yet
  size_t active = 0;           // transfers on the multi handle

  auto finish = [&](Slot* s, Result<HttpResponse> result) {
    const size_t i = s->index;
    results[i] = std::move(result);
    if (options.on_done) options.on_done(i, results[i]);
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, nullptr);
    impl_->ReturnEasy(s->easy);
    slots[i].reset();
  };
  auto start = [&](Slot* s) {
    ++s->attempt;
    Status prepared = impl_->Prepare(s->easy, &s->transfer);
    if (!prepared.ok()) {
      finish(s, std::move(prepared));
      return;
    }
    curl_easy_setopt(s->easy, CURLOPT_PRIVATE, s);
    if (curl_multi_add_handle(multi, s->easy) != CURLM_OK) {
      finish(s, Status::Internal("http: curl_multi_add_handle failed"));
      return;
    }
    ++active;
  };

  while (true) {
    const int64_t now = NowMs();
    for (size_t w = 0; w < waiting.size() && active < limit;) {
      if (waiting[w]->ready_ms <= now) {
        Slot* s = waiting[w];
        waiting.erase(waiting.begin() + static_cast<std::ptrdiff_t>(w));
        start(s);
      } else {
        ++w;
      }
    }
    while (active < limit && next < n) {
      auto slot = std::make_unique<Slot>();
      Slot* s = slot.get();
      s->index = next;
      s->transfer.request = &requests[next];
      if (options.on_body) {
        s->sink = [&options, i = next](const HttpResponse& head, std::string_view chunk) {
          return options.on_body(i, head, chunk);
        };
        s->transfer.sink = &s->sink;
      }
      slots[next] = std::move(slot);
      ++next;
      s->easy = impl_->TakeEasy();
      if (s->easy == nullptr) {
        results[s->index] = Status::Internal("http: curl_easy_init failed");
        if (options.on_done) options.on_done(s->index, results[s->index]);
        slots[s->index].reset();
        continue;
      }
      start(s);
    }
    if (active == 0 && waiting.empty() && next >= n) break;

    int running = 0;
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Slot* s = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &s);
      const CURLcode code = msg->data.result;
      curl_multi_remove_handle(multi, s->easy);
      --active;
      AttemptOutcome outcome = impl_->Outcome(s->easy, code, &s->transfer);
      s->transfer.response.attempts = s->attempt;
      std::optional<int64_t> delay;
      if (!s->transfer.delivered && (outcome.transport.ok() || outcome.transient)) {
        delay = RetryDelayMs(impl_->options.retry, *s->transfer.request, s->attempt,
                             outcome.transport.ok() ? &s->transfer.response : nullptr, WallMs());
      }
      if (delay) {
        s->ready_ms = NowMs() + *delay;
        waiting.push_back(s);
      } else {
        finish(s, FinalResult(std::move(outcome), &s->transfer, s->attempt));
      }
    }

    if (active == 0 && waiting.empty() && next >= n) break;
    int64_t wait_ms = 1000;
    const int64_t after = NowMs();
    for (Slot* s : waiting) wait_ms = std::min(wait_ms, std::max<int64_t>(0, s->ready_ms - after));
    const bool can_start = active < limit && (next < n || (!waiting.empty() && wait_ms == 0));
    if (!can_start) curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait_ms), nullptr);
  }
  impl_->ReturnMulti(multi);
  return results;
}

}  // namespace ds::httpclient
