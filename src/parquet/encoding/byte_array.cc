#include "parquet/encoding/byte_array.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>
#include <vector>

#include "parquet/encoding/delta_binary_packed.h"
#include "util/bytes.h"
#include "util/check.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ds::parquet {
namespace {

constexpr int64_t kChunk = 1024;

// Restores the output buffers to their entry sizes unless Commit() was called.
class OutputGuard {
 public:
  OutputGuard(Buffer* offsets, Buffer* data)
      : offsets_(offsets), data_(data), offsets_size_(offsets->size()), data_size_(data->size()) {}
  ~OutputGuard() {
    if (committed_) return;
    offsets_->Resize(offsets_size_);
    data_->Resize(data_size_);
  }
  void Commit() { committed_ = true; }

 private:
  Buffer* offsets_;
  Buffer* data_;
  size_t offsets_size_;
  size_t data_size_;
  bool committed_ = false;
};

// Copies n bytes without a library call for short values (the common case for strings).
inline void CopyBytes(uint8_t* dst, const uint8_t* src, size_t n) {
  if (n > 16) {
    std::memcpy(dst, src, n);
  } else if (n >= 8) {
    uint64_t head = LoadLE<uint64_t>(src);
    uint64_t tail = LoadLE<uint64_t>(src + n - 8);
    StoreLE(dst, head);
    StoreLE(dst + n - 8, tail);
  } else if (n >= 4) {
    uint32_t head = LoadLE<uint32_t>(src);
    uint32_t tail = LoadLE<uint32_t>(src + n - 4);
    StoreLE(dst, head);
    StoreLE(dst + n - 4, tail);
  } else if (n > 0) {
    uint8_t a = src[0], b = src[n / 2], c = src[n - 1];
    dst[0] = a;
    dst[n / 2] = b;
    dst[n - 1] = c;
  }
}

// Copies 32 bytes through registers, so source and destination may overlap.
inline void Copy32(uint8_t* dst, const uint8_t* src) {
#if defined(__SSE2__)
  __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
  __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 16));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), a);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 16), b);
#else
  uint8_t tmp[32];
  std::memcpy(tmp, src, 32);
  std::memcpy(dst, tmp, 32);
#endif
}

Status NegativeCount(const char* encoding) {
  return Status::Corruption(std::string(encoding) + ": negative value count");
}

// Opens the DBP length stream at the start of `src` that must hold at least `count` values;
// sets *end to the stream's end offset.
Status OpenLengths(const char* encoding, const char* what, ByteView src, int64_t count,
                   DeltaBinaryPackedDecoder<int32_t>* dec, size_t* end) {
  std::string ctx = std::string(encoding) + " " + what;
  RETURN_NOT_OK_CTX(dec->Init(src), ctx);
  if (dec->total_count() < count) {
    return Status::Corruption(ctx + ": stream holds " + std::to_string(dec->total_count()) +
                              " values, " + std::to_string(count) + " needed");
  }
  ASSIGN_OR_RETURN(*end, dec->EndOffset());
  return Status::OK();
}

// Decodes exactly n (<= values left, checked by OpenLengths) lengths.
Status NextLengths(const char* encoding, DeltaBinaryPackedDecoder<int32_t>* dec, int32_t* out,
                   int64_t n) {
  RETURN_NOT_OK_CTX(dec->Decode(out, n), encoding);
  return Status::OK();
}

Status NegativeLength(const char* encoding, const char* what, int64_t index, int32_t len) {
  return Status::Corruption(std::string(encoding) + ": " + what + " " + std::to_string(len) +
                            " of value " + std::to_string(index) + " is negative");
}

Status BytesPastEnd(const char* encoding, int64_t index, int64_t avail) {
  return Status::Corruption(std::string(encoding) + ": bytes of value " + std::to_string(index) +
                            " run past the end of the data (" + std::to_string(avail) + " bytes)");
}

}  // namespace

// ---------------------------------------------------------------------------------------
// PLAIN

Result<size_t> DecodePlainByteArray(ByteView src, int64_t count, Buffer* offsets, Buffer* data) {
  constexpr const char* kEnc = "PLAIN BYTE_ARRAY";
  if (count < 0) return NegativeCount(kEnc);
  if (count == 0) return size_t{0};
  const uint8_t* base = src.data();
  const size_t size = src.size();
  if (uint64_t(count) > size / 4) {
    return Status::Corruption(std::string(kEnc) + ": " + std::to_string(count) +
                              " values cannot fit in " + std::to_string(size) + " bytes");
  }
  // One pass. Every value needs its 4 length bytes, so the value bytes total at most
  // size - 4 * count: size `data` for that bound (plus slack for 32-byte copies; no larger than
  // the input), then trim it to the exact total.
  constexpr size_t kSlack = 32;
  OutputGuard guard(offsets, data);
  const size_t data_start = data->size();
  const size_t offsets_start = offsets->size();
  data->Resize(data_start + size - size_t(count) * 4 + kSlack);
  offsets->Resize(offsets_start + size_t(count) * 8);
  uint8_t* const dst = data->data();
  uint8_t* const off = offsets->data() + offsets_start;
  size_t out_pos = data_start;
  size_t pos = 0;  // invariant: size - pos >= 4 * (count - i)
  for (int64_t i = 0; i < count; ++i) {
    uint32_t len = LoadLE<uint32_t>(base + pos);
    pos += 4;
    // The values after this one need at least their length bytes.
    size_t room = size - pos - size_t(count - 1 - i) * 4;
    if (len > room) {
      return Status::Corruption(std::string(kEnc) + ": value " + std::to_string(i) + " of " +
                                std::to_string(count) + " (length " + std::to_string(len) +
                                ") runs past the end of the data");
    }
    if (len <= kSlack && size - pos >= kSlack) {
      std::memcpy(dst + out_pos, base + pos, kSlack);  // fixed size: no branches, no call
    } else {
      CopyBytes(dst + out_pos, base + pos, len);
    }
    pos += len;
    out_pos += len;
    StoreLE(off + 8 * i, int64_t(out_pos));
  }
  data->Resize(out_pos);
  guard.Commit();
  return pos;
}

void EncodePlainByteArray(const int64_t* offsets, const uint8_t* data, int64_t count, Buffer* out) {
  if (count <= 0) return;
  out->Reserve(out->size() + size_t(count) * 4 + size_t(offsets[count] - offsets[0]));
  for (int64_t i = 0; i < count; ++i) {
    int64_t len = offsets[i + 1] - offsets[i];
    DS_DCHECK(len >= 0 && len <= INT32_MAX);
    out->AppendValue(uint32_t(len));
    out->Append(data + offsets[i], size_t(len));
  }
}

// ---------------------------------------------------------------------------------------
// DELTA_LENGTH_BYTE_ARRAY

Result<size_t> DecodeDeltaLengthByteArray(ByteView src, int64_t count, Buffer* offsets,
                                          Buffer* data) {
  constexpr const char* kEnc = "DELTA_LENGTH_BYTE_ARRAY";
  if (count < 0) return NegativeCount(kEnc);
  if (count == 0 && src.empty()) return size_t{0};  // an all-null page without a header
  DeltaBinaryPackedDecoder<int32_t> lengths;
  size_t start;
  RETURN_NOT_OK(OpenLengths(kEnc, "lengths", src, count, &lengths, &start));
  const int64_t avail = int64_t(src.size() - start);
  OutputGuard guard(offsets, data);
  const int64_t base = int64_t(data->size());
  // Offsets grow as lengths validate; non-empty values are bounded by the data size.
  offsets->Reserve(offsets->size() + size_t(std::min(count, avail + 4096)) * 8);
  int32_t buf[kChunk];
  int64_t total = 0;
  for (int64_t done = 0; done < count;) {
    int64_t n = std::min(kChunk, count - done);
    RETURN_NOT_OK(NextLengths(kEnc, &lengths, buf, n));
    size_t off_pos = offsets->size();
    offsets->Resize(off_pos + size_t(n) * 8);
    uint8_t* off = offsets->data() + off_pos;
    for (int64_t i = 0; i < n; ++i) {
      if (buf[i] < 0) return NegativeLength(kEnc, "length", done + i, buf[i]);
      total += buf[i];
      if (total > avail) return BytesPastEnd(kEnc, done + i, avail);
      StoreLE(off + 8 * i, base + total);
    }
    done += n;
  }
  data->Append(src.data() + start, size_t(total));
  guard.Commit();
  return start + size_t(total);
}

void EncodeDeltaLengthByteArray(const int64_t* offsets, const uint8_t* data, int64_t count,
                                Buffer* out) {
  DeltaBinaryPackedEncoder<int32_t> lengths;
  int32_t buf[kChunk];
  for (int64_t done = 0; done < count;) {
    int64_t n = std::min(kChunk, count - done);
    for (int64_t i = 0; i < n; ++i) {
      int64_t len = offsets[done + i + 1] - offsets[done + i];
      DS_DCHECK(len >= 0 && len <= INT32_MAX);
      buf[i] = int32_t(len);
    }
    lengths.Put(buf, n);
    done += n;
  }
  lengths.FinishTo(out);
  if (count > 0) out->Append(data + offsets[0], size_t(offsets[count] - offsets[0]));
}

// ---------------------------------------------------------------------------------------
// DELTA_BYTE_ARRAY

namespace {

constexpr const char* kDba = "DELTA_BYTE_ARRAY";

// The two length streams of a DELTA_BYTE_ARRAY page and where its suffix bytes begin.
struct DbaStreams {
  DeltaBinaryPackedDecoder<int32_t> prefixes;
  DeltaBinaryPackedDecoder<int32_t> suffixes;
  size_t bytes_start = 0;
};

Status OpenDba(ByteView src, int64_t count, DbaStreams* s) {
  size_t prefix_end, suffix_end;
  RETURN_NOT_OK(OpenLengths(kDba, "prefix lengths", src, count, &s->prefixes, &prefix_end));
  RETURN_NOT_OK(OpenLengths(kDba, "suffix lengths", src.subspan(prefix_end), count, &s->suffixes,
                            &suffix_end));
  s->bytes_start = prefix_end + suffix_end;
  return Status::OK();
}

Status PrefixTooLong(int64_t index, int32_t prefix, int64_t prev_len) {
  return Status::Corruption(std::string(kDba) + ": prefix length " + std::to_string(prefix) +
                            " of value " + std::to_string(index) +
                            " exceeds the previous value's length " + std::to_string(prev_len));
}

// Yields the (prefix, suffix) lengths of a DELTA_BYTE_ARRAY page chunk by chunk, validated:
// non-negative, each prefix within the previous value, suffixes within the `avail` suffix bytes.
class DbaLengthChunks {
 public:
  DbaLengthChunks(const DbaStreams& s, int64_t count, int64_t avail)
      : s_(s), count_(count), avail_(avail) {}

  // Decodes and validates the next chunk; returns its size, 0 after the last.
  Result<int64_t> Next() {
    const int64_t n = std::min(kChunk, count_ - done_);
    if (n == 0) return int64_t{0};
    RETURN_NOT_OK(NextLengths(kDba, &s_.prefixes, pre_, n));
    RETURN_NOT_OK(NextLengths(kDba, &s_.suffixes, suf_, n));
    int64_t prev_len = prev_len_;
    int64_t suffix_pos = suffix_pos_;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t index = done_ + i;
      if (pre_[i] < 0) return NegativeLength(kDba, "prefix length", index, pre_[i]);
      if (suf_[i] < 0) return NegativeLength(kDba, "suffix length", index, suf_[i]);
      if (pre_[i] > prev_len) return PrefixTooLong(index, pre_[i], prev_len);
      if (suf_[i] > avail_ - suffix_pos) return BytesPastEnd(kDba, index, avail_);
      suffix_pos += suf_[i];
      prev_len = int64_t{pre_[i]} + suf_[i];
    }
    prev_len_ = prev_len;
    suffix_pos_ = suffix_pos;
    done_ += n;
    return n;
  }
  const int32_t* prefixes() const { return pre_; }
  const int32_t* suffixes() const { return suf_; }

 private:
  DbaStreams s_;
  const int64_t count_;
  const int64_t avail_;
  int64_t done_ = 0;
  int64_t prev_len_ = 0;
  int64_t suffix_pos_ = 0;
  int32_t pre_[kChunk];
  int32_t suf_[kChunk];
};

// The length of the common prefix of a and b.
int32_t CommonPrefix(const uint8_t* a, int64_t a_len, const uint8_t* b, int64_t b_len) {
  int64_t n = std::min(a_len, b_len);
  int64_t i = 0;
  while (i + 8 <= n) {
    uint64_t x = LoadLE<uint64_t>(a + i) ^ LoadLE<uint64_t>(b + i);
    if (x != 0) return int32_t(i + (std::countr_zero(x) >> 3));
    i += 8;
  }
  while (i < n && a[i] == b[i]) ++i;
  return int32_t(i);
}

// value(i) returns {pointer, length}.
template <typename ValueAt>
void EncodeDba(int64_t count, ValueAt&& value, Buffer* out) {
  DeltaBinaryPackedEncoder<int32_t> prefixes;
  DeltaBinaryPackedEncoder<int32_t> suffixes;
  std::vector<int32_t> prefix_of(size_t(std::max<int64_t>(count, 0)));
  int32_t pre[kChunk];
  int32_t suf[kChunk];
  const uint8_t* prev = nullptr;
  int64_t prev_len = 0;
  for (int64_t done = 0; done < count;) {
    int64_t n = std::min(kChunk, count - done);
    for (int64_t i = 0; i < n; ++i) {
      auto [p, len] = value(done + i);
      DS_DCHECK(len >= 0 && len <= INT32_MAX);
      int32_t common = prev_len == 0 ? 0 : CommonPrefix(prev, prev_len, p, len);
      pre[i] = common;
      suf[i] = int32_t(len - common);
      prefix_of[size_t(done + i)] = common;
      prev = p;
      prev_len = len;
    }
    prefixes.Put(pre, n);
    suffixes.Put(suf, n);
    done += n;
  }
  prefixes.FinishTo(out);
  suffixes.FinishTo(out);
  for (int64_t i = 0; i < count; ++i) {
    auto [p, len] = value(i);
    int32_t common = prefix_of[size_t(i)];
    out->Append(p + common, size_t(len - common));
  }
}

}  // namespace

Result<size_t> DecodeDeltaByteArray(ByteView src, int64_t count, Buffer* offsets, Buffer* data) {
  if (count < 0) return NegativeCount(kDba);
  if (count == 0 && src.empty()) return size_t{0};  // an all-null page without a header
  DbaStreams streams;
  RETURN_NOT_OK(OpenDba(src, count, &streams));
  const uint8_t* const suffix_bytes = src.data() + streams.bytes_start;
  const int64_t avail = int64_t(src.size() - streams.bytes_start);

  // Pass 1: validate and size the output.
  int64_t out_total = 0;
  {
    DbaLengthChunks lengths(streams, count, avail);
    for (;;) {
      ASSIGN_OR_RETURN(int64_t n, lengths.Next());
      if (n == 0) break;
      for (int64_t i = 0; i < n; ++i) {
        out_total += int64_t{lengths.prefixes()[i]} + lengths.suffixes()[i];
      }
      if (out_total > kMaxDeltaByteArrayDecodedBytes) {
        return Status::ResourceExhausted(std::string(kDba) + ": page decodes to more than " +
                                         std::to_string(kMaxDeltaByteArrayDecodedBytes) + " bytes");
      }
    }
  }

  // Pass 2: assemble. `data` gets 32 bytes of slack for fixed-size copies of short values,
  // trimmed at the end.
  constexpr int64_t kSlack = 32;
  OutputGuard guard(offsets, data);
  const size_t data_start = data->size();
  const size_t offsets_start = offsets->size();
  data->Resize(data_start + size_t(out_total + kSlack));
  offsets->Resize(offsets_start + size_t(count) * 8);
  uint8_t* const dst = data->data();
  uint8_t* off = offsets->data() + offsets_start;
  int64_t prev_start = int64_t(data_start);
  int64_t cur = int64_t(data_start);
  int64_t suffix_pos = 0;
  DbaLengthChunks lengths(streams, count, avail);
  for (;;) {
    ASSIGN_OR_RETURN(int64_t n, lengths.Next());
    if (n == 0) break;
    const int32_t* pre = lengths.prefixes();
    const int32_t* suf = lengths.suffixes();
    for (int64_t i = 0; i < n; ++i) {
      const int64_t prefix = pre[i];
      const int64_t suffix = suf[i];
      // The prefix lies in the previous value, which ends at cur.
      if (prefix > 0) {
        if (prefix <= kSlack) {
          Copy32(dst + cur, dst + prev_start);
        } else {
          CopyBytes(dst + cur, dst + prev_start, size_t(prefix));
        }
      }
      if (suffix <= kSlack && avail - suffix_pos >= kSlack) {
        Copy32(dst + cur + prefix, suffix_bytes + suffix_pos);
      } else {
        CopyBytes(dst + cur + prefix, suffix_bytes + suffix_pos, size_t(suffix));
      }
      suffix_pos += suffix;
      prev_start = cur;
      cur += prefix + suffix;
      StoreLE(off, cur);
      off += 8;
    }
  }
  data->Resize(size_t(cur));
  guard.Commit();
  return streams.bytes_start + size_t(suffix_pos);
}

Result<size_t> DecodeDeltaByteArrayFixed(ByteView src, int64_t count, int width, uint8_t* out) {
  if (width <= 0) {
    return Status::InvalidArgument(std::string(kDba) + ": fixed width " + std::to_string(width) +
                                   " must be positive");
  }
  if (count < 0) return NegativeCount(kDba);
  if (count == 0 && src.empty()) return size_t{0};  // an all-null page without a header
  DbaStreams streams;
  RETURN_NOT_OK(OpenDba(src, count, &streams));
  const uint8_t* const suffix_bytes = src.data() + streams.bytes_start;
  const int64_t avail = int64_t(src.size() - streams.bytes_start);
  DbaLengthChunks lengths(streams, count, avail);
  int64_t suffix_pos = 0;
  uint8_t* v = out;
  for (int64_t done = 0;;) {
    ASSIGN_OR_RETURN(int64_t n, lengths.Next());
    if (n == 0) break;
    for (int64_t i = 0; i < n; ++i, v += width) {
      const int64_t prefix = lengths.prefixes()[i];
      const int64_t suffix = lengths.suffixes()[i];
      if (prefix + suffix != width) {
        return Status::Corruption(std::string(kDba) + ": value " + std::to_string(done + i) +
                                  " has length " + std::to_string(prefix + suffix) +
                                  ", FIXED_LEN_BYTE_ARRAY width is " + std::to_string(width));
      }
      CopyBytes(v, v - width, size_t(prefix));  // prefix > 0 only from the second value on
      CopyBytes(v + prefix, suffix_bytes + suffix_pos, size_t(suffix));
      suffix_pos += suffix;
    }
    done += n;
  }
  return streams.bytes_start + size_t(suffix_pos);
}

void EncodeDeltaByteArray(const int64_t* offsets, const uint8_t* data, int64_t count, Buffer* out) {
  EncodeDba(
      count,
      [&](int64_t i) {
        return std::pair<const uint8_t*, int64_t>(data + offsets[i], offsets[i + 1] - offsets[i]);
      },
      out);
}

void EncodeDeltaByteArrayFixed(const uint8_t* values, int64_t count, int width, Buffer* out) {
  EncodeDba(
      count,
      [&](int64_t i) { return std::pair<const uint8_t*, int64_t>(values + i * width, width); },
      out);
}

}  // namespace ds::parquet
