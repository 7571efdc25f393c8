// Decode throughput of the Parquet encodings. Every benchmark reports values/s (items) and
// decoded bytes/s; BM_Memcpy copies the same number of output bytes as the physical limit.
//   parquet_encoding_benchmark --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "parquet/encoding/bit_pack.h"
#include "parquet/encoding/byte_array.h"
#include "parquet/encoding/byte_stream_split.h"
#include "parquet/encoding/delta_binary_packed.h"
#include "parquet/encoding/plain_bool.h"
#include "parquet/encoding/rle.h"

namespace ds::parquet {
namespace {

constexpr int64_t kValues = 1 << 20;

void SetRates(benchmark::State& state, int64_t values, int64_t out_bytes, int64_t in_bytes) {
  state.SetItemsProcessed(state.iterations() * values);
  state.SetBytesProcessed(state.iterations() * out_bytes);
  state.counters["in_bytes_per_value"] = double(in_bytes) / double(values);
}

// Physical limit: copy `range(0)` bytes.
void BM_Memcpy(benchmark::State& state) {
  const size_t n = size_t(state.range(0));
  std::vector<uint8_t> src(n, 1), dst(n);
  for (auto _ : state) {
    std::memcpy(dst.data(), src.data(), n);
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * int64_t(n));
}
// Output sizes of the benchmarks below: 1M int16, 1M int32 / float, 1M int64 / double.
BENCHMARK(BM_Memcpy)->Arg(kValues * 2)->Arg(kValues * 4)->Arg(kValues * 8);

void BM_UnpackBits(benchmark::State& state) {
  const int width = int(state.range(0));
  std::mt19937_64 rng(1);
  std::vector<uint32_t> values(kValues);
  for (auto& v : values) v = uint32_t(rng()) & (width == 32 ? ~0u : (1u << width) - 1);
  std::vector<uint8_t> packed(size_t(BitPackedBytes(kValues, width)));
  PackBits(values.data(), kValues, width, packed.data());
  std::vector<uint32_t> out(kValues);
  for (auto _ : state) {
    UnpackBits(packed.data(), width, kValues, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  SetRates(state, kValues, kValues * 4, int64_t(packed.size()));
}
BENCHMARK(BM_UnpackBits)->Arg(1)->Arg(7)->Arg(17)->Arg(32);

// Definition levels (max 1) of a column with ~10% nulls in short runs: mixes RLE runs and
// bit-packed groups.
std::vector<uint32_t> Levels(int kind) {
  std::mt19937_64 rng(2);
  std::vector<uint32_t> v(kValues);
  if (kind == 0) {
    for (auto& x : v) x = rng() % 10 != 0;
  } else {  // long runs: nulls in blocks
    for (size_t i = 0; i < v.size(); ++i) v[i] = (i / 1000) % 10 != 0;
  }
  return v;
}

void BM_RleLevels(benchmark::State& state) {
  auto levels = Levels(int(state.range(0)));
  RleBitPackedEncoder enc(1);
  for (uint32_t l : levels) enc.Put(l);
  Buffer encoded;
  enc.FinishTo(&encoded);
  std::vector<int16_t> out(kValues);
  for (auto _ : state) {
    auto dec = RleBitPackedDecoder::Make(encoded.view(), 1).ValueOrDie();
    int64_t n = dec.GetBatch(out.data(), kValues).ValueOrDie();
    benchmark::DoNotOptimize(n);
  }
  SetRates(state, kValues, kValues * 2, int64_t(encoded.size()));
}
BENCHMARK(BM_RleLevels)->Arg(0)->ArgName("random10pct")->Arg(1);

void BM_RleDictionaryGather(benchmark::State& state) {
  const int width = int(state.range(0));
  std::mt19937_64 rng(3);
  const int64_t dict_size = int64_t{1} << width;
  std::vector<double> dict(size_t(dict_size), 1.5);
  RleBitPackedEncoder enc(width);
  for (int64_t i = 0; i < kValues; ++i) enc.Put(uint32_t(rng() % uint64_t(dict_size)));
  Buffer encoded;
  enc.FinishTo(&encoded);
  std::vector<double> out(kValues);
  for (auto _ : state) {
    auto dec = RleBitPackedDecoder::Make(encoded.view(), width).ValueOrDie();
    dec.GetBatchWithDictionary(dict.data(), dict_size, out.data(), kValues).Abort();
    benchmark::DoNotOptimize(out.data());
  }
  SetRates(state, kValues, kValues * 8, int64_t(encoded.size()));
}
BENCHMARK(BM_RleDictionaryGather)->Arg(10);

template <typename T>
void BM_DeltaBinaryPacked(benchmark::State& state) {
  std::mt19937_64 rng(4);
  std::vector<T> values(kValues);
  T cur = 0;
  for (auto& v : values) {
    cur = T(cur + T(rng() % 1000) - 300);  // deltas of ~10 bits
    v = cur;
  }
  DeltaBinaryPackedEncoder<T> enc;
  enc.Put(values.data(), kValues);
  Buffer encoded;
  enc.FinishTo(&encoded);
  std::vector<T> out(kValues);
  for (auto _ : state) {
    DeltaBinaryPackedDecoder<T> dec;
    dec.Init(encoded.view()).Abort();
    int64_t n = dec.Decode(out.data(), kValues).ValueOrDie();
    benchmark::DoNotOptimize(n);
  }
  SetRates(state, kValues, kValues * int64_t(sizeof(T)), int64_t(encoded.size()));
}
BENCHMARK_TEMPLATE(BM_DeltaBinaryPacked, int32_t);
BENCHMARK_TEMPLATE(BM_DeltaBinaryPacked, int64_t);

struct StringColumn {
  std::vector<int64_t> offsets{0};
  std::string data;
};

StringColumn Strings(int64_t n) {
  std::mt19937_64 rng(5);
  StringColumn c;
  for (int64_t i = 0; i < n; ++i) {
    size_t len = 4 + rng() % 25;  // 4..28 bytes, mean 16
    for (size_t k = 0; k < len; ++k) c.data += char('a' + rng() % 26);
    c.offsets.push_back(int64_t(c.data.size()));
  }
  return c;
}

using DecodeFn = Result<size_t> (*)(ByteView, int64_t, Buffer*, Buffer*);
using EncodeFn = void (*)(const int64_t*, const uint8_t*, int64_t, Buffer*);

void BenchByteArray(benchmark::State& state, EncodeFn encode, DecodeFn decode) {
  constexpr int64_t kStrings = 100000;
  StringColumn c = Strings(kStrings);
  Buffer encoded;
  encode(c.offsets.data(), reinterpret_cast<const uint8_t*>(c.data.data()), kStrings, &encoded);
  Buffer offsets, data;
  for (auto _ : state) {
    offsets.Clear();
    data.Clear();
    offsets.AppendValue(int64_t{0});
    size_t used = decode(encoded.view(), kStrings, &offsets, &data).ValueOrDie();
    benchmark::DoNotOptimize(used);
  }
  // Output = value bytes + int64 offsets.
  SetRates(state, kStrings, int64_t(c.data.size()) + kStrings * 8, int64_t(encoded.size()));
  state.counters["memcpy_equiv_bytes"] = double(c.data.size() + kStrings * 8);
}

void BM_PlainByteArray(benchmark::State& state) {
  BenchByteArray(state, EncodePlainByteArray, DecodePlainByteArray);
}
void BM_DeltaLengthByteArray(benchmark::State& state) {
  BenchByteArray(state, EncodeDeltaLengthByteArray, DecodeDeltaLengthByteArray);
}
void BM_DeltaByteArray(benchmark::State& state) {
  BenchByteArray(state, EncodeDeltaByteArray, DecodeDeltaByteArray);
}
BENCHMARK(BM_PlainByteArray);
BENCHMARK(BM_DeltaLengthByteArray);
BENCHMARK(BM_DeltaByteArray);
// Physical limit of the byte-array benchmarks: the same output bytes (~2.4 MB).
void BM_MemcpyByteArrayOutput(benchmark::State& state) {
  StringColumn c = Strings(100000);
  state.SetLabel("same bytes as the byte-array outputs");
  std::vector<uint8_t> src(c.data.size() + 100000 * 8, 1), dst(src.size());
  for (auto _ : state) {
    std::memcpy(dst.data(), src.data(), src.size());
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * 100000);
  state.SetBytesProcessed(state.iterations() * int64_t(src.size()));
}
BENCHMARK(BM_MemcpyByteArrayOutput);

void BM_ByteStreamSplit(benchmark::State& state) {
  const int width = int(state.range(0));
  // A count that is not a power of two: streams exactly 2^k bytes apart alias in the L1 cache.
  const int64_t n = kValues - int64_t(state.range(1));
  std::mt19937_64 rng(6);
  std::vector<uint8_t> values(size_t(n * width));
  for (auto& b : values) b = uint8_t(rng());
  Buffer encoded;
  EncodeByteStreamSplit(values.data(), n, width, &encoded);
  std::vector<uint8_t> out(values.size());
  for (auto _ : state) {
    DecodeByteStreamSplit(encoded.view(), n, width, out.data()).Abort();
    benchmark::DoNotOptimize(out.data());
  }
  SetRates(state, n, n * width, int64_t(encoded.size()));
}
BENCHMARK(BM_ByteStreamSplit)->Args({4, 0})->Args({8, 0})->Args({4, 40})->Args({8, 40});

void BM_PlainBooleans(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::vector<uint8_t> values(kValues);
  for (auto& v : values) v = rng() & 1;
  Buffer encoded;
  EncodePlainBooleans(values.data(), kValues, &encoded);
  std::vector<uint8_t> out(kValues);
  for (auto _ : state) {
    DecodePlainBooleans(encoded.view(), 0, kValues, out.data()).Abort();
    benchmark::DoNotOptimize(out.data());
  }
  SetRates(state, kValues, kValues, int64_t(encoded.size()));
}
BENCHMARK(BM_PlainBooleans);

}  // namespace
}  // namespace ds::parquet

BENCHMARK_MAIN();
