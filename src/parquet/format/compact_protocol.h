// The Thrift compact protocol, as Parquet uses it: bare structs, no message envelope.
//
// CompactReader decodes untrusted bytes. Every read is bounds-checked and every failure is a
// Corruption Status: truncated input, overlong varints, bad type codes, nesting deeper than
// kMaxNestingDepth, lengths and container sizes the remaining bytes cannot hold. Nothing is
// ever read past the span, and decoding time is linear in its size.
//
// CompactWriter appends to a std::string and follows the writer conventions of parquet-mr
// and Arrow: ascending field ids in the short form (long form only when the delta is not
// 1..15), list bools written as 1/2.
//
// See /work/shared/docs/parquet.md §1.2 for the wire format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/buffer.h"
#include "util/result.h"

namespace ds::parquet::format {

// Compact protocol type codes (the low nibble of a field header or list header).
enum class WireType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,  // field form: the value is the type code itself
  kBoolFalse = 2,
  kByte = 3,  // i8: one raw byte
  kI16 = 4,
  kI32 = 5,  // also enums
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,  // also strings
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,  // also unions
  kUuid = 13,
};

// True for both bool type codes (1 and 2).
inline bool IsBool(WireType t) { return t == WireType::kBoolTrue || t == WireType::kBoolFalse; }

// One field header. For a STOP, `type` is kStop and `id` is 0.
struct FieldHeader {
  int16_t id = 0;
  WireType type = WireType::kStop;

  bool is_stop() const { return type == WireType::kStop; }
  // The value of a bool field (its type code). REQUIRES: IsBool(type).
  bool bool_value() const { return type == WireType::kBoolTrue; }
};

// A list or set header. A bool element type is reported as kBoolTrue whichever of 1/2 the
// wire carried.
struct ListHeader {
  WireType elem_type = WireType::kStop;
  uint32_t size = 0;
};

// A map header. For an empty map both types are kStop.
struct MapHeader {
  WireType key_type = WireType::kStop;
  WireType value_type = WireType::kStop;
  uint32_t size = 0;
};

// Limits applied to untrusted input.
inline constexpr int kMaxNestingDepth = 64;                // structs + containers
inline constexpr uint32_t kMaxContainerSize = 10'000'000;  // list/set/map elements

// Decodes compact-protocol values from a byte span it does not own (the span must outlive
// the reader). Not thread-safe. All methods return Corruption on malformed or truncated
// input; after an error the reader's state is unspecified and it should be dropped.
class CompactReader {
 public:
  // `memory_budget`: bytes that struct decoders may reserve for decoded containers (see
  // Charge); 0 means the default, 64 * bytes.size() + 4 MiB.
  explicit CompactReader(ByteView bytes, size_t memory_budget = 0);

  size_t position() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }
  int depth() const { return depth_; }

  // Enters a struct (or union) value: its field ids restart at 0. Fails past the depth limit.
  Status BeginStruct();
  // Leaves the struct entered last. Call after ReadFieldHeader returned a STOP.
  void EndStruct();
  // Reads the next field header of the current struct (short or long id form). A bool
  // field's value is in the header (see FieldHeader::bool_value) and has no payload.
  Status ReadFieldHeader(FieldHeader* out);

  Status ReadI8(int8_t* out);
  Status ReadI16(int16_t* out);  // zigzag varint; values outside int16 are Corruption
  Status ReadI32(int32_t* out);  // zigzag varint of at most 5 bytes
  Status ReadI64(int64_t* out);  // zigzag varint of at most 10 bytes
  Status ReadDouble(double* out);
  // A binary/string value. The view points into the input span.
  Status ReadBinary(std::string_view* out);
  Status ReadBinary(std::string* out);
  // A bool list element: one byte, 1 = true, anything else false (writers disagree on 0/2).
  Status ReadListBool(bool* out);
  // List and set headers. The size is at most kMaxContainerSize and at most what the
  // remaining bytes can hold given the element type's minimum encoded size.
  Status ReadListHeader(ListHeader* out);
  Status ReadMapHeader(MapHeader* out);

  // Skips one field value of wire type `type` (a bool field has no payload), recursing into
  // structs and containers within the depth limit.
  Status Skip(WireType type);
  // Skips one container element of wire type `type` (a bool element is one byte).
  Status SkipElement(WireType type);

  // Accounts for `bytes` of memory a decoder is about to reserve for decoded values; fails
  // with Corruption once the budget is spent. Keeps small malicious inputs from decoding
  // into huge structures.
  Status Charge(size_t bytes);

 private:
  Status ReadVarint64(int bits, uint64_t* out);
  Status Truncated(const char* what) const;
  Status SkipValue(WireType type, bool element);

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  size_t budget_;
  int depth_ = 0;
  // Last field id of each open struct; [0] is unused (the top level has no fields).
  int16_t last_id_[kMaxNestingDepth + 1] = {};
};

// Encodes compact-protocol values by appending to a caller-owned std::string (which must
// outlive the writer). Never fails; misuse (EndStruct without BeginStruct) is a bug.
class CompactWriter {
 public:
  explicit CompactWriter(std::string* out) : out_(out) { last_id_.reserve(8); }

  void BeginStruct() { last_id_.push_back(0); }
  // Writes the STOP byte and leaves the struct.
  void EndStruct();
  // Writes a field header; the value follows. Use WriteBoolField for bools.
  void WriteFieldHeader(int16_t id, WireType type);
  void WriteBoolField(int16_t id, bool value);

  void WriteI8(int8_t v) { out_->push_back(static_cast<char>(v)); }
  void WriteI16(int16_t v) { WriteVarint(ZigZag(v)); }
  void WriteI32(int32_t v) { WriteVarint(ZigZag(v)); }
  void WriteI64(int64_t v) { WriteVarint(ZigZag(v)); }
  void WriteDouble(double v);
  void WriteBinary(std::string_view v);
  // A bool list element: 1 = true, 2 = false (parquet-mr's convention).
  void WriteListBool(bool v) { out_->push_back(v ? 1 : 2); }
  // A list header; a bool element type is written as 1.
  void WriteListHeader(WireType elem_type, uint32_t size);
  void WriteMapHeader(WireType key_type, WireType value_type, uint32_t size);

  void WriteVarint(uint64_t v);
  static uint64_t ZigZag(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }

 private:
  std::string* out_;
  std::vector<int16_t> last_id_;
};

// Decodes a zigzag-encoded value.
inline int64_t UnZigZag(uint64_t u) {
  return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
}

}  // namespace ds::parquet::format
