#include "parquet/encoding/bit_pack.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <type_traits>
#include <utility>

#include "util/check.h"

namespace ds::parquet {
namespace {

#define DS_FORCE_INLINE inline __attribute__((always_inline))

// Every kernel handles 32 values = 32 * W bits = W 32-bit little-endian words, so a block
// starts and ends on a byte boundary for any width.
constexpr int kBlock = 32;

template <int W>
constexpr uint64_t Mask() {
  return W == 64 ? ~uint64_t{0} : (uint64_t{1} << W) - 1;
}

// Value I of a block of width W, from the block's words.
template <typename Out, int W, int I>
DS_FORCE_INLINE Out Extract(const uint32_t* w) {
  constexpr int kBit = I * W;
  constexpr int kIdx = kBit / 32;
  constexpr int kShift = kBit % 32;
  if constexpr (kShift + W <= 32) {
    return Out((w[kIdx] >> kShift) & uint32_t(Mask<W>()));
  } else if constexpr (kShift + W <= 64) {
    uint64_t v = (uint64_t{w[kIdx]} | (uint64_t{w[kIdx + 1]} << 32)) >> kShift;
    return Out(v & Mask<W>());
  } else {
    // Only for W > 32 and an unaligned start: the value spans three words.
    uint64_t v = (uint64_t{w[kIdx]} >> kShift) | (uint64_t{w[kIdx + 1]} << (32 - kShift)) |
                 (uint64_t{w[kIdx + 2]} << (64 - kShift));
    return Out(v & Mask<W>());
  }
}

template <typename Out, int W, size_t... I>
DS_FORCE_INLINE void UnpackBlock(const uint8_t* in, Out* out, std::index_sequence<I...>) {
  uint32_t w[W];
  std::memcpy(w, in, sizeof(w));
  ((out[I] = Extract<Out, W, int(I)>(w)), ...);
}

// A group of 8 values = W bytes (the unit of RLE/bit-packed runs), read as 64-bit words.
template <typename Out, int W, int I>
DS_FORCE_INLINE Out Extract8(const uint64_t* w) {
  constexpr int kBit = I * W;
  constexpr int kIdx = kBit / 64;
  constexpr int kShift = kBit % 64;
  uint64_t v = w[kIdx] >> kShift;
  if constexpr (kShift + W > 64) v |= w[kIdx + 1] << (64 - kShift);
  return Out(v & Mask<W>());
}

template <typename Out, int W, size_t... I>
DS_FORCE_INLINE void UnpackGroup8(const uint8_t* in, Out* out, std::index_sequence<I...>) {
  uint64_t w[(W + 7) / 8] = {};
  std::memcpy(w, in, W);
  ((out[I] = Extract8<Out, W, int(I)>(w)), ...);
}

template <typename Out, int W>
void UnpackWidth(const uint8_t* in, int64_t count, Out* out) {
  if constexpr (W == 0) {
    std::fill_n(out, count, Out{0});
  } else if constexpr (W == int(sizeof(Out) * 8)) {
    std::memcpy(out, in, size_t(count) * sizeof(Out));  // full width: little-endian words
  } else {
    constexpr int64_t kBytes = int64_t{W} * kBlock / 8;
    for (; count >= kBlock; count -= kBlock) {
      UnpackBlock<Out, W>(in, out, std::make_index_sequence<kBlock>{});
      in += kBytes;
      out += kBlock;
    }
    for (; count >= 8; count -= 8) {
      UnpackGroup8<Out, W>(in, out, std::make_index_sequence<8>{});
      in += W;
      out += 8;
    }
    if (count > 0) {
      // Tail: stage the remaining bytes in a zeroed group so the kernel never reads past them.
      uint8_t tmp_in[W] = {};
      Out tmp_out[8];
      std::memcpy(tmp_in, in, size_t(BitPackedBytes(count, W)));
      UnpackGroup8<Out, W>(tmp_in, tmp_out, std::make_index_sequence<8>{});
      std::copy_n(tmp_out, count, out);
    }
  }
}

// Adds value I of a block into the block's words.
template <typename In, int W, int I>
DS_FORCE_INLINE void Deposit(const In* in, uint32_t* w) {
  constexpr int kBit = I * W;
  constexpr int kIdx = kBit / 32;
  constexpr int kShift = kBit % 32;
  uint64_t v = uint64_t(in[I]) & Mask<W>();
  w[kIdx] |= uint32_t(v << kShift);
  if constexpr (kShift + W > 32) w[kIdx + 1] |= uint32_t(v >> (32 - kShift));
  if constexpr (kShift + W > 64) w[kIdx + 2] |= uint32_t(v >> (64 - kShift));
}

template <typename In, int W, size_t... I>
DS_FORCE_INLINE void PackBlock(const In* in, uint8_t* out, std::index_sequence<I...>) {
  uint32_t w[W] = {};
  (Deposit<In, W, int(I)>(in, w), ...);
  std::memcpy(out, w, sizeof(w));
}

template <typename In, int W>
void PackWidth(const In* in, int64_t count, uint8_t* out) {
  if constexpr (W == 0) {
    return;
  } else {
    constexpr auto kSeq = std::make_index_sequence<kBlock>{};
    constexpr int64_t kBytes = int64_t{W} * kBlock / 8;
    for (; count >= kBlock; count -= kBlock) {
      PackBlock<In, W>(in, out, kSeq);
      in += kBlock;
      out += kBytes;
    }
    if (count > 0) {
      In tmp_in[kBlock] = {};
      uint8_t tmp_out[kBytes];
      std::copy_n(in, count, tmp_in);
      PackBlock<In, W>(tmp_in, tmp_out, kSeq);
      std::memcpy(out, tmp_out, size_t(BitPackedBytes(count, W)));
    }
  }
}

template <typename Out>
using UnpackFn = void (*)(const uint8_t*, int64_t, Out*);
template <typename In>
using PackFn = void (*)(const In*, int64_t, uint8_t*);

template <typename Out, size_t... W>
constexpr std::array<UnpackFn<Out>, sizeof...(W)> MakeUnpackTable(std::index_sequence<W...>) {
  return {&UnpackWidth<Out, int(W)>...};
}
template <typename In, size_t... W>
constexpr std::array<PackFn<In>, sizeof...(W)> MakePackTable(std::index_sequence<W...>) {
  return {&PackWidth<In, int(W)>...};
}

template <typename T>
constexpr auto kUnpack = MakeUnpackTable<T>(std::make_index_sequence<sizeof(T) * 8 + 1>{});
template <typename T>
constexpr auto kPack = MakePackTable<T>(std::make_index_sequence<sizeof(T) * 8 + 1>{});

template <typename Out>
inline void Unpack(const uint8_t* in, int bit_width, int64_t count, Out* out) {
  DS_DCHECK(bit_width >= 0 && bit_width <= int(sizeof(Out) * 8));
  DS_DCHECK(count >= 0);
  kUnpack<Out>[size_t(bit_width)](in, count, out);
}

template <typename In>
inline void Pack(const In* in, int64_t count, int bit_width, uint8_t* out) {
  DS_DCHECK(bit_width >= 0 && bit_width <= int(sizeof(In) * 8));
  DS_DCHECK(count >= 0);
  kPack<In>[size_t(bit_width)](in, count, out);
}

}  // namespace

#undef DS_FORCE_INLINE

void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint8_t* out) {
  Unpack(in, bit_width, count, out);
}
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint16_t* out) {
  Unpack(in, bit_width, count, out);
}
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint32_t* out) {
  Unpack(in, bit_width, count, out);
}
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, uint64_t* out) {
  Unpack(in, bit_width, count, out);
}
void PackBits(const uint32_t* in, int64_t count, int bit_width, uint8_t* out) {
  Pack(in, count, bit_width, out);
}
void PackBits(const uint64_t* in, int64_t count, int bit_width, uint8_t* out) {
  Pack(in, count, bit_width, out);
}

}  // namespace ds::parquet
