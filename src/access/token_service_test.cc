// TokenService over every store backend: issuing, expiry, rotation with grace, revocation,
// keyed hashes, OAuth client credentials and one-time activation links.
#include "access/token_service.h"

#include <atomic>

#include "access/token_format.h"
#include "crypto/crypto.h"
#include "test/access/test_stores.h"
#include "util/string_util.h"

namespace ds::access {
namespace {

using testing::Backend;
using testing::TestDatabase;

const char* kMasterHex = "8a1f3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a";

class TokenServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = TestDatabase::Create(GetParam());
    if (!db.ok() && db.status().IsNotSupported()) GTEST_SKIP() << db.status().message();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(db).value();
    ASSERT_OK_AND_ASSIGN(store_, db_->Open());
    keys_ = std::make_shared<KeyRing>(MasterKey::FromText(kMasterHex, "test").ValueOrDie());
    service_ = std::make_unique<TokenService>(store_, keys_, [this] { return now_.load(); });
    ASSERT_OK_AND_ASSIGN(alice_, CreateRecipient("alice", 3600));
    ASSERT_OK_AND_ASSIGN(bob_, CreateRecipient("bob", kDefaultTokenLifetimeSeconds));
  }

  Result<Recipient> CreateRecipient(const std::string& name, int64_t lifetime) {
    Recipient r;
    r.name = name;
    r.token_lifetime_seconds = lifetime;
    return store_->CreateRecipient(r);
  }

  void Advance(int64_t ms) { now_ += ms; }

  std::atomic<int64_t> now_{1'700'000'000'000};
  std::unique_ptr<TestDatabase> db_;
  AccessStorePtr store_;
  std::shared_ptr<KeyRing> keys_;
  std::unique_ptr<TokenService> service_;
  Recipient alice_, bob_;
};

TEST_P(TokenServiceTest, IssuedTokensVerifyAndAreStoredOnlyAsKeyedHashes) {
  ASSERT_OK_AND_ASSIGN(IssuedToken issued, service_->Issue(alice_, std::nullopt, "laptop"));
  EXPECT_EQ(issued.record.recipient_id, alice_.id);
  EXPECT_EQ(issued.record.expires_at_ms - issued.record.created_at_ms, 3600 * 1000);
  ASSERT_OK_AND_ASSIGN(TokenRecord stored, store_->GetToken(issued.record.id));
  EXPECT_EQ(stored.hash.size(), 64u);
  EXPECT_EQ(stored.label, "laptop");
  const std::string secret = issued.token.substr(issued.token.find('.') + 1);
  EXPECT_EQ(stored.hash.find(secret), std::string::npos);
  EXPECT_NE(stored.hash, crypto::Sha256Hex(issued.token));  // keyed, not a plain digest
  ASSERT_OK_AND_ASSIGN(std::string expected, service_->HashToken(alice_.id, 1, issued.token));
  EXPECT_EQ(stored.hash, expected);
  ASSERT_OK_AND_ASSIGN(TokenRecord verified, service_->Verify(issued.token));
  EXPECT_EQ(verified.id, issued.record.id);
  ASSERT_OK_AND_ASSIGN(IssuedToken bobs, service_->Issue(bob_));
  EXPECT_EQ(bobs.record.expires_at_ms - bobs.record.created_at_ms, 86400 * 1000);
  ASSERT_OK_AND_ASSIGN(IssuedToken custom, service_->Issue(bob_, 60));
  EXPECT_EQ(custom.record.expires_at_ms - custom.record.created_at_ms, 60 * 1000);
  ASSERT_RAISES(kInvalidArgument, service_->Issue(bob_, 0));
}

TEST_P(TokenServiceTest, KeyedHashesDifferAcrossTenants) {
  ASSERT_OK_AND_ASSIGN(IssuedToken issued, service_->Issue(alice_));
  ASSERT_OK_AND_ASSIGN(std::string for_alice, service_->HashToken(alice_.id, 1, issued.token));
  ASSERT_OK_AND_ASSIGN(std::string for_bob, service_->HashToken(bob_.id, 1, issued.token));
  ASSERT_OK_AND_ASSIGN(std::string for_admin, service_->HashToken(kAdminTenant, 1, issued.token));
  EXPECT_NE(for_alice, for_bob);
  EXPECT_NE(for_alice, for_admin);
  // Moving a token row to another recipient does not make it valid there.
  TokenRecord moved = issued.record;
  moved.id = "moved-token-id00";
  moved.recipient_id = bob_.id;
  ASSERT_OK(store_->InsertToken(moved));
  std::string forged = std::string(kTokenPrefix) + moved.id + issued.token.substr(21);
  ASSERT_RAISES(kUnauthenticated, service_->Verify(forged));
}

TEST_P(TokenServiceTest, MalformedUnknownAndTamperedTokens) {
  ASSERT_OK_AND_ASSIGN(IssuedToken issued, service_->Issue(alice_));
  ASSERT_RAISES(kUnauthenticated, service_->Verify(""));
  ASSERT_RAISES(kUnauthenticated, service_->Verify("not-a-token"));
  ASSERT_OK_AND_ASSIGN(MintedToken unknown, MintToken());
  ASSERT_RAISES(kUnauthenticated, service_->Verify(unknown.text));
  for (size_t i : {issued.token.size() - 1, issued.token.size() - 43}) {
    std::string tampered = issued.token;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    Status st = service_->Verify(tampered).status();
    EXPECT_EQ(st.code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(st.message(), "invalid token");
  }
}

TEST_P(TokenServiceTest, TokensExpire) {
  ASSERT_OK_AND_ASSIGN(IssuedToken issued, service_->Issue(alice_, 10));
  Advance(9'999);
  ASSERT_OK(service_->Verify(issued.token));
  Advance(1);
  Status st = service_->Verify(issued.token).status();
  EXPECT_EQ(st.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(st.message(), "token has expired");
}

TEST_P(TokenServiceTest, RotationWithGrace) {
  ASSERT_OK_AND_ASSIGN(IssuedToken old, service_->Issue(alice_));
  Advance(1000);
  ASSERT_OK_AND_ASSIGN(IssuedToken fresh, service_->Rotate(old.record.id, 60));
  EXPECT_NE(fresh.token, old.token);
  EXPECT_EQ(fresh.record.recipient_id, alice_.id);
  ASSERT_OK(service_->Verify(old.token));  // in grace
  ASSERT_OK(service_->Verify(fresh.token));
  ASSERT_OK_AND_ASSIGN(TokenRecord record, store_->GetToken(old.record.id));
  EXPECT_EQ(record.superseded_by, fresh.record.id);
  EXPECT_EQ(record.StateAt(now_), TokenState::kInGrace);
  Advance(60'000);
  Status st = service_->Verify(old.token).status();
  EXPECT_EQ(st.message(), "token has been revoked");
  ASSERT_OK(service_->Verify(fresh.token));
  // An ended token cannot be rotated; rotating the successor with no grace revokes it now.
  ASSERT_RAISES(kFailedPrecondition, service_->Rotate(old.record.id, 60));
  ASSERT_OK_AND_ASSIGN(IssuedToken third, service_->Rotate(fresh.record.id, 0));
  ASSERT_RAISES(kUnauthenticated, service_->Verify(fresh.token));
  ASSERT_OK(service_->Verify(third.token));
  ASSERT_RAISES(kNotFound, service_->Rotate("no-such-token", 0));
  ASSERT_RAISES(kInvalidArgument, service_->Rotate(third.record.id, -1));
}

TEST_P(TokenServiceTest, RevokeOneOrAllWithoutTouchingOtherRecipients) {
  ASSERT_OK_AND_ASSIGN(IssuedToken a1, service_->Issue(alice_));
  ASSERT_OK_AND_ASSIGN(IssuedToken a2, service_->Issue(alice_));
  ASSERT_OK_AND_ASSIGN(IssuedToken b1, service_->Issue(bob_));
  ASSERT_OK(service_->Revoke(a1.record.id));
  ASSERT_RAISES(kUnauthenticated, service_->Verify(a1.token));
  ASSERT_OK(service_->Verify(a2.token));
  ASSERT_OK_AND_ASSIGN(int64_t n, service_->RevokeAll(alice_));
  EXPECT_EQ(n, 1);
  ASSERT_RAISES(kUnauthenticated, service_->Verify(a2.token));
  ASSERT_OK(service_->Verify(b1.token));
  ASSERT_RAISES(kNotFound, service_->Revoke("missing"));
}

TEST_P(TokenServiceTest, RetiredKeyVersionsInvalidateTheirHashes) {
  ASSERT_OK_AND_ASSIGN(IssuedToken v1, service_->Issue(alice_));
  ASSERT_OK(store_->AddKeyVersion(now_));
  ASSERT_OK_AND_ASSIGN(auto versions, store_->ListKeyVersions());
  ASSERT_OK(keys_->SetVersions(versions));
  ASSERT_OK_AND_ASSIGN(IssuedToken v2, service_->Issue(alice_));
  EXPECT_EQ(v2.record.key_version, 2);
  ASSERT_OK(service_->Verify(v1.token));  // older versions still verify
  ASSERT_OK(store_->RetireKeyVersion(1, now_));
  ASSERT_OK_AND_ASSIGN(versions, store_->ListKeyVersions());
  ASSERT_OK(keys_->SetVersions(versions));
  ASSERT_RAISES(kUnauthenticated, service_->Verify(v1.token));
  ASSERT_OK(service_->Verify(v2.token));
}

TEST_P(TokenServiceTest, AdminTokens) {
  ASSERT_OK_AND_ASSIGN(IssuedToken admin, service_->IssueAdmin(std::nullopt, "ci"));
  EXPECT_EQ(admin.record.kind, TokenKind::kAdmin);
  EXPECT_TRUE(admin.record.recipient_id.empty());
  ASSERT_OK_AND_ASSIGN(TokenRecord r, service_->Verify(admin.token));
  EXPECT_EQ(r.kind, TokenKind::kAdmin);
  ASSERT_OK_AND_ASSIGN(IssuedToken rotated, service_->Rotate(admin.record.id, 0));
  EXPECT_EQ(rotated.record.kind, TokenKind::kAdmin);
  ASSERT_OK_AND_ASSIGN(int64_t n, service_->RevokeAllAdmin());
  EXPECT_EQ(n, 1);
  ASSERT_RAISES(kUnauthenticated, service_->Verify(rotated.token));
}

TEST_P(TokenServiceTest, OAuthClientCredentials) {
  ASSERT_OK_AND_ASSIGN(IssuedClient client, service_->CreateOAuthClient(alice_, 600));
  EXPECT_TRUE(StartsWith(client.client.client_id, "dsoc_"));
  ASSERT_OK_AND_ASSIGN(OAuthClient stored, store_->GetOAuthClient(client.client.client_id));
  EXPECT_EQ(stored.secret_hash.find(client.client_secret), std::string::npos);
  ASSERT_OK_AND_ASSIGN(OAuthAccessToken access, service_->ExchangeClientCredentials(
                                                    client.client.client_id, client.client_secret));
  EXPECT_EQ(access.token_type, "Bearer");
  EXPECT_EQ(access.expires_in_seconds, 600);
  ASSERT_OK_AND_ASSIGN(TokenRecord record, service_->Verify(access.access_token));
  EXPECT_EQ(record.kind, TokenKind::kOAuthAccess);
  EXPECT_EQ(record.recipient_id, alice_.id);
  EXPECT_EQ(record.oauth_client_id, client.client.client_id);
  ASSERT_RAISES(kFailedPrecondition, service_->Rotate(record.id, 0));

  ASSERT_RAISES(kUnauthenticated,
                service_->ExchangeClientCredentials(client.client.client_id, "dsos_wrong"));
  ASSERT_RAISES(kUnauthenticated, service_->ExchangeClientCredentials("dsoc_unknown", "x"));
  ASSERT_RAISES(kUnauthenticated, service_->ExchangeClientCredentials("", ""));
  // The recipient's lifetime caps the client's.
  ASSERT_OK_AND_ASSIGN(IssuedClient long_lived, service_->CreateOAuthClient(alice_, 7200));
  ASSERT_OK_AND_ASSIGN(access, service_->ExchangeClientCredentials(long_lived.client.client_id,
                                                                   long_lived.client_secret));
  EXPECT_EQ(access.expires_in_seconds, 3600);
  // Access tokens expire; deleting the client revokes them.
  ASSERT_OK(store_->DeleteOAuthClient(long_lived.client.client_id, now_));
  ASSERT_RAISES(kUnauthenticated, service_->Verify(access.access_token));
  ASSERT_RAISES(kUnauthenticated, service_->ExchangeClientCredentials(long_lived.client.client_id,
                                                                      long_lived.client_secret));
}

TEST_P(TokenServiceTest, ActivationLinksWorkExactlyOnce) {
  ASSERT_OK_AND_ASSIGN(IssuedActivation link,
                       service_->CreateActivationLink(alice_, "https://share.example/ds", 3600));
  ASSERT_OK_AND_ASSIGN(ActivationLink stored, store_->GetActivationLink(link.link.id));
  EXPECT_EQ(stored.code_hash, crypto::Sha256Hex(link.code));
  ASSERT_OK_AND_ASSIGN(RedeemedActivation redeemed, service_->RedeemActivationLink(link.code));
  EXPECT_EQ(redeemed.recipient.name, "alice");
  EXPECT_EQ(redeemed.endpoint, "https://share.example/ds");
  ASSERT_OK(service_->Verify(redeemed.token.token));
  Status again = service_->RedeemActivationLink(link.code).status();
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.message(), "activation link was already used");

  ASSERT_OK_AND_ASSIGN(IssuedActivation expiring, service_->CreateActivationLink(bob_, "", 60));
  Advance(60'000);
  ASSERT_RAISES(kFailedPrecondition, service_->RedeemActivationLink(expiring.code));

  ASSERT_OK_AND_ASSIGN(IssuedActivation other, service_->CreateActivationLink(bob_, "", 60));
  std::string tampered = other.code;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  ASSERT_RAISES(kNotFound, service_->RedeemActivationLink(tampered));
  ASSERT_RAISES(kNotFound, service_->RedeemActivationLink(""));
  ASSERT_RAISES(kNotFound, service_->RedeemActivationLink("garbage!"));
  ASSERT_OK(service_->RedeemActivationLink(other.code));
}

TEST_P(TokenServiceTest, PurgeEndedTokens) {
  ASSERT_OK_AND_ASSIGN(IssuedToken short_lived, service_->Issue(alice_, 1));
  ASSERT_OK_AND_ASSIGN(IssuedToken live, service_->Issue(alice_));
  Advance(2 * 86400 * 1000LL);
  ASSERT_OK_AND_ASSIGN(IssuedToken fresh, service_->Issue(alice_));
  ASSERT_OK_AND_ASSIGN(int64_t purged, service_->PurgeEndedTokens(86400));
  EXPECT_EQ(purged, 2);  // the 1-second token and the 1-hour token ended a day ago
  ASSERT_OK(service_->Verify(fresh.token));
}

INSTANTIATE_TEST_SUITE_P(AllBackends, TokenServiceTest,
                         ::testing::Values(Backend::kMemory, Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ds::access
