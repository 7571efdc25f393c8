// SealedStore: the object-store conformance suite over memory and local disk, what reaches
// the inner store, ranged reads that open only their chunks, tampering, key versions.
#include "access/sealed_store.h"

#include <mutex>

#include "objstore/local_store.h"
#include "objstore/memory_store.h"
#include "objstore/store_conformance.h"
#include "test/testing/testing.h"

namespace ds::access {
namespace {

constexpr uint32_t kChunk = 1024;

std::shared_ptr<KeyRing> Ring() {
  return std::make_shared<KeyRing>(
      MasterKey::FromText("4d8b2f6a0c3e5a7b9d1f2c4e6a8b0d3f5c7e9a1b2d4f6a8c0e3b5d7f9a2c4e6b",
                          "test")
          .ValueOrDie());
}

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 151 + 3) & 0xFF);
  return s;
}

// Forwards to a MemoryStore and records the byte ranges read from it.
class RecordingStore final : public objstore::ObjectStore {
 public:
  std::string Uri(std::string_view key) const override { return inner_.Uri(key); }
  Result<objstore::ObjectMeta> Head(const std::string& key) const override {
    return inner_.Head(key);
  }
  Result<std::vector<objstore::ObjectMeta>> List(
      const std::string& prefix, const objstore::ListOptions& options) const override {
    return inner_.List(prefix, options);
  }
  Result<std::string> Get(const std::string& key) const override { return inner_.Get(key); }
  Result<std::string> GetRange(const std::string& key, int64_t offset,
                               int64_t length) const override {
    std::lock_guard lock(mu_);
    ranges_.emplace_back(offset, length);
    return inner_.GetRange(key, offset, length);
  }
  Status Put(const std::string& key, std::string_view bytes) override {
    return inner_.Put(key, bytes);
  }
  Status PutIfAbsent(const std::string& key, std::string_view bytes) override {
    return inner_.PutIfAbsent(key, bytes);
  }
  Status Delete(const std::string& key) override { return inner_.Delete(key); }

  std::vector<std::pair<int64_t, int64_t>> TakeRanges() {
    std::lock_guard lock(mu_);
    return std::exchange(ranges_, {});
  }

 private:
  objstore::MemoryStore inner_;
  mutable std::mutex mu_;
  mutable std::vector<std::pair<int64_t, int64_t>> ranges_;
};

TEST(SealedStoreTest, PassesTheConformanceSuiteOverMemory) {
  auto inner = std::make_shared<objstore::MemoryStore>();
  ASSERT_OK_AND_ASSIGN(auto store, SealedStore::Make(inner, Ring(), "share-1", kChunk));
  objstore::conformance::CheckConformance(store.get(), "t1/");
}

TEST(SealedStoreTest, PassesTheConformanceSuiteOnLocalDisk) {
  ds::testing::TempDir dir;
  auto inner = std::make_shared<objstore::LocalStore>(dir.path().string());
  ASSERT_OK_AND_ASSIGN(auto store, SealedStore::Make(inner, Ring(), "share-1"));
  objstore::conformance::CheckConformance(store.get(), "t1/");
}

TEST(SealedStoreTest, InnerObjectsAreSealedAndSizesArePlaintextSizes) {
  auto inner = std::make_shared<objstore::MemoryStore>();
  ASSERT_OK_AND_ASSIGN(auto store, SealedStore::Make(inner, Ring(), "share-1", kChunk));
  for (size_t n : {size_t{0}, size_t{1}, size_t{kChunk}, size_t{3 * kChunk + 17}}) {
    const std::string key = "part-" + std::to_string(n) + ".parquet";
    const std::string plain = Pattern(n);
    ASSERT_OK(store->Put(key, plain));
    ASSERT_OK_AND_ASSIGN(std::string raw, inner->Get(key));
    EXPECT_EQ(raw.substr(0, 4), "DSEF");
    EXPECT_EQ(static_cast<int64_t>(raw.size()), SealedSize(static_cast<int64_t>(n), kChunk));
    if (n >= 32) {
      EXPECT_EQ(raw.find(plain.substr(0, 32)), std::string::npos);
    }
    ASSERT_OK_AND_ASSIGN(auto head, store->Head(key));
    EXPECT_EQ(head.size, static_cast<int64_t>(n));
    EXPECT_EQ(store->Get(key).ValueOr("?"), plain);
  }
  ASSERT_OK_AND_ASSIGN(auto listed, store->List(""));
  ASSERT_EQ(listed.size(), 4u);
  for (const auto& m : listed) {
    ASSERT_OK_AND_ASSIGN(auto head, store->Head(m.key));
    EXPECT_EQ(m.size, head.size) << m.key;
    ASSERT_OK_AND_ASSIGN(auto file, store->OpenRead(m.key, m.size));
    EXPECT_EQ(file->size(), m.size);
  }
  EXPECT_EQ(store->Uri("a/b"), inner->Uri("a/b"));
}

TEST(SealedStoreTest, RangedReadsOpenOnlyTheChunksTheyTouch) {
  auto inner = std::make_shared<RecordingStore>();
  ASSERT_OK_AND_ASSIGN(auto store, SealedStore::Make(inner, Ring(), "share-1", kChunk));
  const std::string plain = Pattern(8 * kChunk + 100);
  ASSERT_OK(store->Put("f", plain));
  const int64_t sealed_chunk = kChunk + kSealedChunkOverhead;

  ASSERT_OK_AND_ASSIGN(std::string got, store->GetRange("f", 3 * kChunk + 10, 50));
  EXPECT_EQ(got, plain.substr(3 * kChunk + 10, 50));
  auto ranges = inner->TakeRanges();
  ASSERT_EQ(ranges.size(), 2u);  // the header, then chunk 3 only
  EXPECT_EQ(ranges[0], (std::pair<int64_t, int64_t>{0, kSealedHeaderBytes}));
  EXPECT_EQ(ranges[1],
            (std::pair<int64_t, int64_t>{kSealedHeaderBytes + 3 * sealed_chunk, sealed_chunk}));

  ASSERT_OK_AND_ASSIGN(auto file, store->OpenRead("f", static_cast<int64_t>(plain.size())));
  inner->TakeRanges();
  ASSERT_OK_AND_ASSIGN(Buffer tail, file->ReadAt(static_cast<int64_t>(plain.size()) - 120, 120));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(tail.data()), tail.size()),
            plain.substr(plain.size() - 120));
  EXPECT_EQ(inner->TakeRanges().size(), 2u);  // chunks 7 and 8
  ASSERT_RAISES(kOutOfRange, store->GetRange("f", static_cast<int64_t>(plain.size()) - 1, 2));
}

TEST(SealedStoreTest, RefusesAlteredMovedForeignAndPlainObjects) {
  auto inner = std::make_shared<objstore::MemoryStore>();
  auto keys = Ring();
  ASSERT_OK_AND_ASSIGN(auto store, SealedStore::Make(inner, keys, "share-1", kChunk));
  ASSERT_OK_AND_ASSIGN(auto other_share, SealedStore::Make(inner, keys, "share-2", kChunk));
  const std::string plain = Pattern(4 * kChunk);
  ASSERT_OK(store->Put("data/f1", plain));
  ASSERT_OK_AND_ASSIGN(std::string raw, inner->Get("data/f1"));

  // One flipped byte in chunk 2 (in place): that chunk fails, the others still read.
  std::string altered = raw;
  altered[kSealedHeaderBytes + 2 * (kChunk + kSealedChunkOverhead) + 40] ^= 1;
  ASSERT_OK(store->Put("data/altered", plain));
  ASSERT_OK(inner->Put("data/altered", altered));
  ASSERT_RAISES(kCorruption, store->Get("data/altered"));
  ASSERT_RAISES(kCorruption, store->GetRange("data/altered", 2 * kChunk + 5, 10));
  ASSERT_RAISES(kCorruption, store->GetRange("data/altered", 0, 100));  // sealed under f1's key
  ASSERT_OK(store->Put("data/f3", plain));
  ASSERT_OK_AND_ASSIGN(std::string raw3, inner->Get("data/f3"));
  raw3[kSealedHeaderBytes + 2 * (kChunk + kSealedChunkOverhead) + 40] ^= 1;
  ASSERT_OK(inner->Put("data/f3", raw3));
  ASSERT_RAISES(kCorruption, store->GetRange("data/f3", 2 * kChunk + 5, 10));
  EXPECT_EQ(store->GetRange("data/f3", 0, 100).ValueOr(""), plain.substr(0, 100));

  // Truncated by a whole chunk, or inside one.
  ASSERT_OK(inner->Put("data/short", raw.substr(0, raw.size() - (kChunk + kSealedChunkOverhead))));
  ASSERT_RAISES(kCorruption, store->Get("data/short"));
  ASSERT_OK(inner->Put("data/cut", raw.substr(0, raw.size() - 5)));
  ASSERT_RAISES(kCorruption, store->Get("data/cut"));

  // The same sealed bytes under another key, or read for another share.
  ASSERT_OK(inner->Put("data/f2", raw));
  ASSERT_RAISES(kCorruption, store->Get("data/f2"));
  ASSERT_RAISES(kCorruption, other_share->Get("data/f1"));
  // Head reads only the header: it tells the size, never the data.
  EXPECT_EQ(other_share->Head("data/f1").ValueOrDie().size, static_cast<int64_t>(plain.size()));

  // Objects that were never sealed are never returned as plaintext.
  ASSERT_OK(inner->Put("data/plain", "PAR1 not sealed at all, but long enough for a header"));
  ASSERT_RAISES(kCorruption, store->Get("data/plain"));
  ASSERT_RAISES(kCorruption, store->Head("data/plain"));
  ASSERT_OK(inner->Put("data/tiny", "x"));
  ASSERT_RAISES(kCorruption, store->Get("data/tiny"));
  ASSERT_RAISES(kCorruption, store->List("data/"));  // a size no sealed file has

  EXPECT_EQ(store->Get("data/f1").ValueOr(""), plain);
  ASSERT_RAISES(kInvalidArgument, store->Put("../escape", "x"));
  ASSERT_RAISES(kNotFound, store->Get("data/missing"));
}

TEST(SealedStoreTest, KeyVersionsRotateWithoutRewritingAndRetireForReal) {
  auto inner = std::make_shared<objstore::MemoryStore>();
  auto keys = Ring();
  ASSERT_OK_AND_ASSIGN(auto store, SealedStore::Make(inner, keys, "share-1", kChunk));
  ASSERT_OK(store->Put("old", "sealed at version 1"));
  ASSERT_OK(keys->SetVersions({{1, 0, std::nullopt}, {2, 0, std::nullopt}}));
  ASSERT_OK(store->Put("new", "sealed at version 2"));
  EXPECT_EQ(store->Get("old").ValueOr(""), "sealed at version 1");
  EXPECT_EQ(store->Get("new").ValueOr(""), "sealed at version 2");
  ASSERT_OK(keys->SetVersions({{1, 0, int64_t{5}}, {2, 0, std::nullopt}}));
  ASSERT_RAISES(kFailedPrecondition, store->Get("old"));
  EXPECT_EQ(store->Get("new").ValueOr(""), "sealed at version 2");
}

TEST(SealedStoreTest, ObjectsOfAnotherChunkSizeStillRead) {
  auto inner = std::make_shared<objstore::MemoryStore>();
  auto keys = Ring();
  ASSERT_OK_AND_ASSIGN(auto small, SealedStore::Make(inner, keys, "share-1", kChunk));
  ASSERT_OK_AND_ASSIGN(auto large, SealedStore::Make(inner, keys, "share-1", 4 * kChunk));
  const std::string plain = Pattern(10 * kChunk + 1);
  ASSERT_OK(small->Put("f", plain));
  ASSERT_OK_AND_ASSIGN(auto head, large->Head("f"));
  EXPECT_EQ(head.size, static_cast<int64_t>(plain.size()));
  ASSERT_OK_AND_ASSIGN(auto listed, large->List(""));
  ASSERT_EQ(listed.size(), 1u);
  // The listing's size is off (computed at 4 KiB chunks); OpenRead notices and recovers.
  ASSERT_OK_AND_ASSIGN(auto file, large->OpenRead("f", listed[0].size));
  EXPECT_EQ(file->size(), static_cast<int64_t>(plain.size()));
  EXPECT_EQ(large->Get("f").ValueOr(""), plain);
}

TEST(SealedStoreTest, MakeValidatesItsArguments) {
  auto inner = std::make_shared<objstore::MemoryStore>();
  ASSERT_RAISES(kInvalidArgument, SealedStore::Make(nullptr, Ring(), "s"));
  ASSERT_RAISES(kInvalidArgument, SealedStore::Make(inner, nullptr, "s"));
  ASSERT_RAISES(kInvalidArgument, SealedStore::Make(inner, Ring(), ""));
  ASSERT_RAISES(kInvalidArgument, SealedStore::Make(inner, Ring(), "s", 10));
}

}  // namespace
}  // namespace ds::access
