// The server checked by real clients: curl and python-requests (Range, aborted streams,
// HEAD, 100-continue) and TLS with a certificate made by the openssl CLI.
#include <sys/stat.h>

#include <cstdlib>
#include <thread>

#include "http/file_response.h"
#include "http/server.h"
#include "http/test_client.h"
#include "io/file.h"
#include "test/testing/testing.h"

namespace ds::http {
namespace {

using namespace std::chrono_literals;
using test::RunCommand;

bool HaveTool(const std::string& tool) {
  std::string out;
  return RunCommand("command -v " + tool, &out) == 0;
}

std::string ClientsScript() {
  return "/usr/bin/python3 " + (ds::testing::SourceDir() / "test/http/clients.py").string();
}

class ClientsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveTool("curl")) GTEST_SKIP() << "curl not installed";
    data_.resize(1 << 20);
    uint32_t x = 12345;
    for (char& c : data_) {
      x = x * 1664525 + 1013904223;
      c = static_cast<char>(x >> 24);
    }
    file_ = dir_.Join("data.bin");
    ASSERT_OK(io::WriteStringToFile(file_, data_));
  }

  Router MakeRouter() {
    Router router;
    EXPECT_OK(router.Add(Method::kGet, "/hello",
                         [](const Request&) { return Response::Text(200, "hello\n"); }));
    EXPECT_OK(router.Add(Method::kGet, "/file", [this](const Request& req) {
      return FileResponse(req, io::OpenLocalFile(file_).ValueOrDie());
    }));
    EXPECT_OK(router.Add(Method::kPost, "/count", [](const Request& req) {
      return Response::Text(200, std::to_string(req.body().size()));
    }));
    EXPECT_OK(router.Add(Method::kGet, "/stream", [](const Request& req) {
      bool abort = req.query().Get("abort").has_value();
      return Response::Stream(200, "application/x-ndjson", [abort](ResponseStream& out) {
        for (int i = 0; i < 2000; ++i) {
          RETURN_NOT_OK(out.Write("{\"add\":{\"path\":\"part-" + std::to_string(i) + "\"}}\n"));
        }
        if (abort) {  // let the client see the start before the failure
          RETURN_NOT_OK(out.Flush());
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          return Status::IOError("storage failed mid-stream");
        }
        return Status::OK();
      });
    }));
    return router;
  }

  void StartServer(ServerOptions options = {}) {
    options.io_threads = 2;
    options.max_body_bytes = 4 << 20;
    auto s = Server::Start(std::move(options), MakeRouter());
    ASSERT_OK(s.status());
    server_ = std::move(s).value();
  }

  std::string Url(const std::string& path, const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  ds::testing::TempDir dir_;
  std::string data_;
  std::string file_;
  std::unique_ptr<Server> server_;
};

TEST_F(ClientsTest, RangeRequestsWithCurl) {
  StartServer();
  struct Case {
    std::string arg;
    size_t start, end;
    std::string code;
  };
  size_t n = data_.size();
  for (const Case& c : std::vector<Case>{{"-r 0-99", 0, 100, "206"},
                                         {"-r 100-", 100, n, "206"},
                                         {"-r -100", n - 100, n, "206"},
                                         {"", 0, n, "200"}}) {
    std::string out = dir_.Join("out.bin");
    std::string headers = dir_.Join("headers.txt");
    std::string code;
    ASSERT_EQ(RunCommand("curl -s -S " + c.arg + " -o " + out + " -D " + headers +
                             " -w '%{http_code}' " + Url("/file"),
                         &code),
              0)
        << code;
    EXPECT_EQ(code, c.code) << c.arg;
    ASSERT_OK_AND_ASSIGN(std::string got, io::ReadFileToString(out));
    EXPECT_TRUE(got == data_.substr(c.start, c.end - c.start)) << c.arg << ": " << got.size();
    ASSERT_OK_AND_ASSIGN(std::string head, io::ReadFileToString(headers));
    EXPECT_NE(head.find("Accept-Ranges: bytes"), std::string::npos) << head;
    if (c.code == "206") {
      std::string want = "Content-Range: bytes " + std::to_string(c.start) + "-" +
                         std::to_string(c.end - 1) + "/" + std::to_string(n);
      EXPECT_NE(head.find(want), std::string::npos) << head;
    }
  }
  std::string code;
  RunCommand("curl -s -o /dev/null -w '%{http_code}' -r 5000000- " + Url("/file"), &code);
  EXPECT_EQ(code, "416");
  std::string head;
  ASSERT_EQ(RunCommand("curl -s -S -I " + Url("/file"), &head), 0);
  EXPECT_NE(head.find("Content-Length: 1048576"), std::string::npos) << head;
}

TEST_F(ClientsTest, RangeRequestsWithPythonRequests) {
  StartServer();
  std::string out;
  int rc = RunCommand(ClientsScript() + " range " + Url("/file") + " " + file_, &out);
  if (rc == 77) GTEST_SKIP() << "python3-requests not installed";
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(out, "ok\n");
}

TEST_F(ClientsTest, AbortedStreamIsAnErrorForCurlAndPython) {
  StartServer();
  std::string out;
  // curl: 18 = "transfer closed with outstanding read data remaining".
  EXPECT_EQ(RunCommand("curl -s -S -o /dev/null '" + Url("/stream?abort=1") + "'", &out), 18)
      << out;
  EXPECT_EQ(RunCommand("curl -s -S -o /dev/null " + Url("/stream"), &out), 0) << out;
  int rc = RunCommand(ClientsScript() + " abort '" + Url("/stream?abort=1") + "'", &out);
  if (rc == 77) GTEST_SKIP() << "python3-requests not installed";
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(out.rfind("ok ", 0), 0u) << out;
  EXPECT_EQ(RunCommand(ClientsScript() + " complete " + Url("/stream"), &out), 0) << out;
  EXPECT_EQ(out, "ok 2000 lines\n");
}

TEST_F(ClientsTest, CurlSendsExpectContinueForLargeBodies) {
  StartServer();
  std::string body_file = dir_.Join("body.bin");
  ASSERT_OK(io::WriteStringToFile(body_file, std::string(2 << 20, 'b')));
  std::string out;
  ASSERT_EQ(RunCommand("curl -s -S -v --data-binary @" + body_file + " " + Url("/count"), &out), 0)
      << out;
  EXPECT_NE(out.find("Expect: 100-continue"), std::string::npos) << out;
  EXPECT_NE(out.find("HTTP/1.1 100 Continue"), std::string::npos) << out;
  EXPECT_NE(out.find("2097152"), std::string::npos) << out;
  // Over the limit: the 413 comes instead of the 100, and curl does not send the body.
  ASSERT_OK(io::WriteStringToFile(body_file, std::string(5 << 20, 'b')));
  ASSERT_EQ(RunCommand("curl -s -S -v -o /dev/null -w 'code=%{http_code}' --data-binary @" +
                           body_file + " " + Url("/count"),
                       &out),
            0)
      << out;
  EXPECT_NE(out.find("code=413"), std::string::npos) << out;
  EXPECT_EQ(out.find("HTTP/1.1 100 Continue"), std::string::npos) << out;
}

TEST_F(ClientsTest, TlsWithASelfSignedCertificate) {
  if (!HaveTool("openssl")) GTEST_SKIP() << "openssl CLI not installed";
  std::string cert = dir_.Join("cert.pem");
  std::string key = dir_.Join("key.pem");
  std::string out;
  ASSERT_EQ(RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
                       "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
                           key + " -out " + cert,
                       &out),
            0)
      << out;
  ServerOptions o;
  o.tls = TlsOptions{cert, key};
  StartServer(o);
  // Verified against the certificate as CA, over one reused connection.
  ASSERT_EQ(RunCommand("curl -s -S -v --cacert " + cert + " " + Url("/hello", "https") + " " +
                           Url("/stream", "https") + " -o /dev/null -o " + dir_.Join("s.txt"),
                       &out),
            0)
      << out;
  EXPECT_NE(out.find("SSL certificate verify ok"), std::string::npos) << out;
  EXPECT_NE(out.find("Re-using existing connection"), std::string::npos) << out;
  EXPECT_NE(out.find("ALPN: server accepted http/1.1"), std::string::npos) << out;
  ASSERT_OK_AND_ASSIGN(std::string streamed, io::ReadFileToString(dir_.Join("s.txt")));
  EXPECT_EQ(std::count(streamed.begin(), streamed.end(), '\n'), 2000);
  ASSERT_EQ(RunCommand("curl -s -S --cacert " + cert +
                           " https://localhost:" + std::to_string(server_->port()) + "/hello",
                       &out),
            0);
  EXPECT_EQ(out, "hello\n");
  // Without the CA curl refuses (60); TLS 1.1 is refused by the server (35).
  EXPECT_EQ(RunCommand("curl -s " + Url("/hello", "https"), &out), 60) << out;
  EXPECT_NE(
      RunCommand("curl -s --cacert " + cert + " --tlsv1.0 --tls-max 1.1 " + Url("/hello", "https"),
                 &out),
      0);
  // An aborted stream over TLS is still an error.
  EXPECT_EQ(RunCommand("curl -s -S -o /dev/null --cacert " + cert + " '" +
                           Url("/stream?abort=1", "https") + "'",
                       &out),
            18)
      << out;
  // Plain HTTP to the TLS port is closed without an answer.
  ASSERT_OK_AND_ASSIGN(test::TestConnection plain, test::TestConnection::Connect(server_->port()));
  ASSERT_OK(plain.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(plain.WaitForClose(3s));
  int rc = RunCommand(ClientsScript() + " tls " + Url("/hello", "https") + " " + cert, &out);
  if (rc == 77) GTEST_SKIP() << "python3-requests not installed";
  EXPECT_EQ(rc, 0) << out;
}

TEST_F(ClientsTest, BadTlsFilesAreReported) {
  if (!HaveTool("openssl")) GTEST_SKIP() << "openssl CLI not installed";
  std::string cert = dir_.Join("cert.pem");
  std::string key = dir_.Join("key.pem");
  std::string other_key = dir_.Join("other.pem");
  std::string out;
  ASSERT_EQ(RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=x -keyout " +
                           key + " -out " + cert +
                           " && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 "
                           "-out " +
                           other_key,
                       &out),
            0)
      << out;
  ServerOptions o;
  o.tls = TlsOptions{cert, other_key};
  auto s = Server::Start(o, Router());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("mismatch"), std::string::npos) << s.status();
  o.tls = TlsOptions{key, key};  // a key is not a certificate
  s = Server::Start(o, Router());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("certificate chain"), std::string::npos) << s.status();
}

}  // namespace
}  // namespace ds::http
