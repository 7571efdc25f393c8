// Malformed Parquet input: every file of parquet-testing/bad_data, encrypted files, and
// truncated and bit-flipped variants of every good file must give an error or valid data,
// never a crash, a hang or a sanitizer report (this runs under ASan + UBSan).
#include <filesystem>
#include <random>

#include "parquet/file_reader.h"
#include "test/testing/testing.h"

namespace ds::parquet {
namespace {

namespace fs = std::filesystem;

// Reads every row; returns the status.
Status ReadEverything(io::RandomAccessFilePtr file) {
  ReaderOptions o;
  o.max_page_bytes = 64 << 20;
  o.batch_size = 1000;
  ASSIGN_OR_RETURN(auto reader, FileReader::Open(file, o));
  while (true) {
    ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) return Status::OK();
    for (const auto& c : batch->columns) RETURN_NOT_OK(columnar::ValidateArray(*c));
  }
}

std::vector<fs::path> Files(const fs::path& dir, const std::string& suffix) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(MalformedTest, BadDataFilesFailCleanly) {
  DS_REQUIRE_TESTDATA(td);
  auto files = Files(td / "parquet-testing" / "bad_data", ".parquet");
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) {
    ASSERT_OK_AND_ASSIGN(auto file, io::OpenLocalFile(f.string()));
    Status st = ReadEverything(file);
    if (f.filename() == "ARROW-GH-43605.parquet") {
      EXPECT_TRUE(st.ok()) << "valid file (dictionary bit width 0) must read: " << st;
    } else {
      EXPECT_FALSE(st.ok()) << f.filename() << " must be rejected";
      EXPECT_TRUE(st.IsCorruption() || st.IsNotSupported()) << f.filename() << ": " << st;
    }
  }
}

TEST(MalformedTest, EncryptedFilesAreRefusedWithAClearError) {
  DS_REQUIRE_TESTDATA(td);
  auto files = Files(td / "parquet-testing" / "data", ".parquet.encrypted");
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) {
    ASSERT_OK_AND_ASSIGN(auto file, io::OpenLocalFile(f.string()));
    Status st = ReadEverything(file);
    ASSERT_FALSE(st.ok()) << f;
    EXPECT_TRUE(st.IsNotSupported()) << f << ": " << st;
    EXPECT_NE(st.message().find("encrypt"), std::string::npos) << st;
  }
}

TEST(MalformedTest, TruncatedAndBitFlippedFilesNeverCrash) {
  DS_REQUIRE_TESTDATA(td);
  std::mt19937_64 rng(42);
  int variants = 0, failed = 0;
  for (const auto& f : Files(td / "parquet-testing" / "data", ".parquet")) {
    if (fs::file_size(f) > (2 << 20)) continue;  // keep the run short under ASan
    ASSERT_OK_AND_ASSIGN(std::string bytes, io::ReadFileToString(f.string()));
    std::vector<std::string> mutants;
    for (size_t cut : {size_t{0}, size_t{3}, size_t{11}, bytes.size() / 3, bytes.size() / 2,
                       bytes.size() - 9, bytes.size() - 8, bytes.size() - 1})
      if (cut < bytes.size()) mutants.push_back(bytes.substr(0, cut));
    for (int k = 0; k < 24; ++k) {
      std::string m = bytes;
      // Flip bits mostly in the footer and page headers, where structure lives.
      size_t pos =
          k % 2 ? rng() % m.size() : m.size() - 1 - rng() % std::min<size_t>(m.size(), 512);
      m[pos] = static_cast<char>(m[pos] ^ (1u << (rng() % 8)));
      mutants.push_back(std::move(m));
    }
    for (const std::string& m : mutants) {
      Status st = ReadEverything(io::MemoryFile(m, f.filename().string()));
      ++variants;
      failed += !st.ok();
    }
  }
  EXPECT_GT(variants, 1000);
  EXPECT_GT(failed, variants / 4);  // most mutations must be detected
}

}  // namespace
}  // namespace ds::parquet
