// Page decompression (and compression) throughput of each codec over ~8 MiB of Parquet-like
// page data, cut into 1 MiB pages as a writer would, with memcpy of the same pages as the
// physical limit. Throughput is in uncompressed bytes; "ratio" is uncompressed/compressed.
//
//   build/release/src/parquet/compression/parquet_compression_benchmark
//       --benchmark_filter=Decompress
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "parquet/compression/codec.h"

namespace ds::parquet {
namespace {

constexpr size_t kPageSize = 1 << 20;
constexpr size_t kTotalSize = 8 << 20;

using Bytes = std::vector<uint8_t>;

// PLAIN int64: millisecond timestamps that rise by small random steps.
Bytes Int64Pages() {
  std::mt19937_64 rng(42);
  Bytes out(kTotalSize);
  int64_t v = 1'700'000'000'000;
  for (size_t i = 0; i < kTotalSize / 8; ++i) {
    v += static_cast<int64_t>(rng() % 1000);
    std::memcpy(out.data() + i * 8, &v, 8);
  }
  return out;
}

// PLAIN BYTE_ARRAY: u32 length + bytes. Skewed picks from 2000 made-up city names, with a
// user id column's worth of "user_<n>" values mixed in.
Bytes StringPages() {
  std::mt19937 rng(7);
  const char* syllables[] = {"an", "ber", "co", "dal", "en", "fur", "gi",  "ho", "is", "ka",
                             "lo", "mar", "no", "os",  "pa", "ri",  "sen", "ta", "ur", "vil"};
  std::vector<std::string> names;
  for (int i = 0; i < 2000; ++i) {
    std::string name;
    int parts = 2 + static_cast<int>(rng() % 3);
    for (int p = 0; p < parts; ++p) name += syllables[rng() % 20];
    name[0] = static_cast<char>(name[0] - 'a' + 'A');
    names.push_back(name);
  }
  Bytes out;
  out.reserve(kTotalSize + 64);
  std::geometric_distribution<int> skew(0.01);
  while (out.size() < kTotalSize) {
    std::string value = rng() % 4 == 0 ? "user_" + std::to_string(rng() % 1'000'000)
                                       : names[static_cast<size_t>(skew(rng)) % names.size()];
    auto len = static_cast<uint32_t>(value.size());
    const auto* len_bytes = reinterpret_cast<const uint8_t*>(&len);
    out.insert(out.end(), len_bytes, len_bytes + 4);
    out.insert(out.end(), value.begin(), value.end());
  }
  out.resize(kTotalSize);
  return out;
}

struct Dataset {
  std::string name;
  Bytes data;
};

struct Variant {
  std::string name;
  Codec codec;
  int level;
};

std::vector<Buffer> CompressPages(const Bytes& data, const Variant& v) {
  std::vector<Buffer> pages;
  for (size_t off = 0; off < data.size(); off += kPageSize) {
    Buffer page;
    Compress(v.codec, ByteView(data).subspan(off, kPageSize), &page, {v.level}).Abort();
    pages.push_back(std::move(page));
  }
  return pages;
}

void BM_Decompress(benchmark::State& state, const Dataset* dataset, Variant v) {
  std::vector<Buffer> pages = CompressPages(dataset->data, v);
  size_t compressed = 0;
  for (const Buffer& p : pages) compressed += p.size();
  Bytes out(dataset->data.size());
  for (auto _ : state) {
    for (size_t i = 0; i < pages.size(); ++i) {
      Decompress(v.codec, pages[i].view(), out.data() + i * kPageSize, kPageSize).Abort();
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  if (out != dataset->data) state.SkipWithError("decompressed bytes differ");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * dataset->data.size()));
  state.counters["ratio"] =
      static_cast<double>(dataset->data.size()) / static_cast<double>(compressed);
}

void BM_Compress(benchmark::State& state, const Dataset* dataset, Variant v) {
  Buffer page;
  for (auto _ : state) {
    for (size_t off = 0; off < dataset->data.size(); off += kPageSize) {
      Compress(v.codec, ByteView(dataset->data).subspan(off, kPageSize), &page, {v.level}).Abort();
      benchmark::DoNotOptimize(page.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * dataset->data.size()));
}

void BM_Memcpy(benchmark::State& state, const Dataset* dataset) {
  Bytes out(dataset->data.size());
  for (auto _ : state) {
    for (size_t off = 0; off < dataset->data.size(); off += kPageSize) {
      std::memcpy(out.data() + off, dataset->data.data() + off, kPageSize);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * dataset->data.size()));
}

}  // namespace
}  // namespace ds::parquet

int main(int argc, char** argv) {
  using namespace ds::parquet;
  static const Dataset datasets[] = {{"int64", Int64Pages()}, {"strings", StringPages()}};
  const Variant variants[] = {
      {"snappy", Codec::kSnappy, 0}, {"zstd1", Codec::kZstd, 1},     {"zstd3", Codec::kZstd, 3},
      {"gzip6", Codec::kGzip, 6},    {"lz4_raw", Codec::kLz4Raw, 0}, {"brotli5", Codec::kBrotli, 5},
  };
  for (const Dataset& d : datasets) {
    benchmark::RegisterBenchmark(("Decompress/memcpy/" + d.name).c_str(), BM_Memcpy, &d)
        ->Unit(benchmark::kMillisecond);
    for (const Variant& v : variants) {
      benchmark::RegisterBenchmark(("Decompress/" + v.name + "/" + d.name).c_str(), BM_Decompress,
                                   &d, v)
          ->Unit(benchmark::kMillisecond);
    }
  }
  for (const Dataset& d : datasets) {
    for (const Variant& v : variants) {
      benchmark::RegisterBenchmark(("Compress/" + v.name + "/" + d.name).c_str(), BM_Compress, &d,
                                   v)
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
