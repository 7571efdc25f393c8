#include "parquet/format/compact_protocol.h"

#include <limits>

#include "util/bytes.h"

namespace ds::parquet::format {
namespace {

constexpr size_t kDefaultBudgetFloor = size_t{4} << 20;
constexpr size_t kDefaultBudgetFactor = 64;

// The fewest bytes one container element of type `code` can occupy; 0 for invalid codes.
size_t MinElementSize(uint8_t code) {
  switch (static_cast<WireType>(code)) {
    case WireType::kBoolTrue:
    case WireType::kBoolFalse:
    case WireType::kByte:
    case WireType::kI16:
    case WireType::kI32:
    case WireType::kI64:
    case WireType::kBinary:
    case WireType::kList:
    case WireType::kSet:
    case WireType::kMap:
    case WireType::kStruct:
      return 1;
    case WireType::kDouble:
      return 8;
    case WireType::kUuid:
      return 16;
    case WireType::kStop:
      break;
  }
  return 0;
}

// Normalizes bool element type 2 to kBoolTrue so callers compare against one code.
WireType ElementType(uint8_t code) {
  return code == static_cast<uint8_t>(WireType::kBoolFalse) ? WireType::kBoolTrue
                                                            : static_cast<WireType>(code);
}

Status Corrupt(const std::string& what, size_t pos) {
  return Status::Corruption("parquet: thrift " + what + " at byte " + std::to_string(pos));
}

}  // namespace

CompactReader::CompactReader(ByteView bytes, size_t memory_budget)
    : data_(bytes.data()),
      size_(bytes.size()),
      budget_(memory_budget != 0 ? memory_budget
                                 : bytes.size() * kDefaultBudgetFactor + kDefaultBudgetFloor) {}

Status CompactReader::Truncated(const char* what) const {
  return Corrupt(std::string("input truncated in ") + what, pos_);
}

Status CompactReader::Charge(size_t bytes) {
  if (bytes > budget_) {
    return Corrupt("metadata decodes to more memory than its size allows", pos_);
  }
  budget_ -= bytes;
  return Status::OK();
}

Status CompactReader::BeginStruct() {
  if (depth_ >= kMaxNestingDepth) {
    return Corrupt("nesting deeper than " + std::to_string(kMaxNestingDepth), pos_);
  }
  last_id_[++depth_] = 0;
  return Status::OK();
}

void CompactReader::EndStruct() {
  if (depth_ > 0) --depth_;
}

// Reads a ULEB128 value of at most `bits` bits; longer encodings and set bits above `bits`
// are Corruption.
Status CompactReader::ReadVarint64(int bits, uint64_t* out) {
  const int max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  int shift = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (pos_ >= size_) return Truncated("varint");
    const uint8_t b = data_[pos_++];
    const uint64_t group = b & 0x7F;
    if (i == max_bytes - 1 && (group >> (bits - shift)) != 0) {
      return Corrupt("varint overflows " + std::to_string(bits) + " bits", pos_ - 1);
    }
    result |= group << shift;
    if ((b & 0x80) == 0) {
      *out = result;
      return Status::OK();
    }
    shift += 7;
  }
  return Corrupt("varint longer than " + std::to_string(max_bytes) + " bytes", pos_ - 1);
}

Status CompactReader::ReadFieldHeader(FieldHeader* out) {
  if (pos_ >= size_) return Truncated("field header");
  const size_t at = pos_;
  const uint8_t b = data_[pos_++];
  if (b == 0) {
    out->id = 0;
    out->type = WireType::kStop;
    return Status::OK();
  }
  const uint8_t code = b & 0x0F;
  if (MinElementSize(code) == 0) {
    return Corrupt("invalid field type code " + std::to_string(code), at);
  }
  const int delta = b >> 4;
  int16_t& last = last_id_[depth_];
  if (delta != 0) {
    const int id = last + delta;
    if (id > std::numeric_limits<int16_t>::max()) return Corrupt("field id overflow", at);
    out->id = static_cast<int16_t>(id);
  } else {
    RETURN_NOT_OK(ReadI16(&out->id));
  }
  out->type = static_cast<WireType>(code);
  last = out->id;
  return Status::OK();
}

Status CompactReader::ReadI8(int8_t* out) {
  if (pos_ >= size_) return Truncated("i8");
  *out = static_cast<int8_t>(data_[pos_++]);
  return Status::OK();
}

Status CompactReader::ReadI16(int16_t* out) {
  uint64_t u;
  RETURN_NOT_OK(ReadVarint64(32, &u));
  if (u > 0xFFFF) return Corrupt("i16 out of range", pos_);
  *out = static_cast<int16_t>(UnZigZag(u));
  return Status::OK();
}

Status CompactReader::ReadI32(int32_t* out) {
  uint64_t u;
  RETURN_NOT_OK(ReadVarint64(32, &u));
  *out = static_cast<int32_t>(UnZigZag(u));
  return Status::OK();
}

Status CompactReader::ReadI64(int64_t* out) {
  uint64_t u;
  RETURN_NOT_OK(ReadVarint64(64, &u));
  *out = UnZigZag(u);
  return Status::OK();
}

Status CompactReader::ReadDouble(double* out) {
  if (remaining() < 8) return Truncated("double");
  *out = LoadLE<double>(data_ + pos_);
  pos_ += 8;
  return Status::OK();
}

Status CompactReader::ReadBinary(std::string_view* out) {
  uint64_t len;
  RETURN_NOT_OK(ReadVarint64(32, &len));
  if (len > remaining()) {
    return Corrupt("binary length " + std::to_string(len) + " exceeds the remaining " +
                       std::to_string(remaining()) + " bytes",
                   pos_);
  }
  *out = std::string_view(reinterpret_cast<const char*>(data_ + pos_), len);
  pos_ += len;
  return Status::OK();
}

Status CompactReader::ReadBinary(std::string* out) {
  std::string_view v;
  RETURN_NOT_OK(ReadBinary(&v));
  out->assign(v.data(), v.size());
  return Status::OK();
}

Status CompactReader::ReadListBool(bool* out) {
  if (pos_ >= size_) return Truncated("bool");
  *out = data_[pos_++] == 1;
  return Status::OK();
}

Status CompactReader::ReadListHeader(ListHeader* out) {
  if (pos_ >= size_) return Truncated("list header");
  const size_t at = pos_;
  const uint8_t b = data_[pos_++];
  const uint8_t code = b & 0x0F;
  uint64_t size = b >> 4;
  if (size == 15) RETURN_NOT_OK(ReadVarint64(32, &size));
  const size_t min_size = MinElementSize(code);
  if (min_size == 0 && (size != 0 || code > static_cast<uint8_t>(WireType::kUuid))) {
    return Corrupt("invalid list element type code " + std::to_string(code), at);
  }
  if (size > kMaxContainerSize || (size != 0 && size > remaining() / min_size)) {
    return Corrupt("list of " + std::to_string(size) + " elements exceeds the input", at);
  }
  out->elem_type = ElementType(code);
  out->size = static_cast<uint32_t>(size);
  return Status::OK();
}

Status CompactReader::ReadMapHeader(MapHeader* out) {
  const size_t at = pos_;
  uint64_t size;
  RETURN_NOT_OK(ReadVarint64(32, &size));
  if (size == 0) {
    *out = MapHeader();
    return Status::OK();
  }
  if (pos_ >= size_) return Truncated("map header");
  const uint8_t b = data_[pos_++];
  const uint8_t key = b >> 4;
  const uint8_t value = b & 0x0F;
  const size_t min_size = MinElementSize(key) + MinElementSize(value);
  if (MinElementSize(key) == 0 || MinElementSize(value) == 0) {
    return Corrupt("invalid map element type codes", at);
  }
  if (size > kMaxContainerSize || size > remaining() / min_size) {
    return Corrupt("map of " + std::to_string(size) + " entries exceeds the input", at);
  }
  out->key_type = ElementType(key);
  out->value_type = ElementType(value);
  out->size = static_cast<uint32_t>(size);
  return Status::OK();
}

Status CompactReader::Skip(WireType type) { return SkipValue(type, /*element=*/false); }

Status CompactReader::SkipElement(WireType type) { return SkipValue(type, /*element=*/true); }

Status CompactReader::SkipValue(WireType type, bool element) {
  switch (type) {
    case WireType::kBoolTrue:
    case WireType::kBoolFalse:
      if (!element) return Status::OK();
      [[fallthrough]];
    case WireType::kByte:
      if (pos_ >= size_) return Truncated("i8");
      ++pos_;
      return Status::OK();
    case WireType::kI16:
    case WireType::kI32:
    case WireType::kI64: {
      uint64_t ignored;
      return ReadVarint64(64, &ignored);
    }
    case WireType::kDouble:
    case WireType::kUuid: {
      const size_t n = type == WireType::kDouble ? 8 : 16;
      if (remaining() < n) return Truncated(type == WireType::kDouble ? "double" : "uuid");
      pos_ += n;
      return Status::OK();
    }
    case WireType::kBinary: {
      std::string_view ignored;
      return ReadBinary(&ignored);
    }
    case WireType::kList:
    case WireType::kSet:
    case WireType::kMap: {
      if (depth_ >= kMaxNestingDepth) {
        return Corrupt("nesting deeper than " + std::to_string(kMaxNestingDepth), pos_);
      }
      ++depth_;
      Status st;
      if (type == WireType::kMap) {
        MapHeader h;
        st = ReadMapHeader(&h);
        for (uint32_t i = 0; st.ok() && i < h.size; ++i) {
          st = SkipValue(h.key_type, true);
          if (st.ok()) st = SkipValue(h.value_type, true);
        }
      } else {
        ListHeader h;
        st = ReadListHeader(&h);
        for (uint32_t i = 0; st.ok() && i < h.size; ++i) st = SkipValue(h.elem_type, true);
      }
      --depth_;
      return st;
    }
    case WireType::kStruct: {
      RETURN_NOT_OK(BeginStruct());
      FieldHeader f;
      while (true) {
        RETURN_NOT_OK(ReadFieldHeader(&f));
        if (f.is_stop()) break;
        RETURN_NOT_OK(SkipValue(f.type, false));
      }
      EndStruct();
      return Status::OK();
    }
    case WireType::kStop:
      break;
  }
  return Corrupt("cannot skip type code " + std::to_string(static_cast<int>(type)), pos_);
}

void CompactWriter::EndStruct() {
  out_->push_back(0);
  last_id_.pop_back();
}

void CompactWriter::WriteFieldHeader(int16_t id, WireType type) {
  int16_t& last = last_id_.back();
  const int delta = id - last;
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_->push_back(static_cast<char>(type));
    WriteI16(id);
  }
  last = id;
}

void CompactWriter::WriteBoolField(int16_t id, bool value) {
  WriteFieldHeader(id, value ? WireType::kBoolTrue : WireType::kBoolFalse);
}

void CompactWriter::WriteDouble(double v) {
  char bytes[8];
  StoreLE(bytes, v);
  out_->append(bytes, 8);
}

void CompactWriter::WriteBinary(std::string_view v) {
  WriteVarint(v.size());
  out_->append(v.data(), v.size());
}

void CompactWriter::WriteListHeader(WireType elem_type, uint32_t size) {
  if (elem_type == WireType::kBoolFalse) elem_type = WireType::kBoolTrue;
  const int code = static_cast<int>(elem_type);
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | code));
  } else {
    out_->push_back(static_cast<char>(0xF0 | code));
    WriteVarint(size);
  }
}

void CompactWriter::WriteMapHeader(WireType key_type, WireType value_type, uint32_t size) {
  WriteVarint(size);
  if (size == 0) return;
  if (key_type == WireType::kBoolFalse) key_type = WireType::kBoolTrue;
  if (value_type == WireType::kBoolFalse) value_type = WireType::kBoolTrue;
  out_->push_back(
      static_cast<char>((static_cast<int>(key_type) << 4) | static_cast<int>(value_type)));
}

void CompactWriter::WriteVarint(uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out_->append(buf, static_cast<size_t>(n));
}

}  // namespace ds::parquet::format
