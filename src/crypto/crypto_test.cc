#include "crypto/crypto.h"

#include "test/testing/testing.h"
#include "util/string_util.h"

namespace ds::crypto {
namespace {

TEST(CryptoTest, DigestsMatchKnownVectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(CryptoTest, HmacMatchesRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, HkdfMatchesRfc5869Case1) {
  const std::string ikm(22, '\x0b');
  std::string salt, info;
  for (int i = 0; i <= 0x0c; ++i) salt.push_back(static_cast<char>(i));
  for (int i = 0xf0; i <= 0xf9; ++i) info.push_back(static_cast<char>(i));
  ASSERT_OK_AND_ASSIGN(std::string okm, HkdfSha256(ikm, salt, info, 42));
  EXPECT_EQ(HexEncode(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  ASSERT_RAISES(kInvalidArgument, HkdfSha256(ikm, salt, info, 0));
}

TEST(CryptoTest, RandomBytesDiffer) {
  ASSERT_OK_AND_ASSIGN(std::string a, RandomBytes(32));
  ASSERT_OK_AND_ASSIGN(std::string b, RandomBytes(32));
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("token", "token"));
  EXPECT_FALSE(ConstantTimeEquals("token", "tokeN"));
  EXPECT_FALSE(ConstantTimeEquals("token", "token2"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(CryptoTest, AesGcmRoundTripAndTamperDetection) {
  const std::string key(32, 'k');
  ASSERT_OK_AND_ASSIGN(std::string sealed, AesGcmEncrypt(key, "parquet bytes", "file-a"));
  EXPECT_EQ(sealed.size(), 12u + 13u + 16u);
  ASSERT_OK_AND_ASSIGN(std::string plain, AesGcmDecrypt(key, sealed, "file-a"));
  EXPECT_EQ(plain, "parquet bytes");
  ASSERT_RAISES(kPermissionDenied, AesGcmDecrypt(key, sealed, "file-b"));
  ASSERT_RAISES(kPermissionDenied, AesGcmDecrypt(std::string(32, 'x'), sealed, "file-a"));
  std::string flipped = sealed;
  flipped[14] ^= 1;
  ASSERT_RAISES(kPermissionDenied, AesGcmDecrypt(key, flipped, "file-a"));
  ASSERT_RAISES(kInvalidArgument, AesGcmDecrypt(key, "short", ""));
  ASSERT_RAISES(kInvalidArgument, AesGcmEncrypt("short key", "x"));
  ASSERT_OK_AND_ASSIGN(std::string empty, AesGcmEncrypt(key, ""));
  ASSERT_OK_AND_ASSIGN(std::string back, AesGcmDecrypt(key, empty));
  EXPECT_EQ(back, "");
}

// A throw-away key generated for this test only.
constexpr char kTestKey[] = R"(-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDGMfa1Ppuf4u43
wa61R9Sox9Bnhc/lx41gtk9Ju1E622QRG8JiT5CLI79gWfiTWWtekZMGDoJcOGr/
ngUk95z0M/rkt75FFXtj//bK/pYcFOpmww2QTlJ8Hjz91wV36P+CoqD1kEF30SaN
ieCjjgCGB0qwCV0hbMJXIlDewKZKMLECq+wUPIpz41/AQk/0tvv4K6mpOUJTSvVT
Vp+qPPN5ieyBwTGvtPDLD+j1cNnWqzDAlS6j60piRCbozmeOXWO+1tIHShPaJD/4
cCToLekiLjMppR7PnI5M3/s0FzRWfx7T/BVVEFRqqyUcb1UBg76hkwioG4KaZSI4
1cBVCMlrAgMBAAECggEAGJh4ulNTssrRrz+s87g/TtbFKSO1Ahn6lIbrXgYN9ZTm
XS0puVOQZ4P/KvDfZUHSjkDYkwbX7KPfu2sbzlOgObn9p8aZqS8aSfWo5dYkQMXj
tO79zuu5VsfV39aASjozAz41ZWQKi9j7xNLYetOTgw6CmUgAM7awg2mxyYL03/3k
8zKQRInekT2DnsKs6PnhhuNHMx7kAnn7ppJrfX1qsmKLYtQ5Ah6Z+gr2gL/15tYv
i0m5EIwVHvWBNPOGz5ZAK0AL1MUdYcxVM9PCNLP43ttzi6RCMumUWPneW3oTezq7
VbRfUIp+LGtK/bSGUqSiZeFSzGZLG3RxhmczfejOAQKBgQDrhE9vc9XoTxfLYwRP
TNYPyrDUUwNc3jn3U5BSvEDOM9FUkjpaPAG+0+zL69q4BCPXgbE7OEA+Ei8waxyw
AigDrnkbRa25xK2I4y+u3I5gfsAJvNi/QmlCwc4N0ymEHrmJjcRexlFCILNG5Qgf
gIve4HOEioZ+K35VVmhlBOUvAQKBgQDXbrOBWEiR3eg6TP2sr9lKFHZEN3R3x+nM
uHpIRh9kxGAuwp8tn9e0gqzeqOAdA0iKZblqLHVT68cFdaUCBJrdIvZHZcNw8Ex5
Md2HX+F1mbGim3wErEZcnhtL/Jk82Jxs4D4KEWmG2ZTsgcQwtst1iSqTE2F5WHkK
rZYfUKIkawKBgQDEPesyowKKH91jy427xfpYDjxprwIOT91dCHQpfFNDfknefjnB
Fl8d8thM0qncyxZSa+6Rub1N+zj2z0mIH0PYTXj8EINBV3CBr0v8GCtKnFLHymOQ
enXa+kIHovvk6vUOeOI3Vmg/AaBgYlbyaNojTEL1HbgTSYpq8STrh7iwAQKBgHL2
e0pR72AP+GZsQY8OxDjZFIewxDFLeIOsCm1ZJlWiyeUKLOGvA/ArL88edYJmByb7
w+dZ1D61ep56OlUKWg4aIyzUrGgvg8/FAX/Fdc5I91db++GOgXnZUZ3KLYgf29Hq
FJFQ22x/3g4b7bNFSOvvB842sHSN9wHwwkTxxaUDAoGBAKSw2MfX630I37w5wpQJ
37ONZJkZRZl2Wds/ZVmgHAqe+3qvB9+stqti41LBD6PCyL8cl1CRYsCYgRbPScqB
slwKLGtjuRJzX7bBA4U8sCx4Gw7q7QGCY9W8OnYmSnSE/DCpgInFNM69GRrx7t/6
38siAV9j68I0qo/rGNn7jU/H
-----END PRIVATE KEY-----
)";

TEST(CryptoTest, RsaSignAndVerify) {
  ASSERT_OK_AND_ASSIGN(auto key, RsaPrivateKey::FromPem(kTestKey));
  ASSERT_OK_AND_ASSIGN(std::string sig, key->SignSha256("GOOG4-RSA-SHA256\n..."));
  EXPECT_EQ(sig.size(), 256u);
  EXPECT_TRUE(key->VerifySha256("GOOG4-RSA-SHA256\n...", sig));
  EXPECT_FALSE(key->VerifySha256("GOOG4-RSA-SHA256\n..,", sig));
  // PKCS#1 v1.5 is deterministic.
  ASSERT_OK_AND_ASSIGN(std::string again, key->SignSha256("GOOG4-RSA-SHA256\n..."));
  EXPECT_EQ(sig, again);
  ASSERT_RAISES(kInvalidArgument, RsaPrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\nxx\n"));
  ASSERT_RAISES(kInvalidArgument, RsaPrivateKey::FromPem(""));
}

}  // namespace
}  // namespace ds::crypto
