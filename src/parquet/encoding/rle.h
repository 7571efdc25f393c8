// The RLE / bit-packing hybrid (encoding RLE = 3) used for repetition and definition levels,
// dictionary indices and RLE booleans, and the legacy BIT_PACKED (4) levels.
//
// A stream is a series of runs, each led by a ULEB128 header h:
//  * h even: h/2 copies of one value stored in ceil(bit_width / 8) little-endian bytes;
//  * h odd:  h/2 groups of 8 values bit-packed LSB first (h/2 * bit_width bytes).
// Whether a u32 length prefix precedes the runs (v1 levels, RLE booleans) is the caller's
// business: these classes see the runs only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "util/buffer.h"
#include "util/result.h"

namespace ds::parquet {

class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;  // an empty stream

  // `data` must outlive the decoder. Corruption unless bit_width is in [0, 32]. Width 0 is
  // legal: runs carry no value bytes and every value is 0.
  static Result<RleBitPackedDecoder> Make(ByteView data, int bit_width);
  // For RLE_DICTIONARY / PLAIN_DICTIONARY data pages: reads the leading bit-width byte of
  // `page_values`, then decodes the runs that follow. Corruption if the byte is missing or > 32.
  static Result<RleBitPackedDecoder> MakeForDictionaryIndices(ByteView page_values);

  int bit_width() const { return bit_width_; }

  // Decodes up to n values into out and returns how many were decoded: fewer than n only when
  // the data ends between runs. Padding values after the last needed one are never looked at.
  // Corruption on a zero-length run, a truncated or overflowing run header, a run value
  // wider than bit_width, or a bit-packed run whose bytes end before a requested value.
  // T is uint8_t, int16_t, uint16_t, int32_t or uint32_t; InvalidArgument if bit_width exceeds
  // T's size in bits, or n < 0. On error the decoder's position is unspecified.
  template <typename T>
  Result<int64_t> GetBatch(T* out, int64_t n);

  // Decodes n dictionary indices and stores dict[index] into out[0..n). T is any trivially
  // copyable type. Corruption if an index >= dict_size or fewer than n values remain (plus the
  // errors of GetBatch).
  template <typename T>
  Status GetBatchWithDictionary(const T* dict, int64_t dict_size, T* out, int64_t n);
  // Same checks, but stores the raw indices (for variable-width dictionaries such as
  // BYTE_ARRAY, which the caller gathers itself).
  Status GetBatchWithDictionary(int64_t dict_size, uint32_t* indices, int64_t n);

 private:
  static constexpr int64_t kChunk = 1024;

  RleBitPackedDecoder(const uint8_t* pos, const uint8_t* end, int bit_width)
      : pos_(pos), end_(end), bit_width_(bit_width) {}

  // Reads the next run header. Returns false at the end of the data.
  Result<bool> NextRun();
  // Unpacks k <= literal_left_ values of the current bit-packed run.
  void ReadLiterals(uint8_t* out, int64_t k);
  void ReadLiterals(uint16_t* out, int64_t k);
  void ReadLiterals(uint32_t* out, int64_t k);
  template <typename U>
  void ReadLiteralsImpl(U* out, int64_t k);
  Status CheckWidthFits(int bits) const;
  static Status IndexError(uint32_t index, int64_t dict_size);
  static Status TooFewError(int64_t got, int64_t want);

  const uint8_t* pos_ = nullptr;  // next unread byte
  const uint8_t* end_ = nullptr;
  int bit_width_ = 0;
  int64_t repeat_left_ = 0;  // values left in the current RLE run
  uint32_t repeat_value_ = 0;
  int64_t literal_left_ = 0;        // decodable values left in the current bit-packed run
  bool literal_truncated_ = false;  // the run declared more values than its bytes hold
  uint32_t staged_[8] = {};         // a partially consumed group of 8
  int staged_pos_ = 0;
  int staged_count_ = 0;
};

// Writes the hybrid encoding. Bit-packed runs always consist of whole groups of 8 values
// (zero-padded at the end of the stream), as Spark's vectorized reader requires. A group of 8
// equal values starts an RLE run that lasts as long as the value repeats.
class RleBitPackedEncoder {
 public:
  // bit_width in [0, 32].
  explicit RleBitPackedEncoder(int bit_width);

  // Every value must fit in bit_width bits.
  void Put(uint32_t value);
  // Same as `count` calls to Put(value) but O(1) once a run is established. count >= 0.
  void PutRepeated(uint32_t value, int64_t count);
  // Appends the encoded runs (no length prefix) to out and resets the encoder for reuse.
  void FinishTo(Buffer* out);
  // An upper bound of the bytes FinishTo would append now.
  int64_t EstimatedSize() const;

 private:
  static constexpr int64_t kMaxRun = (int64_t{1} << 31) - 1;

  void FlushGroup();  // buf_ holds 8 values: decide RLE or literal
  void EmitRepeated(uint32_t value, int64_t count);
  void CloseLiteralRun();

  int bit_width_;
  Buffer out_;      // finished runs
  Buffer literal_;  // packed groups of the open bit-packed run
  int64_t literal_groups_ = 0;
  uint32_t buf_[8] = {};  // the group being collected
  int buf_count_ = 0;
  uint32_t last_value_ = 0;  // value of the trailing run of equal values
  int64_t last_count_ = 0;   // its length (among values not yet committed to RLE)
  bool in_repeat_ = false;   // an RLE run of last_value_ x last_count_ is open
};

// Legacy BIT_PACKED (4) levels: `count` values of bit_width (0..16) bits, packed MSB first,
// no runs and no length prefix; they occupy BitPackedMsbLevelsSize(count, bit_width) bytes.
// Corruption if `data` is shorter; InvalidArgument if bit_width or count is out of range.
Status DecodeBitPackedMsbLevels(ByteView data, int bit_width, int64_t count, int16_t* out);
inline int64_t BitPackedMsbLevelsSize(int64_t count, int bit_width) {
  return (count * bit_width + 7) / 8;
}

// ---------------------------------------------------------------------------------------
// Template definitions.

template <typename T>
Result<int64_t> RleBitPackedDecoder::GetBatch(T* out, int64_t n) {
  static_assert(std::is_same_v<T, uint8_t> || std::is_same_v<T, int16_t> ||
                    std::is_same_v<T, uint16_t> || std::is_same_v<T, int32_t> ||
                    std::is_same_v<T, uint32_t>,
                "GetBatch supports uint8_t, int16_t, uint16_t, int32_t and uint32_t");
  using U = std::make_unsigned_t<T>;
  RETURN_NOT_OK(CheckWidthFits(int(sizeof(T) * 8)));
  if (n < 0) return Status::InvalidArgument("RLE: negative value count");
  int64_t done = 0;
  while (done < n) {
    if (repeat_left_ > 0) {
      int64_t k = std::min(repeat_left_, n - done);
      std::fill_n(out + done, k, T(repeat_value_));
      repeat_left_ -= k;
      done += k;
    } else if (literal_left_ > 0) {
      int64_t k = std::min(literal_left_, n - done);
      ReadLiterals(reinterpret_cast<U*>(out + done), k);
      done += k;
    } else {
      ASSIGN_OR_RETURN(bool more, NextRun());
      if (!more) break;
    }
  }
  return done;
}

template <typename T>
Status RleBitPackedDecoder::GetBatchWithDictionary(const T* dict, int64_t dict_size, T* out,
                                                   int64_t n) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (n < 0 || dict_size < 0) {
    return Status::InvalidArgument("RLE: negative value count or dictionary size");
  }
  uint32_t idx[kChunk];
  int64_t done = 0;
  while (done < n) {
    if (repeat_left_ > 0) {
      if (repeat_value_ >= uint64_t(dict_size)) return IndexError(repeat_value_, dict_size);
      int64_t k = std::min(repeat_left_, n - done);
      std::fill_n(out + done, k, dict[repeat_value_]);
      repeat_left_ -= k;
      done += k;
    } else if (literal_left_ > 0) {
      int64_t k = std::min({literal_left_, n - done, kChunk});
      ReadLiterals(idx, k);
      uint32_t max_index = 0;
      for (int64_t i = 0; i < k; ++i) max_index = std::max(max_index, idx[i]);
      if (max_index >= uint64_t(dict_size)) return IndexError(max_index, dict_size);
      T* o = out + done;
      for (int64_t i = 0; i < k; ++i) o[i] = dict[idx[i]];
      done += k;
    } else {
      ASSIGN_OR_RETURN(bool more, NextRun());
      if (!more) return TooFewError(done, n);
    }
  }
  return Status::OK();
}

}  // namespace ds::parquet
