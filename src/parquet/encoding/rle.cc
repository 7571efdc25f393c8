#include "parquet/encoding/rle.h"

#include <cstring>

#include "parquet/encoding/bit_pack.h"
#include "parquet/encoding/varint.h"
#include "util/bytes.h"
#include "util/check.h"

namespace ds::parquet {

using internal::ReadUleb;
using internal::VarintError;

// ---------------------------------------------------------------------------------------
// RleBitPackedDecoder

Result<RleBitPackedDecoder> RleBitPackedDecoder::Make(ByteView data, int bit_width) {
  if (bit_width < 0 || bit_width > 32) {
    return Status::Corruption("RLE: bit width " + std::to_string(bit_width) + " outside [0, 32]");
  }
  return RleBitPackedDecoder(data.data(), data.data() + data.size(), bit_width);
}

Result<RleBitPackedDecoder> RleBitPackedDecoder::MakeForDictionaryIndices(ByteView page_values) {
  if (page_values.empty()) {
    return Status::Corruption("RLE_DICTIONARY: missing bit-width byte of the indices");
  }
  int bit_width = page_values[0];
  if (bit_width > 32) {
    return Status::Corruption("RLE_DICTIONARY: index bit width " + std::to_string(bit_width) +
                              " exceeds 32");
  }
  return Make(page_values.subspan(1), bit_width);
}

Status RleBitPackedDecoder::CheckWidthFits(int bits) const {
  if (bit_width_ <= bits) return Status::OK();
  return Status::InvalidArgument("RLE: bit width " + std::to_string(bit_width_) +
                                 " does not fit the " + std::to_string(bits) + "-bit output type");
}

Status RleBitPackedDecoder::IndexError(uint32_t index, int64_t dict_size) {
  return Status::Corruption("RLE_DICTIONARY: index " + std::to_string(index) +
                            " out of range for a dictionary of " + std::to_string(dict_size) +
                            " entries");
}

Status RleBitPackedDecoder::TooFewError(int64_t got, int64_t want) {
  return Status::Corruption("RLE_DICTIONARY: data ends after " + std::to_string(got) + " of " +
                            std::to_string(want) + " indices");
}

Result<bool> RleBitPackedDecoder::NextRun() {
  if (literal_truncated_) {
    return Status::Corruption("RLE: bit-packed run truncated: its bytes end before the " +
                              std::string("requested values"));
  }
  staged_pos_ = staged_count_ = 0;
  if (pos_ == end_) return false;
  uint32_t header;
  VarintError e = ReadUleb(&pos_, end_, &header);
  if (e != VarintError::kOk) {
    return Status::Corruption(std::string("RLE: ") + internal::VarintErrorName(e) + " run header");
  }
  int64_t count = header >> 1;
  if (count == 0) return Status::Corruption("RLE: zero-length run");
  int64_t avail = end_ - pos_;
  if (header & 1) {
    // count groups of 8 values, count * bit_width bytes.
    int64_t values = count * 8;
    int64_t decodable = bit_width_ == 0 ? values : std::min(values, avail * 8 / bit_width_);
    literal_left_ = decodable;
    literal_truncated_ = decodable < values;
    if (decodable == 0) {
      return Status::Corruption("RLE: bit-packed run of " + std::to_string(values) +
                                " values has no data");
    }
  } else {
    int bytes = (bit_width_ + 7) / 8;
    if (avail < bytes) return Status::Corruption("RLE: truncated repeated value");
    uint32_t value = 0;
    std::memcpy(&value, pos_, size_t(bytes));  // little-endian host
    pos_ += bytes;
    if (bit_width_ < 32 && (value >> bit_width_) != 0) {
      return Status::Corruption("RLE: repeated value " + std::to_string(value) +
                                " exceeds bit width " + std::to_string(bit_width_));
    }
    repeat_value_ = value;
    repeat_left_ = count;
  }
  return true;
}

void RleBitPackedDecoder::ReadLiterals(uint8_t* out, int64_t k) { ReadLiteralsImpl(out, k); }
void RleBitPackedDecoder::ReadLiterals(uint16_t* out, int64_t k) { ReadLiteralsImpl(out, k); }
void RleBitPackedDecoder::ReadLiterals(uint32_t* out, int64_t k) { ReadLiteralsImpl(out, k); }

template <typename U>
void RleBitPackedDecoder::ReadLiteralsImpl(U* out, int64_t k) {
  DS_DCHECK(k <= literal_left_);
  int64_t done = 0;
  // 1. Values left over from a partially consumed group.
  while (done < k && staged_pos_ < staged_count_) out[done++] = U(staged_[staged_pos_++]);
  // 2. Whole groups straight into out (group g starts at byte g * bit_width).
  int64_t whole = (k - done) & ~int64_t{7};
  if (whole > 0) {
    UnpackBits(pos_, bit_width_, whole, out + done);
    pos_ += whole / 8 * bit_width_;
    done += whole;
  }
  // 3. A final partial group: stage all 8 values. The group's bytes may be cut short at the
  // end of the data (only padding values can be missing: literal_left_ excludes the rest).
  if (done < k) {
    uint8_t group[32] = {};
    int64_t bytes = std::min<int64_t>(bit_width_, end_ - pos_);
    if (bytes > 0) std::memcpy(group, pos_, size_t(bytes));
    pos_ += bytes;
    UnpackBits(group, bit_width_, 8, staged_);
    staged_count_ = int(std::min<int64_t>(8, literal_left_ - done));
    staged_pos_ = 0;
    while (done < k) out[done++] = U(staged_[staged_pos_++]);
  }
  literal_left_ -= k;
}

Status RleBitPackedDecoder::GetBatchWithDictionary(int64_t dict_size, uint32_t* indices,
                                                   int64_t n) {
  if (n < 0 || dict_size < 0) {
    return Status::InvalidArgument("RLE: negative value count or dictionary size");
  }
  int64_t done = 0;
  while (done < n) {
    if (repeat_left_ > 0) {
      if (repeat_value_ >= uint64_t(dict_size)) return IndexError(repeat_value_, dict_size);
      int64_t k = std::min(repeat_left_, n - done);
      std::fill_n(indices + done, k, repeat_value_);
      repeat_left_ -= k;
      done += k;
    } else if (literal_left_ > 0) {
      int64_t k = std::min(literal_left_, n - done);
      uint32_t* o = indices + done;
      ReadLiterals(o, k);
      uint32_t max_index = 0;
      for (int64_t i = 0; i < k; ++i) max_index = std::max(max_index, o[i]);
      if (max_index >= uint64_t(dict_size)) return IndexError(max_index, dict_size);
      done += k;
    } else {
      ASSIGN_OR_RETURN(bool more, NextRun());
      if (!more) return TooFewError(done, n);
    }
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------------------
// RleBitPackedEncoder

RleBitPackedEncoder::RleBitPackedEncoder(int bit_width) : bit_width_(bit_width) {
  DS_CHECK(bit_width >= 0 && bit_width <= 32);
}

void RleBitPackedEncoder::Put(uint32_t value) {
  DS_DCHECK(bit_width_ == 32 || (value >> bit_width_) == 0);
  if (in_repeat_) {
    if (value == last_value_) {
      ++last_count_;
      return;
    }
    EmitRepeated(last_value_, last_count_);
    in_repeat_ = false;
    last_count_ = 0;
  }
  if (last_count_ > 0 && value == last_value_) {
    ++last_count_;
  } else {
    last_value_ = value;
    last_count_ = 1;
  }
  buf_[buf_count_++] = value;
  if (buf_count_ == 8) FlushGroup();
}

void RleBitPackedEncoder::PutRepeated(uint32_t value, int64_t count) {
  DS_DCHECK(count >= 0);
  // At most 16 single Puts establish an RLE run (a full group of equal values).
  while (count > 0 && !(in_repeat_ && value == last_value_)) {
    Put(value);
    --count;
  }
  last_count_ += count;
}

void RleBitPackedEncoder::FlushGroup() {
  DS_DCHECK(buf_count_ == 8);
  buf_count_ = 0;
  if (last_count_ >= 8) {
    // The whole group repeats one value: it starts an RLE run.
    CloseLiteralRun();
    in_repeat_ = true;
    last_count_ = 8;
    return;
  }
  if (literal_groups_ == kMaxRun) CloseLiteralRun();
  size_t old = literal_.size();
  literal_.Resize(old + size_t(bit_width_));
  PackBits(buf_, 8, bit_width_, literal_.data() + old);
  ++literal_groups_;
}

void RleBitPackedEncoder::EmitRepeated(uint32_t value, int64_t count) {
  int bytes = (bit_width_ + 7) / 8;
  while (count > 0) {
    int64_t n = std::min(count, kMaxRun);
    internal::AppendUleb(uint64_t(n) << 1, &out_);
    out_.Append(&value, size_t(bytes));  // little-endian host
    count -= n;
  }
}

void RleBitPackedEncoder::CloseLiteralRun() {
  if (literal_groups_ == 0) return;
  internal::AppendUleb((uint64_t(literal_groups_) << 1) | 1, &out_);
  out_.Append(literal_.view());
  literal_.Clear();
  literal_groups_ = 0;
}

void RleBitPackedEncoder::FinishTo(Buffer* out) {
  if (in_repeat_) {
    EmitRepeated(last_value_, last_count_);
  } else if (buf_count_ > 0) {
    if (last_count_ >= buf_count_) {
      // The tail repeats one value: a short RLE run needs no padding.
      CloseLiteralRun();
      EmitRepeated(last_value_, buf_count_);
    } else {
      while (buf_count_ < 8) buf_[buf_count_++] = 0;
      last_count_ = 0;
      FlushGroup();
    }
  }
  CloseLiteralRun();
  out->Append(out_.view());
  out_.Clear();
  buf_count_ = 0;
  last_count_ = 0;
  in_repeat_ = false;
}

int64_t RleBitPackedEncoder::EstimatedSize() const {
  // Finished runs + the open literal run (header <= 5 bytes) + the pending group + an RLE run.
  return int64_t(out_.size() + literal_.size()) + 5 + bit_width_ + 5 + 4;
}

// ---------------------------------------------------------------------------------------
// Legacy BIT_PACKED levels

Status DecodeBitPackedMsbLevels(ByteView data, int bit_width, int64_t count, int16_t* out) {
  if (bit_width < 0 || bit_width > 16) {
    return Status::InvalidArgument("BIT_PACKED: level bit width " + std::to_string(bit_width) +
                                   " outside [0, 16]");
  }
  if (count < 0 || count > (int64_t{1} << 48)) {
    return Status::InvalidArgument("BIT_PACKED: bad level count " + std::to_string(count));
  }
  int64_t need = BitPackedMsbLevelsSize(count, bit_width);
  if (need > int64_t(data.size())) {
    return Status::Corruption("BIT_PACKED: " + std::to_string(count) + " levels of " +
                              std::to_string(bit_width) + " bits need " + std::to_string(need) +
                              " bytes, data holds " + std::to_string(data.size()));
  }
  if (bit_width == 0) {
    std::fill_n(out, count, int16_t{0});
    return Status::OK();
  }
  const uint8_t* p = data.data();
  const uint32_t mask = (uint32_t{1} << bit_width) - 1;
  uint32_t acc = 0;  // holds `bits` unread bits in its low end
  int bits = 0;
  for (int64_t i = 0; i < count; ++i) {
    while (bits < bit_width) {
      acc = (acc << 8) | *p++;
      bits += 8;
    }
    bits -= bit_width;
    out[i] = int16_t((acc >> bits) & mask);
  }
  return Status::OK();
}

}  // namespace ds::parquet
