#include "util/buffer.h"

#include <cstdio>
#include <cstdlib>

namespace ds {

void Buffer::Grow(size_t cap) {
  void* p = std::realloc(data_, cap);
  if (p == nullptr) {
    std::fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", cap);
    std::abort();
  }
  data_ = static_cast<uint8_t*>(p);
  capacity_ = cap;
}

}  // namespace ds
