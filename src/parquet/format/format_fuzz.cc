// libFuzzer target for the Parquet metadata codec. The input is fed to every reader
// (footer, page header, column index, offset index, bloom filter header). A reader may only
// succeed or return Corruption; on success the value is written, read back and written
// again, and the two encodings must be identical.
//
// Seeds: real footers, e.g. the bytes before the 8-byte trailer of parquet-testing files.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "parquet/format/parquet_types.h"

namespace {

using namespace ds::parquet::format;  // NOLINT(build/namespaces)

[[noreturn]] void Fail(const char* what, const ds::Status& st) {
  std::fprintf(stderr, "format_fuzz: %s: %s\n", what, st.ToString().c_str());
  std::abort();
}

// The budget check is relative to the input size, and re-encoding drops skipped bytes, so
// the re-encoded value may legitimately exceed the budget of its smaller encoding.
bool IsBudgetError(const ds::Status& st) {
  return st.message().find("more memory than its size allows") != std::string::npos;
}

// Reads with `read`; on success checks that Write(Read(Write(v))) == Write(v).
template <typename ReadFn>
void RoundTrip(const char* what, ds::ByteView input, ReadFn read) {
  auto first = read(input);
  if (!first.ok()) {
    if (!first.status().IsCorruption()) Fail(what, first.status());
    return;
  }
  std::string once;
  Write(*first, &once);
  auto second = read(ds::AsBytes(once));
  if (!second.ok()) {
    if (IsBudgetError(second.status())) return;
    Fail(what, second.status());
  }
  std::string twice;
  Write(*second, &twice);
  if (once != twice) {
    std::fprintf(stderr, "format_fuzz: %s: re-encoding differs (%zu vs %zu bytes)\n", what,
                 once.size(), twice.size());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ds::ByteView input(data, size);
  RoundTrip("FileMetaData", input, [](ds::ByteView b) { return ReadFileMetaData(b); });
  RoundTrip("PageHeader", input, [](ds::ByteView b) {
    size_t header_size = 0;
    auto r = ReadPageHeader(b, &header_size);
    if (r.ok() && header_size > b.size()) std::abort();
    return r;
  });
  RoundTrip("ColumnIndex", input, [](ds::ByteView b) { return ReadColumnIndex(b); });
  RoundTrip("OffsetIndex", input, [](ds::ByteView b) { return ReadOffsetIndex(b); });
  RoundTrip("BloomFilterHeader", input, [](ds::ByteView b) {
    size_t header_size = 0;
    return ReadBloomFilterHeader(b, &header_size);
  });
  return 0;
}
