#include "test/testing/testing.h"

#include <cstdlib>
#include <random>

namespace ds::testing {

std::filesystem::path SourceDir() {
  if (const char* s = std::getenv("DS_SOURCE_DIR")) return s;
  return std::filesystem::current_path();
}

std::optional<std::filesystem::path> TestDataDir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("DS_TESTDATA")) {
    if (fs::is_directory(env)) return fs::path(env);
    return std::nullopt;
  }
  fs::path candidate = SourceDir() / ".." / "shared" / "testdata";
  if (fs::is_directory(candidate)) return fs::weakly_canonical(candidate);
  return std::nullopt;
}

TempDir::TempDir() {
  namespace fs = std::filesystem;
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = fs::temp_directory_path() / ("ds-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  std::abort();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace ds::testing
