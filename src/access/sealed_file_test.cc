// Encryption at rest: round trips, ranged reads, and every way a sealed file can be altered.
#include "access/sealed_file.h"

#include "io/file.h"
#include "test/testing/testing.h"

namespace ds::access {
namespace {

constexpr uint32_t kChunk = 1024;

std::shared_ptr<KeyRing> Ring() {
  return std::make_shared<KeyRing>(
      MasterKey::FromText("2f7a4c9e1b6d3f8a0c5e7b2d9f4a6c1e8b3d5f0a7c2e9b4d6f1a3c8e5b0d7f2a",
                          "test")
          .ValueOrDie());
}

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + 7) & 0xFF);
  return s;
}

Result<std::unique_ptr<SealedFileReader>> OpenBytes(const KeyRing& keys, std::string_view share,
                                                    const std::string& sealed) {
  return SealedFileReader::Open(keys, share, io::MemoryFile(sealed, "sealed"));
}

TEST(SealedFileTest, RoundTripsAtEverySizeAroundChunkBoundaries) {
  auto keys = Ring();
  for (size_t n : {size_t{0}, size_t{1}, size_t{kChunk - 1}, size_t{kChunk}, size_t{kChunk + 1},
                   size_t{3 * kChunk}, size_t{3 * kChunk + 500}}) {
    std::string plain = Pattern(n);
    ASSERT_OK_AND_ASSIGN(std::string sealed, SealBytes(*keys, "share-1", plain, kChunk));
    size_t chunks = n == 0 ? 1 : (n + kChunk - 1) / kChunk;
    EXPECT_EQ(sealed.size(), kSealedHeaderBytes + n + chunks * kSealedChunkOverhead) << n;
    if (n >= 32) {  // no plaintext run survives (shorter ones may occur by chance)
      EXPECT_EQ(sealed.find(plain.substr(0, 32)), std::string::npos) << n;
    }
    ASSERT_OK_AND_ASSIGN(auto reader, OpenBytes(*keys, "share-1", sealed));
    EXPECT_EQ(reader->plaintext_size(), static_cast<int64_t>(n));
    ASSERT_OK_AND_ASSIGN(std::string all, reader->ReadRange(0, static_cast<int64_t>(n)));
    EXPECT_EQ(all, plain) << n;
  }
}

TEST(SealedFileTest, RangedReadsTouchOnlyTheirChunks) {
  auto keys = Ring();
  std::string plain = Pattern(5 * kChunk + 123);
  io::MemoryOutputStream out;
  ASSERT_OK_AND_ASSIGN(auto writer, SealedFileWriter::Make(*keys, "s", &out, kChunk));
  for (size_t i = 0; i < plain.size(); i += 700) ASSERT_OK(writer->Append(plain.substr(i, 700)));
  ASSERT_OK(writer->Finish());
  ASSERT_RAISES(kFailedPrecondition, writer->Append("x"));
  Buffer b = out.Take();
  std::string sealed(reinterpret_cast<const char*>(b.data()), b.size());
  ASSERT_OK_AND_ASSIGN(auto reader, OpenBytes(*keys, "s", sealed));
  for (auto [offset, length] : std::vector<std::pair<int64_t, int64_t>>{{0, 1},
                                                                        {kChunk - 1, 2},
                                                                        {kChunk, kChunk},
                                                                        {100, 3 * kChunk},
                                                                        {5 * kChunk, 123},
                                                                        {5 * kChunk + 122, 1},
                                                                        {2000, 0}}) {
    ASSERT_OK_AND_ASSIGN(std::string got, reader->ReadRange(offset, length));
    EXPECT_EQ(got, plain.substr(offset, length)) << offset << "+" << length;
  }
  ASSERT_RAISES(kOutOfRange, reader->ReadRange(5 * kChunk + 100, 24));
  ASSERT_RAISES(kOutOfRange, reader->ReadRange(-1, 1));
  // Corrupting the last chunk leaves the others readable.
  sealed.back() ^= 1;
  ASSERT_OK_AND_ASSIGN(reader, OpenBytes(*keys, "s", sealed));
  ASSERT_OK(reader->ReadRange(0, kChunk));
  ASSERT_RAISES(kCorruption, reader->ReadRange(5 * kChunk, 1));
}

TEST(SealedFileTest, AlteredFilesAreRefused) {
  auto keys = Ring();
  std::string plain = Pattern(3 * kChunk);
  ASSERT_OK_AND_ASSIGN(std::string sealed, SealBytes(*keys, "share-a", plain, kChunk));
  auto readable = [&](const std::string& bytes, std::string_view share = "share-a") {
    auto reader = OpenBytes(*keys, share, bytes);
    return reader.ok() && (*reader)->ReadRange(0, (*reader)->plaintext_size()).ok();
  };
  ASSERT_TRUE(readable(sealed));
  EXPECT_FALSE(readable(sealed, "share-b"));  // another share's key
  for (size_t i = 0; i < sealed.size(); i += 97) {
    std::string altered = sealed;
    altered[i] ^= 0x20;
    EXPECT_FALSE(readable(altered)) << "byte " << i;
  }
  const size_t sealed_chunk = kChunk + kSealedChunkOverhead;
  // Truncated at a chunk boundary: the new last chunk was not sealed as last.
  EXPECT_FALSE(readable(sealed.substr(0, kSealedHeaderBytes + 2 * sealed_chunk)));
  EXPECT_FALSE(readable(sealed.substr(0, sealed.size() - 1)));
  EXPECT_FALSE(readable(sealed + "x"));
  // Two chunks swapped.
  std::string swapped = sealed;
  swapped.replace(kSealedHeaderBytes, sealed_chunk,
                  sealed.substr(kSealedHeaderBytes + sealed_chunk, sealed_chunk));
  swapped.replace(kSealedHeaderBytes + sealed_chunk, sealed_chunk,
                  sealed.substr(kSealedHeaderBytes, sealed_chunk));
  EXPECT_FALSE(readable(swapped));
  // A chunk from another file of the same share.
  ASSERT_OK_AND_ASSIGN(std::string other, SealBytes(*keys, "share-a", plain, kChunk));
  std::string spliced = sealed;
  spliced.replace(kSealedHeaderBytes, sealed_chunk, other.substr(kSealedHeaderBytes, sealed_chunk));
  EXPECT_FALSE(readable(spliced));
  ASSERT_RAISES(kCorruption, OpenBytes(*keys, "share-a", "DSEF"));
  ASSERT_RAISES(kCorruption, OpenBytes(*keys, "share-a", std::string(100, 'x')));
}

TEST(SealedFileTest, KeyVersions) {
  auto keys = Ring();
  ASSERT_OK_AND_ASSIGN(std::string v1, SealBytes(*keys, "s", "old data", kChunk));
  ASSERT_OK(keys->SetVersions({{1, 0, {}}, {2, 0, {}}}));
  ASSERT_OK_AND_ASSIGN(std::string v2, SealBytes(*keys, "s", "new data", kChunk));
  ASSERT_OK_AND_ASSIGN(auto r1, OpenBytes(*keys, "s", v1));
  ASSERT_OK_AND_ASSIGN(auto r2, OpenBytes(*keys, "s", v2));
  EXPECT_EQ(r1->key_version(), 1);
  EXPECT_EQ(r2->key_version(), 2);
  EXPECT_EQ(r1->ReadRange(0, 8).ValueOr(""), "old data");
  ASSERT_OK(keys->SetVersions({{1, 0, int64_t{1}}, {2, 0, {}}}));
  ASSERT_RAISES(kFailedPrecondition, OpenBytes(*keys, "s", v1));
  ASSERT_RAISES(kInvalidArgument, SealBytes(*keys, "s", "x", 100));
}

}  // namespace
}  // namespace ds::access
