#include "util/bit_util.h"

#include "util/bytes.h"

namespace ds::bit {

int64_t CountSetBits(const uint8_t* bits, int64_t offset, int64_t length) {
  int64_t count = 0;
  int64_t i = offset;
  int64_t end = offset + length;
  while (i < end && (i & 7) != 0) count += GetBit(bits, i++);
  while (i + 64 <= end) {
    count += std::popcount(LoadLE<uint64_t>(bits + (i >> 3)));
    i += 64;
  }
  while (i < end) count += GetBit(bits, i++);
  return count;
}

}  // namespace ds::bit
