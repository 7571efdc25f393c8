// File skipping throughput: files evaluated per second for a 3-leaf predicate over realistic
// Delta stats strings (100 indexed columns of mixed types, as Spark writes them, ~6.7 KB per
// file), against the physical limits of merely looking at the same bytes: a simdjson DOM
// parse, a simdjson On-Demand lookup of the three columns, and a memchr pass.
//
//   build/<dir>/bench/expr_skipping_benchmark --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "columnar/schema_json.h"
#include "expr/file_skipping.h"
#include "expr/sql_predicate.h"
#include "util/civil_time.h"
#include "util/json.h"

namespace {

using ds::expr::FileSkipper;
using ds::expr::FileView;
using ds::expr::PartitionValue;
using ds::expr::Truth;

constexpr int kColumns = 100;
constexpr int kFiles = 20000;

// Column c has type kTypes[c % 6].
const char* const kTypes[] = {"long", "integer", "string", "date", "timestamp", "double"};

std::string SchemaJson() {
  std::string out = R"({"type":"struct","fields":[)";
  out += R"({"name":"region","type":"string","nullable":true,"metadata":{}})";
  for (int c = 0; c < kColumns; ++c) {
    out += ",{\"name\":\"col_" + std::to_string(c) + "\",\"type\":\"" + kTypes[c % 6] +
           "\",\"nullable\":true,\"metadata\":{}}";
  }
  return out + "]}";
}

struct Corpus {
  std::vector<std::string> stats;
  std::vector<std::string> regions;
  size_t total_bytes = 0;
};

// Stats like Spark's: every column in minValues, maxValues and nullCount, in schema order.
const Corpus& TheCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    std::mt19937_64 rng(42);
    auto uniform = [&](int64_t lo, int64_t hi) {
      return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    };
    static const char* const kRegions[] = {"EU", "US", "APAC", "LATAM"};
    for (int f = 0; f < kFiles; ++f) {
      std::string mins, maxs, nulls;
      ds::JsonWriter wmin(&mins), wmax(&maxs), wnull(&nulls);
      wmin.BeginObject();
      wmax.BeginObject();
      wnull.BeginObject();
      for (int col = 0; col < kColumns; ++col) {
        std::string key = "col_" + std::to_string(col);
        int64_t lo = f * 1000 + uniform(0, 500), hi = lo + uniform(0, 5000);
        wmin.Key(key);
        wmax.Key(key);
        switch (col % 6) {
          case 0:
          case 1:
            wmin.Int(lo);
            wmax.Int(hi);
            break;
          case 2:
            wmin.String("customer-" + std::to_string(lo) + "-aaaaaaaaaaaaaaa");
            wmax.String("customer-" + std::to_string(hi) + "-zzzzzzzzzzzzzzz");
            break;
          case 3: {
            std::string a, b;
            ds::AppendDate(18000 + lo / 100, &a);
            ds::AppendDate(18000 + hi / 100, &b);
            wmin.String(a);
            wmax.String(b);
            break;
          }
          case 4: {
            std::string a, b;
            ds::AppendTimestamp(1'600'000'000'000LL + lo * 1000, ds::TimeUnit::kMillis, true, &a);
            ds::AppendTimestamp(1'600'000'000'000LL + hi * 1000, ds::TimeUnit::kMillis, true, &b);
            wmin.String(a);
            wmax.String(b);
            break;
          }
          default:
            wmin.Double(static_cast<double>(lo) / 7.0);
            wmax.Double(static_cast<double>(hi) / 7.0);
            break;
        }
        wnull.FieldInt(key, uniform(0, 3) == 0 ? uniform(1, 50) : 0);
      }
      wmin.EndObject();
      wmax.EndObject();
      wnull.EndObject();
      std::string s = "{\"numRecords\":" + std::to_string(uniform(1000, 100000)) +
                      ",\"minValues\":" + mins + ",\"maxValues\":" + maxs +
                      ",\"nullCount\":" + nulls + "}";
      c.total_bytes += s.size();
      c.stats.push_back(std::move(s));
      c.regions.push_back(kRegions[f % 4]);
    }
    return c;
  }();
  return corpus;
}

FileSkipper MakeSkipper(std::string_view sql) {
  ds::expr::SkippingTable table;
  table.schema = ds::columnar::SchemaFromJson(SchemaJson()).ValueOrDie();
  table.partition_columns = {"region"};
  auto e = ds::expr::ParseSqlPredicate(sql).ValueOrDie();
  return FileSkipper::Make(*e, table).ValueOrDie();
}

void Report(benchmark::State& state, int64_t files, int64_t dropped) {
  state.SetItemsProcessed(files);
  state.SetBytesProcessed(files * static_cast<int64_t>(TheCorpus().total_bytes / kFiles));
  state.counters["dropped%"] =
      benchmark::Counter(100.0 * static_cast<double>(dropped) / static_cast<double>(files));
}

// Three leaves spread over the stats (early, middle and late columns): the scan must cross
// almost the whole string.
void BM_SkipThreeLeaves(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  FileSkipper skipper = MakeSkipper(
      "col_6 > 9000000 AND (col_50 = 'customer-12' OR col_93 < TIMESTAMP'2020-09-13 12:30:00')");
  int64_t files = 0, dropped = 0;
  for (auto _ : state) {
    for (size_t f = 0; f < c.stats.size(); ++f) {
      Truth t = skipper.Evaluate({{}, c.stats[f]});
      dropped += t == Truth::kFalse;
    }
    files += static_cast<int64_t>(c.stats.size());
  }
  Report(state, files, dropped);
}
BENCHMARK(BM_SkipThreeLeaves)->Unit(benchmark::kMillisecond);

// The same through the batch API.
void BM_SkipThreeLeavesBatch(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  FileSkipper skipper = MakeSkipper(
      "col_6 > 9000000 AND (col_50 = 'customer-12' OR col_93 < TIMESTAMP'2020-09-13 12:30:00')");
  std::vector<FileView> views;
  for (const std::string& s : c.stats) views.push_back({{}, s});
  std::vector<Truth> out(views.size());
  int64_t files = 0;
  for (auto _ : state) {
    skipper.EvaluateBatch(views, out);
    benchmark::DoNotOptimize(out.data());
    files += static_cast<int64_t>(views.size());
  }
  Report(state, files, std::count(out.begin(), out.end(), Truth::kFalse) * (files / kFiles));
}
BENCHMARK(BM_SkipThreeLeavesBatch)->Unit(benchmark::kMillisecond);

// The same with stats held in padded buffers (no copy per file).
void BM_SkipThreeLeavesPadded(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  FileSkipper skipper = MakeSkipper(
      "col_6 > 9000000 AND (col_50 = 'customer-12' OR col_93 < TIMESTAMP'2020-09-13 12:30:00')");
  std::vector<simdjson::padded_string> padded;
  for (const std::string& s : c.stats) padded.emplace_back(s);
  int64_t files = 0, dropped = 0;
  for (auto _ : state) {
    for (const auto& s : padded) {
      FileView view{{}, std::string_view(s.data(), s.size()), ds::expr::kStatsPadding};
      dropped += skipper.Evaluate(view) == Truth::kFalse;
    }
    files += static_cast<int64_t>(padded.size());
  }
  Report(state, files, dropped);
}
BENCHMARK(BM_SkipThreeLeavesPadded)->Unit(benchmark::kMillisecond);

// Leaves on the first columns only.
void BM_SkipEarlyColumns(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  FileSkipper skipper = MakeSkipper("col_0 > 9000000 OR col_1 < 1000 OR col_3 = DATE'2021-01-01'");
  int64_t files = 0, dropped = 0;
  for (auto _ : state) {
    for (const std::string& s : c.stats) dropped += skipper.Evaluate({{}, s}) == Truth::kFalse;
    files += static_cast<int64_t>(c.stats.size());
  }
  Report(state, files, dropped);
}
BENCHMARK(BM_SkipEarlyColumns)->Unit(benchmark::kMillisecond);

// A partition filter (what per-recipient enforcement runs): no stats are read.
void BM_SkipPartitionOnly(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  FileSkipper skipper = MakeSkipper("region IN ('EU', 'APAC')");
  int64_t files = 0, dropped = 0;
  for (auto _ : state) {
    for (size_t f = 0; f < c.stats.size(); ++f) {
      PartitionValue pv[] = {{"region", c.regions[f]}};
      dropped += skipper.Evaluate({pv, c.stats[f]}) == Truth::kFalse;
    }
    files += static_cast<int64_t>(c.stats.size());
  }
  Report(state, files, dropped);
}
BENCHMARK(BM_SkipPartitionOnly)->Unit(benchmark::kMillisecond);

// Limit 1: a full simdjson DOM parse of every stats string (padded copies made up front).
void BM_SimdjsonDomParse(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  std::vector<simdjson::padded_string> padded;
  for (const std::string& s : c.stats) padded.emplace_back(s);
  simdjson::dom::parser parser;
  int64_t files = 0;
  for (auto _ : state) {
    for (const auto& p : padded) {
      simdjson::dom::element doc;
      if (parser.parse(p).get(doc) != simdjson::SUCCESS) state.SkipWithError("parse failed");
      benchmark::DoNotOptimize(doc);
    }
    files += static_cast<int64_t>(padded.size());
  }
  Report(state, files, 0);
}
BENCHMARK(BM_SimdjsonDomParse)->Unit(benchmark::kMillisecond);

// Limit 2: simdjson On-Demand fetching the three referenced values (no evaluation).
void BM_SimdjsonOnDemandLookup(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  std::vector<simdjson::padded_string> padded;
  for (const std::string& s : c.stats) padded.emplace_back(s);
  simdjson::ondemand::parser parser;
  int64_t files = 0;
  for (auto _ : state) {
    for (const auto& p : padded) {
      auto doc = parser.iterate(p);
      int64_t sum = 0;
      for (const char* section : {"minValues", "maxValues", "nullCount"}) {
        auto obj = doc[section];
        int64_t v6 = 0;
        std::string_view v50;
        if (obj["col_6"].get(v6) == simdjson::SUCCESS) sum += v6;
        auto x50 = obj["col_50"];
        if (x50.type().value() == simdjson::ondemand::json_type::string) {
          if (x50.get(v50) == simdjson::SUCCESS) sum += static_cast<int64_t>(v50.size());
        }
        auto x93 = obj["col_93"];
        std::string_view raw;
        if (x93.raw_json_token().get(raw) == simdjson::SUCCESS)
          sum += static_cast<int64_t>(raw.size());
      }
      benchmark::DoNotOptimize(sum);
    }
    files += static_cast<int64_t>(padded.size());
  }
  Report(state, files, 0);
}
BENCHMARK(BM_SimdjsonOnDemandLookup)->Unit(benchmark::kMillisecond);

// The scanner alone over the same padded strings as the On-Demand lookup (no evaluation).
void BM_ScannerOnly(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  std::vector<simdjson::padded_string> padded;
  for (const std::string& s : c.stats) padded.emplace_back(s);
  ds::expr::StatsPaths paths;
  paths.Add({"col_6"});
  paths.Add({"col_50"});
  paths.Add({"col_93"});
  ds::expr::StatsScanner scanner;
  ds::expr::ScannedStats out;
  int64_t files = 0;
  for (auto _ : state) {
    for (const auto& p : padded) {
      benchmark::DoNotOptimize(
          scanner.Scan(std::string_view(p.data(), p.size()), paths, &out, ds::expr::kStatsPadding));
    }
    files += static_cast<int64_t>(padded.size());
  }
  Report(state, files, 0);
}
BENCHMARK(BM_ScannerOnly)->Unit(benchmark::kMillisecond);

// Limit 3: touching every byte once (memchr for a byte that never occurs).
void BM_MemchrScan(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  int64_t files = 0;
  for (auto _ : state) {
    for (const std::string& s : c.stats) {
      benchmark::DoNotOptimize(std::memchr(s.data(), '\x01', s.size()));
    }
    files += static_cast<int64_t>(c.stats.size());
  }
  Report(state, files, 0);
}
BENCHMARK(BM_MemchrScan)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
