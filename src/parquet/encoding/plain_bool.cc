#include "parquet/encoding/plain_bool.h"

#include <array>
#include <cstring>
#include <string>

#include "util/bit_util.h"
#include "util/bytes.h"

namespace ds::parquet {
namespace {

// kSpread[b] holds the 8 bits of b as 8 bytes of 0/1, bit 0 in the lowest byte.
constexpr std::array<uint64_t, 256> MakeSpreadTable() {
  std::array<uint64_t, 256> t{};
  for (int b = 0; b < 256; ++b) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t((b >> i) & 1) << (8 * i);
    t[size_t(b)] = v;
  }
  return t;
}
constexpr std::array<uint64_t, 256> kSpread = MakeSpreadTable();

}  // namespace

void UnpackBooleans(const uint8_t* data, int64_t bit_offset, int64_t count, uint8_t* out) {
  int64_t i = 0;
  // Leading bits up to a byte boundary.
  for (; i < count && ((bit_offset + i) & 7) != 0; ++i) {
    out[i] = uint8_t(bit::GetBit(data, bit_offset + i));
  }
  const uint8_t* bytes = data + ((bit_offset + i) >> 3);
  for (; i + 8 <= count; i += 8) StoreLE(out + i, kSpread[*bytes++]);
  for (int64_t j = 0; i < count; ++i, ++j) out[i] = uint8_t((*bytes >> j) & 1);
}

Status DecodePlainBooleans(ByteView data, int64_t bit_offset, int64_t count, uint8_t* out) {
  if (bit_offset < 0 || count < 0) {
    return Status::InvalidArgument("PLAIN booleans: negative offset or count");
  }
  if (count > (int64_t(data.size()) * 8) - bit_offset) {
    return Status::Corruption("PLAIN booleans: need " + std::to_string(bit_offset + count) +
                              " bits, data holds " + std::to_string(data.size() * 8));
  }
  if (count > 0) UnpackBooleans(data.data(), bit_offset, count, out);
  return Status::OK();
}

void PackBooleans(const uint8_t* values, int64_t count, uint8_t* out) {
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    uint64_t v = LoadLE<uint64_t>(values + i);
    // Normalize each byte to 0/1, then gather the low bit of every byte.
    v = ((v | (v >> 1) | (v >> 2) | (v >> 3) | (v >> 4) | (v >> 5) | (v >> 6) | (v >> 7))) &
        0x0101010101010101ULL;
    *out++ = uint8_t((v * 0x0102040810204080ULL) >> 56);
  }
  if (i < count) {
    uint8_t b = 0;
    for (int j = 0; i < count; ++i, ++j) b |= uint8_t((values[i] != 0) << j);
    *out = b;
  }
}

void EncodePlainBooleans(const uint8_t* values, int64_t count, Buffer* out) {
  size_t old = out->size();
  out->Resize(old + size_t(bit::BytesForBits(count)));
  PackBooleans(values, count, out->data() + old);
}

}  // namespace ds::parquet
