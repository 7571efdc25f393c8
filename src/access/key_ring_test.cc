// Master keys, per-tenant key derivation (against vectors computed independently by
// test/access/key_ring_vectors.py with Python's hmac/hashlib), and MAC'd tokens.
#include "access/key_ring.h"

#include <sys/stat.h>

#include <cstdlib>

#include "access/mac_token.h"
#include "io/file.h"
#include "test/testing/testing.h"
#include "util/base64.h"
#include "util/string_util.h"

namespace ds::access {
namespace {

const char* kMasterHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

MasterKey TestMaster() { return MasterKey::FromText(kMasterHex, "test").ValueOrDie(); }

std::shared_ptr<KeyRing> TestRing() { return std::make_shared<KeyRing>(TestMaster()); }

struct Vector {
  KeyPurpose purpose;
  const char* tenant;
  int64_t version;
  const char* hex;
};

// Output of test/access/key_ring_vectors.py.
const Vector kVectors[] = {
    {KeyPurpose::kTokenPepper, "3f2504e0-4f89-41d3-9a0c-0305e82c3301", 1,
     "a822ab7915838b1779183be2c3a9e5bdb8006de262daaee09d0a7d98aa3ac7e4"},
    {KeyPurpose::kTokenPepper, "3f2504e0-4f89-41d3-9a0c-0305e82c3301", 2,
     "bebb9e60b58e638b085cdb93f33e776e078111840da762e96f5564c5124b14d4"},
    {KeyPurpose::kPageToken, "3f2504e0-4f89-41d3-9a0c-0305e82c3301", 1,
     "c5bc51c1425138063908efdfb28adb87e43e90a7c11b21493a5978f61b5eed1e"},
    {KeyPurpose::kUrlSigning, "8d1b9bb3-0e0c-4c57-9d3b-2b2c5a0f7e11", 1,
     "e6511ee8a10eb11d31525286b1ec2e8e31e64da2395f6a34a628696a7346f0fd"},
    {KeyPurpose::kDataKey, "c0ffee00-0000-4000-8000-000000000000", 7,
     "e74e7121079090235606ba2d559bf9da846ce7d4743078347c6f98f43359c54b"},
    {KeyPurpose::kActivation, "", 1,
     "27565d3cd3e2fc8f9948213a78da3eda6d080d52cb1469276d5cef285e68d44f"},
};

TEST(KeyRingTest, DerivationMatchesIndependentVectors) {
  MasterKey master = TestMaster();
  for (const Vector& v : kVectors) {
    EXPECT_EQ(HexEncode(KeyRing::Derive(master, v.purpose, v.tenant, v.version)), v.hex)
        << KeyPurposeName(v.purpose) << " " << v.tenant << " v" << v.version;
  }
}

TEST(KeyRingTest, KeysDependOnPurposeTenantAndVersion) {
  auto ring = TestRing();
  ASSERT_OK(ring->SetVersions({{1, 0, {}}, {2, 0, {}}}));
  ASSERT_OK_AND_ASSIGN(std::string a, ring->Key(KeyPurpose::kPageToken, "tenant-a", 1));
  ASSERT_OK_AND_ASSIGN(std::string a_again, ring->Key(KeyPurpose::kPageToken, "tenant-a", 1));
  ASSERT_OK_AND_ASSIGN(std::string b, ring->Key(KeyPurpose::kPageToken, "tenant-b", 1));
  ASSERT_OK_AND_ASSIGN(std::string refresh, ring->Key(KeyPurpose::kRefreshToken, "tenant-a", 1));
  ASSERT_OK_AND_ASSIGN(std::string v2, ring->Key(KeyPurpose::kPageToken, "tenant-a", 2));
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a, a_again);
  EXPECT_NE(a, b);
  EXPECT_NE(a, refresh);
  EXPECT_NE(a, v2);
  // A tenant id cannot smuggle in the field separator.
  ASSERT_RAISES(kInvalidArgument, ring->Key(KeyPurpose::kPageToken,
                                            std::string("tenant-a\0"
                                                        "1",
                                                        10),
                                            1));
}

TEST(KeyRingTest, VersionsRotate) {
  auto ring = TestRing();
  EXPECT_EQ(ring->current_version(), 1);
  ASSERT_OK(ring->SetVersions({{1, 0, int64_t{5}}, {2, 0, {}}, {3, 0, {}}}));
  EXPECT_EQ(ring->current_version(), 3);
  EXPECT_FALSE(ring->IsActive(1));
  EXPECT_TRUE(ring->IsActive(2));
  ASSERT_RAISES(kFailedPrecondition, ring->Key(KeyPurpose::kPageToken, "t", 1));
  ASSERT_RAISES(kFailedPrecondition, ring->Key(KeyPurpose::kPageToken, "t", 9));
  int64_t version = 0;
  ASSERT_OK(ring->CurrentKey(KeyPurpose::kPageToken, "t", &version));
  EXPECT_EQ(version, 3);
  ASSERT_RAISES(kInvalidArgument, ring->SetVersions({{1, 0, int64_t{5}}}));
  EXPECT_EQ(ring->current_version(), 3);  // unchanged
}

TEST(MasterKeyTest, TextForms) {
  ASSERT_OK(MasterKey::FromText(kMasterHex, "t"));
  ASSERT_OK(MasterKey::FromText(std::string(kMasterHex) + "\n", "t"));
  std::string raw = MasterKey::FromText(kMasterHex, "t").ValueOrDie().bytes();
  ASSERT_OK(MasterKey::FromText(Base64Encode(raw), "t"));
  ASSERT_OK(MasterKey::FromText(Base64UrlEncode(raw), "t"));
  ASSERT_OK_AND_ASSIGN(std::string generated, MasterKey::GenerateText());
  EXPECT_EQ(generated.size(), 64u);
  ASSERT_OK_AND_ASSIGN(MasterKey g, MasterKey::FromText(generated, "generated"));
  EXPECT_EQ(g.Fingerprint().size(), 16u);
  EXPECT_NE(g.Fingerprint(), TestMaster().Fingerprint());
}

TEST(MasterKeyTest, WeakKeysAreRefusedWithoutEchoingThem) {
  Status short_key = MasterKey::FromText("00112233445566778899aabbccddeeff", "file 'k'").status();
  EXPECT_EQ(short_key.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(short_key.message().find("at least 32"), std::string::npos) << short_key;
  EXPECT_EQ(short_key.message().find("00112233"), std::string::npos) << short_key;
  ASSERT_RAISES(kInvalidArgument, MasterKey::FromText(std::string(64, '0'), "t"));
  ASSERT_RAISES(kInvalidArgument, MasterKey::FromText(std::string(64, 'a'), "t"));
  Status passphrase = MasterKey::FromText("correct horse battery staple!!", "t").status();
  EXPECT_EQ(passphrase.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(passphrase.message().find("horse"), std::string::npos);
  ASSERT_RAISES(kInvalidArgument, MasterKey::FromText("", "t"));
}

TEST(MasterKeyTest, FromFileAndEnvironment) {
  testing::TempDir dir;
  std::string path = dir.Join("master.key");
  ASSERT_OK(io::WriteStringToFile(path, std::string(kMasterHex) + "\n"));
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  ASSERT_OK_AND_ASSIGN(MasterKey from_file, MasterKey::Load(path));
  EXPECT_EQ(from_file.Fingerprint(), TestMaster().Fingerprint());
  ASSERT_EQ(::chmod(path.c_str(), 0666), 0);
  ASSERT_RAISES(kInvalidArgument, MasterKey::FromFile(path));
  ASSERT_RAISES(kNotFound, MasterKey::FromFile(dir.Join("missing")));
  ASSERT_RAISES(kInvalidArgument, MasterKey::FromFile(dir.path().string()));

  ::unsetenv(MasterKey::kEnvVar);
  ASSERT_RAISES(kFailedPrecondition, MasterKey::Load(""));
  ::setenv(MasterKey::kEnvVar, kMasterHex, 1);
  ASSERT_OK_AND_ASSIGN(MasterKey from_env, MasterKey::Load(""));
  EXPECT_EQ(from_env.Fingerprint(), TestMaster().Fingerprint());
  ::setenv(MasterKey::kEnvVar, "short", 1);
  Status st = MasterKey::Load("").status();
  EXPECT_NE(st.message().find("$DELTASHARE_MASTER_KEY"), std::string::npos) << st;
  ::unsetenv(MasterKey::kEnvVar);
}

class MacTokenTest : public ::testing::Test {
 protected:
  std::shared_ptr<KeyRing> ring_ = TestRing();
  MacTokenCodec codec_{ring_};
};

TEST_F(MacTokenTest, RoundTrip) {
  ASSERT_OK_AND_ASSIGN(std::string text,
                       codec_.Encode(KeyPurpose::kPageToken, "tenant-a", "payload\0bytes", 5000));
  ASSERT_OK_AND_ASSIGN(MacTokenContents c,
                       codec_.Decode(KeyPurpose::kPageToken, "tenant-a", text, 4999));
  EXPECT_EQ(c.payload, std::string("payload\0bytes", 7));  // a C string literal stops at \0
  EXPECT_EQ(c.expires_at_ms, 5000);
  EXPECT_EQ(c.key_version, 1);
  ASSERT_OK_AND_ASSIGN(std::string never, codec_.Encode(KeyPurpose::kQueryId, "t", "", 0));
  ASSERT_OK_AND_ASSIGN(c, codec_.Decode(KeyPurpose::kQueryId, "t", never, INT64_MAX));
  EXPECT_EQ(c.payload, "");
}

TEST_F(MacTokenTest, ForeignTenantPurposeTamperingAndExpiryAreRefused) {
  ASSERT_OK_AND_ASSIGN(std::string text,
                       codec_.Encode(KeyPurpose::kPageToken, "tenant-a", "offset=10", 5000));
  ASSERT_RAISES(kInvalidArgument, codec_.Decode(KeyPurpose::kPageToken, "tenant-b", text, 0));
  ASSERT_RAISES(kInvalidArgument, codec_.Decode(KeyPurpose::kRefreshToken, "tenant-a", text, 0));
  ASSERT_RAISES(kInvalidArgument, codec_.Decode(KeyPurpose::kPageToken, "tenant-a", text, 5000));
  // Every single-character change is caught.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < text.size(); ++i) {
    std::string altered = text;
    altered[i] = alphabet[(alphabet.find(text[i]) + 1) % alphabet.size()];
    EXPECT_FALSE(codec_.Decode(KeyPurpose::kPageToken, "tenant-a", altered, 0).ok()) << i;
  }
  // Truncations and extensions too.
  for (size_t n = 0; n < text.size(); ++n) {
    EXPECT_FALSE(codec_.Decode(KeyPurpose::kPageToken, "tenant-a", text.substr(0, n), 0).ok());
  }
  EXPECT_FALSE(codec_.Decode(KeyPurpose::kPageToken, "tenant-a", text + "A", 0).ok());
  EXPECT_FALSE(codec_.Decode(KeyPurpose::kPageToken, "tenant-a", text + "=", 0).ok());
  EXPECT_FALSE(codec_.Decode(KeyPurpose::kPageToken, "tenant-a", "", 0).ok());
  EXPECT_FALSE(codec_.Decode(KeyPurpose::kPageToken, "tenant-a", std::string(20000, 'A'), 0).ok());
  Status st = codec_.Decode(KeyPurpose::kPageToken, "tenant-a", text, 6000).status();
  EXPECT_EQ(st.message(), "token has expired");
}

TEST_F(MacTokenTest, KeyRotationKeepsOldTokensUntilRetired) {
  ASSERT_OK_AND_ASSIGN(std::string old_text, codec_.Encode(KeyPurpose::kRefreshToken, "t", "x", 0));
  ASSERT_OK(ring_->SetVersions({{1, 0, {}}, {2, 0, {}}}));
  ASSERT_OK_AND_ASSIGN(std::string new_text, codec_.Encode(KeyPurpose::kRefreshToken, "t", "x", 0));
  ASSERT_OK_AND_ASSIGN(MacTokenContents c,
                       codec_.Decode(KeyPurpose::kRefreshToken, "t", new_text, 0));
  EXPECT_EQ(c.key_version, 2);
  ASSERT_OK_AND_ASSIGN(c, codec_.Decode(KeyPurpose::kRefreshToken, "t", old_text, 0));
  EXPECT_EQ(c.key_version, 1);
  ASSERT_OK(ring_->SetVersions({{1, 0, int64_t{1}}, {2, 0, {}}}));
  Status st = codec_.Decode(KeyPurpose::kRefreshToken, "t", old_text, 0).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("retired"), std::string::npos) << st;
  ASSERT_OK(codec_.Decode(KeyPurpose::kRefreshToken, "t", new_text, 0));
}

TEST_F(MacTokenTest, LimitsAndAnotherMasterKey) {
  ASSERT_RAISES(kInvalidArgument,
                codec_.Encode(KeyPurpose::kPageToken, "t", std::string(8193, 'p'), 0));
  ASSERT_RAISES(kInvalidArgument, codec_.Encode(KeyPurpose::kPageToken, "t", "p", -1));
  ASSERT_OK_AND_ASSIGN(std::string big,
                       codec_.Encode(KeyPurpose::kPageToken, "t", std::string(8192, 'p'), 0));
  ASSERT_OK(codec_.Decode(KeyPurpose::kPageToken, "t", big, 0));
  ASSERT_OK_AND_ASSIGN(std::string other_hex, MasterKey::GenerateText());
  MacTokenCodec other(std::make_shared<KeyRing>(MasterKey::FromText(other_hex, "t").ValueOrDie()));
  ASSERT_OK_AND_ASSIGN(std::string text, codec_.Encode(KeyPurpose::kPageToken, "t", "p", 0));
  ASSERT_RAISES(kInvalidArgument, other.Decode(KeyPurpose::kPageToken, "t", text, 0));
}

}  // namespace
}  // namespace ds::access
