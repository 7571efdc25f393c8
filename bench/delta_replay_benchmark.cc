// Delta log replay benchmark: snapshot load of a large table (cold and with the page cache
// warm), incremental refresh of a cached snapshot after one new commit, and the physical
// limits measured in the same run (reading the same bytes; parsing the same JSON with
// simdjson). Prints one line per measurement and peak memory.
//
//   delta_replay_benchmark [--table DIR] [--generate-files N] [--runs R]
//
// Without --table it uses ../shared/testdata/delta/kernel/300k-add-files-100-col-partitioned
// (extracted under /tmp). --generate-files N also builds (once, under /tmp) a table of N files
// with stats and partition values in commits of 100k adds and measures it too.
#include <fcntl.h>
#include <simdjson.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "delta/table.h"
#include "objstore/local_store.h"

namespace fs = std::filesystem;
using ds::delta::SnapshotPtr;
using ds::delta::Table;

namespace {

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

long PeakRssKb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

std::vector<fs::path> LogFiles(const fs::path& table) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(table / "_delta_log")) {
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Drops the files from the page cache (works for any file the user can read).
void DropCache(const std::vector<fs::path>& files) {
  for (const fs::path& f : files) {
    int fd = ::open(f.c_str(), O_RDONLY);
    if (fd < 0) continue;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

std::string ReadAll(const fs::path& f) {
  auto r = ds::io::ReadFileToString(f.string());
  return r.ok() ? std::move(r).value() : std::string();
}

size_t ReadBytes(const std::vector<fs::path>& files) {
  size_t total = 0;
  for (const fs::path& f : files) total += ReadAll(f).size();
  return total;
}

// simdjson over every line of the commits: the parse that replay cannot beat.
size_t ParseAll(const std::vector<std::string>& texts) {
  simdjson::ondemand::parser parser;
  size_t adds = 0;
  for (const std::string& text : texts) {
    simdjson::padded_string padded(text);
    simdjson::ondemand::document_stream docs;
    if (parser.iterate_many(padded, 16 << 20).get(docs)) continue;
    for (auto doc : docs) {
      simdjson::ondemand::object obj;
      if (doc.get_object().get(obj)) continue;
      for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) break;
        if (key == "add") {
          simdjson::ondemand::object add;
          if (field.value().get_object().get(add)) break;
          std::string_view path;
          if (!add["path"].get_string().get(path)) ++adds;
        }
      }
    }
  }
  return adds;
}

SnapshotPtr Load(const fs::path& dir) {
  auto table = Table::Open(std::make_shared<ds::objstore::LocalStore>(dir.string()), "");
  return table->LatestSnapshot().ValueOrDie();
}

void Measure(const fs::path& dir, int runs) {
  std::vector<fs::path> files = LogFiles(dir);
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (const fs::path& f : files) {
    if (f.extension() == ".json") texts.push_back(ReadAll(f));
    bytes += fs::file_size(f);
  }
  std::printf("table %s: %zu log files, %.1f MB\n", dir.c_str(), files.size(), bytes / 1e6);

  std::vector<double> read_t, parse_t, load_t, cold_t;
  size_t adds = 0;
  SnapshotPtr snapshot;
  for (int r = 0; r < runs; ++r) {
    auto t = std::chrono::steady_clock::now();
    ReadBytes(files);
    read_t.push_back(Seconds(t));
    t = std::chrono::steady_clock::now();
    adds = ParseAll(texts);
    parse_t.push_back(Seconds(t));
    t = std::chrono::steady_clock::now();
    snapshot = Load(dir);
    load_t.push_back(Seconds(t));
  }
  for (int r = 0; r < std::min(runs, 3); ++r) {
    DropCache(files);
    auto t = std::chrono::steady_clock::now();
    SnapshotPtr cold = Load(dir);
    cold_t.push_back(Seconds(t));
  }
  std::printf("  files %zu (simdjson saw %zu add actions), file table %.1f MB\n",
              snapshot->files().num_files(), adds, snapshot->files().MemoryUsage() / 1e6);
  std::printf("  read log bytes (warm)      %8.1f ms\n", Median(read_t) * 1e3);
  std::printf("  simdjson parse (warm)      %8.1f ms\n", Median(parse_t) * 1e3);
  std::printf("  snapshot load (warm)       %8.1f ms\n", Median(load_t) * 1e3);
  std::printf("  snapshot load (cold cache) %8.1f ms\n", Median(cold_t) * 1e3);

  // Incremental refresh: a copy of the table gets one more commit.
  fs::path copy = fs::temp_directory_path() / ("delta-bench-copy-" + std::to_string(::getpid()));
  fs::remove_all(copy);
  fs::create_directories(copy / "_delta_log");
  for (const fs::path& f : files) {  // LocalStore does not follow symlinks
    std::error_code ec;
    fs::create_hard_link(f, copy / "_delta_log" / f.filename(), ec);
    if (ec) fs::copy_file(f, copy / "_delta_log" / f.filename());
  }
  auto table = Table::Open(std::make_shared<ds::objstore::LocalStore>(copy.string()), "");
  SnapshotPtr base = table->LatestSnapshot().ValueOrDie();
  std::vector<double> update_t;
  for (int r = 0; r < std::max(runs, 5); ++r) {
    const int64_t v = base->version() + 1;
    std::string commit =
        R"({"commitInfo":{"timestamp":1,"operation":"WRITE"}})"
        "\n"
        R"({"remove":{"path":")" +
        std::string(base->files().file(static_cast<size_t>(r)).path()) +
        R"(","dataChange":true}})"
        "\n"
        R"({"add":{"path":"new-)" +
        std::to_string(r) +
        R"(.parquet","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}})"
        "\n";
    ds::io::WriteStringToFile((copy / "_delta_log" / ds::delta::CommitFileName(v)).string(), commit)
        .Abort();
    auto t = std::chrono::steady_clock::now();
    SnapshotPtr next = table->Update(base).ValueOrDie();
    update_t.push_back(Seconds(t));
    if (next->version() != v || next->files().num_files() != base->files().num_files()) {
      std::fprintf(stderr, "incremental update gave a wrong snapshot\n");
      std::exit(1);
    }
    base = next;
  }
  std::printf("  incremental refresh (+1 commit) %6.2f ms\n", Median(update_t) * 1e3);
  fs::remove_all(copy);
  std::printf("  peak RSS so far            %8.1f MB\n", PeakRssKb() / 1e3);
}

fs::path Extract300k() {
  fs::path out = fs::temp_directory_path() / "delta-bench-300k";
  if (fs::exists(out / "300k-add-files-100-col-partitioned" / "_delta_log")) {
    return out / "300k-add-files-100-col-partitioned";
  }
  const char* data = std::getenv("DS_TESTDATA");
  fs::path archive = fs::path(data ? data : "../shared/testdata") / "delta" / "kernel" /
                     "300k-add-files-100-col-partitioned.tar.zst";
  fs::create_directories(out);
  std::string cmd = "tar --zstd -xf '" + archive.string() + "' -C '" + out.string() + "'";
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "cannot extract %s (set DS_TESTDATA)\n", archive.c_str());
    std::exit(2);
  }
  return out / "300k-add-files-100-col-partitioned";
}

// A table of `n` files with partition values and stats, 100k adds per commit.
fs::path Generate(int64_t n) {
  fs::path dir = fs::temp_directory_path() / ("delta-bench-" + std::to_string(n) + "-files");
  if (fs::exists(dir / "_delta_log" / "done")) return dir;
  fs::remove_all(dir);
  fs::create_directories(dir / "_delta_log");
  std::string c0 =
      R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})"
      "\n"
      R"({"metaData":{"id":"bench","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"region\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"amount\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":["region"],"configuration":{}}})"
      "\n";
  ds::io::WriteStringToFile((dir / "_delta_log" / ds::delta::CommitFileName(0)).string(), c0)
      .Abort();
  int64_t v = 1;
  for (int64_t start = 0; start < n; start += 100000, ++v) {
    std::string text;
    for (int64_t i = start; i < std::min(n, start + 100000); ++i) {
      std::string id = std::to_string(i);
      text +=
          R"({"add":{"path":"region=r)" + std::to_string(i % 50) + "/part-" + id +
          R"(-0a1b2c3d-4e5f.snappy.parquet","partitionValues":{"region":"r)" +
          std::to_string(i % 50) +
          R"("},"size":123456,"modificationTime":1700000000000,"dataChange":true,"stats":"{\"numRecords\":1000,\"minValues\":{\"id\":)" +
          id + R"(,\"amount\":0.5},\"maxValues\":{\"id\":)" + id +
          R"(999,\"amount\":99.5},\"nullCount\":{\"id\":0,\"amount\":3}}"}})"
          "\n";
    }
    ds::io::WriteStringToFile((dir / "_delta_log" / ds::delta::CommitFileName(v)).string(), text)
        .Abort();
  }
  ds::io::WriteStringToFile((dir / "_delta_log" / "done").string(), "").Abort();
  return dir;
}

}  // namespace

int main(int argc, char** argv) {
  std::string table;
  int64_t generate = 0;
  int runs = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--table") table = argv[i + 1];
    if (flag == "--generate-files") generate = std::atoll(argv[i + 1]);
    if (flag == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
  }
  Measure(table.empty() ? Extract300k() : fs::path(table), runs);
  if (generate > 0) Measure(Generate(generate), std::min(runs, 3));
  return 0;
}
