#include "parquet/encoding/delta_binary_packed.h"

#include <algorithm>
#include <string>

#include "parquet/encoding/bit_pack.h"
#include "parquet/encoding/varint.h"
#include "util/bit_util.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ds::parquet {

using internal::ReadUleb;
using internal::VarintError;

namespace {

Status HeaderError(const std::string& what) {
  return Status::Corruption("DELTA_BINARY_PACKED: " + what);
}

Status ReadHeaderVarint(const uint8_t** pos, const uint8_t* end, const char* field, uint64_t* out) {
  VarintError e = ReadUleb(pos, end, out);
  if (e == VarintError::kOk) return Status::OK();
  return HeaderError(std::string(internal::VarintErrorName(e)) + " " + field);
}

// In place: v[i] = last + sum_{j <= i}(min_delta + v[j]), wrapping. Returns the last value.
template <typename U>
U PrefixSum(U* v, int64_t n, U min_delta, U last) {
  int64_t i = 0;
#if defined(__SSE2__)
  if constexpr (sizeof(U) == 4) {
    // 4 lanes: log-step prefix sum within a vector, plus the carry of the previous vector.
    const __m128i md = _mm_set1_epi32(int32_t(min_delta));
    __m128i carry = _mm_set1_epi32(int32_t(last));
    for (; i + 4 <= n; i += 4) {
      __m128i x = _mm_add_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i)), md);
      x = _mm_add_epi32(x, _mm_slli_si128(x, 4));
      x = _mm_add_epi32(x, _mm_slli_si128(x, 8));
      x = _mm_add_epi32(x, carry);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(v + i), x);
      carry = _mm_shuffle_epi32(x, 0xFF);
    }
    last = U(_mm_cvtsi128_si32(carry));
  }
#endif
  for (; i < n; ++i) {
    last += min_delta + v[i];
    v[i] = last;
  }
  return last;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Decoder

template <typename T>
Status DeltaBinaryPackedDecoder<T>::Init(ByteView data) {
  *this = DeltaBinaryPackedDecoder();
  begin_ = pos_ = data.data();
  end_ = begin_ + data.size();
  uint64_t block_size, miniblocks, total, first;
  RETURN_NOT_OK(ReadHeaderVarint(&pos_, end_, "block size", &block_size));
  RETURN_NOT_OK(ReadHeaderVarint(&pos_, end_, "miniblock count", &miniblocks));
  RETURN_NOT_OK(ReadHeaderVarint(&pos_, end_, "total value count", &total));
  RETURN_NOT_OK(ReadHeaderVarint(&pos_, end_, "first value", &first));
  constexpr uint64_t kMaxBlock = (uint64_t{1} << 31) - 128;
  if (block_size == 0 || block_size % 128 != 0 || block_size > kMaxBlock) {
    return HeaderError("block size " + std::to_string(block_size) +
                       " is not a positive multiple of 128");
  }
  if (miniblocks == 0 || block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0) {
    return HeaderError(std::to_string(miniblocks) + " miniblocks do not split a block of " +
                       std::to_string(block_size) + " values into multiples of 32");
  }
  if (total > uint64_t{INT32_MAX}) {
    return HeaderError("total value count " + std::to_string(total) + " exceeds 2^31 - 1");
  }
  values_per_block_ = int64_t(block_size);
  miniblocks_ = int64_t(miniblocks);
  values_per_miniblock_ = values_per_block_ / miniblocks_;
  total_count_ = values_left_ = int64_t(total);
  first_pending_ = total > 0;
  last_ = U(internal::ZigZagDecode(first));  // INT32 keeps the low 32 bits
  next_miniblock_ = miniblocks_;
  mb_end_ = pos_;
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::NextMiniblock() {
  pos_ = mb_end_;
  if (next_miniblock_ == miniblocks_) {
    uint64_t zz;
    VarintError e = ReadUleb(&pos_, end_, &zz);
    if (e != VarintError::kOk) {
      return HeaderError(std::string(internal::VarintErrorName(e)) + " block min delta");
    }
    if (end_ - pos_ < miniblocks_) return HeaderError("truncated miniblock bit widths");
    min_delta_ = U(internal::ZigZagDecode(zz));
    widths_ = pos_;
    pos_ += miniblocks_;
    next_miniblock_ = 0;
  }
  int width = widths_[next_miniblock_++];
  if (width > kMaxWidth) {
    return HeaderError("miniblock bit width " + std::to_string(width) + " exceeds " +
                       std::to_string(kMaxWidth));
  }
  int64_t bytes = values_per_miniblock_ / 8 * width;
  if (end_ - pos_ < bytes) {
    return HeaderError("miniblock of " + std::to_string(bytes) + " bytes runs past the data (" +
                       std::to_string(end_ - pos_) + " left)");
  }
  mb_end_ = pos_ + bytes;
  mb_width_ = width;
  mb_groups_left_ = values_per_miniblock_ / 32;
  return Status::OK();
}

template <typename T>
Result<int64_t> DeltaBinaryPackedDecoder<T>::Decode(T* out, int64_t n) {
  if (n < 0) return Status::InvalidArgument("DELTA_BINARY_PACKED: negative value count");
  const int64_t k = std::min(n, values_left_);
  int64_t done = 0;
  if (k > 0 && first_pending_) {
    out[0] = T(last_);
    first_pending_ = false;
    done = 1;
    --values_left_;
  }
  while (done < k) {
    if (staged_pos_ < staged_count_) {
      int64_t c = std::min<int64_t>(staged_count_ - staged_pos_, k - done);
      for (int64_t i = 0; i < c; ++i) out[done + i] = T(staged_[staged_pos_ + i]);
      staged_pos_ += int(c);
      done += c;
      values_left_ -= c;
      continue;
    }
    if (mb_groups_left_ == 0) RETURN_NOT_OK(NextMiniblock());
    const U min_delta = min_delta_;
    U last = last_;
    int64_t need = k - done;
    if (need >= 32) {
      // Whole groups straight into out; all of them hold real values since need <= left.
      int64_t groups = std::min({mb_groups_left_, need / 32, kMaxGroupsPerStep});
      int64_t c = groups * 32;
      U* o = reinterpret_cast<U*>(out + done);
      UnpackBits(pos_, mb_width_, c, o);
      last = PrefixSum(o, c, min_delta, last);
      pos_ += groups * 4 * mb_width_;
      mb_groups_left_ -= groups;
      done += c;
      values_left_ -= c;
    } else {
      UnpackBits(pos_, mb_width_, 32, staged_);
      pos_ += 4 * mb_width_;
      --mb_groups_left_;
      staged_count_ = int(std::min<int64_t>(32, values_left_));
      staged_pos_ = 0;
      last = PrefixSum(staged_, staged_count_, min_delta, last);
    }
    last_ = last;
  }
  return k;
}

template <typename T>
Result<size_t> DeltaBinaryPackedDecoder<T>::EndOffset() const {
  // Values that still have to come out of miniblocks not yet unpacked.
  int64_t unread = values_left_ - (staged_count_ - staged_pos_) - (first_pending_ ? 1 : 0);
  unread -= std::min(unread, mb_groups_left_ * 32);
  DeltaBinaryPackedDecoder copy = *this;
  while (unread > 0) {
    RETURN_NOT_OK(copy.NextMiniblock());
    unread -= std::min(unread, copy.values_per_miniblock_);
  }
  return size_t(copy.mb_end_ - begin_);
}

template class DeltaBinaryPackedDecoder<int32_t>;
template class DeltaBinaryPackedDecoder<int64_t>;

// ---------------------------------------------------------------------------------------
// Encoder

template <typename T>
void DeltaBinaryPackedEncoder<T>::Put(const T* values, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    U v = U(values[i]);
    if (total_count_++ == 0) {
      first_ = last_ = v;
      continue;
    }
    deltas_[num_deltas_++] = U(v - last_);
    last_ = v;
    if (num_deltas_ == kBlockSize) FlushBlock();
  }
}

template <typename T>
void DeltaBinaryPackedEncoder<T>::FlushBlock() {
  if (num_deltas_ == 0) return;
  T min_delta = T(deltas_[0]);
  for (int i = 1; i < num_deltas_; ++i) min_delta = std::min(min_delta, T(deltas_[i]));
  const U umin = U(min_delta);
  for (int i = 0; i < num_deltas_; ++i) deltas_[i] = U(deltas_[i] - umin);
  std::fill(deltas_ + num_deltas_, deltas_ + kBlockSize, U{0});
  const int needed = (num_deltas_ + kMiniblockSize - 1) / kMiniblockSize;
  uint8_t widths[kMiniblocks] = {};
  for (int m = 0; m < needed; ++m) {
    U bits = 0;
    for (int i = 0; i < kMiniblockSize; ++i) bits |= deltas_[m * kMiniblockSize + i];
    widths[m] = uint8_t(bit::BitWidth(bits));
  }
  internal::AppendUleb(internal::ZigZagEncode(int64_t{min_delta}), &blocks_);
  blocks_.Append(widths, sizeof(widths));
  for (int m = 0; m < needed; ++m) {
    size_t old = blocks_.size();
    blocks_.Resize(old + size_t(widths[m]) * kMiniblockSize / 8);
    PackBits(deltas_ + m * kMiniblockSize, kMiniblockSize, widths[m], blocks_.data() + old);
  }
  num_deltas_ = 0;
}

template <typename T>
void DeltaBinaryPackedEncoder<T>::FinishTo(Buffer* out) {
  FlushBlock();
  internal::AppendUleb(kBlockSize, out);
  internal::AppendUleb(kMiniblocks, out);
  internal::AppendUleb(uint64_t(total_count_), out);
  internal::AppendUleb(internal::ZigZagEncode(int64_t{T(first_)}), out);
  out->Append(blocks_.view());
  blocks_.Clear();
  total_count_ = 0;
  first_ = last_ = 0;
}

template <typename T>
int64_t DeltaBinaryPackedEncoder<T>::EstimatedSize() const {
  return 2 + 1 + 10 + 10 + int64_t(blocks_.size()) +
         (num_deltas_ > 0 ? 10 + kMiniblocks + int64_t{kBlockSize} * int64_t(sizeof(T)) : 0);
}

template class DeltaBinaryPackedEncoder<int32_t>;
template class DeltaBinaryPackedEncoder<int64_t>;

}  // namespace ds::parquet
