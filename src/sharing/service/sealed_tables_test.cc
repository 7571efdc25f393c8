// Sealed cache locations and the resolver that opens encrypted tables through a SealedStore.
#include "sharing/service/sealed_tables.h"

#include "access/sealed_store.h"
#include "objstore/memory_store.h"
#include "test/testing/testing.h"

namespace ds::sharing::service {
namespace {

constexpr char kMasterKeyHex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

std::shared_ptr<access::KeyRing> Keys() {
  return std::make_shared<access::KeyRing>(
      access::MasterKey::FromText(kMasterKeyHex, "test").ValueOrDie());
}

TEST(SealedTablesTest, CacheLocationsRoundTripAndNeverMatchPlainOnes) {
  const std::string key = SealedCacheLocation("share-1", "/data/t");
  auto parsed = ParseSealedCacheLocation(key);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->share_id, "share-1");
  EXPECT_EQ(parsed->location, "/data/t");
  EXPECT_NE(key, "/data/t");
  EXPECT_NE(SealedCacheLocation("share-2", "/data/t"), key);
  for (std::string_view plain : {"/data/t", "file:///data/t", "s3://b/t", "sealed:x", ""}) {
    EXPECT_FALSE(ParseSealedCacheLocation(plain).has_value()) << plain;
  }
  EXPECT_FALSE(ParseSealedCacheLocation(std::string_view("\0sealed\0\0/x", 11)).has_value());
}

TEST(SealedTablesTest, ResolverWrapsLocalTablesAndRefusesCloudOnes) {
  auto keys = Keys();
  auto memory = std::make_shared<objstore::MemoryStore>();
  int calls = 0;
  LocationResolver inner = [&](const std::string& uri) -> Result<OpenedLocation> {
    ++calls;
    OpenedLocation opened;
    opened.store = memory;
    opened.root = "tables/t/";
    opened.local = uri.rfind("s3://", 0) != 0;
    opened.local_root = "/data/t";
    return opened;
  };
  LocationResolver resolver = WithSealedTables(inner, keys);

  ASSERT_OK_AND_ASSIGN(OpenedLocation plain, resolver("/data/t"));
  EXPECT_EQ(plain.store, memory);
  EXPECT_EQ(plain.root, "tables/t/");
  EXPECT_TRUE(plain.sealed_for.empty());

  ASSERT_OK_AND_ASSIGN(OpenedLocation sealed, resolver(SealedCacheLocation("share-1", "/data/t")));
  EXPECT_EQ(sealed.sealed_for, "share-1");
  EXPECT_EQ(sealed.root, "");
  EXPECT_EQ(sealed.local_root, "/data/t");
  // Writes through it are sealed under the table root, reads decrypt.
  ASSERT_OK(sealed.store->Put("_delta_log/00000000000000000000.json", "{\"commitInfo\":{}}\n"));
  ASSERT_OK_AND_ASSIGN(std::string raw,
                       memory->Get("tables/t/_delta_log/00000000000000000000.json"));
  EXPECT_EQ(raw.find("commitInfo"), std::string::npos);
  EXPECT_EQ(raw.substr(0, 4), "DSEF");
  ASSERT_OK_AND_ASSIGN(std::string back, sealed.store->Get("_delta_log/00000000000000000000.json"));
  EXPECT_EQ(back, "{\"commitInfo\":{}}\n");
  // Another share's key does not open it.
  ASSERT_OK_AND_ASSIGN(OpenedLocation other, resolver(SealedCacheLocation("share-2", "/data/t")));
  ASSERT_RAISES(kCorruption, other.store->Get("_delta_log/00000000000000000000.json"));

  Status cloud = resolver(SealedCacheLocation("share-1", "s3://bucket/t")).status();
  EXPECT_EQ(cloud.code(), StatusCode::kFailedPrecondition) << cloud;
  EXPECT_NE(cloud.message().find("must be local"), std::string::npos) << cloud;
  EXPECT_EQ(calls, 4);
}

}  // namespace
}  // namespace ds::sharing::service
