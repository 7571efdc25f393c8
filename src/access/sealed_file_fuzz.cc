// Fuzzes the sealed-file reader (encryption at rest) on arbitrary bytes, and checks that
// whatever the fuzzer writes through the sealer reads back unchanged.
#include <cstdint>
#include <memory>
#include <string_view>

#include "access/sealed_file.h"

namespace {

const ds::access::KeyRing& Keys() {
  static const auto* keys = new ds::access::KeyRing(
      ds::access::MasterKey::FromText(
          "4d8b2f6a1c9e3b7d5f0a2c4e6b8d1f3a5c7e9b0d2f4a6c8e1b3d5f7a9c0e2b4d", "fuzz")
          .ValueOrDie());
  return *keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto reader = ds::access::SealedFileReader::Open(Keys(), "share", ds::io::MemoryFile(bytes));
  if (reader.ok()) {
    int64_t n = (*reader)->plaintext_size();
    if (n < 0) __builtin_trap();
    (void)(*reader)->ReadRange(0, n);
    (void)(*reader)->ReadRange(n / 2, n - n / 2);
  }
  auto sealed = ds::access::SealBytes(Keys(), "share", bytes, 1024);
  if (!sealed.ok()) __builtin_trap();
  auto back = ds::access::SealedFileReader::Open(Keys(), "share", ds::io::MemoryFile(*sealed));
  if (!back.ok() || (*back)->plaintext_size() != static_cast<int64_t>(size)) __builtin_trap();
  auto plain = (*back)->ReadRange(0, static_cast<int64_t>(size));
  if (!plain.ok() || *plain != bytes) __builtin_trap();
  return 0;
}
