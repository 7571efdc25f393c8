// Download throughput of the HTTP client: sequential sends versus the parallel curl-multi
// executor at several concurrency levels, against a local server (nginx, started by
// bench/httpclient_bench.sh, which sets DS_BENCH_HTTP_URL and DS_BENCH_HTTP_FILES).
//   bench/httpclient_bench.sh [files] [bytes]
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "httpclient/curl_client.h"

namespace ds::httpclient {
namespace {

std::vector<HttpRequest> Requests() {
  const char* base = std::getenv("DS_BENCH_HTTP_URL");
  const char* files = std::getenv("DS_BENCH_HTTP_FILES");
  std::vector<HttpRequest> out;
  if (base == nullptr || files == nullptr) return out;
  for (int i = 0; i < std::atoi(files); ++i) {
    HttpRequest r;
    r.url = std::string(base) + "/f" + std::to_string(i);
    out.push_back(std::move(r));
  }
  return out;
}

std::shared_ptr<CurlHttpClient> Client() {
  static auto client = CurlHttpClient::Make().ValueOrDie();
  return client;
}

void BM_SequentialDownloads(benchmark::State& state) {
  const auto requests = Requests();
  if (requests.empty()) return state.SkipWithError("run through bench/httpclient_bench.sh");
  int64_t bytes = 0;
  for (auto _ : state) {
    for (const auto& r : requests) {
      auto resp = Client()->SendStreaming(r, [&](const HttpResponse&, std::string_view c) {
        bytes += static_cast<int64_t>(c.size());
        return Status::OK();
      });
      if (!resp.ok() || !resp->ok()) return state.SkipWithError("download failed");
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(requests.size()));
  state.SetBytesProcessed(bytes);
}

void BM_ParallelDownloads(benchmark::State& state) {
  const auto requests = Requests();
  if (requests.empty()) return state.SkipWithError("run through bench/httpclient_bench.sh");
  int64_t bytes = 0;
  ParallelOptions po;
  po.max_concurrency = static_cast<int>(state.range(0));
  po.on_body = [&](size_t, const HttpResponse&, std::string_view c) {
    bytes += static_cast<int64_t>(c.size());
    return Status::OK();
  };
  for (auto _ : state) {
    for (const auto& r : Client()->SendAll(requests, po)) {
      if (!r.ok() || !r->ok()) return state.SkipWithError("download failed");
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(requests.size()));
  state.SetBytesProcessed(bytes);
}

BENCHMARK(BM_SequentialDownloads)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParallelDownloads)
    ->Arg(1)
    ->Arg(8)
    ->Arg(32)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ds::httpclient

BENCHMARK_MAIN();
