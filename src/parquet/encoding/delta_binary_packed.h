// DELTA_BINARY_PACKED (encoding 5) for INT32 and INT64, also the length streams of
// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY.
//
// Layout: ULEB block_size (multiple of 128) · ULEB miniblocks per block (block_size / m a
// multiple of 32) · ULEB total_count · zigzag-ULEB first value, then blocks of
// zigzag-ULEB min_delta · m width bytes · m miniblocks bit-packed LSB first. In the last block
// the miniblocks that hold no value have a width byte (ignored) but no body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "util/buffer.h"
#include "util/result.h"

namespace ds::parquet {

template <typename T>  // int32_t or int64_t
class DeltaBinaryPackedDecoder {
  static_assert(std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>);

 public:
  DeltaBinaryPackedDecoder() = default;  // copyable: a copy decodes independently

  // Parses the header of the stream at the start of `data`, which must outlive the decoder
  // (it may extend past the stream). Corruption if the block size is not a positive multiple
  // of 128 (at most 2^31 - 128), the miniblock count does not split a block into multiples
  // of 32 values, total_count exceeds 2^31 - 1, or a varint is truncated or overflows. For
  // INT32 the first value and the block min deltas keep their low 32 bits.
  Status Init(ByteView data);

  // Values announced by the header, and values not yet returned by Decode.
  int64_t total_count() const { return total_count_; }
  int64_t values_left() const { return values_left_; }

  // Decodes the next min(n, values_left()) values into out and returns how many. Arithmetic
  // wraps in the unsigned type of T's width. Corruption if a needed miniblock's width exceeds
  // T's bits or its body (always whole, with padding) runs past the data, or a block header is
  // truncated. n >= 0.
  Result<int64_t> Decode(T* out, int64_t n);

  // The byte offset (from the start of `data`) just past this stream, i.e. past the last
  // miniblock holding a value: where DELTA_LENGTH_BYTE_ARRAY / DELTA_BYTE_ARRAY data continues.
  // Validates the remaining miniblocks' widths and sizes without unpacking them and leaves the
  // decoding position unchanged. Corruption as for Decode.
  Result<size_t> EndOffset() const;

 private:
  using U = std::make_unsigned_t<T>;
  static constexpr int kMaxWidth = int(sizeof(T) * 8);
  static constexpr int64_t kMaxGroupsPerStep = 8;  // values unpacked per step: up to 256

  Status NextMiniblock();
  Status Truncated(const char* what) const;

  const uint8_t* begin_ = nullptr;
  const uint8_t* pos_ = nullptr;  // next unread byte of the current miniblock / block
  const uint8_t* end_ = nullptr;
  const uint8_t* mb_end_ = nullptr;  // end of the current miniblock body (or of the header)
  const uint8_t* widths_ = nullptr;  // width bytes of the current block
  int64_t values_per_block_ = 0;
  int64_t miniblocks_ = 0;
  int64_t values_per_miniblock_ = 0;
  int64_t total_count_ = 0;
  int64_t values_left_ = 0;     // not yet returned by Decode
  int64_t next_miniblock_ = 0;  // index in the current block; == miniblocks_: need a block
  int64_t mb_groups_left_ = 0;  // unread 32-value groups of the current miniblock
  int mb_width_ = 0;
  bool first_pending_ = false;  // the header's first value is not yet returned
  U last_ = 0;
  U min_delta_ = 0;
  U staged_[32] = {};  // one unpacked group, partially returned
  int staged_pos_ = 0;
  int staged_count_ = 0;
};

extern template class DeltaBinaryPackedDecoder<int32_t>;
extern template class DeltaBinaryPackedDecoder<int64_t>;

// Writes block size 128 with 4 miniblocks of 32 values, the layout of parquet-mr and Arrow.
template <typename T>  // int32_t or int64_t
class DeltaBinaryPackedEncoder {
  static_assert(std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>);

 public:
  DeltaBinaryPackedEncoder() = default;

  void Put(const T* values, int64_t n);
  // Appends the complete stream (header included; also for 0 values) to out and resets.
  void FinishTo(Buffer* out);
  int64_t count() const { return total_count_; }
  // An upper bound of the bytes FinishTo would append now.
  int64_t EstimatedSize() const;

 private:
  using U = std::make_unsigned_t<T>;
  static constexpr int kBlockSize = 128;
  static constexpr int kMiniblocks = 4;
  static constexpr int kMiniblockSize = kBlockSize / kMiniblocks;

  void FlushBlock();

  int64_t total_count_ = 0;
  U first_ = 0;
  U last_ = 0;
  U deltas_[kBlockSize] = {};
  int num_deltas_ = 0;
  Buffer blocks_;
};

extern template class DeltaBinaryPackedEncoder<int32_t>;
extern template class DeltaBinaryPackedEncoder<int64_t>;

}  // namespace ds::parquet
