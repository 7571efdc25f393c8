#include "parquet/encoding/byte_stream_split.h"

#include <string>
#include <type_traits>

#include "util/bytes.h"
#include "util/check.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ds::parquet {
namespace {

// Value i, byte k is src[k * stride + i]. Decodes values [start, start + n).
template <int W>
void UnsplitFixed(const uint8_t* src, int64_t stride, int64_t start, int64_t n, uint8_t* out) {
  const uint8_t* s = src + start;
  int64_t i = 0;
#if defined(__SSE2__)
  if constexpr (W == 4) {
    for (; i + 16 <= n; i += 16) {
      __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + stride + i));
      __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 2 * stride + i));
      __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 3 * stride + i));
      __m128i ab_lo = _mm_unpacklo_epi8(a, b);
      __m128i ab_hi = _mm_unpackhi_epi8(a, b);
      __m128i cd_lo = _mm_unpacklo_epi8(c, d);
      __m128i cd_hi = _mm_unpackhi_epi8(c, d);
      __m128i* o = reinterpret_cast<__m128i*>(out + i * 4);
      _mm_storeu_si128(o + 0, _mm_unpacklo_epi16(ab_lo, cd_lo));
      _mm_storeu_si128(o + 1, _mm_unpackhi_epi16(ab_lo, cd_lo));
      _mm_storeu_si128(o + 2, _mm_unpacklo_epi16(ab_hi, cd_hi));
      _mm_storeu_si128(o + 3, _mm_unpackhi_epi16(ab_hi, cd_hi));
    }
  } else if constexpr (W == 8) {
    // 16 values per step: interleave byte pairs, then 2-byte pairs, then 4-byte halves.
    auto load = [&](int k) {
      return _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + k * stride + i));
    };
    auto store_half = [](__m128i* o, __m128i p01, __m128i p23, __m128i p45, __m128i p67) {
      __m128i lo0 = _mm_unpacklo_epi16(p01, p23);  // bytes 0-3 of values 0..3
      __m128i hi0 = _mm_unpackhi_epi16(p01, p23);  // bytes 0-3 of values 4..7
      __m128i lo1 = _mm_unpacklo_epi16(p45, p67);  // bytes 4-7 of values 0..3
      __m128i hi1 = _mm_unpackhi_epi16(p45, p67);  // bytes 4-7 of values 4..7
      _mm_storeu_si128(o + 0, _mm_unpacklo_epi32(lo0, lo1));
      _mm_storeu_si128(o + 1, _mm_unpackhi_epi32(lo0, lo1));
      _mm_storeu_si128(o + 2, _mm_unpacklo_epi32(hi0, hi1));
      _mm_storeu_si128(o + 3, _mm_unpackhi_epi32(hi0, hi1));
    };
    for (; i + 16 <= n; i += 16) {
      __m128i v0 = load(0), v1 = load(1), v2 = load(2), v3 = load(3);
      __m128i v4 = load(4), v5 = load(5), v6 = load(6), v7 = load(7);
      __m128i* o = reinterpret_cast<__m128i*>(out + i * 8);
      store_half(o, _mm_unpacklo_epi8(v0, v1), _mm_unpacklo_epi8(v2, v3), _mm_unpacklo_epi8(v4, v5),
                 _mm_unpacklo_epi8(v6, v7));
      store_half(o + 4, _mm_unpackhi_epi8(v0, v1), _mm_unpackhi_epi8(v2, v3),
                 _mm_unpackhi_epi8(v4, v5), _mm_unpackhi_epi8(v6, v7));
    }
  }
#endif
  for (; i < n; ++i) {
    for (int k = 0; k < W; ++k) out[i * W + k] = s[k * stride + i];
  }
}

void UnsplitAny(const uint8_t* src, int64_t stride, int width, int64_t start, int64_t n,
                uint8_t* out) {
  switch (width) {
    case 2:
      return UnsplitFixed<2>(src, stride, start, n, out);
    case 4:
      return UnsplitFixed<4>(src, stride, start, n, out);
    case 8:
      return UnsplitFixed<8>(src, stride, start, n, out);
    case 16:
      return UnsplitFixed<16>(src, stride, start, n, out);
    default:
      break;
  }
  const uint8_t* s = src + start;
  for (int k = 0; k < width; ++k) {
    const uint8_t* stream = s + k * stride;
    for (int64_t i = 0; i < n; ++i) out[i * width + k] = stream[i];
  }
}

template <int W>
void SplitFixed(const uint8_t* values, int64_t count, uint8_t* dst) {
  if constexpr (W == 4 || W == 8) {
    using V = std::conditional_t<W == 4, uint32_t, uint64_t>;
    for (int64_t i = 0; i < count; ++i) {
      V v = LoadLE<V>(values + i * W);
      for (int k = 0; k < W; ++k) dst[k * count + i] = uint8_t(v >> (8 * k));
    }
  } else {
    for (int64_t i = 0; i < count; ++i) {
      for (int k = 0; k < W; ++k) dst[k * count + i] = values[i * W + k];
    }
  }
}

}  // namespace

Status DecodeByteStreamSplitRange(ByteView src, int64_t count, int width, int64_t start, int64_t n,
                                  uint8_t* out) {
  if (width <= 0 || count < 0) {
    return Status::InvalidArgument("BYTE_STREAM_SPLIT: bad width " + std::to_string(width) +
                                   " or count " + std::to_string(count));
  }
  if (start < 0 || n < 0 || start > count || n > count - start) {
    return Status::InvalidArgument("BYTE_STREAM_SPLIT: range outside the page");
  }
  uint64_t bytes;
  if (__builtin_mul_overflow(uint64_t(count), uint64_t(width), &bytes) || bytes != src.size()) {
    return Status::Corruption("BYTE_STREAM_SPLIT: " + std::to_string(src.size()) +
                              " bytes are not " + std::to_string(count) + " values of " +
                              std::to_string(width) + " bytes");
  }
  if (n > 0) UnsplitAny(src.data(), count, width, start, n, out);
  return Status::OK();
}

Status DecodeByteStreamSplit(ByteView src, int64_t count, int width, uint8_t* out) {
  return DecodeByteStreamSplitRange(src, count, width, 0, count, out);
}

void EncodeByteStreamSplit(const uint8_t* values, int64_t count, int width, Buffer* out) {
  DS_DCHECK(width > 0 && count >= 0);
  if (count == 0) return;
  size_t old = out->size();
  out->Resize(old + size_t(count) * size_t(width));
  uint8_t* dst = out->data() + old;
  switch (width) {
    case 4:
      return SplitFixed<4>(values, count, dst);
    case 8:
      return SplitFixed<8>(values, count, dst);
    default:
      break;
  }
  for (int64_t i = 0; i < count; ++i) {
    for (int k = 0; k < width; ++k) dst[k * count + i] = values[i * width + k];
  }
}

}  // namespace ds::parquet
