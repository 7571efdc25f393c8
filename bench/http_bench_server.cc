// A server for bench/http_wrk.sh: the deltashare HTTP framework answering fixed responses
// shaped like Delta Sharing's metadata and small-table query replies, so wrk can compare it
// with nginx serving the very same bytes as static files.
//
//   http_bench_server --write-responses DIR     writes metadata.ndjson and query.ndjson
//   http_bench_server --port N [--io-threads N] [--workers N] [--inline]
//
// GET /metadata returns a complete body (through the worker pool unless --inline); GET /query
// streams its lines through a ResponseStream (chunked), as the sharing server will;
// GET /query-body sends the same bytes as one complete body.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "http/ops_routes.h"
#include "http/server.h"
#include "http/signals.h"
#include "io/file.h"

namespace {

std::string MetadataBody() {
  return R"({"protocol":{"minReaderVersion":1}})"
         "\n"
         R"({"metaData":{"id":"f8d5c169-3d01-4ca3-ad9e-7dc3355aedb2","format":{"provider":"parquet"},)"
         R"("schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"eventTime\",\"type\":\"timestamp\",)"
         R"(\"nullable\":true,\"metadata\":{}},{\"name\":\"date\",\"type\":\"date\",\"nullable\":true,)"
         R"(\"metadata\":{}},{\"name\":\"value\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}",)"
         R"("partitionColumns":["date"],"configuration":{"enableChangeDataFeed":"true"},"version":12}})"
         "\n";
}

std::string FileLine(int i) {
  return R"({"file":{"url":"https://bucket.s3.us-west-2.amazonaws.com/table/date%3D2024-05-0)" +
         std::to_string(i) +
         R"(/part-00000-7b2fc1b5-5b1b-4e7e-a0d9-0c4b1f7a4a51.c000.snappy.parquet?X-Amz-Algorithm=)"
         R"(AWS4-HMAC-SHA256&X-Amz-Date=20240501T000000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600)"
         R"(&X-Amz-Credential=AKIAEXAMPLE%2F20240501%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Signature=)"
         R"(0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","id":"8b0086f17a3b47eba)"
         R"(b8cd8b8c6c6e0b)" +
         std::to_string(i) + R"(","partitionValues":{"date":"2024-05-0)" + std::to_string(i) +
         R"("},"size":573,"stats":"{\"numRecords\":1,\"minValues\":{\"value\":1},\"maxValues\":)"
         R"({\"value\":1},\"nullCount\":{\"value\":0}}","expirationTimestamp":1714525200000}})"
         "\n";
}

// The query response line by line, as a sharing server writes it (protocol, metaData, files).
std::vector<std::string> QueryLines() {
  std::string metadata = MetadataBody();
  size_t split = metadata.find('\n') + 1;
  std::vector<std::string> lines = {metadata.substr(0, split), metadata.substr(split)};
  for (int i = 1; i <= 3; ++i) lines.push_back(FileLine(i));
  return lines;
}

std::string QueryBody() {
  std::string body = MetadataBody();
  for (int i = 1; i <= 3; ++i) body += FileLine(i);
  return body;
}

int Usage() {
  std::fprintf(stderr,
               "usage: http_bench_server --write-responses DIR\n"
               "       http_bench_server --port N [--io-threads N] [--workers N] [--inline]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ds::http;
  ServerOptions options;
  options.io_threads = 2;
  options.max_connections = 20000;
  bool run_inline = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--write-responses") {
      const char* dir = next();
      if (dir == nullptr) return Usage();
      ds::Status st =
          ds::io::WriteStringToFile(std::string(dir) + "/metadata.ndjson", MetadataBody());
      if (st.ok()) st = ds::io::WriteStringToFile(std::string(dir) + "/query.ndjson", QueryBody());
      if (!st.ok()) {
        std::fprintf(stderr, "%s\n", st.ToString().c_str());
        return 1;
      }
      return 0;
    } else if (arg == "--port" && i + 1 < argc) {
      options.port = static_cast<uint16_t>(std::atoi(next()));
    } else if (arg == "--io-threads" && i + 1 < argc) {
      options.io_threads = std::atoi(next());
    } else if (arg == "--workers" && i + 1 < argc) {
      options.worker_threads = std::atoi(next());
    } else if (arg == "--inline") {
      run_inline = true;
    } else {
      return Usage();
    }
  }
  RouteOptions route;
  route.run_inline = run_inline;
  Router router;
  std::string metadata = MetadataBody();
  auto ok = router.Add(
      Method::kGet, "/metadata",
      [metadata](const Request&) {
        return Response::Text(200, metadata, "application/x-ndjson; charset=utf-8");
      },
      route);
  if (ok.ok()) {
    ok = router.Add(
        Method::kGet, "/query",
        [lines = QueryLines()](const Request&) {
          return Response::Stream(200, "application/x-ndjson; charset=utf-8",
                                  [&lines](ResponseStream& out) {
                                    for (const std::string& line : lines) {
                                      RETURN_NOT_OK(out.Write(line));
                                    }
                                    return ds::Status::OK();
                                  });
        },
        route);
  }
  if (ok.ok()) {  // the same bytes as one complete body: isolates the cost of streaming
    ok = router.Add(
        Method::kGet, "/query-body",
        [body = QueryBody()](const Request&) {
          return Response::Text(200, body, "application/x-ndjson; charset=utf-8");
        },
        route);
  }
  auto registry = std::make_shared<MetricsRegistry>();
  options.metrics = registry;
  if (ok.ok()) ok = AddOperationalRoutes(&router, registry);
  if (!ok.ok()) {
    std::fprintf(stderr, "%s\n", ok.ToString().c_str());
    return 1;
  }
  TerminationSignals signals;
  auto server = Server::Start(options, std::move(router));
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  std::printf("listening on %u\n", (*server)->port());
  std::fflush(stdout);
  signals.Wait();
  (*server)->Stop(std::chrono::seconds(2));
  return 0;
}
