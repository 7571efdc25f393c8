// CurlHttpClient against a real local server (test_server.py, Debian's python3).
#include "httpclient/curl_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "httpclient/handler_client.h"
#include "httpclient/http_status.h"
#include "test/objstore/child_process.h"
#include "test/testing/testing.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::httpclient {
namespace {

using Clock = std::chrono::steady_clock;

int64_t ElapsedMs(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

std::string Expected(int64_t offset, int64_t length) {
  std::string out;
  for (int64_t i = offset; i < offset + length; ++i) out.push_back(static_cast<char>(i % 251));
  return out;
}

// A port nothing listens on: bound once, then closed.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class CurlClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = testing::StartLocalServer(
        {"/usr/bin/python3", (testing::RepoDir() / "src/httpclient/test_server.py").string()});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = new testing::LocalServer(std::move(started).value());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static std::string Url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(server_->port) + path;
  }
  static HttpRequest Get(const std::string& path) {
    HttpRequest r;
    r.url = Url(path);
    return r;
  }
  static std::shared_ptr<CurlHttpClient> Client(HttpClientOptions options = {}) {
    options.retry.initial_backoff_ms = 10;
    auto c = CurlHttpClient::Make(std::move(options));
    EXPECT_TRUE(c.ok()) << c.status();
    return std::move(c).ValueOrDie();
  }
  static int Connections() {
    auto r = Client()->Send(Get("/stats"));
    EXPECT_TRUE(r.ok());
    auto doc = ParseJson(r->body);
    return static_cast<int>(doc->Find("connections")->GetInt64().ValueOr(-1));
  }

  static testing::LocalServer* server_;
};
testing::LocalServer* CurlClientTest::server_ = nullptr;

TEST_F(CurlClientTest, GetEchoesAndHeadersAreCaseInsensitive) {
  auto client = Client();
  HttpRequest req = Get("/echo?a=1");
  req.headers.Add("X-Custom", "Value 1");
  req.headers.Add("X-Empty", "");
  ASSERT_OK_AND_ASSIGN(HttpResponse resp, client->Send(req));
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.attempts, 1);
  EXPECT_EQ(resp.headers.Get("content-TYPE"), "application/json");
  ASSERT_OK_AND_ASSIGN(JsonValue doc, ParseJson(resp.body));
  EXPECT_EQ(doc.Find("method")->string_value(), "GET");
  EXPECT_EQ(doc.Find("path")->string_value(), "/echo?a=1");
  const JsonValue* headers = doc.Find("headers");
  EXPECT_EQ(headers->Find("x-custom")->string_value(), "Value 1");
  ASSERT_NE(headers->Find("x-empty"), nullptr);
  EXPECT_EQ(headers->Find("x-empty")->string_value(), "");
  EXPECT_EQ(headers->Find("expect"), nullptr);
  EXPECT_TRUE(StartsWith(headers->Find("user-agent")->string_value(), "deltashare/"));
}

TEST_F(CurlClientTest, BodiesAreSentVerbatimWithoutDefaultContentType) {
  auto client = Client();
  const std::string payload("bin\0ary \xff payload", 17);
  for (HttpMethod m : {HttpMethod::kPut, HttpMethod::kPost, HttpMethod::kPatch}) {
    HttpRequest req = Get("/echo");
    req.method = m;
    req.body = payload;
    ASSERT_OK_AND_ASSIGN(HttpResponse resp, client->Send(req));
    ASSERT_OK_AND_ASSIGN(JsonValue doc, ParseJson(resp.body));
    EXPECT_EQ(doc.Find("method")->string_value(), MethodName(m));
    EXPECT_EQ(doc.Find("body_hex")->string_value(), HexEncode(payload));
    EXPECT_EQ(doc.Find("headers")->Find("content-length")->string_value(), "17");
    EXPECT_EQ(doc.Find("headers")->Find("content-type"), nullptr);
  }
  HttpRequest empty_put = Get("/echo");
  empty_put.method = HttpMethod::kPut;
  empty_put.headers.Add("Content-Type", "application/json");
  ASSERT_OK_AND_ASSIGN(HttpResponse resp, client->Send(empty_put));
  ASSERT_OK_AND_ASSIGN(JsonValue doc, ParseJson(resp.body));
  EXPECT_EQ(doc.Find("headers")->Find("content-length")->string_value(), "0");
  EXPECT_EQ(doc.Find("headers")->Find("content-type")->string_value(), "application/json");
  HttpRequest del = Get("/echo");
  del.method = HttpMethod::kDelete;
  ASSERT_OK_AND_ASSIGN(HttpResponse d, client->Send(del));
  EXPECT_NE(d.body.find("\"DELETE\""), std::string::npos);
}

TEST_F(CurlClientTest, HeadHasNoBody) {
  HttpRequest req = Get("/bytes/1000");
  req.method = HttpMethod::kHead;
  ASSERT_OK_AND_ASSIGN(HttpResponse resp, Client()->Send(req));
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.headers.Get("Content-Length"), "1000");
  EXPECT_TRUE(resp.body.empty());
}

TEST_F(CurlClientTest, HttpErrorsMapToStatusCodes) {
  HttpClientOptions no_retry;
  no_retry.retry.max_attempts = 1;
  auto client = Client(no_retry);
  const std::pair<int, StatusCode> cases[] = {
      {400, StatusCode::kInvalidArgument},    {401, StatusCode::kUnauthenticated},
      {403, StatusCode::kPermissionDenied},   {404, StatusCode::kNotFound},
      {409, StatusCode::kFailedPrecondition}, {412, StatusCode::kFailedPrecondition},
      {416, StatusCode::kOutOfRange},         {429, StatusCode::kUnavailable},
      {500, StatusCode::kUnavailable},        {501, StatusCode::kNotSupported},
      {503, StatusCode::kUnavailable}};
  for (auto [http, code] : cases) {
    auto r = SendChecked(client.get(), Get("/status/" + std::to_string(http)));
    EXPECT_EQ(r.status().code(), code) << http << ": " << r.status();
    EXPECT_NE(r.status().message().find("status " + std::to_string(http)), std::string::npos);
  }
}

TEST_F(CurlClientTest, RetriesTransientStatuses) {
  auto client = Client();
  ASSERT_OK_AND_ASSIGN(HttpResponse resp, client->Send(Get("/flaky/r1?fail=2")));
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.body, "ok after 3");
  EXPECT_EQ(resp.attempts, 3);

  HttpClientOptions three;
  three.retry.max_attempts = 3;
  ASSERT_OK_AND_ASSIGN(HttpResponse gave_up,
                       Client(three)->Send(Get("/flaky/r2?fail=10&code=502")));
  EXPECT_EQ(gave_up.status, 502);
  EXPECT_EQ(gave_up.attempts, 3);
  ASSERT_OK_AND_ASSIGN(HttpResponse count, client->Send(Get("/attempts/r2")));
  EXPECT_EQ(count.body, "3");
  // Not transient: no retry.
  ASSERT_OK_AND_ASSIGN(HttpResponse nf, client->Send(Get("/flaky/r3?fail=1&code=404")));
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.attempts, 1);
}

TEST_F(CurlClientTest, HonoursRetryAfterWithinTheCap) {
  auto client = Client();
  const auto start = Clock::now();
  ASSERT_OK_AND_ASSIGN(HttpResponse resp,
                       client->Send(Get("/flaky/ra1?fail=1&code=429&retry_after=1")));
  EXPECT_EQ(resp.status, 200);
  EXPECT_GE(ElapsedMs(start), 950);
  HttpClientOptions capped;
  capped.retry.max_retry_after_ms = 500;
  ASSERT_OK_AND_ASSIGN(HttpResponse r2,
                       Client(capped)->Send(Get("/flaky/ra2?fail=1&code=503&retry_after=30")));
  EXPECT_EQ(r2.status, 503);
  EXPECT_EQ(r2.attempts, 1);
}

TEST_F(CurlClientTest, NonIdempotentRequestsAreNotRetriedUnlessAsked) {
  auto client = Client();
  HttpRequest post = Get("/flaky/p1?fail=1");
  post.method = HttpMethod::kPost;
  ASSERT_OK_AND_ASSIGN(HttpResponse once, client->Send(post));
  EXPECT_EQ(once.status, 503);
  EXPECT_EQ(once.attempts, 1);
  post.url = Url("/flaky/p2?fail=1");
  post.retry_non_idempotent = true;
  ASSERT_OK_AND_ASSIGN(HttpResponse retried, client->Send(post));
  EXPECT_EQ(retried.status, 200);
  EXPECT_EQ(retried.attempts, 2);
}

TEST_F(CurlClientTest, ConnectionRefusedIsUnavailableAfterRetries) {
  HttpRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/x?secret=1";
  auto r = Client()->Send(req);
  ASSERT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status();
  EXPECT_NE(r.status().message().find("after 4 attempts"), std::string::npos) << r.status();
  EXPECT_EQ(r.status().message().find("secret"), std::string::npos);
  // A closed connection without a response is transient too.
  HttpClientOptions once;
  once.retry.max_attempts = 1;
  EXPECT_EQ(Client(once)->Send(Get("/close")).status().code(), StatusCode::kUnavailable);
}

TEST_F(CurlClientTest, TimeoutsAreDeadlineExceeded) {
  HttpClientOptions o;
  o.retry.max_attempts = 1;
  auto client = Client(o);
  HttpRequest slow = Get("/slow?ms=3000");
  slow.timeout_ms = 300;
  auto start = Clock::now();
  EXPECT_EQ(client->Send(slow).status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(ElapsedMs(start), 2500);

  HttpClientOptions low;
  low.retry.max_attempts = 1;
  low.low_speed_bytes_per_second = 1000;
  low.low_speed_time_ms = 1000;
  start = Clock::now();
  EXPECT_EQ(Client(low)->Send(Get("/drip?bytes=20&ms=200")).status().code(),
            StatusCode::kDeadlineExceeded);
  EXPECT_LT(ElapsedMs(start), 3500);
}

TEST_F(CurlClientTest, RangedGets) {
  auto client = Client();
  ASSERT_OK_AND_ASSIGN(std::string mid, GetRange(client.get(), Get("/bytes/1000"), 100, 50));
  EXPECT_EQ(mid, Expected(100, 50));
  ASSERT_OK_AND_ASSIGN(std::string tail, GetRange(client.get(), Get("/bytes/1000"), 990, 10));
  EXPECT_EQ(tail, Expected(990, 10));
  ASSERT_OK_AND_ASSIGN(std::string sliced,
                       GetRange(client.get(), Get("/bytes/1000?ignore_range=1"), 500, 7));
  EXPECT_EQ(sliced, Expected(500, 7));
  ASSERT_OK_AND_ASSIGN(std::string none, GetRange(client.get(), Get("/bytes/1000"), 1000, 0));
  EXPECT_EQ(none, "");
  ASSERT_RAISES(kOutOfRange, GetRange(client.get(), Get("/bytes/1000"), 1000, 1));
  ASSERT_RAISES(kOutOfRange, GetRange(client.get(), Get("/bytes/1000"), 995, 10));
  ASSERT_RAISES(kOutOfRange, GetRange(client.get(), Get("/bytes/10?ignore_range=1"), 5, 10));
  ASSERT_RAISES(kNotFound, GetRange(client.get(), Get("/status/404"), 0, 10));
  ASSERT_RAISES(kInvalidArgument, GetRange(client.get(), Get("/bytes/10"), -1, 10));
}

TEST_F(CurlClientTest, RedirectsAreRefusedByDefaultAndFollowedWhenAsked) {
  ASSERT_OK_AND_ASSIGN(HttpResponse raw, Client()->Send(Get("/redirect?to=/echo")));
  EXPECT_EQ(raw.status, 302);
  EXPECT_EQ(raw.headers.Get("Location"), "/echo");
  auto checked = SendChecked(Client().get(), Get("/redirect?to=/echo"));
  EXPECT_EQ(checked.status().code(), StatusCode::kIOError);
  EXPECT_NE(checked.status().message().find("redirect not followed to /echo"), std::string::npos);

  HttpClientOptions follow;
  follow.follow_redirects = true;
  ASSERT_OK_AND_ASSIGN(HttpResponse followed, Client(follow)->Send(Get("/redirect?to=/echo")));
  EXPECT_EQ(followed.status, 200);
  EXPECT_NE(followed.body.find("\"path\": \"/echo\""), std::string::npos);
  follow.max_redirects = 0;
  EXPECT_EQ(Client(follow)->Send(Get("/redirect?to=/echo")).status().code(), StatusCode::kIOError);
  // Never to another protocol.
  HttpClientOptions follow2;
  follow2.follow_redirects = true;
  EXPECT_FALSE(Client(follow2)->Send(Get("/redirect?to=file:///etc/passwd")).ok());
}

TEST_F(CurlClientTest, StreamsLargeBodiesIntoASink) {
  auto client = Client();
  int64_t received = 0;
  int chunks = 0;
  bool matches = true;
  ASSERT_OK_AND_ASSIGN(HttpResponse resp,
                       client->SendStreaming(Get("/bytes/3000000"), [&](const HttpResponse& head,
                                                                        std::string_view c) {
                         EXPECT_EQ(head.status, 200);
                         for (char ch : c) matches &= ch == static_cast<char>(received++ % 251);
                         ++chunks;
                         return Status::OK();
                       }));
  EXPECT_EQ(resp.status, 200);
  EXPECT_TRUE(resp.body.empty());
  EXPECT_EQ(received, 3000000);
  EXPECT_TRUE(matches);
  EXPECT_GT(chunks, 1);

  auto aborted = client->SendStreaming(
      Get("/bytes/3000000"),
      [](const HttpResponse&, std::string_view) { return Status::Cancelled("enough"); });
  EXPECT_EQ(aborted.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(aborted.status().message(), "enough");

  bool called = false;
  ASSERT_OK_AND_ASSIGN(
      HttpResponse err,
      client->SendStreaming(Get("/status/404"), [&](const HttpResponse&, std::string_view) {
        called = true;
        return Status::OK();
      }));
  EXPECT_EQ(err.status, 404);
  EXPECT_EQ(err.body, "status 404");
  EXPECT_FALSE(called);
}

TEST_F(CurlClientTest, BodyLimit) {
  HttpClientOptions o;
  o.max_response_bytes = 1000;
  auto client = Client(o);
  EXPECT_OK(client->Send(Get("/bytes/1000")));
  EXPECT_EQ(client->Send(Get("/bytes/1001")).status().code(), StatusCode::kResourceExhausted);
}

TEST_F(CurlClientTest, ReusesConnections) {
  auto client = Client();
  ASSERT_OK(client->Send(Get("/echo")));  // opens the pooled connection
  const int before = Connections();
  for (int i = 0; i < 20; ++i) ASSERT_OK(client->Send(Get("/bytes/100")));
  EXPECT_EQ(Connections() - before, 1);  // only the /stats call's own client connected
}

TEST_F(CurlClientTest, ParallelSendsRespectConcurrencyAndRetry) {
  auto client = Client();
  std::vector<HttpRequest> requests;
  for (int i = 0; i < 40; ++i) requests.push_back(Get("/slow?ms=250"));
  requests.push_back(Get("/flaky/par1?fail=2"));
  requests.push_back(Get("/status/404"));
  std::atomic<int> done{0};
  ParallelOptions po;
  po.max_concurrency = 10;
  po.on_done = [&](size_t, const Result<HttpResponse>&) { ++done; };
  const auto start = Clock::now();
  auto results = client->SendAll(requests, po);
  const int64_t ms = ElapsedMs(start);
  ASSERT_EQ(results.size(), requests.size());
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].status();
    EXPECT_EQ(results[i]->body, "slow");
  }
  ASSERT_TRUE(results[40].ok());
  EXPECT_EQ(results[40]->status, 200);
  EXPECT_EQ(results[40]->attempts, 3);
  ASSERT_TRUE(results[41].ok());
  EXPECT_EQ(results[41]->status, 404);
  EXPECT_EQ(done.load(), 42);
  // 40 x 250 ms at 10 at a time: about 1 s; sequentially it would be 10 s.
  EXPECT_GE(ms, 900);
  EXPECT_LT(ms, 4000);
}

TEST_F(CurlClientTest, ParallelDownloadsStreamPerRequest) {
  auto client = Client();
  std::vector<HttpRequest> requests;
  for (int i = 0; i < 30; ++i) requests.push_back(Get("/bytes/" + std::to_string(100000 + i)));
  std::vector<int64_t> sizes(requests.size(), 0);
  ParallelOptions po;
  po.max_concurrency = 8;
  po.on_body = [&](size_t i, const HttpResponse&, std::string_view c) {
    sizes[i] += static_cast<int64_t>(c.size());
    return Status::OK();
  };
  auto results = client->SendAll(requests, po);
  for (size_t i = 0; i < requests.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].status();
    EXPECT_TRUE(results[i]->body.empty());
    EXPECT_EQ(sizes[i], 100000 + static_cast<int64_t>(i));
  }
  // A refused connection in a batch fails only its own entry.
  HttpClientOptions once;
  once.retry.max_attempts = 1;
  std::vector<HttpRequest> mixed = {Get("/echo"), HttpRequest{}};
  mixed[1].url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/";
  auto r = Client(once)->SendAll(mixed, {});
  EXPECT_TRUE(r[0].ok());
  EXPECT_EQ(r[1].status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(client->SendAll({}, {}).empty());
}

TEST_F(CurlClientTest, ManyThreadsShareOneClient) {
  auto client = Client();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto r = client->Send(Get("/bytes/2000"));
        if (r.ok() && r->body == Expected(0, 2000)) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 100);
}

TEST_F(CurlClientTest, ExplicitAndEnvironmentProxies) {
  HttpClientOptions o;
  o.proxy = Url("");
  o.retry.max_attempts = 1;
  HttpRequest req;
  req.url = "http://unreachable.invalid/echo";
  ASSERT_OK_AND_ASSIGN(HttpResponse via, Client(o)->Send(req));
  EXPECT_NE(via.body.find("\"via_proxy\": true"), std::string::npos) << via.body;

  ::setenv("http_proxy", Url("").c_str(), 1);
  HttpClientOptions env;
  env.retry.max_attempts = 1;
  ASSERT_OK_AND_ASSIGN(HttpResponse via_env, Client(env)->Send(req));
  EXPECT_NE(via_env.body.find("\"via_proxy\": true"), std::string::npos);
  env.use_env_proxy = false;
  EXPECT_EQ(Client(env)->Send(req).status().code(), StatusCode::kUnavailable);
  env.use_env_proxy = true;
  env.no_proxy = "unreachable.invalid";
  EXPECT_EQ(Client(env)->Send(req).status().code(), StatusCode::kUnavailable);
  ::unsetenv("http_proxy");
}

TEST_F(CurlClientTest, RejectsRequestsItCannotSend) {
  HttpClientOptions o;
  o.retry.max_attempts = 1;
  auto client = Client(o);
  HttpRequest ftp;
  ftp.url = "ftp://127.0.0.1/x";
  EXPECT_EQ(client->Send(ftp).status().code(), StatusCode::kInvalidArgument);
  HttpRequest get_body = Get("/echo");
  get_body.body = "x";
  EXPECT_EQ(client->Send(get_body).status().code(), StatusCode::kInvalidArgument);
  HttpRequest bad = Get("/echo");
  bad.url = "http://[::1/x";
  EXPECT_FALSE(client->Send(bad).ok());
  HttpClientOptions neg;
  neg.timeout_ms = -1;
  EXPECT_EQ(CurlHttpClient::Make(neg).status().code(), StatusCode::kInvalidArgument);
  HttpClientOptions zero;
  zero.retry.max_attempts = 0;
  EXPECT_EQ(CurlHttpClient::Make(zero).status().code(), StatusCode::kInvalidArgument);
}

// TLS against the same server with a throw-away certificate made by the openssl CLI.
TEST(CurlTlsTest, VerifiesPeersUnlessToldOtherwise) {
  testing::TempDir dir;
  const std::string cert = dir.Join("cert.pem"), key = dir.Join("key.pem");
  const std::string cmd =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "openssl CLI not available";
  auto started = testing::StartLocalServer(
      {"/usr/bin/python3", (testing::RepoDir() / "src/httpclient/test_server.py").string(),
       "--cert", cert, "--key", key});
  ASSERT_TRUE(started.ok()) << started.status();
  HttpRequest req;
  req.url = "https://127.0.0.1:" + std::to_string(started->port) + "/echo";
  HttpClientOptions o;
  o.retry.max_attempts = 1;
  auto strict = CurlHttpClient::Make(o).ValueOrDie();
  auto r = strict->Send(req);
  EXPECT_EQ(r.status().code(), StatusCode::kIOError) << r.status();
  EXPECT_NE(r.status().message().find("TLS"), std::string::npos) << r.status();
  o.ca_file = cert;
  ASSERT_OK_AND_ASSIGN(HttpResponse trusted, CurlHttpClient::Make(o).ValueOrDie()->Send(req));
  EXPECT_EQ(trusted.status, 200);
  o.ca_file.clear();
  o.insecure_skip_verify = true;
  ASSERT_OK_AND_ASSIGN(HttpResponse insecure, CurlHttpClient::Make(o).ValueOrDie()->Send(req));
  EXPECT_EQ(insecure.status, 200);
}

TEST(HandlerClientTest, AnswersFromTheHandler) {
  HandlerHttpClient client([](const HttpRequest& req) -> Result<HttpResponse> {
    if (req.url == "x://fail") return Status::Unavailable("down");
    HttpResponse r;
    r.status = req.url == "x://missing" ? 404 : 200;
    r.body = std::string(200000, 'b');
    return r;
  });
  HttpRequest req;
  req.url = "x://ok";
  ASSERT_OK_AND_ASSIGN(HttpResponse r, client.Send(req));
  EXPECT_EQ(r.body.size(), 200000u);
  size_t streamed = 0;
  ASSERT_OK_AND_ASSIGN(HttpResponse s,
                       client.SendStreaming(req, [&](const HttpResponse&, std::string_view c) {
                         EXPECT_LE(c.size(), 65536u);
                         streamed += c.size();
                         return Status::OK();
                       }));
  EXPECT_EQ(streamed, 200000u);
  EXPECT_TRUE(s.body.empty());
  req.url = "x://missing";
  EXPECT_EQ(SendChecked(&client, req).status().code(), StatusCode::kNotFound);
  req.url = "x://fail";
  std::vector<HttpRequest> batch = {req, req};
  auto results = client.SendAll(batch, {});
  EXPECT_EQ(results[1].status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(client.request_count(), 5);
}

}  // namespace
}  // namespace ds::httpclient
