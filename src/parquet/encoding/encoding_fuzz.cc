// libFuzzer target for every decoder of src/parquet/encoding. Byte 0 picks the decoder,
// byte 1 a parameter (bit width, dictionary size, value width), bytes 2-3 a value count; the
// rest is the encoded stream. Decoders must return a Status on any input; where a decode
// succeeds, re-encoding and decoding again must reproduce the values (checked with DS_CHECK).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "parquet/encoding/bit_pack.h"
#include "parquet/encoding/byte_array.h"
#include "parquet/encoding/byte_stream_split.h"
#include "parquet/encoding/delta_binary_packed.h"
#include "parquet/encoding/plain_bool.h"
#include "parquet/encoding/rle.h"
#include "util/check.h"

namespace ds::parquet {
namespace {

// Exact-size heap copy so ASan sees reads past the end of the stream.
struct Input {
  std::vector<uint8_t> bytes;
  ByteView view() const { return {bytes.data(), bytes.size()}; }
};

void FuzzRle(ByteView data, int param, int64_t count) {
  int width = param % 33;
  auto dec = RleBitPackedDecoder::Make(data, width);
  DS_CHECK(dec.ok());
  std::vector<uint32_t> out(static_cast<size_t>(count));
  int64_t done = 0;
  while (done < count) {
    int64_t batch = std::min<int64_t>(count - done, 1 + (done * 7 + param) % 97);
    auto n = dec->GetBatch(out.data() + done, batch);
    if (!n.ok()) return;
    DS_CHECK(*n <= batch);
    done += *n;
    if (*n < batch) break;
  }
  for (int64_t i = 0; i < done; ++i) DS_CHECK(width == 32 || (out[size_t(i)] >> width) == 0);
  // Re-encode and decode again.
  RleBitPackedEncoder enc(width);
  for (int64_t i = 0; i < done; ++i) enc.Put(out[size_t(i)]);
  Buffer re;
  enc.FinishTo(&re);
  auto dec2 = RleBitPackedDecoder::Make(re.view(), width);
  std::vector<uint32_t> again(static_cast<size_t>(done));
  auto n2 = dec2->GetBatch(again.data(), done);
  DS_CHECK(n2.ok() && *n2 == done);
  DS_CHECK(again == std::vector<uint32_t>(out.begin(), out.begin() + done));
  // Narrow output types.
  if (width <= 15) {
    auto d16 = RleBitPackedDecoder::Make(data, width);
    std::vector<int16_t> o16(static_cast<size_t>(count));
    (void)d16->GetBatch(o16.data(), count);
  }
}

void FuzzDictionary(ByteView data, int param, int64_t count) {
  static const int64_t kDict[256] = {};
  auto dec = RleBitPackedDecoder::MakeForDictionaryIndices(data);
  if (!dec.ok()) return;
  std::vector<int64_t> out(static_cast<size_t>(count));
  (void)dec->GetBatchWithDictionary(kDict, param, out.data(), count);
  auto dec2 = RleBitPackedDecoder::MakeForDictionaryIndices(data);
  std::vector<uint32_t> idx(static_cast<size_t>(count));
  if (dec2->GetBatchWithDictionary(param, idx.data(), count).ok()) {
    for (uint32_t i : idx) DS_CHECK(int64_t{i} < param);
  }
}

template <typename T>
void FuzzDbp(ByteView data, int64_t count) {
  DeltaBinaryPackedDecoder<T> dec;
  if (!dec.Init(data).ok()) return;
  auto end = dec.EndOffset();
  int64_t n = std::min(count, dec.total_count());
  std::vector<T> out(static_cast<size_t>(n));
  auto got = dec.Decode(out.data(), n);
  if (!got.ok()) return;
  DS_CHECK(*got == n);
  if (n == dec.total_count()) {
    DS_CHECK(end.ok() && *end <= data.size());
    auto end_after = dec.EndOffset();
    DS_CHECK(end_after.ok() && *end_after == *end);
  }
  DeltaBinaryPackedEncoder<T> enc;
  enc.Put(out.data(), n);
  Buffer re;
  enc.FinishTo(&re);
  DeltaBinaryPackedDecoder<T> dec2;
  DS_CHECK(dec2.Init(re.view()).ok());
  std::vector<T> again(static_cast<size_t>(n));
  auto got2 = dec2.Decode(again.data(), n);
  DS_CHECK(got2.ok() && *got2 == n && again == out);
  auto end2 = dec2.EndOffset();
  DS_CHECK(end2.ok() && *end2 == re.size());
}

using DecodeFn = Result<size_t> (*)(ByteView, int64_t, Buffer*, Buffer*);
using EncodeFn = void (*)(const int64_t*, const uint8_t*, int64_t, Buffer*);

void FuzzByteArray(ByteView data, int64_t count, DecodeFn decode, EncodeFn encode) {
  Buffer offsets, values;
  offsets.AppendValue(int64_t{0});
  auto used = decode(data, count, &offsets, &values);
  if (!used.ok()) {
    DS_CHECK(offsets.size() == 8 && values.size() == 0);
    return;
  }
  DS_CHECK(*used <= data.size());
  DS_CHECK(offsets.size() == size_t(count + 1) * 8);
  const int64_t* o = offsets.data_as<int64_t>();
  for (int64_t i = 0; i < count; ++i) DS_CHECK(o[i] <= o[i + 1]);
  DS_CHECK(o[count] == int64_t(values.size()));
  Buffer re;
  encode(o, values.data(), count, &re);
  Buffer offsets2, values2;
  offsets2.AppendValue(int64_t{0});
  auto used2 = decode(re.view(), count, &offsets2, &values2);
  DS_CHECK(used2.ok() && *used2 == re.size());
  DS_CHECK(offsets2.view().size() == offsets.view().size());
  DS_CHECK(std::memcmp(offsets2.data(), offsets.data(), offsets.size()) == 0);
  DS_CHECK(values2.string_view() == values.string_view());
}

}  // namespace
}  // namespace ds::parquet

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  using namespace ds::parquet;
  if (size < 4) return 0;
  const int target = raw[0] % 12;
  const int param = raw[1];
  const int64_t count = (raw[2] | (raw[3] << 8)) & 0x0FFF;  // <= 4095
  Input in{std::vector<uint8_t>(raw + 4, raw + size)};
  ds::ByteView data = in.view();
  switch (target) {
    case 0:
      FuzzRle(data, param, count);
      break;
    case 1:
      FuzzDictionary(data, param, count);
      break;
    case 2:
      FuzzDbp<int32_t>(data, count);
      break;
    case 3:
      FuzzDbp<int64_t>(data, count);
      break;
    case 4:
      FuzzByteArray(data, count, DecodePlainByteArray, EncodePlainByteArray);
      break;
    case 5:
      FuzzByteArray(data, count, DecodeDeltaLengthByteArray, EncodeDeltaLengthByteArray);
      break;
    case 6:
      FuzzByteArray(data, count, DecodeDeltaByteArray, EncodeDeltaByteArray);
      break;
    case 7: {
      int width = param % 17 + 1;
      std::vector<uint8_t> out(static_cast<size_t>(count * width));
      (void)DecodeDeltaByteArrayFixed(data, count, width, out.data());
      break;
    }
    case 8: {
      int width = param % 16 + 1;
      int64_t n = (param & 0x80) ? int64_t(data.size()) / width : count;
      std::vector<uint8_t> out(static_cast<size_t>(n * width));
      if (DecodeByteStreamSplit(data, n, width, out.data()).ok()) {
        ds::Buffer re;
        EncodeByteStreamSplit(out.data(), n, width, &re);
        DS_CHECK(re.string_view() == ds::AsStringView(data));
      }
      break;
    }
    case 9: {
      std::vector<int16_t> out(static_cast<size_t>(count));
      (void)DecodeBitPackedMsbLevels(data, param % 17, count, out.data());
      break;
    }
    case 10: {
      std::vector<uint8_t> out(static_cast<size_t>(count));
      if (DecodePlainBooleans(data, param % 8, count, out.data()).ok()) {
        for (uint8_t b : out) DS_CHECK(b <= 1);
      }
      break;
    }
    case 11: {
      // Unpack all whole values, pack again: the covered bits must match.
      int width = param % 65;
      if (width == 0) break;
      int64_t n = int64_t(data.size()) * 8 / width;
      std::vector<uint64_t> vals(static_cast<size_t>(n));
      UnpackBits(data.data(), width, n, vals.data());
      std::vector<uint8_t> re(static_cast<size_t>(BitPackedBytes(n, width)));
      PackBits(vals.data(), n, width, re.data());
      int64_t bits = n * width;
      for (int64_t b = 0; b < bits; ++b) {
        DS_CHECK(((re[size_t(b / 8)] >> (b % 8)) & 1) == ((data[size_t(b / 8)] >> (b % 8)) & 1));
      }
      if (width <= 32) {
        std::vector<uint32_t> v32(static_cast<size_t>(n));
        UnpackBits(data.data(), width, n, v32.data());
        for (int64_t i = 0; i < n; ++i) DS_CHECK(v32[size_t(i)] == vals[size_t(i)]);
      }
      break;
    }
  }
  return 0;
}
