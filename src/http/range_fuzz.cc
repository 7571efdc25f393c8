// Fuzzes Range header interpretation: any answer must describe bytes inside the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "http/range.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  int64_t file_size;
  std::memcpy(&file_size, data, 8);
  if (file_size < 0) file_size = -(file_size + 1);
  std::string_view header(reinterpret_cast<const char*>(data) + 8, size - 8);
  ds::http::RangeRequest r = ds::http::InterpretRange(header, file_size);
  if (r.kind == ds::http::RangeRequest::Kind::kPartial) {
    if (r.range.offset < 0 || r.range.length <= 0 || r.range.offset >= file_size ||
        r.range.length > file_size - r.range.offset) {
      std::abort();
    }
    (void)ds::http::ContentRangeValue(r.range, file_size);
  }
  return 0;
}
