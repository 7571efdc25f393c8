// Writes the sharing tests' sample tables (test/sharing/sample_tables.h) into a folder, for
// the scripted HTTP tests: <dir>/events and <dir>/plain (40 files). Test-only.
#include <cstdio>
#include <filesystem>

#include "test/sharing/sample_tables.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  ds::Status st = ds::sharing::testing::WriteEventsTable(dir / "events");
  if (st.ok()) st = ds::sharing::testing::WritePlainTable(dir / "plain", 40);
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
