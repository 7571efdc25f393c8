// The server over real sockets on loopback: keep-alive, limits, timeouts, streaming with
// backpressure, aborts, HEAD, 100-continue, shutdown, metrics and access logs.
#include "http/server.h"

#include <atomic>
#include <future>
#include <thread>

#include "http/file_response.h"
#include "http/ops_routes.h"
#include "http/test_client.h"
#include "io/file.h"
#include "test/testing/testing.h"
#include "util/json.h"

namespace ds::http {
namespace {

using namespace std::chrono_literals;
using test::Fetch;
using test::TestConnection;
using test::TestResponse;

Response Hello(const Request&) { return Response::Text(200, "hello\n"); }

Response Echo(const Request& r) {
  std::string out = std::string(r.method_name()) + " " + std::string(r.path()) +
                    " q=" + std::string(r.raw_query()) + " body=" + r.body();
  for (const auto& [name, value] : r.params()) out += " " + std::string(name) + "=" + value;
  return Response::Text(200, out);
}

ServerOptions TestOptions() {
  ServerOptions o;
  o.io_threads = 2;
  o.worker_threads = 8;
  o.timer_tick = 20ms;
  return o;
}

std::unique_ptr<Server> StartServer(ServerOptions options, Router router) {
  auto server = Server::Start(std::move(options), std::move(router));
  if (!server.ok()) {
    ADD_FAILURE() << server.status();
    return nullptr;
  }
  return std::move(server).value();
}

Router BasicRouter() {
  Router r;
  r.Add(Method::kGet, "/hello", Hello).Abort();
  r.Add(Method::kPost, "/echo", Echo).Abort();
  r.Add(Method::kGet, "/echo/{a}/{b}", Echo).Abort();
  return r;
}

TEST(ServerTest, KeepAliveServesManySequentialRequests) {
  auto server = StartServer(TestOptions(), BasicRouter());
  ASSERT_NE(server, nullptr);
  EXPECT_NE(server->port(), 0);
  ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
  for (int i = 0; i < 300; ++i) {
    ASSERT_OK(c.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_OK_AND_ASSIGN(TestResponse r, c.ReadResponse());
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.body, "hello\n");
    ASSERT_TRUE(r.keep_alive);
    ASSERT_FALSE(r.header("x-request-id").empty());
    ASSERT_FALSE(r.header("date").empty());
  }
  EXPECT_EQ(server->metrics().AddCounter("http_connections_total", "").Get().Value(), 1u);
}

TEST(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  auto server = StartServer(TestOptions(), BasicRouter());
  ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
  ASSERT_OK(
      c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nonePOST /echo HTTP/1.1\r\n"
             "Host: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
             "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_OK_AND_ASSIGN(TestResponse a, c.ReadResponse());
  ASSERT_OK_AND_ASSIGN(TestResponse b, c.ReadResponse());
  ASSERT_OK_AND_ASSIGN(TestResponse d, c.ReadResponse());
  EXPECT_EQ(a.body, "POST /echo q= body=one");
  EXPECT_EQ(b.body, "POST /echo q= body=two");
  EXPECT_EQ(d.body, "hello\n");
}

TEST(ServerTest, ThousandConcurrentConnectionsWithoutErrors) {
  ServerOptions o = TestOptions();
  auto server = StartServer(o, BasicRouter());
  test::LoadResult load = test::RunLoad(server->port(), 1000, 10, "/hello");
  EXPECT_EQ(load.errors, 0) << load.first_error;
  EXPECT_EQ(load.ok, 10000);
  std::printf("1000 connections x 10 requests: %.2f s (%.0f requests/s, ASan build)\n",
              load.seconds, load.ok / load.seconds);
  EXPECT_EQ(server->metrics().AddCounter("http_connections_total", "").Get().Value(), 1000u);
}

TEST(ServerTest, OversizedHeaderIs431AndClosed) {
  ServerOptions o = TestOptions();
  o.max_header_bytes = 1024;
  auto server = StartServer(o, BasicRouter());
  ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
  ASSERT_OK(
      c.Send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n"));
  ASSERT_OK_AND_ASSIGN(TestResponse r, c.ReadResponse());
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_NE(r.body.find("HEADERS_TOO_LARGE"), std::string::npos) << r.body;
  EXPECT_FALSE(r.header("x-request-id").empty());
  EXPECT_TRUE(c.WaitForClose(3s));
  // A header just under the limit is fine.
  ASSERT_OK_AND_ASSIGN(
      r, Fetch(server->port(), "GET", "/hello", "X-Big: " + std::string(800, 'a') + "\r\n"));
  EXPECT_EQ(r.status, 200);
}

TEST(ServerTest, OversizedBodyIs413BeforeItIsRead) {
  ServerOptions o = TestOptions();
  o.max_body_bytes = 1000;
  auto server = StartServer(o, BasicRouter());
  {
    ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
    ASSERT_OK(c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"));
    ASSERT_OK_AND_ASSIGN(TestResponse r, c.ReadResponse());
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.header("connection"), "close");
  }
  {  // chunked: detected while reading
    ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
    std::string chunk(600, 'b');
    ASSERT_OK(c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" +
                     chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n"));
    ASSERT_OK_AND_ASSIGN(TestResponse r, c.ReadResponse());
    EXPECT_EQ(r.status, 413);
  }
  ASSERT_OK_AND_ASSIGN(TestResponse ok,
                       Fetch(server->port(), "POST", "/echo", "", std::string(1000, 'c')));
  EXPECT_EQ(ok.status, 200);
}

TEST(ServerTest, ExpectContinue) {
  ServerOptions o = TestOptions();
  o.max_body_bytes = 100;
  auto server = StartServer(o, BasicRouter());
  {
    ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
    ASSERT_OK(
        c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
               "Expect: 100-continue\r\n\r\n"));
    std::string got;
    EXPECT_FALSE(c.WaitForClose(300ms, &got));  // waits for the body, after the 100
    ASSERT_OK(c.Send("hello"));
    ASSERT_OK_AND_ASSIGN(TestResponse r, c.ReadResponse());  // skips the 100
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "POST /echo q= body=hello");
  }
  {  // too large: 413 at once, never 100 Continue
    ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
    ASSERT_OK(
        c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n"
               "Expect: 100-continue\r\n\r\n"));
    std::string got;
    EXPECT_TRUE(c.WaitForClose(3s, &got));
    EXPECT_EQ(got.rfind("HTTP/1.1 413 ", 0), 0u) << got;
  }
  ASSERT_OK_AND_ASSIGN(TestResponse r,
                       Fetch(server->port(), "POST", "/echo", "Expect: something-else\r\n", "x"));
  EXPECT_EQ(r.status, 417);
}

TEST(ServerTest, TrickledRequestIsTimedOutWhileOthersAreServed) {
  ServerOptions o = TestOptions();
  o.header_timeout = 800ms;
  auto server = StartServer(o, BasicRouter());
  ASSERT_OK_AND_ASSIGN(TestConnection slow, TestConnection::Connect(server->port()));
  std::atomic<bool> cut{false};
  std::thread trickler([&] {
    std::string req =
        "GET /hello HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(100, 'p') + "\r\n\r\n";
    for (char ch : req) {
      if (!slow.Send(std::string_view(&ch, 1)).ok()) {
        cut = true;
        return;
      }
      std::this_thread::sleep_for(50ms);
    }
  });
  auto start = std::chrono::steady_clock::now();
  double worst = 0;
  for (int i = 0; i < 30; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    ASSERT_OK_AND_ASSIGN(TestResponse r, Fetch(server->port(), "GET", "/hello"));
    ASSERT_EQ(r.status, 200);
    worst = std::max(worst,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_LT(worst, 0.5);
  std::string got;
  EXPECT_TRUE(slow.WaitForClose(5s, &got));
  double closed_after =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(closed_after, 3.0);
  EXPECT_EQ(got, "");  // cut, never answered
  trickler.join();
  EXPECT_EQ(server->metrics()
                .AddCounter("http_timeouts_total", "", {"phase"})
                .WithLabels({"header"})
                .Value(),
            1u);
}

TEST(ServerTest, StalledReaderIsCutAndTheProducerSeesAnError) {
  ServerOptions o = TestOptions();
  o.write_timeout = 600ms;
  o.stream_buffer_bytes = 64 * 1024;
  std::promise<Status> result;
  std::atomic<int64_t> produced{0};
  Router router = BasicRouter();
  ASSERT_OK(router.Add(Method::kGet, "/big", [&](const Request&) {
    return Response::Stream(200, "application/octet-stream", [&](ResponseStream& out) {
      std::string chunk(16 * 1024, 'z');
      for (int i = 0; i < 100000; ++i) {  // 1.6 GB if nobody stops us
        Status st = out.Write(chunk);
        if (!st.ok()) {
          produced = out.bytes_written();
          result.set_value(st);
          return st;
        }
      }
      result.set_value(Status::OK());
      return Status::OK();
    });
  }));
  auto server = StartServer(o, std::move(router));
  ASSERT_OK_AND_ASSIGN(TestConnection reader, TestConnection::Connect(server->port()));
  reader.SetReceiveBuffer(4096);
  ASSERT_OK(reader.Send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto start = std::chrono::steady_clock::now();
  std::future<Status> f = result.get_future();
  // Others are served while the stalled stream waits.
  for (int i = 0; i < 10; ++i) {
    ASSERT_OK_AND_ASSIGN(TestResponse r, Fetch(server->port(), "GET", "/hello"));
    ASSERT_EQ(r.status, 200);
    ASSERT_LE(server->stats().stream_buffered_bytes, 64 * 1024);
  }
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  Status st = f.get();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(st.code(), StatusCode::kDeadlineExceeded) << st;
  EXPECT_LT(seconds, 5.0);
  // What was accepted is bounded by our buffer plus the kernel's socket buffers, not 1.6 GB.
  EXPECT_LT(produced.load(), 64 << 20) << produced.load();
  EXPECT_LE(server->stats().peak_stream_buffered_bytes, 64 * 1024);
  for (int i = 0; i < 100 && server->stats().stream_buffered_bytes != 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(server->stats().stream_buffered_bytes, 0);
  EXPECT_EQ(server->metrics()
                .AddCounter("http_timeouts_total", "", {"phase"})
                .WithLabels({"write"})
                .Value(),
            1u);
}

Router StreamingRouter() {
  Router router = BasicRouter();
  router
      .Add(Method::kGet, "/stream",
           [](const Request& req) {
             int lines = std::stoi(std::string(req.query().Get("lines").value_or("3")));
             std::string how(req.query().Get("end").value_or("ok"));
             return Response::Stream(
                 200, "application/x-ndjson", [lines, how](ResponseStream& out) {
                   for (int i = 0; i < lines; ++i)
                     RETURN_NOT_OK(out.Write("{\"line\":" + std::to_string(i) + "}\n"));
                   RETURN_NOT_OK(out.Flush());
                   if (how == "abort") {
                     out.Abort("storage failed");
                     return Status::OK();
                   }
                   if (how == "error") return Status::IOError("storage failed mid-stream");
                   return Status::OK();
                 });
           })
      .Abort();
  router
      .Add(Method::kGet, "/sized",
           [](const Request& req) {
             int64_t declared = std::stoll(std::string(req.query().Get("declared").value_or("10")));
             int64_t actual = std::stoll(std::string(req.query().Get("actual").value_or("10")));
             return Response::Stream(
                 200, "text/plain",
                 [actual](ResponseStream& out) { return out.Write(std::string(actual, 'x')); },
                 declared);
           })
      .Abort();
  return router;
}

TEST(ServerTest, StreamedResponses) {
  auto server = StartServer(TestOptions(), StreamingRouter());
  ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
  ASSERT_OK(c.Send("GET /stream?lines=1000 HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_OK_AND_ASSIGN(TestResponse r, c.ReadResponse());
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.chunked);
  EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 1000);
  EXPECT_EQ(r.body.substr(0, 11), "{\"line\":0}\n");
  // The connection is reusable after a chunked stream, and for a sized one.
  ASSERT_OK(c.Send("GET /sized?declared=5&actual=5 HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_OK_AND_ASSIGN(r, c.ReadResponse());
  EXPECT_FALSE(r.chunked);
  EXPECT_EQ(r.header("content-length"), "5");
  EXPECT_EQ(r.body, "xxxxx");
  // HTTP/1.0 gets a close-delimited body.
  ASSERT_OK_AND_ASSIGN(TestConnection old, TestConnection::Connect(server->port()));
  ASSERT_OK(old.Send("GET /stream?lines=2 HTTP/1.0\r\n\r\n"));
  std::string raw;
  ASSERT_TRUE(old.WaitForClose(3s, &raw));
  EXPECT_EQ(raw.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << raw;
  EXPECT_NE(raw.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(raw.substr(raw.size() - 22), "{\"line\":0}\n{\"line\":1}\n");
}

TEST(ServerTest, AbortedOrFailedStreamsLookIncomplete) {
  auto server = StartServer(TestOptions(), StreamingRouter());
  for (std::string end : {"abort", "error"}) {
    ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
    ASSERT_OK(c.Send("GET /stream?lines=5&end=" + end + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto r = c.ReadResponse();
    ASSERT_FALSE(r.ok()) << end;
    EXPECT_NE(r.status().message().find("incomplete response"), std::string::npos) << r.status();
  }
  for (std::string q : {"declared=10&actual=4", "declared=3&actual=4"}) {
    ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
    ASSERT_OK(c.Send("GET /sized?" + q + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto r = c.ReadResponse();
    ASSERT_FALSE(r.ok()) << q;
  }
  EXPECT_EQ(server->metrics().AddCounter("http_aborted_streams_total", "").Get().Value(), 4u);
}

TEST(ServerTest, HeadSendsHeadersOnly) {
  testing::TempDir dir;
  std::string data(100000, 'd');
  ASSERT_OK(io::WriteStringToFile(dir.Join("f.bin"), data));
  Router router = BasicRouter();
  ASSERT_OK(router.Add(Method::kGet, "/file", [&](const Request& req) {
    return FileResponse(req, io::OpenLocalFile(dir.Join("f.bin")).ValueOrDie());
  }));
  ASSERT_OK(router.Add(Method::kGet, "/stream", [](const Request&) {
    return Response::Stream(200, "text/plain", [](ResponseStream& out) { return out.Write("x"); });
  }));
  auto server = StartServer(TestOptions(), std::move(router));
  ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
  for (std::string target : {"/hello", "/file", "/stream", "/hello"}) {
    ASSERT_OK(c.Send("HEAD " + target + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_OK_AND_ASSIGN(TestResponse r, c.ReadResponse(10s, /*head_request=*/true));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "");
    if (target == "/hello") {
      EXPECT_EQ(r.header("content-length"), "6");
    }
    if (target == "/file") {
      EXPECT_EQ(r.header("content-length"), "100000");
    }
  }
  // Nothing stray was sent: the next GET parses cleanly.
  ASSERT_OK(c.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_OK_AND_ASSIGN(TestResponse r, c.ReadResponse());
  EXPECT_EQ(r.body, "hello\n");
}

TEST(ServerTest, GracefulStopFinishesInFlightRequests) {
  Router router = BasicRouter();
  std::atomic<bool> started{false};
  ASSERT_OK(router.Add(Method::kGet, "/slow", [&](const Request&) {
    started = true;
    std::this_thread::sleep_for(700ms);
    return Response::Text(200, "done");
  }));
  auto server = StartServer(TestOptions(), std::move(router));
  uint16_t port = server->port();
  ASSERT_OK_AND_ASSIGN(TestConnection idle, TestConnection::Connect(port));
  ASSERT_OK_AND_ASSIGN(TestConnection busy, TestConnection::Connect(port));
  ASSERT_OK(busy.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  while (!started) std::this_thread::sleep_for(5ms);
  auto t0 = std::chrono::steady_clock::now();
  std::thread stopper([&] { server->Stop(5s); });
  ASSERT_OK_AND_ASSIGN(TestResponse r, busy.ReadResponse());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "done");
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(idle.WaitForClose(2s));
  stopper.join();
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(took, 3.0);
  EXPECT_FALSE(TestConnection::Connect(port).ok());
}

TEST(ServerTest, StopCutsStreamsThatOutliveTheGrace) {
  Router router = BasicRouter();
  std::promise<Status> result;
  std::atomic<bool> started{false};
  ASSERT_OK(router.Add(Method::kGet, "/forever", [&](const Request&) {
    return Response::Stream(200, "text/plain", [&](ResponseStream& out) {
      started = true;
      while (true) {
        Status st = out.Write("tick\n");
        if (st.ok()) st = out.Flush();
        if (!st.ok()) {
          result.set_value(st);
          return st;
        }
        std::this_thread::sleep_for(5ms);
      }
    });
  }));
  auto server = StartServer(TestOptions(), std::move(router));
  ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
  ASSERT_OK(c.Send("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n"));
  while (!started) std::this_thread::sleep_for(5ms);
  auto t0 = std::chrono::steady_clock::now();
  server->Stop(300ms);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GT(took, 0.25);
  EXPECT_LT(took, 2.0);
  auto f = result.get_future();
  ASSERT_EQ(f.wait_for(1s), std::future_status::ready);
  EXPECT_EQ(f.get().code(), StatusCode::kCancelled);
  EXPECT_FALSE(c.ReadResponse(2s).ok());
}

TEST(ServerTest, HandlerDeadlineAnswers503) {
  ServerOptions o = TestOptions();
  o.handler_timeout = 300ms;
  Router router = BasicRouter();
  std::atomic<bool> saw_cancel{false};
  ASSERT_OK(router.Add(Method::kGet, "/stuck", [&](const Request& req) {
    for (int i = 0; i < 200 && !req.cancelled(); ++i) std::this_thread::sleep_for(10ms);
    saw_cancel = req.cancelled();
    return Response::Text(200, "too late");
  }));
  auto server = StartServer(o, std::move(router));
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_OK_AND_ASSIGN(TestResponse r, Fetch(server->port(), "GET", "/stuck"));
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.status, 503);
  EXPECT_GT(took, 0.25);
  EXPECT_LT(took, 1.5);
  for (int i = 0; i < 100 && !saw_cancel; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(saw_cancel);
}

TEST(ServerTest, FullWorkerQueueSheds503) {
  ServerOptions o = TestOptions();
  o.worker_threads = 1;
  o.worker_queue = 2;
  Router router = BasicRouter();
  std::atomic<int> running{0};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_OK(router.Add(Method::kGet, "/block", [&](const Request&) {
    ++running;
    released.wait();
    return Response::Text(200, "ok");
  }));
  auto server = StartServer(o, std::move(router));
  std::vector<TestConnection> conns;
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
    ASSERT_OK(c.Send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n"));
    conns.push_back(std::move(c));
    if (i == 0) {
      while (running == 0) std::this_thread::sleep_for(5ms);
    }
  }
  std::this_thread::sleep_for(200ms);
  release.set_value();
  int ok = 0, shed = 0;
  for (auto& c : conns) {
    ASSERT_OK_AND_ASSIGN(TestResponse r, c.ReadResponse());
    if (r.status == 200) ++ok;
    if (r.status == 503) ++shed;
  }
  EXPECT_EQ(ok + shed, 5);
  EXPECT_GE(shed, 1);
  EXPECT_GE(ok, 3);  // the running one and the queued ones
}

TEST(ServerTest, ConnectionLimitRefusesPolitely) {
  ServerOptions o = TestOptions();
  o.max_connections = 2;
  auto server = StartServer(o, BasicRouter());
  ASSERT_OK_AND_ASSIGN(TestConnection a, TestConnection::Connect(server->port()));
  ASSERT_OK_AND_ASSIGN(TestConnection b, TestConnection::Connect(server->port()));
  for (int i = 0; i < 100 && server->stats().open_connections < 2; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
  std::string got;
  EXPECT_TRUE(c.WaitForClose(2s, &got));
  EXPECT_EQ(got.rfind("HTTP/1.1 503 ", 0), 0u) << got;
  a.Close();
  for (int i = 0; i < 100 && server->stats().open_connections > 1; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_OK_AND_ASSIGN(TestResponse r, Fetch(server->port(), "GET", "/hello"));
  EXPECT_EQ(r.status, 200);
}

TEST(ServerTest, MaxRequestsPerConnection) {
  ServerOptions o = TestOptions();
  o.max_requests_per_connection = 3;
  auto server = StartServer(o, BasicRouter());
  ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(c.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_OK_AND_ASSIGN(TestResponse r, c.ReadResponse());
    EXPECT_EQ(r.keep_alive, i < 2) << i;
  }
  EXPECT_TRUE(c.WaitForClose(3s));
}

TEST(ServerTest, IdleKeepAliveConnectionsAreClosed) {
  ServerOptions o = TestOptions();
  o.idle_timeout = 300ms;
  auto server = StartServer(o, BasicRouter());
  ASSERT_OK_AND_ASSIGN(TestConnection c, TestConnection::Connect(server->port()));
  ASSERT_OK(c.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_OK(c.ReadResponse().status());
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitForClose(3s));
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GT(took, 0.25);
  EXPECT_LT(took, 1.5);
}

TEST(ServerTest, MalformedRequestsGetClearErrors) {
  auto server = StartServer(TestOptions(), BasicRouter());
  struct Case {
    std::string request;
    int status;
    std::string message_part;
  };
  std::vector<Case> cases = {
      {"GET /hello HTTP/1.1\r\n\r\n", 400, "Host"},
      {"GET /hello?x=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "'x'"},
      {"GET /echo/%zz/b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "percent-escape"},
      {"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n", 404, "no route for GET /nothing"},
      {"DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n", 405, "allowed: GET, HEAD"},
      {"GET /hello#f HTTP/1.1\r\nHost: x\r\n\r\n", 400, "fragment"},
      {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "malformed"},
      {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
       400, "malformed"},
      {"GET /hello HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400, "malformed"},
      {"GET /hello HTTP/9.9\r\nHost: x\r\n\r\n", 400, "malformed"},
      {"G@T /hello HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed"},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(TestConnection conn, TestConnection::Connect(server->port()));
    ASSERT_OK(conn.Send(c.request));
    ASSERT_OK_AND_ASSIGN(TestResponse r, conn.ReadResponse());
    EXPECT_EQ(r.status, c.status) << c.request;
    ASSERT_OK_AND_ASSIGN(JsonValue body, ParseJson(r.body));
    EXPECT_NE(body.Find("message")->string_value().find(c.message_part), std::string::npos)
        << c.request << " -> " << r.body;
    if (c.status == 405) {
      EXPECT_EQ(r.header("allow"), "GET, HEAD");
    }
  }
}

TEST(ServerTest, InvalidHandlerResponsesBecome500) {
  Router router;
  ASSERT_OK(router.Add(Method::kGet, "/reserved", [](const Request&) {
    Response r = Response::Text(200, "x");
    r.headers.Add("Content-Length", "99");
    return r;
  }));
  ASSERT_OK(router.Add(Method::kGet, "/split", [](const Request&) {
    Response r = Response::Text(200, "x");
    r.headers.Add("X-Evil", "a\r\nSet-Cookie: b");
    return r;
  }));
  ASSERT_OK(
      router.Add(Method::kGet, "/status", [](const Request&) { return Response::Text(42, "x"); }));
  ASSERT_OK(router.Add(Method::kGet, "/throws",
                       [](const Request&) -> Response { throw std::runtime_error("boom"); }));
  auto server = StartServer(TestOptions(), std::move(router));
  for (std::string target : {"/reserved", "/split", "/status", "/throws"}) {
    ASSERT_OK_AND_ASSIGN(TestResponse r, Fetch(server->port(), "GET", target));
    EXPECT_EQ(r.status, 500) << target;
    EXPECT_EQ(r.header("set-cookie"), "");
  }
}

TEST(ServerTest, PathAndQueryDecodingEndToEnd) {
  Router router;
  RouteOptions java;
  java.plus_as_space = true;
  ASSERT_OK(router.Add(Method::kGet, "/p/{a}/{b}", Echo));
  ASSERT_OK(router.Add(Method::kGet, "/j/{a}", Echo, java));
  ASSERT_OK(router.Add(Method::kGet, "/q", [](const Request& r) {
    return Response::Text(200, std::string(r.query().Get("ts").value_or("-")) + "|" +
                                   std::string(r.query().Get("v").value_or("-")));
  }));
  auto server = StartServer(TestOptions(), std::move(router));
  ASSERT_OK_AND_ASSIGN(TestResponse r, Fetch(server->port(), "GET", "/p/a%2Fb/c%20d+e"));
  EXPECT_EQ(r.body, "GET /p/a%2Fb/c%20d+e q= body= a=a/b b=c d+e");
  ASSERT_OK_AND_ASSIGN(r, Fetch(server->port(), "GET", "/j/x+y%2B"));
  EXPECT_EQ(r.body, "GET /j/x+y%2B q= body= a=x y+");
  ASSERT_OK_AND_ASSIGN(r, Fetch(server->port(), "GET", "/q?ts=2022-01-01T00%3A00%3A00Z&v=a+b%26c"));
  EXPECT_EQ(r.body, "2022-01-01T00:00:00Z|a b&c");
  ASSERT_OK_AND_ASSIGN(r, Fetch(server->port(), "GET", "http://example.com/q?v=abs"));
  EXPECT_EQ(r.body, "-|abs");
}

TEST(ServerTest, TrustedProxiesAndClientAddresses) {
  ServerOptions o = TestOptions();
  o.trusted_proxies = {"127.0.0.0/8"};
  o.trust_request_id = true;
  Router router;
  ASSERT_OK(router.Add(Method::kGet, "/who", [](const Request& r) {
    return Response::Text(200, r.client_address() + " " + r.peer_address() + " " + r.request_id());
  }));
  auto server = StartServer(o, std::move(router));
  ASSERT_OK_AND_ASSIGN(TestResponse r,
                       Fetch(server->port(), "GET", "/who",
                             "X-Forwarded-For: 6.6.6.6, 1.2.3.4\r\nX-Request-Id: from-lb.1\r\n"));
  EXPECT_EQ(r.body, "1.2.3.4 127.0.0.1 from-lb.1");
  EXPECT_EQ(r.header("x-request-id"), "from-lb.1");
  ASSERT_OK_AND_ASSIGN(r, Fetch(server->port(), "GET", "/who", "X-Request-Id: bad id!\r\n"));
  EXPECT_EQ(r.body.substr(0, 20), "127.0.0.1 127.0.0.1 ");  // no X-Forwarded-For: the peer
  EXPECT_EQ(r.body.find("bad"), std::string::npos);         // an invalid id is replaced
  EXPECT_EQ(r.header("x-request-id"), r.body.substr(20));
  ASSERT_RAISES(kInvalidArgument, Server::Start(
                                      [] {
                                        ServerOptions bad;
                                        bad.trusted_proxies = {"nonsense"};
                                        return bad;
                                      }(),
                                      Router()));
}

TEST(ServerTest, AccessLogAndMetricsEndpoint) {
  auto log = std::make_shared<MemoryAccessLog>();
  auto registry = std::make_shared<MetricsRegistry>();
  ServerOptions o = TestOptions();
  o.access_log = log;
  o.metrics = registry;
  Router router = BasicRouter();
  RouteOptions secret;
  secret.log_path = false;
  ASSERT_OK(router.Add(Method::kGet, "/files/{token}", Hello, secret));
  ASSERT_OK(AddOperationalRoutes(&router, registry));
  auto server = StartServer(o, std::move(router));
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(TestResponse r,
                         Fetch(server->port(), "GET", "/hello?X-Amz-Signature=sekrit",
                               "Authorization: Bearer tok3n\r\nUser-Agent: test-agent/1\r\n"));
    ASSERT_EQ(r.status, 200);
  }
  ASSERT_OK(Fetch(server->port(), "GET", "/files/signed-t0ken").status());
  ASSERT_OK(Fetch(server->port(), "GET", "/missing").status());
  ASSERT_OK_AND_ASSIGN(TestResponse health, Fetch(server->port(), "GET", "/healthz"));
  EXPECT_EQ(health.body, "ok\n");
  ASSERT_OK_AND_ASSIGN(TestResponse m, Fetch(server->port(), "GET", "/metrics"));
  EXPECT_EQ(m.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(m.body.find("http_requests_total{route=\"/hello\",method=\"GET\",status=\"200\"} 3"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"),
            std::string::npos);
  EXPECT_NE(m.body.find("http_request_duration_seconds_count{route=\"/hello\",method=\"GET\"} 3"),
            std::string::npos);
  server->Stop(1s);  // flushes the access log
  std::string lines = log->Contents();
  EXPECT_EQ(lines.find("sekrit"), std::string::npos) << lines;
  EXPECT_EQ(lines.find("tok3n"), std::string::npos) << lines;
  EXPECT_EQ(lines.find("signed-t0ken"), std::string::npos) << lines;
  int count = 0;
  for (std::string_view rest = lines; !rest.empty();) {
    size_t nl = rest.find('\n');
    ASSERT_NE(nl, std::string_view::npos);
    ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(rest.substr(0, nl)));
    if (v.Find("path")->string_value() == "/hello") {
      EXPECT_EQ(v.Find("status")->number_text(), "200");
      EXPECT_EQ(v.Find("user_agent")->string_value(), "test-agent/1");
      EXPECT_EQ(v.Find("client")->string_value(), "127.0.0.1");
      EXPECT_EQ(v.Find("response_bytes")->number_text(), "6");
      EXPECT_EQ(v.Find("outcome")->string_value(), "ok");
    }
    ++count;
    rest.remove_prefix(nl + 1);
  }
  EXPECT_EQ(count, 7);
  EXPECT_NE(lines.find("\"path\":\"/files/{token}\""), std::string::npos);
}

TEST(ServerTest, StartErrors) {
  auto first = StartServer(TestOptions(), Router());
  ServerOptions o = TestOptions();
  o.port = first->port();
  ASSERT_RAISES(kIOError, Server::Start(o, Router()));
  o = TestOptions();
  o.host = "not-an-ip";
  ASSERT_RAISES(kInvalidArgument, Server::Start(o, Router()));
  o = TestOptions();
  o.tls = TlsOptions{"/nonexistent/cert.pem", "/nonexistent/key.pem"};
  ASSERT_RAISES(kInvalidArgument, Server::Start(o, Router()));
}

}  // namespace
}  // namespace ds::http
