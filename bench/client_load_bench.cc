// Whole-process measurements of the sharing client (bench/client_bench.sh drives them):
//
//   client_load_bench generate DIR FILES ROWS_PER_FILE    a Delta table of random rows
//   client_load_bench urls PROFILE share.schema.table OUT  a curl config fetching every URL
//   client_load_bench download PROFILE TABLE PARALLELISM   downloads only (DownloadPool)
//   client_load_bench load PROFILE TABLE PARALLELISM       query + download + decode
//   client_load_bench decode DIR                           the Delta kernel over local files
//
// Each measurement prints one JSON line: op, seconds, bytes, rows, files, MiB/s.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "client/shared_files.h"
#include "client/table_reader.h"
#include "columnar/builder.h"
#include "delta/scan.h"
#include "io/file.h"
#include "objstore/local_store.h"
#include "parquet/file_writer.h"
#include "util/json.h"

namespace ds {
namespace {

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void Report(const char* op, double seconds, int64_t bytes, int64_t rows, int64_t files) {
  std::printf(
      "{\"op\":\"%s\",\"seconds\":%.3f,\"bytes\":%lld,\"rows\":%lld,\"files\":%lld,"
      "\"mib_per_s\":%.1f}\n",
      op, seconds, static_cast<long long>(bytes), static_cast<long long>(rows),
      static_cast<long long>(files), static_cast<double>(bytes) / (1 << 20) / seconds);
}

Status Generate(const std::string& dir, int files, int rows) {
  namespace fs = std::filesystem;
  fs::create_directories(fs::path(dir) / "_delta_log");
  auto schema = std::make_shared<columnar::Schema>();
  schema->fields = {columnar::Field("id", columnar::Int64()), columnar::Field("x", columnar::Float64()),
                    columnar::Field("s", columnar::String())};
  std::string log =
      "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
      "{\"metaData\":{\"id\":\"bench-0001\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
      "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\","
      "\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},{\\\"name\\\":\\\"x\\\","
      "\\\"type\\\":\\\"double\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},{\\\"name\\\":\\\"s\\\","
      "\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},{\\\"name\\\":\\\"part\\\","
      "\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
      "\"partitionColumns\":[\"part\"],\"configuration\":{},\"createdTime\":0}}\n";
  std::mt19937_64 rng(42);
  const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  int64_t id = 0;
  for (int f = 0; f < files; ++f) {
    auto ids = columnar::MakeBuilder(columnar::Int64());
    auto xs = columnar::MakeBuilder(columnar::Float64());
    auto ss = columnar::MakeBuilder(columnar::String());
    std::string s(20, 'a');
    for (int r = 0; r < rows; ++r, ++id) {
      ids->As<columnar::FixedBuilder>()->Append<int64_t>(id);
      xs->As<columnar::FixedBuilder>()->Append<double>(static_cast<double>(rng() % 1000000) / 7.0);
      for (char& c : s) c = alphabet[rng() % 36];
      ss->As<columnar::BinaryBuilder>()->Append(s);
    }
    columnar::RecordBatch batch{schema, rows, {ids->Finish(), xs->Finish(), ss->Finish()}};
    const std::string part = "p" + std::to_string(f % 8);
    char name[64];
    std::snprintf(name, sizeof(name), "part=%s/f-%06d.parquet", part.c_str(), f);
    fs::create_directories(fs::path(dir) / ("part=" + part));
    const std::string path = (fs::path(dir) / name).string();
    RETURN_NOT_OK(parquet::WriteParquetFile(path, batch));
    log += "{\"add\":{\"path\":\"" + std::string(name) + "\",\"partitionValues\":{\"part\":\"" +
           part + "\"},\"size\":" + std::to_string(fs::file_size(path)) +
           ",\"modificationTime\":0,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":" +
           std::to_string(rows) + "}\"}}\n";
  }
  return io::WriteStringToFile((fs::path(dir) / "_delta_log" / "00000000000000000000.json").string(),
                               log);
}

Result<std::unique_ptr<client::SharingClient>> Connect(const std::string& profile) {
  ASSIGN_OR_RETURN(client::Profile p, client::LoadProfile(profile));
  return client::SharingClient::Make(std::move(p));
}

Status Urls(const std::string& profile, const std::string& table, const std::string& out) {
  ASSIGN_OR_RETURN(auto c, Connect(profile));
  ASSIGN_OR_RETURN(client::TableCoordinates t, client::ParseTableName(table));
  client::QueryParams params;
  params.max_files = 10000;
  ASSIGN_OR_RETURN(client::TableResponse r, c->QueryTableAll(t, params));
  std::string config;
  for (const client::SharedFile& f : r.files) {
    config += "url = ";
    AppendJsonString(f.url(), &config);
    config += "\noutput = \"/dev/null\"\n";
  }
  return io::WriteStringToFile(out, config);
}

Status Load(const std::string& profile, const std::string& table, int parallelism, bool decode) {
  ASSIGN_OR_RETURN(auto c, Connect(profile));
  ASSIGN_OR_RETURN(client::TableCoordinates t, client::ParseTableName(table));
  const auto start = std::chrono::steady_clock::now();
  client::ReadOptions options;
  options.download.parallelism = parallelism;
  if (!decode) {
    client::QueryParams params;
    params.max_files = 10000;
    ASSIGN_OR_RETURN(client::TableResponse r, c->QueryTableAll(t, params));
    std::vector<client::RemoteFile> files;
    int64_t bytes = 0;
    for (const client::SharedFile& f : r.files) {
      files.push_back(client::ToRemoteFile(f, f.id));
      bytes += f.size();
    }
    client::DownloadPool pool(c->http(), std::move(files), nullptr, options.download);
    while (true) {
      ASSIGN_OR_RETURN(auto f, pool.Next());
      if (!f) break;
    }
    Report("download", Seconds(start), bytes, 0, static_cast<int64_t>(pool.num_files()));
    return Status::OK();
  }
  ASSIGN_OR_RETURN(auto reader, client::TableReader::Open(c.get(), t, options));
  int64_t rows = 0;
  while (true) {
    ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) break;
    rows += batch->num_rows;
  }
  Report("load", Seconds(start), reader->total_bytes(), rows,
         static_cast<int64_t>(reader->num_files()));
  return Status::OK();
}

Status Decode(const std::string& dir) {
  auto table = delta::Table::Open(std::make_shared<objstore::LocalStore>(dir), "");
  const auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot, table->LatestSnapshot());
  int64_t rows = 0, bytes = 0;
  for (size_t i = 0; i < snapshot->files().num_files(); ++i) {
    bytes += snapshot->files().file(i).size().value_or(0);
  }
  RETURN_NOT_OK(delta::ScanSnapshot(*table, *snapshot, {}, [&](const columnar::RecordBatch& b) {
    rows += b.num_rows;
    return Status::OK();
  }));
  Report("decode", Seconds(start), bytes, rows,
         static_cast<int64_t>(snapshot->files().num_files()));
  return Status::OK();
}

}  // namespace
}  // namespace ds

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  ds::Status st = ds::Status::InvalidArgument("usage: see the comment at the top of " __FILE__);
  if (a.size() == 4 && a[0] == "generate") st = ds::Generate(a[1], std::stoi(a[2]), std::stoi(a[3]));
  if (a.size() == 4 && a[0] == "urls") st = ds::Urls(a[1], a[2], a[3]);
  if (a.size() == 4 && a[0] == "download") st = ds::Load(a[1], a[2], std::stoi(a[3]), false);
  if (a.size() == 4 && a[0] == "load") st = ds::Load(a[1], a[2], std::stoi(a[3]), true);
  if (a.size() == 2 && a[0] == "decode") st = ds::Decode(a[1]);
  if (!st.ok()) {
    std::fprintf(stderr, "error: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
