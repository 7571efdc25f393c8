#include "util/crc32.h"

#include <libdeflate.h>

namespace ds {

uint32_t Crc32(const void* data, size_t size, uint32_t crc) {
  return libdeflate_crc32(crc, data, size);
}

}  // namespace ds
