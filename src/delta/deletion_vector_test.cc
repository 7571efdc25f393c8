#include "delta/deletion_vector.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "test/testing/testing.h"
#include "util/bytes.h"

namespace ds::delta {
namespace {

// 64-bit portable RoaringBitmapArray bytes (with magic) holding `rows` (< 2^16 each).
std::string ArrayBitmap(const std::vector<uint16_t>& rows) {
  std::string out;
  auto u32 = [&](uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
  auto u16 = [&](uint16_t v) { out.append(reinterpret_cast<const char*>(&v), 2); };
  u32(kDeletionVectorMagic);
  uint64_t buckets = 1;
  out.append(reinterpret_cast<const char*>(&buckets), 8);
  u32(0);      // bucket key
  u32(12346);  // no runs
  u32(1);      // one container
  u16(0);
  u16(static_cast<uint16_t>(rows.size() - 1));
  u32(0);  // offset (ignored)
  for (uint16_t r : rows) u16(r);
  return out;
}

TEST(Z85Test, RoundTripsAndRejectsBadText) {
  std::string bytes("\x86\x4f\xd2\x6f\xb5\x59\xf7\x5b", 8);
  EXPECT_EQ(Z85Encode(bytes), "HelloWorld");  // the Z85 spec's example
  ASSERT_OK_AND_ASSIGN(std::string decoded, Z85Decode("HelloWorld"));
  EXPECT_EQ(decoded, bytes);
  ASSERT_RAISES(kCorruption, Z85Decode("Hello"
                                       "W"));
  ASSERT_RAISES(kCorruption, Z85Decode("Hell\x7f"));
  // 85^5 - 1 > 2^32 - 1: the group wraps like Delta's decoder.
  ASSERT_OK_AND_ASSIGN(decoded, Z85Decode("#####"));
  EXPECT_EQ(decoded.size(), 4u);
}

// The inline example of PROTOCOL.md's deletion vector section (Spark's native layout).
TEST(DeletionVectorTest, SpecInlineExample) {
  DeletionVectorDescriptor dv{
      'i', "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", std::nullopt, 40, 6, std::nullopt};
  ASSERT_OK_AND_ASSIGN(DeletionVector v, LoadDeletionVector(dv, nullptr));
  EXPECT_EQ(v.ToVector(), (std::vector<uint64_t>{3, 4, 7, 11, 18, 29}));
  EXPECT_TRUE(v.Contains(18));
  EXPECT_FALSE(v.Contains(19));
  std::vector<uint32_t> hits;
  v.RowsInRange(5, 20, &hits);
  EXPECT_EQ(hits, (std::vector<uint32_t>{2, 6, 13}));
}

// The z85 UUID example of delta.md §5.
TEST(DeletionVectorTest, RelativePathOfUuidDescriptor) {
  DeletionVectorDescriptor dv{'u', "ab^-aqEH.-t@S}K{vb[*k^", 1, 34, 1, std::nullopt};
  ASSERT_OK_AND_ASSIGN(std::string path, RelativeDeletionVectorPath(dv));
  EXPECT_EQ(path, "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
  dv.path_or_inline_dv = "^-aqEH.-t@S}K{vb[*k^";
  ASSERT_OK_AND_ASSIGN(path, RelativeDeletionVectorPath(dv));
  EXPECT_EQ(path, "deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
  dv.path_or_inline_dv = "short";
  ASSERT_RAISES(kCorruption, RelativeDeletionVectorPath(dv));
}

TEST(DeletionVectorTest, FileFramingIsChecked) {
  std::string bitmap = ArrayBitmap({1, 5, 9});
  auto record = [&](uint32_t size, uint32_t crc) {
    std::string file(1, '\x01');
    char be[4];
    StoreBE32(be, size);
    file.append(be, 4);
    file += bitmap;
    StoreBE32(be, crc);
    file.append(be, 4);
    return file;
  };
  uint32_t crc = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(bitmap.data()), static_cast<uInt>(bitmap.size())));
  DeletionVectorDescriptor dv{'u', "x", 1, static_cast<int32_t>(bitmap.size()), 3, std::nullopt};
  auto good = io::MemoryFile(record(static_cast<uint32_t>(bitmap.size()), crc));
  ASSERT_OK_AND_ASSIGN(DeletionVector v, ReadDeletionVectorFile(*good, dv));
  EXPECT_EQ(v.ToVector(), (std::vector<uint64_t>{1, 5, 9}));
  ASSERT_RAISES(kCorruption, ReadDeletionVectorFile(*io::MemoryFile(record(7, crc)), dv));
  ASSERT_RAISES(kCorruption,
                ReadDeletionVectorFile(
                    *io::MemoryFile(record(static_cast<uint32_t>(bitmap.size()), crc ^ 1)), dv));
  std::string bad_version = record(static_cast<uint32_t>(bitmap.size()), crc);
  bad_version[0] = 2;
  ASSERT_RAISES(kCorruption, ReadDeletionVectorFile(*io::MemoryFile(bad_version), dv));
  dv.offset = 100;
  ASSERT_RAISES(kCorruption, ReadDeletionVectorFile(*good, dv));
}

TEST(DeletionVectorTest, MalformedBitmapsAreCorruption) {
  std::string ok = ArrayBitmap({2, 3});
  ASSERT_OK(DeletionVector::Deserialize(ok));
  for (size_t cut = 0; cut < ok.size(); ++cut) {
    EXPECT_FALSE(DeletionVector::Deserialize(ok.substr(0, cut)).ok()) << "cut at " << cut;
  }
  ASSERT_RAISES(kCorruption, DeletionVector::Deserialize(ArrayBitmap({3, 2})));  // unsorted
  std::string unknown = ok;
  unknown[0] = static_cast<char>(unknown[0] - 1);  // 1681511376 little-endian: no format
  ASSERT_RAISES(kCorruption, DeletionVector::Deserialize(unknown));
}

TEST(DeletionVectorTest, AndNotAndCardinality) {
  DeletionVector a = DeletionVector::FromRows({1, 2, 3, (uint64_t{5} << 32) + 7});
  DeletionVector b = DeletionVector::FromRows({2, (uint64_t{5} << 32) + 7});
  DeletionVector diff = a.AndNot(b);
  EXPECT_EQ(diff.ToVector(), (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(a.cardinality(), 4u);
  std::vector<uint32_t> hits;
  a.RowsInRange((uint64_t{5} << 32), (uint64_t{5} << 32) + 10, &hits);
  EXPECT_EQ(hits, (std::vector<uint32_t>{7}));
}

TEST(DeletionVectorTest, CardinalityMustMatchDescriptor) {
  DeletionVectorDescriptor dv{
      'i', "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", std::nullopt, 40, 5, std::nullopt};
  ASSERT_RAISES(kCorruption, LoadDeletionVector(dv, nullptr));
}

TEST(DeletionVectorTest, InlineFromCdfTable) {
  DeletionVectorDescriptor dv{
      'i', "^Bg9^0rr910000000000iXQKl0rr91000935c8Xg000311onP9", std::nullopt, 40, 4, std::nullopt};
  ASSERT_OK_AND_ASSIGN(DeletionVector v, LoadDeletionVector(dv, nullptr));
  EXPECT_EQ(v.cardinality(), 4u);
}

}  // namespace
}  // namespace ds::delta
