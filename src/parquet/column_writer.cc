#include "parquet/column_writer.h"

#include <cmath>
#include <cstring>

#include "parquet/encoding/byte_array.h"
#include "parquet/encoding/plain_bool.h"
#include "parquet/encoding/rle.h"
#include "parquet/physical.h"
#include "parquet/writer_schema.h"
#include "util/bit_util.h"
#include "util/bytes.h"
#include "util/crc32.h"

namespace ds::parquet {
namespace {

using columnar::TypeId;
using format::Encoding;
using format::Type;

// Physical values ready for PLAIN encoding.
struct Physical {
  Type type;
  int width = 0;  // fixed-width bytes per value (0 for BYTE_ARRAY, 1 for bool)
  const uint8_t* data = nullptr;
  const int64_t* offsets = nullptr;  // BYTE_ARRAY
  Buffer owned;                      // when converted
  std::string_view Value(int64_t i) const {
    if (offsets)
      return {reinterpret_cast<const char*>(data) + offsets[i],
              static_cast<size_t>(offsets[i + 1] - offsets[i])};
    return {reinterpret_cast<const char*>(data) + i * width, static_cast<size_t>(width)};
  }
};

Result<Physical> ToPhysical(const ColumnDescriptor& col, const LeafBatch& b) {
  Physical p;
  p.type = col.physical_type;
  const TypeId id = col.type->id;
  const int64_t n = b.num_values;
  const uint8_t* src = b.values.data();
  switch (p.type) {
    case Type::BOOLEAN:
      p.width = 1;
      break;
    case Type::INT32:
    case Type::FLOAT:
      p.width = 4;
      break;
    case Type::INT64:
    case Type::DOUBLE:
      p.width = 8;
      break;
    case Type::FIXED_LEN_BYTE_ARRAY:
      p.width = col.type_length;
      break;
    case Type::BYTE_ARRAY:
      p.data = src;
      p.offsets = b.offsets.empty() ? nullptr : b.offsets.data_as<int64_t>();
      return p;
    default:
      return Status::Internal("cannot write physical type " +
                              std::string(format::TypeName(p.type)));
  }
  const int final_width = id == TypeId::kBool ? 1 : columnar::FixedWidth(*col.type);
  if (id == TypeId::kNull) return p;
  if (id != TypeId::kDecimal && final_width == p.width) {
    p.data = src;
    return p;
  }
  p.owned.Resize(static_cast<size_t>(n * p.width));
  uint8_t* dst = p.owned.data();
  if (id == TypeId::kDecimal) {
    const int128_t max = MaxUnscaled(col.type->precision);
    for (int64_t i = 0; i < n; ++i) {
      int128_t v;
      std::memcpy(&v, src + i * 16, 16);
      if (v > max || v < -max)
        return Status::InvalidArgument("decimal value exceeds precision " +
                                       std::to_string(col.type->precision) + " in column '" +
                                       col.PathString() + "'");
      if (p.type == Type::INT32)
        StoreLE<int32_t>(dst + i * 4, static_cast<int32_t>(v));
      else if (p.type == Type::INT64)
        StoreLE<int64_t>(dst + i * 8, static_cast<int64_t>(v));
      else
        Int128ToBigEndian(v, p.width, dst + i * p.width);
    }
  } else {
    for (int64_t i = 0; i < n; ++i) {
      int32_t v = 0;
      switch (id) {
        case TypeId::kInt8:
          v = static_cast<int8_t>(src[i]);
          break;
        case TypeId::kUInt8:
          v = src[i];
          break;
        case TypeId::kInt16:
          v = LoadLE<int16_t>(src + i * 2);
          break;
        case TypeId::kUInt16:
          v = LoadLE<uint16_t>(src + i * 2);
          break;
        default:
          return Status::Internal("no physical conversion for " + col.type->ToString());
      }
      StoreLE<int32_t>(dst + i * 4, v);
    }
  }
  p.data = dst;
  return p;
}

// ---- Statistics over the final (logical) values.

// Indices of the smallest and largest of values[v0, v1) under `<`, skipping NaN (x != x).
template <typename T>
void MinMaxTyped(const uint8_t* data, int64_t v0, int64_t v1, int64_t* min_i, int64_t* max_i) {
  auto at = [&](int64_t i) {
    T v;
    std::memcpy(&v, data + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
    return v;
  };
  int64_t i = v0;
  while (i < v1 && !(at(i) == at(i))) ++i;  // leading NaNs
  if (i >= v1) return;
  T lo = at(i), hi = lo;
  *min_i = *max_i = i;
  for (++i; i < v1; ++i) {
    T v = at(i);
    if (v < lo) {
      lo = v;
      *min_i = i;
    } else if (hi < v) {
      hi = v;
      *max_i = i;
    }
  }
}

class StatsScanner {
 public:
  StatsScanner(const ColumnDescriptor& col, const LeafBatch& b)
      : col_(col), b_(b), id_(col.type->id) {}

  // Indices of the min and max value in [v0, v1), or -1 when there is none (all null/NaN).
  void MinMax(int64_t v0, int64_t v1, int64_t* min_i, int64_t* max_i) const {
    *min_i = *max_i = -1;
    const uint8_t* d = b_.values.data();
    switch (id_) {
      case TypeId::kBool:
      case TypeId::kUInt8:
        return MinMaxTyped<uint8_t>(d, v0, v1, min_i, max_i);
      case TypeId::kInt8:
        return MinMaxTyped<int8_t>(d, v0, v1, min_i, max_i);
      case TypeId::kInt16:
        return MinMaxTyped<int16_t>(d, v0, v1, min_i, max_i);
      case TypeId::kUInt16:
        return MinMaxTyped<uint16_t>(d, v0, v1, min_i, max_i);
      case TypeId::kUInt32:
        return MinMaxTyped<uint32_t>(d, v0, v1, min_i, max_i);
      case TypeId::kUInt64:
        return MinMaxTyped<uint64_t>(d, v0, v1, min_i, max_i);
      case TypeId::kFloat32:
        return MinMaxTyped<float>(d, v0, v1, min_i, max_i);
      case TypeId::kFloat64:
        return MinMaxTyped<double>(d, v0, v1, min_i, max_i);
      case TypeId::kDecimal:
        return MinMaxTyped<int128_t>(d, v0, v1, min_i, max_i);
      case TypeId::kString:
      case TypeId::kBinary:
      case TypeId::kFixedBinary:
      case TypeId::kUuid:
        for (int64_t i = v0; i < v1; ++i) {
          if (*min_i < 0 || Bytes(i) < Bytes(*min_i)) *min_i = i;
          if (*max_i < 0 || Bytes(*max_i) < Bytes(i)) *max_i = i;
        }
        return;
      default:
        if (columnar::FixedWidth(*col_.type) == 4)
          return MinMaxTyped<int32_t>(d, v0, v1, min_i, max_i);
        return MinMaxTyped<int64_t>(d, v0, v1, min_i, max_i);
    }
  }
  bool Less(int64_t i, int64_t j) const {
    const uint8_t* d = b_.values.data();
    switch (id_) {
      case TypeId::kBool:
      case TypeId::kUInt8:
        return d[i] < d[j];
      case TypeId::kInt8:
        return static_cast<int8_t>(d[i]) < static_cast<int8_t>(d[j]);
      case TypeId::kInt16:
        return LoadLE<int16_t>(d + 2 * i) < LoadLE<int16_t>(d + 2 * j);
      case TypeId::kUInt16:
        return LoadLE<uint16_t>(d + 2 * i) < LoadLE<uint16_t>(d + 2 * j);
      case TypeId::kUInt32:
        return LoadLE<uint32_t>(d + 4 * i) < LoadLE<uint32_t>(d + 4 * j);
      case TypeId::kUInt64:
        return LoadLE<uint64_t>(d + 8 * i) < LoadLE<uint64_t>(d + 8 * j);
      case TypeId::kFloat32:
        return LoadLE<float>(d + 4 * i) < LoadLE<float>(d + 4 * j);
      case TypeId::kFloat64:
        return LoadLE<double>(d + 8 * i) < LoadLE<double>(d + 8 * j);
      case TypeId::kDecimal: {
        int128_t a, c;
        std::memcpy(&a, d + 16 * i, 16);
        std::memcpy(&c, d + 16 * j, 16);
        return a < c;
      }
      case TypeId::kString:
      case TypeId::kBinary:
      case TypeId::kFixedBinary:
      case TypeId::kUuid:
        return Bytes(i) < Bytes(j);
      default:
        if (columnar::FixedWidth(*col_.type) == 4)
          return LoadLE<int32_t>(d + 4 * i) < LoadLE<int32_t>(d + 4 * j);
        return LoadLE<int64_t>(d + 8 * i) < LoadLE<int64_t>(d + 8 * j);
    }
  }
  // NaN values in [v0, v1) (0 for non-float columns).
  int64_t CountNaN(int64_t v0, int64_t v1) const {
    if (id_ != TypeId::kFloat32 && id_ != TypeId::kFloat64) return 0;
    int64_t n = 0;
    for (int64_t i = v0; i < v1; ++i) n += IsNaN(i);
    return n;
  }
  bool is_float() const { return id_ == TypeId::kFloat32 || id_ == TypeId::kFloat64; }
  bool IsNaN(int64_t i) const {
    if (id_ == TypeId::kFloat32) return std::isnan(LoadLE<float>(b_.values.data() + 4 * i));
    if (id_ == TypeId::kFloat64) return std::isnan(LoadLE<double>(b_.values.data() + 8 * i));
    return false;
  }
  std::string_view Bytes(int64_t i) const {
    if (columnar::IsVarBinary(id_)) {
      const int64_t* o = b_.offsets.data_as<int64_t>();
      return {reinterpret_cast<const char*>(b_.values.data()) + o[i],
              static_cast<size_t>(o[i + 1] - o[i])};
    }
    int w = col_.type->byte_width;
    return {reinterpret_cast<const char*>(b_.values.data()) + i * w, static_cast<size_t>(w)};
  }
  bool has_order() const { return id_ != TypeId::kNull; }

 private:
  const ColumnDescriptor& col_;
  const LeafBatch& b_;
  TypeId id_;
};

// Start of the last (possibly incomplete) UTF-8 code point of `s`.
size_t LastCodePointStart(const std::string& s) {
  size_t k = s.size() - 1;
  while (k > 0 && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
  return k;
}

// Cuts `s` to at most `limit` bytes without splitting a UTF-8 code point.
void CutUtf8(std::string* s, size_t limit) {
  if (s->size() <= limit) return;
  s->resize(limit);
  if (s->empty()) return;
  size_t k = LastCodePointStart(*s);
  unsigned char lead = static_cast<unsigned char>((*s)[k]);
  size_t need = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;
  if (s->size() - k < need) s->resize(k);
}

// Truncates an upper bound to at most `limit` bytes and makes it larger than every value it
// stands for: the last byte (binary) or code point (UTF-8) is incremented, dropping trailing
// ones that cannot be. False when no such bound exists.
bool TruncateMax(std::string* v, size_t limit, bool utf8) {
  if (v->size() <= limit) return true;
  std::string s = *v;
  if (!utf8) {
    s.resize(limit);
    while (!s.empty()) {
      auto& last = reinterpret_cast<unsigned char&>(s.back());
      if (last < 0xFF) {
        ++last;
        *v = s;
        return true;
      }
      s.pop_back();
    }
    return false;
  }
  CutUtf8(&s, limit);
  while (!s.empty()) {
    size_t k = LastCodePointStart(s);
    auto* p = reinterpret_cast<const unsigned char*>(s.data() + k);
    size_t len = s.size() - k;
    uint32_t cp = len == 1   ? p[0]
                  : len == 2 ? ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu)
                  : len == 3 ? ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu)
                             : ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
                                   ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    s.resize(k);
    if (cp >= 0x10FFFF) continue;
    ++cp;
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xE000;
    if (cp < 0x80) {
      s.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    *v = s;
    return true;
  }
  return false;
}

class StatsEncoder {
 public:
  StatsEncoder(const ColumnDescriptor& col, const LeafBatch& b, const Physical& p, size_t limit)
      : col_(col), b_(b), p_(p), limit_(limit) {}

  // Fills min/max statistics bytes for values [v0, v1); false when there are none.
  bool Encode(int64_t lo, int64_t hi, std::string* min, std::string* max, bool* min_exact,
              bool* max_exact) const {
    if (lo < 0) return false;
    *min = std::string(p_.Value(lo));
    *max = std::string(p_.Value(hi));
    *min_exact = *max_exact = true;
    TypeId id = col_.type->id;
    if (id == TypeId::kBool) {
      *min = std::string(1, static_cast<char>(b_.values.data()[lo] ? 1 : 0));
      *max = std::string(1, static_cast<char>(b_.values.data()[hi] ? 1 : 0));
    } else if (id == TypeId::kFloat32 || id == TypeId::kFloat64) {
      // -0.0 for a zero minimum, +0.0 for a zero maximum (parquet.md §3.2).
      if (id == TypeId::kFloat32) {
        if (LoadLE<float>(min->data()) == 0) StoreLE<float>(min->data(), -0.0f);
        if (LoadLE<float>(max->data()) == 0) StoreLE<float>(max->data(), 0.0f);
      } else {
        if (LoadLE<double>(min->data()) == 0) StoreLE<double>(min->data(), -0.0);
        if (LoadLE<double>(max->data()) == 0) StoreLE<double>(max->data(), 0.0);
      }
    } else if (p_.type == Type::BYTE_ARRAY || p_.type == Type::FIXED_LEN_BYTE_ARRAY) {
      if (id == TypeId::kDecimal) return true;  // fixed and short
      bool utf8 = id == TypeId::kString;
      if (min->size() > limit_) {
        if (utf8)
          CutUtf8(min, limit_);
        else
          min->resize(limit_);
        *min_exact = false;
      }
      if (max->size() > limit_) {
        if (!TruncateMax(max, limit_, utf8)) return false;
        *max_exact = false;
      }
    }
    return true;
  }

 private:
  const ColumnDescriptor& col_;
  const LeafBatch& b_;
  const Physical& p_;
  size_t limit_;
};

bool IsSignedOrder(const ColumnDescriptor& col) {
  switch (col.type->id) {
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kFloat32:
    case TypeId::kFloat64:
    case TypeId::kBool:
      return true;
    case TypeId::kDecimal:
      return col.physical_type != Type::FIXED_LEN_BYTE_ARRAY;
    default:
      return false;
  }
}

format::Statistics MakeStats(const ColumnDescriptor& col, bool has, std::string min,
                             std::string max, bool min_exact, bool max_exact, int64_t nulls,
                             std::optional<int64_t> nans) {
  format::Statistics s;
  s.null_count = nulls;
  s.nan_count = nans;
  if (has) {
    if (IsSignedOrder(col)) {
      s.min = min;
      s.max = max;
    }
    s.min_value = std::move(min);
    s.max_value = std::move(max);
    if (col.physical_type == Type::BYTE_ARRAY || col.physical_type == Type::FIXED_LEN_BYTE_ARRAY) {
      s.is_min_value_exact = min_exact;
      s.is_max_value_exact = max_exact;
    }
  }
  return s;
}

void PutLevels(const int16_t* levels, int64_t n, int16_t max_level, std::string* out) {
  RleBitPackedEncoder enc(bit::BitWidth(static_cast<uint64_t>(max_level)));
  for (int64_t i = 0; i < n; ++i) enc.Put(static_cast<uint32_t>(levels[i]));
  Buffer runs;
  enc.FinishTo(&runs);
  uint32_t len = static_cast<uint32_t>(runs.size());
  out->append(reinterpret_cast<const char*>(&len), 4);
  out->append(runs.string_view());
}

struct Dictionary {
  std::vector<std::string_view> entries;
  std::vector<uint32_t> indices;  // one per value
};

// Builds a dictionary over all values. Returns false (use PLAIN) when it would exceed
// `limit` bytes. Open addressing over entry indices: no per-entry allocation.
bool BuildDictionary(const Physical& p, int64_t n, int64_t limit, Dictionary* d) {
  std::vector<uint32_t> slots(1024, 0);  // entry index + 1; 0 = empty
  size_t mask = slots.size() - 1;
  std::hash<std::string_view> hash;
  d->indices.resize(static_cast<size_t>(n));
  int64_t bytes = 0;
  for (int64_t i = 0; i < n; ++i) {
    std::string_view v = p.Value(i);
    size_t h = hash(v) & mask;
    uint32_t index;
    while (true) {
      uint32_t slot = slots[h];
      if (slot == 0) {
        index = static_cast<uint32_t>(d->entries.size());
        d->entries.push_back(v);
        slots[h] = index + 1;
        bytes += static_cast<int64_t>(v.size()) + (p.offsets ? 4 : 0);
        if (bytes > limit) return false;
        if (d->entries.size() * 2 > slots.size()) {  // grow and rehash at 50% load
          slots.assign(slots.size() * 2, 0);
          mask = slots.size() - 1;
          for (uint32_t e = 0; e < d->entries.size(); ++e) {
            size_t g = hash(d->entries[e]) & mask;
            while (slots[g] != 0) g = (g + 1) & mask;
            slots[g] = e + 1;
          }
        }
        break;
      }
      if (d->entries[slot - 1] == v) {
        index = slot - 1;
        break;
      }
      h = (h + 1) & mask;
    }
    d->indices[i] = index;
  }
  return true;
}

void EncodePlain(const Physical& p, int64_t v0, int64_t v1, const LeafBatch& b, std::string* out) {
  int64_t n = v1 - v0;
  if (n <= 0) return;
  Buffer buf;
  if (p.type == Type::BOOLEAN) {
    EncodePlainBooleans(b.values.data() + v0, n, &buf);
  } else if (p.offsets) {
    EncodePlainByteArray(p.offsets + v0, p.data, n, &buf);
  } else {
    out->append(reinterpret_cast<const char*>(p.data) + v0 * p.width,
                static_cast<size_t>(n * p.width));
    return;
  }
  out->append(buf.string_view());
}

class ChunkEncoder {
 public:
  ChunkEncoder(const ColumnWriterOptions& o, EncodedChunk* out) : o_(o), out_(out) {}

  // Compresses `body` and appends a page with `header` (sizes and CRC filled in here).
  Status AppendPage(format::PageHeader header, const std::string& body) {
    Codec codec = o_.codec;
    Buffer compressed;
    ByteView stored = AsBytes(body);
    if (codec != Codec::kUncompressed) {
      RETURN_NOT_OK(
          Compress(codec, AsBytes(body), &compressed, CompressOptions{o_.compression_level}));
      stored = compressed.view();
    }
    header.uncompressed_page_size = static_cast<int32_t>(body.size());
    header.compressed_page_size = static_cast<int32_t>(stored.size());
    if (o_.crc) header.crc = static_cast<int32_t>(Crc32(stored.data(), stored.size()));
    std::string h;
    format::Write(header, &h);
    last_page_offset_ = static_cast<int64_t>(out_->bytes.size());
    last_page_size_ = static_cast<int64_t>(h.size() + stored.size());
    out_->bytes += h;
    out_->bytes.append(reinterpret_cast<const char*>(stored.data()), stored.size());
    uncompressed_ += static_cast<int64_t>(h.size() + body.size());
    return Status::OK();
  }
  int64_t last_page_offset() const { return last_page_offset_; }
  int64_t last_page_size() const { return last_page_size_; }
  int64_t uncompressed() const { return uncompressed_; }

 private:
  const ColumnWriterOptions& o_;
  EncodedChunk* out_;
  int64_t last_page_offset_ = 0, last_page_size_ = 0, uncompressed_ = 0;
};

}  // namespace

Result<EncodedChunk> EncodeColumnChunk(const ColumnDescriptor& col, LeafBatch b,
                                       const ColumnWriterOptions& o) {
  EncodedChunk out;
  format::ColumnMetaData& md = out.meta;
  md.type = col.physical_type;
  md.path_in_schema = col.path;
  md.codec = static_cast<format::CompressionCodec>(o.codec);
  md.num_values = b.num_entries;
  if (b.def_levels.empty() && col.max_def_level > 0)
    return Status::Internal("missing definition levels");

  ASSIGN_OR_RETURN(Physical phys, ToPhysical(col, b));
  const bool null_type = col.type->id == TypeId::kNull;
  StatsScanner scan(col, b);
  StatsEncoder stats(col, b, phys, o.max_stat_bytes);
  const bool want_stats = o.statistics && !null_type;

  Dictionary dict;
  bool use_dict = o.dictionary && !null_type && col.physical_type != Type::BOOLEAN &&
                  b.num_values > 0 &&
                  BuildDictionary(phys, b.num_values, o.dictionary_bytes, &dict);
  ChunkEncoder enc(o, &out);
  std::vector<format::PageEncodingStats> enc_stats;
  if (use_dict) {
    std::string body;
    if (phys.offsets) {
      for (std::string_view v : dict.entries) {
        uint32_t len = static_cast<uint32_t>(v.size());
        body.append(reinterpret_cast<const char*>(&len), 4);
        body.append(v);
      }
    } else {
      for (std::string_view v : dict.entries) body.append(v);
    }
    format::PageHeader h;
    h.type = format::PageType::DICTIONARY_PAGE;
    h.dictionary_page_header = format::DictionaryPageHeader{
        static_cast<int32_t>(dict.entries.size()), Encoding::PLAIN, std::nullopt};
    RETURN_NOT_OK(enc.AppendPage(h, body));
    md.dictionary_page_offset = 0;
    enc_stats.push_back({format::PageType::DICTIONARY_PAGE, Encoding::PLAIN, 1});
  }
  const Encoding value_encoding = use_dict ? Encoding::RLE_DICTIONARY : Encoding::PLAIN;
  const int dict_width = use_dict ? std::max(1, bit::BitWidth(dict.entries.size() - 1)) : 0;

  const int16_t* defs = b.def_levels.empty() ? nullptr : b.defs();
  const int16_t* reps = b.rep_levels.empty() ? nullptr : b.reps();
  const int64_t value_bytes =
      phys.offsets ? (b.num_values ? phys.offsets[b.num_values] - phys.offsets[0] : 0)
                   : b.num_values * phys.width;
  const double bytes_per_value = b.num_values ? static_cast<double>(value_bytes) / b.num_values : 0;

  int64_t e = 0, v = 0, row = 0, data_pages = 0;
  bool chunk_has = false, chunk_min_exact = true, chunk_max_exact = true;
  int64_t chunk_lo = -1, chunk_hi = -1;
  std::string chunk_min, chunk_max;
  int64_t chunk_nulls = 0;
  do {
    // Choose the page's entries: up to page_rows entries / page_bytes of values, ending
    // before an entry that starts a record.
    const int64_t e0 = e, v0 = v, row0 = row;
    while (e < b.num_entries) {
      if (reps && reps[e] == 0 && e > e0) {
        if (e - e0 >= o.page_rows ||
            (v - v0) * bytes_per_value >= static_cast<double>(o.page_bytes))
          break;
      } else if (!reps && e > e0) {
        if (e - e0 >= o.page_rows ||
            (v - v0) * bytes_per_value >= static_cast<double>(o.page_bytes))
          break;
      }
      if (!reps || reps[e] == 0) ++row;
      if (!defs || defs[e] == col.max_def_level) ++v;
      ++e;
    }
    const int64_t n = e - e0, nv = v - v0, nulls = null_type ? n : n - nv;
    std::string body;
    if (col.max_rep_level > 0) PutLevels(reps + e0, n, col.max_rep_level, &body);
    if (col.max_def_level > 0) PutLevels(defs + e0, n, col.max_def_level, &body);
    if (!null_type) {
      if (use_dict) {
        body.push_back(static_cast<char>(dict_width));
        RleBitPackedEncoder ienc(dict_width);
        for (int64_t i = v0; i < v; ++i) ienc.Put(dict.indices[i]);
        Buffer runs;
        ienc.FinishTo(&runs);
        body.append(runs.string_view());
      } else {
        EncodePlain(phys, v0, v, b, &body);
      }
    }
    format::PageHeader h;
    h.type = format::PageType::DATA_PAGE;
    format::DataPageHeader dph;
    dph.num_values = static_cast<int32_t>(n);
    dph.encoding = value_encoding;
    dph.definition_level_encoding = Encoding::RLE;
    dph.repetition_level_encoding = Encoding::RLE;
    PageIndexEntry pie;
    pie.first_row = row0;
    pie.null_count = nulls;
    if (want_stats) {
      std::string mn, mx;
      bool mne = true, mxe = true;
      int64_t lo, hi;
      scan.MinMax(v0, v, &lo, &hi);
      // The chunk's bounds are the extremes of its pages' bounds.
      if (lo >= 0 && (chunk_lo < 0 || scan.Less(lo, chunk_lo))) chunk_lo = lo;
      if (hi >= 0 && (chunk_hi < 0 || scan.Less(chunk_hi, hi))) chunk_hi = hi;
      bool has = stats.Encode(lo, hi, &mn, &mx, &mne, &mxe);
      pie.null_page = nv == 0;
      pie.has_stats = has;
      if (has) {
        pie.min = mn;
        pie.max = mx;
      }
      std::optional<int64_t> nans;
      if (scan.is_float()) nans = scan.CountNaN(v0, v);
      dph.statistics = MakeStats(col, has, mn, mx, mne, mxe, nulls, nans);
    }
    h.data_page_header = dph;
    RETURN_NOT_OK(enc.AppendPage(h, body));
    if (data_pages == 0) md.data_page_offset = enc.last_page_offset();
    pie.offset = enc.last_page_offset();
    pie.compressed_size = static_cast<int32_t>(enc.last_page_size());
    out.pages.push_back(std::move(pie));
    chunk_nulls += nulls;
    ++data_pages;
  } while (e < b.num_entries);

  if (want_stats) {
    chunk_has = stats.Encode(chunk_lo, chunk_hi, &chunk_min, &chunk_max, &chunk_min_exact,
                             &chunk_max_exact);
    std::optional<int64_t> nans;
    if (scan.is_float()) nans = scan.CountNaN(0, b.num_values);
    md.statistics = MakeStats(col, chunk_has, chunk_min, chunk_max, chunk_min_exact,
                              chunk_max_exact, chunk_nulls, nans);
  } else {
    format::Statistics s;
    s.null_count = chunk_nulls;
    md.statistics = s;
  }
  enc_stats.push_back(
      {format::PageType::DATA_PAGE, value_encoding, static_cast<int32_t>(data_pages)});
  md.encoding_stats = enc_stats;
  md.encodings.clear();
  if (use_dict) md.encodings.push_back(Encoding::PLAIN);
  md.encodings.push_back(Encoding::RLE);
  md.encodings.push_back(value_encoding);
  md.total_compressed_size = static_cast<int64_t>(out.bytes.size());
  md.total_uncompressed_size = enc.uncompressed();
  return out;
}

}  // namespace ds::parquet
