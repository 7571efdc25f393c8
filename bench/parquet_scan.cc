// Whole-file Parquet benchmark tool, for side-by-side runs against DuckDB and the disk
// (bench/parquet_vs_duckdb.sh drives it).
//   parquet_scan generate OUT.parquet ROWS [snappy|zstd|none]   write a CRM-like table
//   parquet_scan scan FILE [COL,COL]          decode every row (or only the listed columns)
//   parquet_scan read FILE                read the bytes only (the I/O limit, page cache warm)
// Prints one JSON object with the elapsed seconds and throughput.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "columnar/builder.h"
#include "io/file.h"
#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "util/memory.h"

namespace {

using namespace ds;            // NOLINT
using namespace ds::columnar;  // NOLINT

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// One batch of `rows` opportunity-like records starting at id `first`.
RecordBatch MakeBatch(int64_t first, int64_t rows, std::mt19937_64* rng) {
  static const char* kStages[] = {"Prospecting", "Qualification", "Needs Analysis", "Proposal",
                                  "Negotiation", "Closed Won",    "Closed Lost",    "On Hold"};
  auto schema = std::make_shared<Schema>(Schema{{
      Field("id", Int64(), false),
      Field("account_id", Int64(), false),
      Field("amount", Decimal(18, 2)),
      Field("stage", String(), false),
      Field("name", String(), false),
      Field("created_at", Timestamp(TimeUnit::kMicros, true), false),
      Field("score", Float64()),
      Field("is_won", Bool()),
      Field("notes", String()),
      Field("tags", List(Field("element", String(), false))),
  }});
  std::vector<std::unique_ptr<ArrayBuilder>> b;
  for (const Field& f : schema->fields) b.push_back(MakeBuilder(f.type));
  for (int64_t i = first; i < first + rows; ++i) {
    uint64_t r = (*rng)();
    b[0]->As<FixedBuilder>()->Append<int64_t>(i);
    b[1]->As<FixedBuilder>()->Append<int64_t>(static_cast<int64_t>(r % 100000));
    if (r % 17 == 0)
      b[2]->AppendNull();
    else
      b[2]->As<FixedBuilder>()->Append<int128_t>(static_cast<int128_t>(r % 100000000));
    b[3]->As<BinaryBuilder>()->Append(kStages[(r >> 8) % 8]);
    b[4]->As<BinaryBuilder>()->Append("Opportunity " + std::to_string(i) + " for account " +
                                      std::to_string(r % 100000));
    b[5]->As<FixedBuilder>()->Append<int64_t>(1'700'000'000'000'000LL + i * 1'000'000LL);
    b[6]->As<FixedBuilder>()->Append<double>(static_cast<double>(r % 1000) / 7.0);
    b[7]->As<BoolBuilder>()->Append((r >> 20) % 3 == 0);
    if ((r >> 24) % 2)
      b[8]->AppendNull();
    else
      b[8]->As<BinaryBuilder>()->Append("follow up on " + std::string(kStages[(r >> 28) % 8]));
    auto* tags = b[9]->As<ListBuilder>();
    for (uint64_t t = 0; t < (r >> 32) % 3; ++t)
      tags->child()->As<BinaryBuilder>()->Append(kStages[(r >> (36 + t)) % 8]);
    tags->CloseList();
  }
  RecordBatch batch;
  batch.schema = schema;
  batch.num_rows = rows;
  for (auto& x : b) batch.columns.push_back(x->Finish());
  return batch;
}

int Generate(const std::string& path, int64_t rows, const std::string& codec) {
  parquet::WriterOptions o;
  o.codec = parquet::ParseCodecName(codec).ValueOrDie();
  std::mt19937_64 rng(1);
  auto sink = io::OpenLocalOutput(path).ValueOrDie();
  auto first = MakeBatch(0, std::min<int64_t>(rows, 100000), &rng);
  auto w = parquet::FileWriter::Open(std::move(sink), first.schema, o).ValueOrDie();
  double t0 = Now(), gen = 0;
  for (int64_t done = 0; done < rows;) {
    int64_t n = std::min<int64_t>(100000, rows - done);
    double g0 = Now();
    auto batch = done == 0 ? std::move(first) : MakeBatch(done, n, &rng);
    gen += Now() - g0;
    w->Write(batch).Abort();
    done += n;
  }
  w->Close().Abort();
  double secs = Now() - t0 - gen;
  std::printf(
      "{\"op\":\"write\",\"rows\":%lld,\"bytes\":%lld,\"seconds\":%.3f,\"rows_per_s\":%.0f}\n",
      static_cast<long long>(rows), static_cast<long long>(w->bytes_written()), secs, rows / secs);
  return 0;
}

int Scan(const std::string& path, const std::string& columns) {
  auto file = io::OpenLocalFile(path).ValueOrDie();
  parquet::ReaderOptions options;
  // DS_VERIFY_CRC=0 skips page checksums (DuckDB never verifies them).
  if (const char* crc = std::getenv("DS_VERIFY_CRC")) options.verify_crc = std::string(crc) != "0";
  for (size_t start = 0; start < columns.size();) {
    size_t comma = columns.find(',', start);
    if (comma == std::string::npos) comma = columns.size();
    options.columns.push_back(columns.substr(start, comma - start));
    start = comma + 1;
  }
  double t0 = Now();
  auto reader = parquet::FileReader::Open(file, options).ValueOrDie();
  int64_t rows = 0;
  while (true) {
    auto batch = reader->Next().ValueOrDie();
    if (!batch) break;
    rows += batch->num_rows;
  }
  double secs = Now() - t0;
  std::printf(
      "{\"op\":\"scan\",\"columns\":\"%s\",\"rows\":%lld,\"file_bytes\":%lld,\"seconds\":%.3f,"
      "\"rows_per_s\":%.0f,"
      "\"mb_per_s\":%.1f}\n",
      columns.empty() ? "all" : columns.c_str(), static_cast<long long>(rows),
      static_cast<long long>(file->size()), secs, rows / secs, file->size() / secs / 1e6);
  return 0;
}

int Read(const std::string& path) {
  auto file = io::OpenLocalFile(path).ValueOrDie();
  Buffer buf(4 << 20);
  double best = 1e9;
  for (int rep = 0; rep < 3; ++rep) {
    double t0 = Now();
    for (int64_t off = 0; off < file->size(); off += static_cast<int64_t>(buf.size())) {
      int64_t n = std::min<int64_t>(static_cast<int64_t>(buf.size()), file->size() - off);
      file->ReadAt(off, n, buf.data()).Abort();
    }
    best = std::min(best, Now() - t0);
  }
  std::printf("{\"op\":\"read-bytes\",\"file_bytes\":%lld,\"seconds\":%.4f,\"mb_per_s\":%.0f}\n",
              static_cast<long long>(file->size()), best, file->size() / best / 1e6);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ds::TuneAllocator();
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "generate" && argc >= 4)
    return Generate(argv[2], std::stoll(argv[3]), argc > 4 ? argv[4] : "snappy");
  if (cmd == "scan" && (argc == 3 || argc == 4)) return Scan(argv[2], argc == 4 ? argv[3] : "");
  if (cmd == "read" && argc == 3) return Read(argv[2]);
  std::fprintf(stderr,
               "usage: parquet_scan generate OUT ROWS [codec] | scan FILE [COLS] | read FILE\n");
  return 2;
}
