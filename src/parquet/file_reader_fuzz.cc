// libFuzzer target: a whole Parquet file from untrusted bytes. Every row must decode into
// structurally valid arrays or the reader must return an error; crashes, leaks, hangs and
// sanitizer reports are bugs.
#include <cstddef>
#include <cstdint>

#include "parquet/file_reader.h"

namespace {

ds::Status ReadAll(std::string_view bytes) {
  ds::parquet::ReaderOptions o;
  o.batch_size = 257;
  o.max_page_bytes = 16 << 20;
  ASSIGN_OR_RETURN(auto reader,
                   ds::parquet::FileReader::Open(ds::io::MemoryFile(bytes, "fuzz"), o));
  while (true) {
    ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) return ds::Status::OK();
    for (const auto& c : batch->columns) {
      ds::Status st = ds::columnar::ValidateArray(*c);
      if (!st.ok()) __builtin_trap();  // the reader produced an invalid array
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)ReadAll(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
