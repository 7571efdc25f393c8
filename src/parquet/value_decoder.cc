#include "parquet/value_decoder.h"

#include <cmath>
#include <cstring>

#include "parquet/encoding/byte_array.h"
#include "parquet/encoding/byte_stream_split.h"
#include "parquet/encoding/delta_binary_packed.h"
#include "parquet/encoding/plain_bool.h"
#include "parquet/encoding/rle.h"
#include "util/bytes.h"
#include "util/civil_time.h"
#include "util/decimal.h"

namespace ds::parquet {
namespace {

using columnar::TypeId;
using format::Encoding;
using format::Type;

Status Corrupt(const ColumnDescriptor& c, const std::string& what) {
  return Status::Corruption("parquet column '" + c.PathString() + "': " + what);
}

int PhysicalWidth(const ColumnDescriptor& c) {
  switch (c.physical_type) {
    case Type::BOOLEAN: return 1;
    case Type::INT32:
    case Type::FLOAT: return 4;
    case Type::INT64:
    case Type::DOUBLE: return 8;
    case Type::INT96: return 12;
    case Type::FIXED_LEN_BYTE_ARRAY: return c.type_length;
    default: return 0;
  }
}

// Sign-extends big-endian two's complement bytes into an int128. Corruption if it overflows.
bool BigEndianToInt128(const uint8_t* p, size_t n, int128_t* out) {
  if (n == 0) {
    *out = 0;
    return true;
  }
  // Bytes beyond 16 must be pure sign extension.
  size_t skip = n > 16 ? n - 16 : 0;
  uint8_t sign = (p[0] & 0x80) ? 0xFF : 0x00;
  for (size_t i = 0; i < skip; ++i)
    if (p[i] != sign) return false;
  if (skip > 0 && ((p[skip] ^ sign) & 0x80)) return false;
  unsigned __int128 v = sign ? ~static_cast<unsigned __int128>(0) : 0;
  for (size_t i = skip; i < n; ++i) v = (v << 8) | p[i];
  *out = static_cast<int128_t>(v);
  return true;
}

float HalfToFloat(uint16_t h) {
  uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1F, frac = h & 0x3FF;
  float v;
  if (exp == 0) v = std::ldexp(static_cast<float>(frac), -24);
  else if (exp == 31) v = frac ? std::nanf("") : INFINITY;
  else v = std::ldexp(static_cast<float>(frac | 0x400), static_cast<int>(exp) - 25);
  return sign ? -v : v;
}

constexpr int64_t kJulianEpochDay = 2440588;

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

Status ValueDecoder::SetDictionary(ByteView body, int64_t num_values) {
  if (has_dictionary_) return Corrupt(column_, "more than one dictionary page");
  if (num_values < 0) return Corrupt(column_, "negative dictionary size");
  if (column_.physical_type == Type::BOOLEAN) return Corrupt(column_, "dictionary on a boolean column");
  DenseValues dict;
  RETURN_NOT_OK(Decode(Encoding::PLAIN, body, num_values, &dict));
  dictionary_ = std::move(dict);
  has_dictionary_ = true;
  return Status::OK();
}

Status ValueDecoder::Decode(Encoding encoding, ByteView data, int64_t count, DenseValues* out) {
  if (count < 0) return Corrupt(column_, "negative value count");
  if (encoding == Encoding::PLAIN_DICTIONARY || encoding == Encoding::RLE_DICTIONARY)
    return DecodeDictionaryIndices(data, count, out);
  if (!needs_conversion_) return DecodePhysical(encoding, data, count, out);
  scratch_.count = 0;
  scratch_.values.Clear();
  scratch_.offsets.Clear();
  RETURN_NOT_OK(DecodePhysical(encoding, data, count, &scratch_));
  return Convert(&scratch_, out);
}

Status ValueDecoder::DecodePhysical(Encoding encoding, ByteView data, int64_t count, DenseValues* out) {
  const Type p = column_.physical_type;
  const int w = physical_width_;
  auto need_fixed = [&](int64_t bytes_per_value) -> Result<uint8_t*> {
    size_t old = out->values.size();
    out->values.Resize(old + static_cast<size_t>(count * bytes_per_value));
    return out->values.data() + old;
  };
  if (p == Type::BYTE_ARRAY && out->offsets.empty()) out->offsets.AppendValue<int64_t>(0);
  switch (encoding) {
    case Encoding::PLAIN: {
      if (p == Type::BYTE_ARRAY) {
        ASSIGN_OR_RETURN(size_t used, DecodePlainByteArray(data, count, &out->offsets, &out->values));
        (void)used;
        break;
      }
      if (p == Type::BOOLEAN) {
        ASSIGN_OR_RETURN(uint8_t * dst, need_fixed(1));
        RETURN_NOT_OK(DecodePlainBooleans(data, 0, count, dst));
        break;
      }
      if (static_cast<int64_t>(data.size()) / w < count)
        return Corrupt(column_, "PLAIN data holds fewer than " + std::to_string(count) + " values");
      ASSIGN_OR_RETURN(uint8_t * dst, need_fixed(w));
      if (count > 0) std::memcpy(dst, data.data(), static_cast<size_t>(count * w));
      break;
    }
    case Encoding::RLE: {
      if (p != Type::BOOLEAN) return Status::NotSupported("parquet: RLE values on a non-boolean column '" + column_.PathString() + "'");
      if (data.size() < 4) return Corrupt(column_, "RLE boolean data without a length prefix");
      uint32_t len = LoadLE<uint32_t>(data.data());
      if (len > data.size() - 4) return Corrupt(column_, "RLE boolean length prefix past the page");
      ASSIGN_OR_RETURN(auto dec, RleBitPackedDecoder::Make(data.subspan(4, len), 1));
      ASSIGN_OR_RETURN(uint8_t * dst, need_fixed(1));
      ASSIGN_OR_RETURN(int64_t got, dec.GetBatch(dst, count));
      if (got != count) return Corrupt(column_, "RLE boolean data holds too few values");
      break;
    }
    case Encoding::DELTA_BINARY_PACKED: {
      if (p == Type::INT32) {
        DeltaBinaryPackedDecoder<int32_t> dec;
        RETURN_NOT_OK(dec.Init(data));
        ASSIGN_OR_RETURN(uint8_t * dst, need_fixed(4));
        ASSIGN_OR_RETURN(int64_t got, dec.Decode(reinterpret_cast<int32_t*>(dst), count));
        if (got != count) return Corrupt(column_, "DELTA_BINARY_PACKED holds too few values");
      } else if (p == Type::INT64) {
        DeltaBinaryPackedDecoder<int64_t> dec;
        RETURN_NOT_OK(dec.Init(data));
        ASSIGN_OR_RETURN(uint8_t * dst, need_fixed(8));
        ASSIGN_OR_RETURN(int64_t got, dec.Decode(reinterpret_cast<int64_t*>(dst), count));
        if (got != count) return Corrupt(column_, "DELTA_BINARY_PACKED holds too few values");
      } else {
        return Status::NotSupported("parquet: DELTA_BINARY_PACKED on column '" + column_.PathString() + "' of type " + std::string(format::TypeName(p)));
      }
      break;
    }
    case Encoding::DELTA_LENGTH_BYTE_ARRAY: {
      if (p != Type::BYTE_ARRAY) return Status::NotSupported("parquet: DELTA_LENGTH_BYTE_ARRAY on non-binary column '" + column_.PathString() + "'");
      ASSIGN_OR_RETURN(size_t used, DecodeDeltaLengthByteArray(data, count, &out->offsets, &out->values));
      (void)used;
      break;
    }
    case Encoding::DELTA_BYTE_ARRAY: {
      if (p == Type::BYTE_ARRAY) {
        ASSIGN_OR_RETURN(size_t used, DecodeDeltaByteArray(data, count, &out->offsets, &out->values));
        (void)used;
      } else if (p == Type::FIXED_LEN_BYTE_ARRAY) {
        ASSIGN_OR_RETURN(uint8_t * dst, need_fixed(w));
        ASSIGN_OR_RETURN(size_t used, DecodeDeltaByteArrayFixed(data, count, w, dst));
        (void)used;
      } else {
        return Status::NotSupported("parquet: DELTA_BYTE_ARRAY on column '" + column_.PathString() + "'");
      }
      break;
    }
    case Encoding::BYTE_STREAM_SPLIT: {
      if (p == Type::BOOLEAN || p == Type::BYTE_ARRAY || p == Type::INT96)
        return Status::NotSupported("parquet: BYTE_STREAM_SPLIT on column '" + column_.PathString() + "'");
      ASSIGN_OR_RETURN(uint8_t * dst, need_fixed(w));
      RETURN_NOT_OK(DecodeByteStreamSplit(data, count, w, dst));
      break;
    }
    default:
      return Status::NotSupported("parquet: unsupported encoding " +
                                  std::string(format::EncodingName(encoding)) + " in column '" +
                                  column_.PathString() + "'");
  }
  out->count += count;
  return Status::OK();
}

Status ValueDecoder::DecodeDictionaryIndices(ByteView data, int64_t count, DenseValues* out) {
  if (!has_dictionary_) return Corrupt(column_, "dictionary-encoded page without a dictionary");
  if (count == 0) return Status::OK();
  if (data.empty()) return Corrupt(column_, "dictionary page data is empty");
  int bit_width = data[0];
  if (bit_width > 32) return Corrupt(column_, "dictionary index bit width " + std::to_string(bit_width));
  ASSIGN_OR_RETURN(auto dec, RleBitPackedDecoder::Make(data.subspan(1), bit_width));
  const int64_t dict_size = dictionary_.count;
  if (columnar::IsVarBinary(column_.type->id)) {
    indices_.resize(static_cast<size_t>(count));
    ASSIGN_OR_RETURN(int64_t got, dec.GetBatch(indices_.data(), count));
    if (got != count) return Corrupt(column_, "dictionary indices hold too few values");
    const int64_t* doff = dictionary_.offsets.data_as<int64_t>();
    const uint8_t* dbytes = dictionary_.values.data();
    if (out->offsets.empty()) out->offsets.AppendValue<int64_t>(0);
    size_t total = 0;
    for (int64_t i = 0; i < count; ++i) {
      uint32_t k = indices_[i];
      if (k >= dict_size) return Corrupt(column_, "dictionary index " + std::to_string(k) + " out of range");
      total += static_cast<size_t>(doff[k + 1] - doff[k]);
    }
    size_t pos = out->values.size();
    out->values.Resize(pos + total);
    size_t opos = out->offsets.size();
    out->offsets.Resize(opos + static_cast<size_t>(count) * 8);
    int64_t* offs = reinterpret_cast<int64_t*>(out->offsets.data() + opos);
    uint8_t* dst = out->values.data();
    for (int64_t i = 0; i < count; ++i) {
      uint32_t k = indices_[i];
      size_t len = static_cast<size_t>(doff[k + 1] - doff[k]);
      if (len) std::memcpy(dst + pos, dbytes + doff[k], len);
      pos += len;
      offs[i] = static_cast<int64_t>(pos);
    }
    out->count += count;
    return Status::OK();
  }
  const int w = final_width_;
  size_t old = out->values.size();
  out->values.Resize(old + static_cast<size_t>(count * w));
  uint8_t* dst = out->values.data() + old;
  const uint8_t* dict = dictionary_.values.data();
  switch (w) {
    case 4:
      RETURN_NOT_OK(dec.GetBatchWithDictionary(reinterpret_cast<const uint32_t*>(dict), dict_size,
                                               reinterpret_cast<uint32_t*>(dst), count));
      break;
    case 8:
      RETURN_NOT_OK(dec.GetBatchWithDictionary(reinterpret_cast<const uint64_t*>(dict), dict_size,
                                               reinterpret_cast<uint64_t*>(dst), count));
      break;
    default: {
      indices_.resize(static_cast<size_t>(count));
      ASSIGN_OR_RETURN(int64_t got, dec.GetBatch(indices_.data(), count));
      if (got != count) return Corrupt(column_, "dictionary indices hold too few values");
      for (int64_t i = 0; i < count; ++i) {
        uint32_t k = indices_[i];
        if (k >= dict_size) return Corrupt(column_, "dictionary index " + std::to_string(k) + " out of range");
        if (w) std::memcpy(dst + i * w, dict + static_cast<size_t>(k) * w, static_cast<size_t>(w));
      }
    }
  }
  out->count += count;
  return Status::OK();
}

Status ValueDecoder::Convert(DenseValues* in, DenseValues* out) {
  const int64_t n = in->count;
  const TypeId id = column_.type->id;
  const Type p = column_.physical_type;
  if (id == TypeId::kNull) return Status::OK();  // UNKNOWN columns: values are dropped
  size_t old = out->values.size();
  out->values.Resize(old + static_cast<size_t>(n * final_width_));
  uint8_t* dst = out->values.data() + old;
  const uint8_t* src = in->values.data();
  if (id == TypeId::kDecimal) {
    const int128_t max = MaxUnscaled(column_.type->precision);
    for (int64_t i = 0; i < n; ++i) {
      int128_t v;
      if (p == Type::INT32) {
        v = LoadLE<int32_t>(src + i * 4);
      } else if (p == Type::INT64) {
        v = LoadLE<int64_t>(src + i * 8);
      } else if (p == Type::FIXED_LEN_BYTE_ARRAY) {
        if (!BigEndianToInt128(src + i * physical_width_, static_cast<size_t>(physical_width_), &v))
          return Corrupt(column_, "decimal value overflows 128 bits");
      } else {
        const int64_t* o = in->offsets.data_as<int64_t>();
        if (!BigEndianToInt128(src + o[i], static_cast<size_t>(o[i + 1] - o[i]), &v))
          return Corrupt(column_, "decimal value overflows 128 bits");
      }
      if (v > max || v < -max) return Corrupt(column_, "decimal value exceeds its precision");
      std::memcpy(dst + i * 16, &v, 16);
    }
  } else if (p == Type::INT96) {
    for (int64_t i = 0; i < n; ++i) {
      int64_t nanos = LoadLE<int64_t>(src + i * 12);
      int64_t day = LoadLE<int32_t>(src + i * 12 + 8);
      int64_t micros;
      if (__builtin_mul_overflow(day - kJulianEpochDay, kMicrosPerDay, &micros) ||
          __builtin_add_overflow(micros, nanos / 1000, &micros))
        return Corrupt(column_, "INT96 timestamp (Julian day " + std::to_string(day) +
                                    ") is outside the range of 64-bit microseconds");
      StoreLE<int64_t>(dst + i * 8, micros);
    }
  } else if (p == Type::FIXED_LEN_BYTE_ARRAY && id == TypeId::kFloat32) {
    for (int64_t i = 0; i < n; ++i) StoreLE<float>(dst + i * 4, HalfToFloat(LoadLE<uint16_t>(src + i * 2)));
  } else if (p == Type::INT32) {
    for (int64_t i = 0; i < n; ++i) {
      int32_t v = LoadLE<int32_t>(src + i * 4);
      switch (id) {
        case TypeId::kInt8: dst[i] = static_cast<uint8_t>(static_cast<int8_t>(v)); break;
        case TypeId::kUInt8: dst[i] = static_cast<uint8_t>(v); break;
        case TypeId::kInt16: StoreLE<int16_t>(dst + i * 2, static_cast<int16_t>(v)); break;
        case TypeId::kUInt16: StoreLE<uint16_t>(dst + i * 2, static_cast<uint16_t>(v)); break;
        default: return Status::Internal("unexpected INT32 conversion to " + column_.type->ToString());
      }
    }
  } else {
    return Status::Internal("no conversion from " + std::string(format::TypeName(p)) + " to " +
                            column_.type->ToString());
  }
  out->count += n;
  return Status::OK();
}

}  // namespace ds::parquet
