// Internal to curl_client.cc / curl_multi.cc: one transfer's state and the libcurl setup
// shared by the blocking and the parallel paths.
#pragma once

#include <curl/curl.h>

#include <mutex>
#include <vector>

#include "httpclient/curl_client.h"

namespace ds::httpclient {

// What one attempt ended with.
struct AttemptOutcome {
  Status transport;        // OK when an HTTP response arrived
  bool transient = false;  // the transport failure is worth retrying
};

struct Transfer {
  const HttpRequest* request = nullptr;
  const BodySink* sink = nullptr;  // nullptr: collect the body
  int64_t max_body = 0;
  HttpResponse response;
  curl_slist* header_list = nullptr;
  Status abort_status;     // set when a callback aborted the transfer
  bool delivered = false;  // some bytes reached the sink
  char error[CURL_ERROR_SIZE] = {};

  Transfer() = default;
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  ~Transfer();
  // Clears the response and abort state before an attempt.
  void Reset();
};

// The result of a transfer's last attempt: the transport error (noting how many attempts
// were made) or the response.
Result<HttpResponse> FinalResult(AttemptOutcome outcome, Transfer* t, int attempts);

struct CurlHttpClient::Impl {
  HttpClientOptions options;
  std::string user_agent;
  CURLSH* share = nullptr;
  std::mutex share_locks[CURL_LOCK_DATA_LAST];

  std::mutex pool_mu;
  std::vector<CURL*> idle_easy;
  std::vector<CURLM*> idle_multi;

  ~Impl();
  // A pooled or new easy handle (nullptr if libcurl fails).
  CURL* TakeEasy();
  void ReturnEasy(CURL* easy);
  CURLM* TakeMulti();
  void ReturnMulti(CURLM* multi);

  // Resets `easy` and configures it for `t` (request, callbacks, timeouts, TLS, proxy).
  // InvalidArgument for a request libcurl cannot express.
  Status Prepare(CURL* easy, Transfer* t);
  // Classifies the result of an attempt.
  AttemptOutcome Outcome(CURL* easy, CURLcode code, Transfer* t) const;
};

}  // namespace ds::httpclient
