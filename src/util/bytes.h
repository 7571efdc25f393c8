// Unaligned little- and big-endian loads and stores. deltashare assumes a little-endian host
// (checked at compile time), so LE loads are plain memcpy.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace ds {

static_assert(std::endian::native == std::endian::little, "deltashare needs a little-endian host");

template <typename T>
inline T LoadLE(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}
template <typename T>
inline void StoreLE(void* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}
inline uint32_t LoadBE32(const void* p) { return __builtin_bswap32(LoadLE<uint32_t>(p)); }
inline uint64_t LoadBE64(const void* p) { return __builtin_bswap64(LoadLE<uint64_t>(p)); }
inline void StoreBE32(void* p, uint32_t v) { StoreLE(p, __builtin_bswap32(v)); }
inline void StoreBE64(void* p, uint64_t v) { StoreLE(p, __builtin_bswap64(v)); }

}  // namespace ds
