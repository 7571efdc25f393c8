#include "parquet/value_decoder.h"

#include <cmath>
#include <cstring>

#include "parquet/encoding/byte_array.h"
#include "parquet/encoding/byte_stream_split.h"
#include "parquet/encoding/delta_binary_packed.h"
#include "parquet/encoding/plain_bool.h"
#include "parquet/encoding/rle.h"
#include "parquet/physical.h"
#include "util/bytes.h"
#include "util/civil_time.h"
#include "util/decimal.h"

namespace ds::parquet {
namespace {

using columnar::TypeId;
using format::Encoding;
using format::Type;

int PhysicalWidth(const ColumnDescriptor& c) {
  switch (c.physical_type) {
    case Type::BOOLEAN:
      return 1;
    case Type::INT32:
    case Type::FLOAT:
      return 4;
    case Type::INT64:
    case Type::DOUBLE:
      return 8;
    case Type::INT96:
      return 12;
    case Type::FIXED_LEN_BYTE_ARRAY:
      return c.type_length;
    default:
      return 0;
  }
}

}  // namespace

ValueDecoder::ValueDecoder(const ColumnDescriptor& column) : column_(column) {
  physical_width_ = PhysicalWidth(column);
  final_width_ = column.type->id == TypeId::kBool ? 1 : columnar::FixedWidth(*column.type);
  TypeId id = column.type->id;
  Type p = column.physical_type;
  bool identity = (p == Type::BOOLEAN && id == TypeId::kBool) ||
                  (p == Type::BYTE_ARRAY && columnar::IsVarBinary(id)) ||
                  (p != Type::BYTE_ARRAY && p != Type::INT96 && id != TypeId::kDecimal &&
                   id != TypeId::kNull && physical_width_ == final_width_ &&
                   !(p == Type::FIXED_LEN_BYTE_ARRAY && id == TypeId::kFloat32));
  needs_conversion_ = !identity;
}

Status ValueDecoder::Corrupt(const std::string& what) const {
  return Status::Corruption("parquet column '" + column_.PathString() + "': " + what);
}

namespace {
// Bytes GatherDictionary may copy past a string's end (see SetDictionary).
constexpr size_t kGatherSlack = 16;
}  // namespace

Status ValueDecoder::SetDictionary(ByteView body, int64_t num_values) {
  if (has_dictionary_) return Corrupt("more than one dictionary page");
  if (num_values < 0) return Corrupt("negative dictionary size");
  if (column_.physical_type == Type::BOOLEAN) return Corrupt("dictionary on a boolean column");
  DenseValues dict;
  RETURN_NOT_OK(StartPage(Encoding::PLAIN, body, num_values));
  RETURN_NOT_OK(Next(num_values, &dict.values, &dict.offsets));
  if (columnar::IsVarBinary(column_.type->id) && dict.offsets.empty())
    dict.offsets.AppendValue<int64_t>(0);
  dict.count = num_values;
  // Slack after the last value lets GatherDictionary copy short strings with one fixed-size
  // copy (reading a few bytes past a value but never past the allocation).
  dict.values.Reserve(dict.values.size() + kGatherSlack);
  dictionary_ = std::move(dict);
  has_dictionary_ = true;
  return Status::OK();
}

Status ValueDecoder::StartPage(Encoding encoding, ByteView data, int64_t count) {
  if (count < 0) return Corrupt("negative value count");
  data_ = data;
  pos_ = 0;
  left_ = count;
  taken_ = 0;
  const Type p = column_.physical_type;
  const int w = physical_width_;
  auto unsupported = [&] {
    return Status::NotSupported("parquet: encoding " + std::string(format::EncodingName(encoding)) +
                                " is not supported for column '" + column_.PathString() +
                                "' of type " + std::string(format::TypeName(p)));
  };
  switch (encoding) {
    case Encoding::PLAIN:
      if (p == Type::BOOLEAN) {
        mode_ = Mode::kPlainBool;
        if (static_cast<int64_t>(data.size()) < (count + 7) / 8)
          return Corrupt("PLAIN booleans run past the page");
      } else if (p == Type::BYTE_ARRAY) {
        mode_ = Mode::kPlainBytes;
      } else {
        mode_ = Mode::kPlainFixed;
        if (static_cast<int64_t>(data.size()) / w < count)
          return Corrupt("PLAIN data holds fewer than " + std::to_string(count) + " values");
      }
      return Status::OK();
    case Encoding::PLAIN_DICTIONARY:
    case Encoding::RLE_DICTIONARY: {
      if (!has_dictionary_) return Corrupt("dictionary-encoded page without a dictionary");
      mode_ = Mode::kDictionary;
      if (count == 0) return Status::OK();
      if (data.empty()) return Corrupt("dictionary-encoded page without data");
      if (data[0] > 32) return Corrupt("dictionary index bit width " + std::to_string(data[0]));
      ASSIGN_OR_RETURN(rle_, RleBitPackedDecoder::Make(data.subspan(1), data[0]));
      return Status::OK();
    }
    case Encoding::RLE: {
      if (p != Type::BOOLEAN) return unsupported();
      if (data.size() < 4) return Corrupt("RLE boolean data without a length prefix");
      uint32_t len = LoadLE<uint32_t>(data.data());
      if (len > data.size() - 4) return Corrupt("RLE boolean length prefix past the page");
      ASSIGN_OR_RETURN(rle_, RleBitPackedDecoder::Make(data.subspan(4, len), 1));
      mode_ = Mode::kRleBool;
      return Status::OK();
    }
    case Encoding::DELTA_BINARY_PACKED:
      if (p == Type::INT32) {
        mode_ = Mode::kDbp32;
        return count == 0 && data.empty() ? Status::OK() : dbp32_.Init(data);
      }
      if (p == Type::INT64) {
        mode_ = Mode::kDbp64;
        return count == 0 && data.empty() ? Status::OK() : dbp64_.Init(data);
      }
      return unsupported();
    case Encoding::BYTE_STREAM_SPLIT:
      if (p == Type::BOOLEAN || p == Type::BYTE_ARRAY || p == Type::INT96) return unsupported();
      if (static_cast<int64_t>(data.size()) != count * w)
        return Corrupt("BYTE_STREAM_SPLIT data is " + std::to_string(data.size()) + " bytes for " +
                       std::to_string(count) + " values");
      mode_ = Mode::kBss;
      return Status::OK();
    case Encoding::DELTA_LENGTH_BYTE_ARRAY:
      if (p != Type::BYTE_ARRAY) return unsupported();
      return BufferWholePage(encoding, data, count);
    case Encoding::DELTA_BYTE_ARRAY:
      if (p != Type::BYTE_ARRAY && p != Type::FIXED_LEN_BYTE_ARRAY) return unsupported();
      return BufferWholePage(encoding, data, count);
    default:
      return unsupported();
  }
}

Status ValueDecoder::BufferWholePage(Encoding encoding, ByteView data, int64_t count) {
  buffered_ = DenseValues();
  if (column_.physical_type == Type::BYTE_ARRAY) {
    buffered_.offsets.AppendValue<int64_t>(0);
    if (encoding == Encoding::DELTA_LENGTH_BYTE_ARRAY) {
      ASSIGN_OR_RETURN(size_t used, DecodeDeltaLengthByteArray(data, count, &buffered_.offsets,
                                                               &buffered_.values));
      (void)used;
    } else {
      ASSIGN_OR_RETURN(size_t used,
                       DecodeDeltaByteArray(data, count, &buffered_.offsets, &buffered_.values));
      (void)used;
    }
  } else {
    buffered_.values.Resize(static_cast<size_t>(count * physical_width_));
    ASSIGN_OR_RETURN(size_t used, DecodeDeltaByteArrayFixed(data, count, physical_width_,
                                                            buffered_.values.data()));
    (void)used;
  }
  buffered_.count = count;
  mode_ = Mode::kBuffered;
  return Status::OK();
}

Status ValueDecoder::Next(int64_t n, Buffer* values, Buffer* offsets) {
  if (n < 0 || n > left_) return Corrupt("the page holds fewer values than its levels announce");
  const bool var = columnar::IsVarBinary(column_.type->id);
  if (var && offsets->empty()) offsets->AppendValue<int64_t>(0);
  if (n == 0) return Status::OK();
  if (mode_ == Mode::kDictionary) {
    RETURN_NOT_OK(GatherDictionary(n, values, offsets));
  } else if (!needs_conversion_) {
    RETURN_NOT_OK(NextPhysical(n, values, offsets));
  } else {
    scratch_.values.Clear();
    scratch_.offsets.Clear();
    if (column_.physical_type == Type::BYTE_ARRAY) scratch_.offsets.AppendValue<int64_t>(0);
    RETURN_NOT_OK(NextPhysical(n, &scratch_.values, &scratch_.offsets));
    RETURN_NOT_OK(Convert(scratch_.values.data(), scratch_.offsets.data_as<int64_t>(), n, values));
  }
  left_ -= n;
  taken_ += n;
  return Status::OK();
}

Status ValueDecoder::NextPhysical(int64_t n, Buffer* values, Buffer* offsets) {
  const int w = physical_width_;
  auto grow = [&](int64_t bytes) {
    size_t old = values->size();
    values->Resize(old + static_cast<size_t>(bytes));
    return values->data() + old;
  };
  switch (mode_) {
    case Mode::kPlainFixed: {
      size_t bytes = static_cast<size_t>(n * w);
      std::memcpy(grow(n * w), data_.data() + pos_, bytes);
      pos_ += bytes;
      return Status::OK();
    }
    case Mode::kPlainBytes: {
      ASSIGN_OR_RETURN(size_t used, DecodePlainByteArray(data_.subspan(pos_), n, offsets, values));
      pos_ += used;
      return Status::OK();
    }
    case Mode::kPlainBool:
      RETURN_NOT_OK(DecodePlainBooleans(data_, static_cast<int64_t>(pos_), n, grow(n)));
      pos_ += static_cast<size_t>(n);
      return Status::OK();
    case Mode::kRleBool: {
      ASSIGN_OR_RETURN(int64_t got, rle_.GetBatch(grow(n), n));
      if (got != n) return Corrupt("RLE boolean data holds too few values");
      return Status::OK();
    }
    case Mode::kDbp32: {
      ASSIGN_OR_RETURN(int64_t got, dbp32_.Decode(reinterpret_cast<int32_t*>(grow(n * 4)), n));
      if (got != n) return Corrupt("DELTA_BINARY_PACKED holds too few values");
      return Status::OK();
    }
    case Mode::kDbp64: {
      ASSIGN_OR_RETURN(int64_t got, dbp64_.Decode(reinterpret_cast<int64_t*>(grow(n * 8)), n));
      if (got != n) return Corrupt("DELTA_BINARY_PACKED holds too few values");
      return Status::OK();
    }
    case Mode::kBss:
      return DecodeByteStreamSplitRange(data_, taken_ + left_, w, taken_, n, grow(n * w));
    case Mode::kBuffered: {
      if (taken_ + n > buffered_.count)
        return Corrupt("the page holds fewer values than announced");
      if (column_.physical_type == Type::BYTE_ARRAY) {
        const int64_t* src = buffered_.offsets.data_as<int64_t>();
        int64_t base = offsets->data_as<int64_t>()[offsets->size() / 8 - 1] - src[taken_];
        size_t pos = offsets->size();
        offsets->Resize(pos + static_cast<size_t>(n) * 8);
        int64_t* dst = reinterpret_cast<int64_t*>(offsets->data() + pos);
        for (int64_t i = 0; i < n; ++i) dst[i] = src[taken_ + i + 1] + base;
        values->Append(buffered_.values.data() + src[taken_],
                       static_cast<size_t>(src[taken_ + n] - src[taken_]));
      } else {
        std::memcpy(grow(n * w), buffered_.values.data() + taken_ * w, static_cast<size_t>(n * w));
      }
      return Status::OK();
    }
    case Mode::kDictionary:
      break;
  }
  return Status::Internal("bad decoder mode");
}

Status ValueDecoder::GatherDictionary(int64_t n, Buffer* values, Buffer* offsets) {
  const int64_t dict_size = dictionary_.count;
  if (columnar::IsVarBinary(column_.type->id)) {
    indices_.resize(static_cast<size_t>(n));
    ASSIGN_OR_RETURN(int64_t got, rle_.GetBatch(indices_.data(), n));
    if (got != n) return Corrupt("dictionary indices hold too few values");
    const int64_t* doff = dictionary_.offsets.data_as<int64_t>();
    const uint8_t* dbytes = dictionary_.values.data();
    size_t total = 0;
    for (int64_t i = 0; i < n; ++i) {
      uint32_t k = indices_[i];
      if (k >= dict_size) return Corrupt("dictionary index " + std::to_string(k) + " out of range");
      total += static_cast<size_t>(doff[k + 1] - doff[k]);
    }
    size_t pos = values->size();
    values->Reserve(pos + total + kGatherSlack);
    values->Resize(pos + total);
    size_t opos = offsets->size();
    offsets->Resize(opos + static_cast<size_t>(n) * 8);
    int64_t* offs = reinterpret_cast<int64_t*>(offsets->data() + opos);
    uint8_t* dst = values->data();
    for (int64_t i = 0; i < n; ++i) {
      uint32_t k = indices_[i];
      size_t len = static_cast<size_t>(doff[k + 1] - doff[k]);
      if (len <= kGatherSlack) {
        std::memcpy(dst + pos, dbytes + doff[k], kGatherSlack);  // both sides have the slack
      } else {
        std::memcpy(dst + pos, dbytes + doff[k], len);
      }
      pos += len;
      offs[i] = static_cast<int64_t>(pos);
    }
    return Status::OK();
  }
  const int w = final_width_;
  size_t old = values->size();
  values->Resize(old + static_cast<size_t>(n * w));
  uint8_t* dst = values->data() + old;
  const uint8_t* dict = dictionary_.values.data();
  switch (w) {
    case 4:
      return rle_.GetBatchWithDictionary(reinterpret_cast<const uint32_t*>(dict), dict_size,
                                         reinterpret_cast<uint32_t*>(dst), n);
    case 8:
      return rle_.GetBatchWithDictionary(reinterpret_cast<const uint64_t*>(dict), dict_size,
                                         reinterpret_cast<uint64_t*>(dst), n);
    default: {
      indices_.resize(static_cast<size_t>(n));
      ASSIGN_OR_RETURN(int64_t got, rle_.GetBatch(indices_.data(), n));
      if (got != n) return Corrupt("dictionary indices hold too few values");
      for (int64_t i = 0; i < n; ++i) {
        uint32_t k = indices_[i];
        if (k >= dict_size)
          return Corrupt("dictionary index " + std::to_string(k) + " out of range");
        if (w) std::memcpy(dst + i * w, dict + static_cast<size_t>(k) * w, static_cast<size_t>(w));
      }
      return Status::OK();
    }
  }
}

Status ValueDecoder::Convert(const uint8_t* src, const int64_t* in_offsets, int64_t n,
                             Buffer* out) {
  const TypeId id = column_.type->id;
  const Type p = column_.physical_type;
  if (id == TypeId::kNull) return Status::OK();  // UNKNOWN columns: values are dropped
  size_t old = out->size();
  out->Resize(old + static_cast<size_t>(n * final_width_));
  uint8_t* dst = out->data() + old;
  if (id == TypeId::kDecimal && (p == Type::INT32 || p == Type::INT64)) {
    // The hot case (Spark writes decimal(p<=18) as INT64): one typed loop, the precision check
    // in 64 bits, and the sign extension to 128 bits as two 64-bit words.
    const int128_t max128 = MaxUnscaled(column_.type->precision);
    const int64_t max = max128 > INT64_MAX ? INT64_MAX : static_cast<int64_t>(max128);
    bool out_of_range = false;
    auto widen = [&](int64_t v, uint8_t* to) {
      out_of_range |= v > max || v < -max;
      const int64_t hi = v < 0 ? -1 : 0;
      std::memcpy(to, &v, 8);
      std::memcpy(to + 8, &hi, 8);
    };
    if (p == Type::INT32) {
      for (int64_t i = 0; i < n; ++i) widen(LoadLE<int32_t>(src + i * 4), dst + i * 16);
    } else {
      for (int64_t i = 0; i < n; ++i) widen(LoadLE<int64_t>(src + i * 8), dst + i * 16);
    }
    if (out_of_range) return Corrupt("decimal value exceeds its precision");
  } else if (id == TypeId::kDecimal) {
    const int128_t max = MaxUnscaled(column_.type->precision);
    for (int64_t i = 0; i < n; ++i) {
      int128_t v;
      if (p == Type::FIXED_LEN_BYTE_ARRAY) {
        if (!BigEndianToInt128(src + i * physical_width_, static_cast<size_t>(physical_width_), &v))
          return Corrupt("decimal value overflows 128 bits");
      } else {
        const int64_t* o = in_offsets;
        if (!BigEndianToInt128(src + o[i], static_cast<size_t>(o[i + 1] - o[i]), &v))
          return Corrupt("decimal value overflows 128 bits");
      }
      if (v > max || v < -max) return Corrupt("decimal value exceeds its precision");
      std::memcpy(dst + i * 16, &v, 16);
    }
  } else if (p == Type::INT96) {
    for (int64_t i = 0; i < n; ++i) {
      int64_t micros;
      if (!Int96ToMicros(src + i * 12, &micros))
        return Corrupt("INT96 timestamp (Julian day " +
                       std::to_string(LoadLE<int32_t>(src + i * 12 + 8)) +
                       ") is outside the range of 64-bit microseconds");
      StoreLE<int64_t>(dst + i * 8, micros);
    }
  } else if (p == Type::FIXED_LEN_BYTE_ARRAY && id == TypeId::kFloat32) {
    for (int64_t i = 0; i < n; ++i)
      StoreLE<float>(dst + i * 4, HalfToFloat(LoadLE<uint16_t>(src + i * 2)));
  } else if (p == Type::INT32) {
    for (int64_t i = 0; i < n; ++i) {
      int32_t v = LoadLE<int32_t>(src + i * 4);
      switch (id) {
        case TypeId::kInt8:
          dst[i] = static_cast<uint8_t>(static_cast<int8_t>(v));
          break;
        case TypeId::kUInt8:
          dst[i] = static_cast<uint8_t>(v);
          break;
        case TypeId::kInt16:
          StoreLE<int16_t>(dst + i * 2, static_cast<int16_t>(v));
          break;
        case TypeId::kUInt16:
          StoreLE<uint16_t>(dst + i * 2, static_cast<uint16_t>(v));
          break;
        default:
          return Status::Internal("unexpected INT32 conversion to " + column_.type->ToString());
      }
    }
  } else {
    return Status::Internal("no conversion from " + std::string(format::TypeName(p)) + " to " +
                            column_.type->ToString());
  }
  return Status::OK();
}

}  // namespace ds::parquet
