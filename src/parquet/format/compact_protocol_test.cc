#include "parquet/format/compact_protocol.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "test/testing/testing.h"

namespace ds::parquet::format {
namespace {

using Bytes = std::vector<uint8_t>;

ByteView View(const Bytes& b) { return {b.data(), b.size()}; }

Bytes ToBytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::string Hex(const std::string& s) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (!out.empty()) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

TEST(CompactWriterTest, ZigZagVarintVectors) {
  // parquet.md §1.2: 0 -> 00, -1 -> 01, 106 -> D4 01.
  struct Case {
    int64_t value;
    const char* hex;
  } cases[] = {{0, "00"},
               {-1, "01"},
               {1, "02"},
               {-2, "03"},
               {106, "D4 01"},
               {63, "7E"},
               {64, "80 01"},
               {std::numeric_limits<int32_t>::max(), "FE FF FF FF 0F"},
               {std::numeric_limits<int32_t>::min(), "FF FF FF FF 0F"},
               {std::numeric_limits<int64_t>::max(), "FE FF FF FF FF FF FF FF FF 01"},
               {std::numeric_limits<int64_t>::min(), "FF FF FF FF FF FF FF FF FF 01"}};
  for (const Case& c : cases) {
    std::string out;
    CompactWriter w(&out);
    w.WriteI64(c.value);
    EXPECT_EQ(Hex(out), c.hex) << c.value;
    Bytes b = ToBytes(out);
    CompactReader r(View(b));
    int64_t back;
    ASSERT_OK(r.ReadI64(&back));
    EXPECT_EQ(back, c.value);
    EXPECT_EQ(r.remaining(), 0u);
  }
}

TEST(CompactReaderTest, I32AndI16Ranges) {
  Bytes max32 = {0xFE, 0xFF, 0xFF, 0xFF, 0x0F};
  CompactReader r(View(max32));
  int32_t v;
  ASSERT_OK(r.ReadI32(&v));
  EXPECT_EQ(v, std::numeric_limits<int32_t>::max());

  Bytes i16 = {0xFE, 0xFF, 0x03};  // 32767
  CompactReader r16(View(i16));
  int16_t s;
  ASSERT_OK(r16.ReadI16(&s));
  EXPECT_EQ(s, 32767);

  Bytes too_big16 = {0x80, 0x80, 0x04};  // 65536: outside i16 after zigzag
  CompactReader rbig(View(too_big16));
  ASSERT_RAISES(kCorruption, rbig.ReadI16(&s));
}

TEST(CompactReaderTest, RejectsOverlongAndTruncatedVarints) {
  int32_t i32;
  int64_t i64;
  {
    Bytes b = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};  // six bytes for an i32
    CompactReader r(View(b));
    ASSERT_RAISES(kCorruption, r.ReadI32(&i32));
  }
  {
    Bytes b = {0xFF, 0xFF, 0xFF, 0xFF, 0x1F};  // bit 32 set
    CompactReader r(View(b));
    ASSERT_RAISES(kCorruption, r.ReadI32(&i32));
  }
  {
    Bytes b(10, 0x80);
    b.push_back(0x00);  // eleven bytes for an i64
    CompactReader r(View(b));
    ASSERT_RAISES(kCorruption, r.ReadI64(&i64));
  }
  {
    Bytes b(9, 0xFF);
    b.push_back(0x02);  // bit 64 set
    CompactReader r(View(b));
    ASSERT_RAISES(kCorruption, r.ReadI64(&i64));
  }
  {
    Bytes b = {0x80, 0x80};  // continuation bit on the last byte
    CompactReader r(View(b));
    ASSERT_RAISES(kCorruption, r.ReadI64(&i64));
  }
  {
    Bytes b;
    CompactReader r(View(b));
    ASSERT_RAISES(kCorruption, r.ReadI32(&i32));
    double d;
    ASSERT_RAISES(kCorruption, r.ReadDouble(&d));
    int8_t i8;
    ASSERT_RAISES(kCorruption, r.ReadI8(&i8));
  }
}

TEST(CompactReaderTest, FieldHeadersShortLongAndPerStructIds) {
  // struct { 1: i32 = 1; 2: struct { 1: bool true; 3: i32 = -1 }; 20 (long form): bool false }
  Bytes b = {0x15, 0x02,  // id 1 (delta 1), i32 1
             0x1C,        // id 2 (delta 1), struct
             0x11,        //   id 1 (restarts at 0), bool true
             0x25, 0x01,  //   id 3 (delta 2), i32 -1
             0x00,        //   STOP
             0x02, 0x28,  // long form, bool false, id zigzag(20)
             0x00};       // STOP
  CompactReader r(View(b));
  ASSERT_OK(r.BeginStruct());
  FieldHeader f;
  int32_t v;
  ASSERT_OK(r.ReadFieldHeader(&f));
  EXPECT_EQ(f.id, 1);
  EXPECT_EQ(f.type, WireType::kI32);
  ASSERT_OK(r.ReadI32(&v));
  EXPECT_EQ(v, 1);
  ASSERT_OK(r.ReadFieldHeader(&f));
  EXPECT_EQ(f.id, 2);
  EXPECT_EQ(f.type, WireType::kStruct);
  ASSERT_OK(r.BeginStruct());
  ASSERT_OK(r.ReadFieldHeader(&f));
  EXPECT_EQ(f.id, 1);
  ASSERT_TRUE(IsBool(f.type));
  EXPECT_TRUE(f.bool_value());
  ASSERT_OK(r.ReadFieldHeader(&f));
  EXPECT_EQ(f.id, 3);
  ASSERT_OK(r.ReadI32(&v));
  EXPECT_EQ(v, -1);
  ASSERT_OK(r.ReadFieldHeader(&f));
  EXPECT_TRUE(f.is_stop());
  r.EndStruct();
  ASSERT_OK(r.ReadFieldHeader(&f));  // delta resumes from the outer struct's last id (2)
  EXPECT_EQ(f.id, 20);
  ASSERT_TRUE(IsBool(f.type));
  EXPECT_FALSE(f.bool_value());
  ASSERT_OK(r.ReadFieldHeader(&f));
  EXPECT_TRUE(f.is_stop());
  r.EndStruct();
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(CompactReaderTest, InvalidTypeCodesAreCorruption) {
  for (uint8_t b : {0x1E, 0x1F, 0x10}) {
    Bytes bytes = {b, 0x00};
    CompactReader r(View(bytes));
    ASSERT_OK(r.BeginStruct());
    FieldHeader f;
    EXPECT_TRUE(r.ReadFieldHeader(&f).IsCorruption()) << int{b};
  }
}

TEST(CompactReaderTest, LongFormId32767BothSpellingsAreSkipped) {
  // The digest shows 08 FF FF 01 (which decodes to -16384); zigzag(32767) is FE FF 03.
  for (Bytes id : {Bytes{0xFF, 0xFF, 0x01}, Bytes{0xFE, 0xFF, 0x03}}) {
    // Field 1 is a struct holding the extension field (binary "abc"), then STOP twice.
    Bytes b = {0x1C, 0x08};
    b.insert(b.end(), id.begin(), id.end());
    b.insert(b.end(), {0x03, 'a', 'b', 'c', 0x00, 0x00});
    CompactReader r(View(b));
    ASSERT_OK(r.BeginStruct());
    FieldHeader f;
    ASSERT_OK(r.ReadFieldHeader(&f));
    EXPECT_EQ(f.type, WireType::kStruct);
    ASSERT_OK(r.Skip(f.type));
    ASSERT_OK(r.ReadFieldHeader(&f));
    EXPECT_TRUE(f.is_stop());
    EXPECT_EQ(r.remaining(), 0u);
  }
  Bytes b = {0x08, 0xFE, 0xFF, 0x03, 0x00};
  CompactReader r(View(b));
  ASSERT_OK(r.BeginStruct());
  FieldHeader f;
  ASSERT_OK(r.ReadFieldHeader(&f));
  EXPECT_EQ(f.id, 32767);
  EXPECT_EQ(f.type, WireType::kBinary);
}

TEST(CompactReaderTest, ListHeadersAndBoolElements) {
  // null_pages [false] as parquet-mr writes it: list header 11, element 02.
  Bytes b = {0x11, 0x02};
  CompactReader r(View(b));
  ListHeader h;
  ASSERT_OK(r.ReadListHeader(&h));
  EXPECT_EQ(h.size, 1u);
  EXPECT_EQ(h.elem_type, WireType::kBoolTrue);
  bool v = true;
  ASSERT_OK(r.ReadListBool(&v));
  EXPECT_FALSE(v);

  // Element type 2 and the Thrift-spec values 0/1 are accepted too.
  Bytes spec = {0x22, 0x01, 0x00};
  CompactReader r2(View(spec));
  ASSERT_OK(r2.ReadListHeader(&h));
  EXPECT_EQ(h.elem_type, WireType::kBoolTrue);
  ASSERT_OK(r2.ReadListBool(&v));
  EXPECT_TRUE(v);
  ASSERT_OK(r2.ReadListBool(&v));
  EXPECT_FALSE(v);

  // Long size form.
  Bytes big = {0xF5, 0x14};
  big.resize(2 + 20, 0x00);
  CompactReader r3(View(big));
  ASSERT_OK(r3.ReadListHeader(&h));
  EXPECT_EQ(h.size, 20u);
  EXPECT_EQ(h.elem_type, WireType::kI32);
}

TEST(CompactReaderTest, ContainerSizesAreBoundedByTheInput) {
  ListHeader h;
  {
    Bytes b = {0xF5, 0xE8, 0x07, 0, 0, 0};  // 1000 i32s, 3 bytes left
    CompactReader r(View(b));
    ASSERT_RAISES(kCorruption, r.ReadListHeader(&h));
  }
  {
    Bytes b = {0x27, 0, 0, 0, 0, 0, 0, 0, 0};  // 2 doubles need 16 bytes, 9 left... of 8
    CompactReader r(View(b));
    ASSERT_RAISES(kCorruption, r.ReadListHeader(&h));
  }
  {
    Bytes b = {0xF3, 0x81, 0xDA, 0xC4, 0x09};  // 20,000,001 elements
    b.resize(b.size() + 20'000'001, 0);
    CompactReader r(View(b));
    ASSERT_RAISES(kCorruption, r.ReadListHeader(&h));
  }
  {
    Bytes b = {0x1E, 0x00};  // element type 14
    CompactReader r(View(b));
    ASSERT_RAISES(kCorruption, r.ReadListHeader(&h));
  }
  {
    Bytes b = {0x00};  // empty list with type 0: accepted
    CompactReader r(View(b));
    ASSERT_OK(r.ReadListHeader(&h));
    EXPECT_EQ(h.size, 0u);
  }
  {
    Bytes b = {0x05, 'a', 'b', 'c'};  // binary longer than the input
    CompactReader r(View(b));
    std::string_view s;
    ASSERT_RAISES(kCorruption, r.ReadBinary(&s));
  }
  {
    MapHeader m;
    Bytes b = {0x0A, 0x55, 0, 0, 0, 0};  // 10 i32->i32 entries need 20 bytes
    CompactReader r(View(b));
    ASSERT_RAISES(kCorruption, r.ReadMapHeader(&m));
    Bytes empty = {0x00};
    CompactReader r2(View(empty));
    ASSERT_OK(r2.ReadMapHeader(&m));
    EXPECT_EQ(m.size, 0u);
  }
}

TEST(CompactReaderTest, SkipsEveryWireType) {
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.WriteBoolField(1, true);
  w.WriteBoolField(2, false);
  w.WriteFieldHeader(3, WireType::kByte);
  w.WriteI8(-5);
  w.WriteFieldHeader(4, WireType::kI16);
  w.WriteI16(-300);
  w.WriteFieldHeader(5, WireType::kI32);
  w.WriteI32(123456);
  w.WriteFieldHeader(6, WireType::kI64);
  w.WriteI64(-1234567890123);
  w.WriteFieldHeader(7, WireType::kDouble);
  w.WriteDouble(2.5);
  w.WriteFieldHeader(8, WireType::kBinary);
  w.WriteBinary("hello");
  w.WriteFieldHeader(9, WireType::kList);  // list<bool>
  w.WriteListHeader(WireType::kBoolTrue, 3);
  w.WriteListBool(true);
  w.WriteListBool(false);
  w.WriteListBool(true);
  w.WriteFieldHeader(10, WireType::kSet);  // set<i64>, long size form
  w.WriteListHeader(WireType::kI64, 16);
  for (int i = 0; i < 16; ++i) w.WriteI64(i * 1000);
  w.WriteFieldHeader(11, WireType::kMap);  // map<binary, list<struct>>
  w.WriteMapHeader(WireType::kBinary, WireType::kList, 2);
  for (int i = 0; i < 2; ++i) {
    w.WriteBinary("k");
    w.WriteListHeader(WireType::kStruct, 2);
    for (int j = 0; j < 2; ++j) {
      w.BeginStruct();
      w.WriteFieldHeader(1, WireType::kI32);
      w.WriteI32(j);
      w.WriteFieldHeader(200, WireType::kStruct);  // long form id in a nested struct
      w.BeginStruct();
      w.EndStruct();
      w.EndStruct();
    }
  }
  w.WriteFieldHeader(12, WireType::kStruct);
  w.BeginStruct();
  w.WriteFieldHeader(1, WireType::kMap);
  w.WriteMapHeader(WireType::kI32, WireType::kBoolTrue, 1);  // bool map values are 1 byte
  w.WriteI32(7);
  w.WriteListBool(false);
  w.EndStruct();
  w.WriteFieldHeader(13, WireType::kUuid);
  out.append(16, '\x42');
  w.WriteFieldHeader(14, WireType::kMap);
  w.WriteMapHeader(WireType::kI32, WireType::kI32, 0);
  w.EndStruct();

  Bytes b = ToBytes(out);
  CompactReader r(View(b));
  ASSERT_OK(r.Skip(WireType::kStruct));
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_EQ(r.depth(), 0);

  // Every proper prefix fails cleanly.
  for (size_t n = 0; n < b.size(); ++n) {
    CompactReader t(ByteView(b.data(), n));
    EXPECT_FALSE(t.Skip(WireType::kStruct).ok()) << n;
  }
}

TEST(CompactReaderTest, DeepNestingIsCorruption) {
  // Nested structs: field 1 of type struct, 1000 deep.
  Bytes structs(1000, 0x1C);
  structs.resize(2000, 0x00);
  CompactReader r(View(structs));
  Status st = r.Skip(WireType::kStruct);
  ASSERT_RAISES(kCorruption, st);
  EXPECT_NE(st.message().find("nesting"), std::string::npos) << st;

  // Nested lists: list<list<list<...>>> (header 19 = one element of type list).
  Bytes lists = {0x19};
  lists.resize(100000, 0x19);
  CompactReader r2(View(lists));
  ASSERT_RAISES(kCorruption, r2.Skip(WireType::kStruct));

  // 63 levels inside the top-level struct are fine.
  Bytes ok(63, 0x1C);
  ok.resize(ok.size() + 64, 0x00);
  CompactReader r3(View(ok));
  ASSERT_OK(r3.Skip(WireType::kStruct));
  EXPECT_EQ(r3.remaining(), 0u);
}

TEST(CompactReaderTest, MemoryBudget) {
  Bytes b(100);
  CompactReader r(View(b), /*memory_budget=*/1000);
  ASSERT_OK(r.Charge(600));
  ASSERT_OK(r.Charge(400));
  ASSERT_RAISES(kCorruption, r.Charge(1));
}

TEST(CompactWriterTest, FieldIdForms) {
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.WriteFieldHeader(1, WireType::kI32);
  w.WriteI32(0);
  w.WriteFieldHeader(16, WireType::kI32);  // delta 15: short
  w.WriteI32(0);
  w.WriteFieldHeader(32, WireType::kI32);  // delta 16: long
  w.WriteI32(0);
  w.WriteFieldHeader(5, WireType::kI32);  // going back: long
  w.WriteI32(0);
  w.WriteBoolField(6, true);
  w.WriteBoolField(7, false);
  w.EndStruct();
  EXPECT_EQ(Hex(out), "15 00 F5 00 05 40 00 05 0A 00 11 12 00");
}

TEST(CompactWriterTest, ListHeaders) {
  std::string out;
  CompactWriter w(&out);
  w.WriteListHeader(WireType::kStruct, 14);
  w.WriteListHeader(WireType::kStruct, 15);
  w.WriteListHeader(WireType::kBoolFalse, 300);
  w.WriteMapHeader(WireType::kBinary, WireType::kBoolFalse, 2);
  w.WriteMapHeader(WireType::kBinary, WireType::kI32, 0);
  EXPECT_EQ(Hex(out), "EC FC 0F F1 AC 02 02 81 00");
}

}  // namespace
}  // namespace ds::parquet::format
