#include "parquet/physical.h"

#include <cmath>
#include <limits>

#include "util/bytes.h"
#include "util/civil_time.h"

namespace ds::parquet {

bool BigEndianToInt128(const uint8_t* p, size_t n, int128_t* out) {
  if (n == 0) {
    *out = 0;
    return true;
  }
  // Bytes beyond 16 must be pure sign extension.
  const uint8_t sign = (p[0] & 0x80) ? 0xFF : 0x00;
  const size_t skip = n > 16 ? n - 16 : 0;
  for (size_t i = 0; i < skip; ++i) {
    if (p[i] != sign) return false;
  }
  if (skip > 0 && ((p[skip] ^ sign) & 0x80)) return false;
  unsigned __int128 v = sign ? ~static_cast<unsigned __int128>(0) : 0;
  for (size_t i = skip; i < n; ++i) v = (v << 8) | p[i];
  *out = static_cast<int128_t>(v);
  return true;
}

void Int128ToBigEndian(int128_t v, int n, uint8_t* out) {
  unsigned __int128 u = static_cast<unsigned __int128>(v);
  for (int i = n - 1; i >= 0; --i) {
    out[i] = static_cast<uint8_t>(u & 0xFF);
    u >>= 8;
  }
}

float HalfToFloat(uint16_t h) {
  const int exp = (h >> 10) & 0x1F;
  const int frac = h & 0x3FF;
  float v;
  if (exp == 0) {
    v = std::ldexp(static_cast<float>(frac), -24);
  } else if (exp == 31) {
    v = frac ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  } else {
    v = std::ldexp(static_cast<float>(frac | 0x400), exp - 25);
  }
  return (h & 0x8000) ? -v : v;
}

bool Int96ToMicros(const uint8_t* p, int64_t* micros) {
  constexpr int64_t kJulianEpochDay = 2440588;
  const int64_t nanos = LoadLE<int64_t>(p);
  const int64_t day = LoadLE<int32_t>(p + 8);
  return !__builtin_mul_overflow(day - kJulianEpochDay, kMicrosPerDay, micros) &&
         !__builtin_add_overflow(*micros, nanos / 1000, micros);
}

}  // namespace ds::parquet
