// libFuzzer target: deletion vectors from untrusted bytes: the RoaringBitmapArray decoder,
// z85 text and the .bin file framing. Errors are fine; crashes and sanitizer reports are bugs.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "delta/deletion_vector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto dv = ds::delta::DeletionVector::Deserialize(bytes);
  if (dv.ok()) {
    uint64_t n = dv->cardinality();
    std::vector<uint32_t> rows;
    dv->RowsInRange(0, 1 << 20, &rows);
    if (rows.size() > n) __builtin_trap();  // more rows in a range than in the whole vector
    ds::delta::DeletionVector none = dv->AndNot(*dv);
    if (!none.empty()) __builtin_trap();
  }
  (void)ds::delta::Z85Decode(bytes);
  if (size >= 8) {
    ds::delta::DeletionVectorDescriptor d;
    int32_t offset, length;
    std::memcpy(&offset, data, 4);
    std::memcpy(&length, data + 4, 4);
    d.offset = offset;
    d.size_in_bytes = length;
    d.cardinality = 1;
    auto file = ds::io::MemoryFile(bytes.substr(8), "fuzz.bin");
    (void)ds::delta::ReadDeletionVectorFile(*file, d);
  }
  return 0;
}
