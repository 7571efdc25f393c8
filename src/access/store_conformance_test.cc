// The AccessStore conformance suite: every test runs against memory, SQLite and PostgreSQL
// (the last skips unless $DS_TEST_POSTGRES_URL names a server; with_postgres.sh sets it).
#include <atomic>
#include <thread>

#include "access/access_store.h"
#include "test/access/test_stores.h"

namespace ds::access {
namespace {

using testing::Backend;
using testing::TestDatabase;

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = TestDatabase::Create(GetParam());
    if (!db.ok() && db.status().IsNotSupported()) GTEST_SKIP() << db.status().message();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(db).value();
    ASSERT_OK_AND_ASSIGN(store_, db_->Open());
  }

  Recipient MakeRecipient(const std::string& name) {
    Recipient r;
    r.name = name;
    auto created = store_->CreateRecipient(r);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : r;
  }

  TokenRecord MakeToken(const std::string& id, const std::string& recipient_id,
                        int64_t created = 1000, int64_t expires = 1'000'000) {
    TokenRecord t;
    t.id = id;
    t.recipient_id = recipient_id;
    t.hash = "hash-of-" + id;
    t.created_at_ms = created;
    t.expires_at_ms = expires;
    return t;
  }

  std::unique_ptr<TestDatabase> db_;
  AccessStorePtr store_;
};

std::vector<std::string> Names(const std::vector<Share>& shares) {
  std::vector<std::string> out;
  for (const auto& s : shares) out.push_back(s.name);
  return out;
}

TEST_P(StoreConformance, CreateGetAndListShares) {
  Share s;
  s.name = "Sales";
  s.comment = "quarterly numbers";
  s.properties = {{"team", "finance"}, {"owner", "ann"}};
  ASSERT_OK_AND_ASSIGN(Share created, store_->CreateShare(s));
  EXPECT_EQ(created.id.size(), 36u);
  EXPECT_GT(created.created_at_ms, 0);
  ASSERT_EQ(created.properties.size(), 2u);
  EXPECT_EQ(created.properties[0].first, "owner");  // sorted by key

  ASSERT_OK_AND_ASSIGN(Share got, store_->GetShare("sALES"));
  EXPECT_EQ(got.name, "Sales");
  EXPECT_EQ(got.id, created.id);
  EXPECT_EQ(got.comment, "quarterly numbers");
  EXPECT_EQ(got.properties, created.properties);
  EXPECT_EQ(got.created_at_ms, created.created_at_ms);
  EXPECT_TRUE(got.schemas.empty());

  for (std::string name : {"b", "A", "c", "d.e"}) {
    Share x;
    x.name = name;
    ASSERT_OK(store_->CreateShare(x));
  }
  ASSERT_OK_AND_ASSIGN(auto all, store_->ListShares({}));
  EXPECT_EQ(Names(all), (std::vector<std::string>{"A", "b", "c", "d.e", "Sales"}));
  ASSERT_OK_AND_ASSIGN(auto page1, store_->ListShares({"", 2}));
  EXPECT_EQ(Names(page1), (std::vector<std::string>{"A", "b"}));
  ASSERT_OK_AND_ASSIGN(auto page2, store_->ListShares({"B", 2}));
  EXPECT_EQ(Names(page2), (std::vector<std::string>{"c", "d.e"}));
  ASSERT_OK_AND_ASSIGN(auto page3, store_->ListShares({"d.e", 2}));
  EXPECT_EQ(Names(page3), (std::vector<std::string>{"Sales"}));
  ASSERT_RAISES(kInvalidArgument, store_->ListShares({"", 0}));
}

TEST_P(StoreConformance, ShareNamesAreValidatedAndUniqueIgnoringCase) {
  Share s;
  s.name = "share";
  ASSERT_OK(store_->CreateShare(s));
  s.name = "SHARE";
  ASSERT_RAISES(kAlreadyExists, store_->CreateShare(s));
  for (const std::string& bad :
       std::vector<std::string>{"", "a b", "a/b", std::string("a\x01", 2), std::string(256, 'x')}) {
    s.name = bad;
    ASSERT_RAISES(kInvalidArgument, store_->CreateShare(s));
  }
  s.name = std::string(255, 'x');
  ASSERT_OK(store_->CreateShare(s));
  s.name = "props";
  s.properties = {{"k", "1"}, {"k", "2"}};
  ASSERT_RAISES(kInvalidArgument, store_->CreateShare(s));
  s.properties = {{"k", std::string(1001, 'v')}};
  ASSERT_RAISES(kInvalidArgument, store_->CreateShare(s));
  ASSERT_RAISES(kNotFound, store_->GetShare("missing"));
  ASSERT_RAISES(kNotFound, store_->GetShare("not a name"));
}

TEST_P(StoreConformance, ExplicitIdsAreKeptAndUnique) {
  Share s;
  s.name = "one";
  s.id = "00000000-0000-4000-8000-000000000001";
  ASSERT_OK_AND_ASSIGN(Share created, store_->CreateShare(s));
  EXPECT_EQ(created.id, s.id);
  s.name = "two";
  ASSERT_RAISES(kAlreadyExists, store_->CreateShare(s));
}

TEST_P(StoreConformance, UpdateShare) {
  Share s;
  s.name = "s";
  ASSERT_OK(store_->CreateShare(s));
  ASSERT_OK(store_->UpdateShare("S", "new comment", {{"z", "1"}, {"a", "2"}}));
  ASSERT_OK_AND_ASSIGN(Share got, store_->GetShare("s"));
  EXPECT_EQ(got.comment, "new comment");
  EXPECT_EQ(got.properties, (Properties{{"a", "2"}, {"z", "1"}}));
  ASSERT_RAISES(kNotFound, store_->UpdateShare("t", "", {}));
  ASSERT_RAISES(kInvalidArgument, store_->UpdateShare("s", "", {{"", "x"}}));
}

TEST_P(StoreConformance, SchemasAndTables) {
  Share s;
  s.name = "share";
  ASSERT_OK(store_->CreateShare(s));
  ASSERT_OK(store_->AddSchema("share", "zeta"));
  ASSERT_RAISES(kAlreadyExists, store_->AddSchema("SHARE", "Zeta"));
  ASSERT_RAISES(kInvalidArgument, store_->AddSchema("share", "a.b"));
  ASSERT_RAISES(kNotFound, store_->AddSchema("nope", "x"));

  Table t;
  t.name = "orders";
  t.location = "s3://bucket/orders";
  t.comment = "all orders";
  t.history_shared = true;
  t.start_version = 3;
  ASSERT_OK_AND_ASSIGN(Table added, store_->AddTable("share", "Alpha", t));
  EXPECT_EQ(added.id.size(), 36u);
  t.name = "customers";
  t.location = "file:///data/customers";
  t.history_shared = false;
  t.start_version.reset();
  t.comment.clear();
  t.encrypted = true;
  ASSERT_OK(store_->AddTable("share", "alpha", t));
  t.encrypted = false;
  ASSERT_OK(store_->AddTable("share", "zeta", t));
  ASSERT_RAISES(kAlreadyExists, store_->AddTable("share", "ALPHA", t));
  // Encrypted tables are served decrypted by the server itself: never from a cloud store.
  t.name = "sealed_cloud";
  t.location = "s3://bucket/sealed";
  t.encrypted = true;
  ASSERT_RAISES(kInvalidArgument, store_->AddTable("share", "alpha", t));
  t.encrypted = false;
  t.name = "x.y";
  ASSERT_RAISES(kInvalidArgument, store_->AddTable("share", "alpha", t));
  t.name = "noloc";
  t.location.clear();
  ASSERT_RAISES(kInvalidArgument, store_->AddTable("share", "alpha", t));
  t.location = "s3://b/t";
  t.start_version = -1;
  ASSERT_RAISES(kInvalidArgument, store_->AddTable("share", "alpha", t));
  t.start_version.reset();
  ASSERT_RAISES(kNotFound, store_->AddTable("missing", "alpha", t));

  ASSERT_OK_AND_ASSIGN(Share got, store_->GetShare("share"));
  ASSERT_EQ(got.schemas.size(), 2u);
  EXPECT_EQ(got.schemas[0].name, "Alpha");  // spelling of its first use
  ASSERT_EQ(got.schemas[0].tables.size(), 2u);
  EXPECT_EQ(got.schemas[0].tables[0].name, "customers");
  const Table& orders = got.schemas[0].tables[1];
  EXPECT_EQ(orders.name, "orders");
  EXPECT_EQ(orders.id, added.id);
  EXPECT_EQ(orders.location, "s3://bucket/orders");
  EXPECT_EQ(orders.comment, "all orders");
  EXPECT_TRUE(orders.history_shared);
  EXPECT_EQ(orders.start_version, std::optional<int64_t>(3));
  EXPECT_FALSE(got.schemas[0].tables[0].start_version.has_value());
  EXPECT_TRUE(got.schemas[0].tables[0].encrypted);
  EXPECT_FALSE(orders.encrypted);
  EXPECT_FALSE(got.schemas[1].tables[0].encrypted);
  EXPECT_EQ(got.schemas[1].name, "zeta");
  ASSERT_EQ(got.schemas[1].tables.size(), 1u);
  ASSERT_NE(got.FindTable("ALPHA", "Orders"), nullptr);
  EXPECT_EQ(got.FindTable("alpha", "none"), nullptr);

  ASSERT_OK(store_->DeleteTable("share", "alpha", "ORDERS"));
  ASSERT_RAISES(kNotFound, store_->DeleteTable("share", "alpha", "orders"));
  ASSERT_OK(store_->DeleteSchema("share", "zeta"));
  ASSERT_RAISES(kNotFound, store_->DeleteSchema("share", "zeta"));
  ASSERT_OK_AND_ASSIGN(got, store_->GetShare("share"));
  ASSERT_EQ(got.schemas.size(), 1u);
  ASSERT_EQ(got.schemas[0].tables.size(), 1u);
  // A table name may be reused after its schema is gone.
  ASSERT_OK(store_->AddTable("share", "zeta", t));
}

TEST_P(StoreConformance, DeletingAShareRemovesItsTablesAndGrants) {
  Share s;
  s.name = "share";
  ASSERT_OK(store_->CreateShare(s));
  Table t;
  t.name = "t";
  t.location = "s3://b/t";
  ASSERT_OK(store_->AddTable("share", "sc", t));
  Recipient r = MakeRecipient("r");
  ASSERT_OK(store_->PutGrant("r", "share", std::nullopt));
  ASSERT_OK(store_->DeleteShare("SHARE"));
  ASSERT_RAISES(kNotFound, store_->DeleteShare("share"));
  ASSERT_OK_AND_ASSIGN(auto grants, store_->ListGrantsOfRecipient(r.id));
  EXPECT_TRUE(grants.empty());
  // The name and the table are free again.
  ASSERT_OK(store_->CreateShare(s));
  ASSERT_OK(store_->AddTable("share", "sc", t));
}

TEST_P(StoreConformance, Recipients) {
  Recipient r;
  r.name = "Acme";
  r.comment = "acme corp";
  r.token_lifetime_seconds = 3600;
  r.ip_allow = {"10.1.0.0/16", " 2001:DB8::/32", "192.168.1.7"};
  r.rate_limit_per_minute = 120;
  r.properties = {{"tier", "gold"}};
  ASSERT_OK_AND_ASSIGN(Recipient created, store_->CreateRecipient(r));
  EXPECT_EQ(created.ip_allow,
            (std::vector<std::string>{"10.1.0.0/16", "2001:db8::/32", "192.168.1.7/32"}));
  ASSERT_OK_AND_ASSIGN(Recipient got, store_->GetRecipient("ACME"));
  EXPECT_EQ(got.id, created.id);
  EXPECT_EQ(got.name, "Acme");
  EXPECT_EQ(got.comment, "acme corp");
  EXPECT_EQ(got.token_lifetime_seconds, 3600);
  EXPECT_EQ(got.ip_allow, created.ip_allow);
  EXPECT_EQ(got.rate_limit_per_minute, 120);
  EXPECT_EQ(got.properties, r.properties);
  ASSERT_OK_AND_ASSIGN(Recipient by_id, store_->GetRecipientById(created.id));
  EXPECT_EQ(by_id.name, "Acme");
  ASSERT_RAISES(kNotFound, store_->GetRecipientById("nope"));
  ASSERT_RAISES(kAlreadyExists, store_->CreateRecipient(r));

  Recipient bad;
  bad.name = "bad";
  bad.ip_allow = {"10.0.0.1/8"};
  ASSERT_RAISES(kInvalidArgument, store_->CreateRecipient(bad));
  bad.ip_allow = {"300.0.0.0/8"};
  ASSERT_RAISES(kInvalidArgument, store_->CreateRecipient(bad));
  bad.ip_allow.clear();
  bad.token_lifetime_seconds = 0;
  ASSERT_RAISES(kInvalidArgument, store_->CreateRecipient(bad));
  bad.token_lifetime_seconds = 60;
  bad.rate_limit_per_minute = -1;
  ASSERT_RAISES(kInvalidArgument, store_->CreateRecipient(bad));

  MakeRecipient("beta");
  ASSERT_OK_AND_ASSIGN(auto all, store_->ListRecipients({}));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "Acme");
  EXPECT_EQ(all[1].name, "beta");
  ASSERT_OK_AND_ASSIGN(auto after, store_->ListRecipients({"acme", 10}));
  ASSERT_EQ(after.size(), 1u);

  Recipient update = got;
  update.name = "acme";
  update.comment = "changed";
  update.ip_allow = {};
  update.rate_limit_per_minute = 0;
  update.token_lifetime_seconds = 7200;
  ASSERT_OK(store_->UpdateRecipient(update));
  ASSERT_OK_AND_ASSIGN(got, store_->GetRecipient("acme"));
  EXPECT_EQ(got.name, "Acme");
  EXPECT_EQ(got.id, created.id);
  EXPECT_EQ(got.comment, "changed");
  EXPECT_TRUE(got.ip_allow.empty());
  EXPECT_EQ(got.token_lifetime_seconds, 7200);
  update.name = "nobody";
  ASSERT_RAISES(kNotFound, store_->UpdateRecipient(update));
}

TEST_P(StoreConformance, DeletingARecipientRemovesEverythingItOwns) {
  Recipient r = MakeRecipient("r");
  Recipient other = MakeRecipient("other");
  Share s;
  s.name = "share";
  ASSERT_OK(store_->CreateShare(s));
  ASSERT_OK(store_->PutGrant("r", "share", std::nullopt));
  ASSERT_OK(store_->PutGrant("other", "share", std::nullopt));
  ASSERT_OK(store_->InsertToken(MakeToken("t1", r.id)));
  ASSERT_OK(store_->InsertToken(MakeToken("t2", other.id)));
  OAuthClient client{"c1", r.id, "h", 1, 3600, 1000};
  ASSERT_OK(store_->InsertOAuthClient(client));
  ActivationLink link{"l1", r.id, "h", "https://x", 1000, 2000, {}, ""};
  ASSERT_OK(store_->InsertActivationLink(link));

  ASSERT_OK(store_->DeleteRecipient("R"));
  ASSERT_RAISES(kNotFound, store_->GetRecipient("r"));
  ASSERT_RAISES(kNotFound, store_->GetToken("t1"));
  ASSERT_RAISES(kNotFound, store_->GetOAuthClient("c1"));
  ASSERT_RAISES(kNotFound, store_->GetActivationLink("l1"));
  ASSERT_OK(store_->GetToken("t2"));
  ASSERT_OK_AND_ASSIGN(auto grants, store_->ListGrants({}));
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].recipient, "other");
}

TEST_P(StoreConformance, Grants) {
  Recipient a = MakeRecipient("alice");
  Recipient b = MakeRecipient("Bob");
  for (std::string name : {"s1", "S2"}) {
    Share s;
    s.name = name;
    ASSERT_OK(store_->CreateShare(s));
  }
  ASSERT_OK_AND_ASSIGN(Grant g, store_->PutGrant("ALICE", "s2", std::string("region = 'EU'")));
  EXPECT_EQ(g.recipient, "alice");
  EXPECT_EQ(g.recipient_id, a.id);
  EXPECT_EQ(g.share, "S2");
  EXPECT_EQ(g.partition_filter, std::optional<std::string>("region = 'EU'"));
  ASSERT_OK(store_->PutGrant("alice", "s1", std::nullopt));
  ASSERT_OK(store_->PutGrant("bob", "s1", std::nullopt));
  // Re-granting replaces the filter.
  ASSERT_OK_AND_ASSIGN(g, store_->PutGrant("alice", "S2", std::string("year >= 2020")));
  EXPECT_EQ(g.partition_filter, std::optional<std::string>("year >= 2020"));
  ASSERT_OK_AND_ASSIGN(g, store_->PutGrant("alice", "S2", std::nullopt));
  EXPECT_FALSE(g.partition_filter.has_value());
  ASSERT_OK(store_->PutGrant("alice", "S2", std::string("year >= 2020")));

  ASSERT_RAISES(kNotFound, store_->PutGrant("carol", "s1", std::nullopt));
  ASSERT_RAISES(kNotFound, store_->PutGrant("alice", "s3", std::nullopt));
  ASSERT_RAISES(kInvalidArgument, store_->PutGrant("alice", "s1", std::string("  ")));
  ASSERT_RAISES(kInvalidArgument, store_->PutGrant("alice", "s1", std::string("region = ")));
  ASSERT_RAISES(kInvalidArgument, store_->PutGrant("alice", "s1", std::string("a = 'x")));

  ASSERT_OK_AND_ASSIGN(auto all, store_->ListGrants({}));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].recipient + "/" + all[0].share, "alice/s1");
  EXPECT_EQ(all[1].recipient + "/" + all[1].share, "alice/S2");
  EXPECT_EQ(all[2].recipient + "/" + all[2].share, "Bob/s1");
  ASSERT_OK_AND_ASSIGN(auto of_s1, store_->ListGrants({"", "S1"}));
  EXPECT_EQ(of_s1.size(), 2u);
  ASSERT_OK_AND_ASSIGN(auto bob_s1, store_->ListGrants({"bob", "s1"}));
  EXPECT_EQ(bob_s1.size(), 1u);
  ASSERT_RAISES(kNotFound, store_->ListGrants({"carol", ""}));
  ASSERT_OK_AND_ASSIGN(auto of_alice, store_->ListGrantsOfRecipient(a.id));
  ASSERT_EQ(of_alice.size(), 2u);
  EXPECT_EQ(of_alice[1].partition_filter, std::optional<std::string>("year >= 2020"));
  ASSERT_OK_AND_ASSIGN(auto none, store_->ListGrantsOfRecipient("no-such-id"));
  EXPECT_TRUE(none.empty());

  ASSERT_OK(store_->DeleteGrant("alice", "s1"));
  ASSERT_RAISES(kNotFound, store_->DeleteGrant("alice", "s1"));
  ASSERT_OK_AND_ASSIGN(of_alice, store_->ListGrantsOfRecipient(a.id));
  EXPECT_EQ(of_alice.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto of_bob, store_->ListGrantsOfRecipient(b.id));
  EXPECT_EQ(of_bob.size(), 1u);
}

TEST_P(StoreConformance, TokensInsertGetList) {
  Recipient r = MakeRecipient("r");
  Recipient other = MakeRecipient("other");
  TokenRecord t = MakeToken("tok-b", r.id, 2000);
  t.label = "laptop";
  t.key_version = 3;
  ASSERT_OK(store_->InsertToken(t));
  ASSERT_OK(store_->InsertToken(MakeToken("tok-a", r.id, 3000)));
  ASSERT_OK(store_->InsertToken(MakeToken("tok-c", other.id, 1000)));
  ASSERT_RAISES(kAlreadyExists, store_->InsertToken(MakeToken("tok-a", r.id)));
  ASSERT_RAISES(kNotFound, store_->InsertToken(MakeToken("tok-x", "no-such-recipient")));
  ASSERT_RAISES(kInvalidArgument, store_->InsertToken(MakeToken("tok-y", r.id, 5000, 5000)));

  ASSERT_OK_AND_ASSIGN(TokenRecord got, store_->GetToken("tok-b"));
  EXPECT_EQ(got.recipient_id, r.id);
  EXPECT_EQ(got.hash, "hash-of-tok-b");
  EXPECT_EQ(got.key_version, 3);
  EXPECT_EQ(got.label, "laptop");
  EXPECT_EQ(got.kind, TokenKind::kRecipient);
  EXPECT_EQ(got.created_at_ms, 2000);
  EXPECT_EQ(got.expires_at_ms, 1'000'000);
  EXPECT_FALSE(got.revoked_at_ms.has_value());
  EXPECT_EQ(got.StateAt(5000), TokenState::kActive);
  EXPECT_EQ(got.StateAt(1'000'000), TokenState::kExpired);
  ASSERT_RAISES(kNotFound, store_->GetToken("nope"));

  ASSERT_OK_AND_ASSIGN(auto of_r, store_->ListTokens({r.id, {}, ""}));
  ASSERT_EQ(of_r.size(), 2u);
  EXPECT_EQ(of_r[0].id, "tok-b");  // by creation time
  EXPECT_EQ(of_r[1].id, "tok-a");
  ASSERT_OK_AND_ASSIGN(auto all, store_->ListTokens({}));
  EXPECT_EQ(all.size(), 3u);

  TokenRecord admin = MakeToken("adm", "");
  admin.kind = TokenKind::kAdmin;
  ASSERT_OK(store_->InsertToken(admin));
  ASSERT_OK_AND_ASSIGN(auto admins, store_->ListTokens({"", TokenKind::kAdmin, ""}));
  ASSERT_EQ(admins.size(), 1u);
  EXPECT_TRUE(admins[0].recipient_id.empty());
  TokenRecord orphan = MakeToken("orphan", "");
  ASSERT_RAISES(kInvalidArgument, store_->InsertToken(orphan));
}

TEST_P(StoreConformance, RotationKeepsTheOldTokenUntilTheGraceEnds) {
  Recipient r = MakeRecipient("r");
  ASSERT_OK(store_->InsertToken(MakeToken("old", r.id)));
  ASSERT_OK(store_->SupersedeToken("old", MakeToken("new", r.id, 5000), 8000));
  ASSERT_OK_AND_ASSIGN(TokenRecord old, store_->GetToken("old"));
  EXPECT_EQ(old.revoked_at_ms, std::optional<int64_t>(8000));
  EXPECT_EQ(old.superseded_by, "new");
  EXPECT_EQ(old.StateAt(7999), TokenState::kInGrace);
  EXPECT_EQ(old.StateAt(8000), TokenState::kRevoked);
  ASSERT_OK_AND_ASSIGN(TokenRecord fresh, store_->GetToken("new"));
  EXPECT_EQ(fresh.StateAt(8000), TokenState::kActive);
  // A later, longer grace never extends an earlier stop.
  ASSERT_OK(store_->SupersedeToken("old", MakeToken("newer", r.id, 6000), 9000));
  ASSERT_OK_AND_ASSIGN(old, store_->GetToken("old"));
  EXPECT_EQ(old.revoked_at_ms, std::optional<int64_t>(8000));
  ASSERT_RAISES(kNotFound, store_->SupersedeToken("none", MakeToken("x", r.id), 1));
  ASSERT_RAISES(kAlreadyExists, store_->SupersedeToken("new", MakeToken("old", r.id), 1));
  // The failed call changed nothing.
  ASSERT_OK_AND_ASSIGN(fresh, store_->GetToken("new"));
  EXPECT_FALSE(fresh.revoked_at_ms.has_value());
}

TEST_P(StoreConformance, RevocationIsPerTokenOrPerRecipient) {
  Recipient r = MakeRecipient("r");
  Recipient other = MakeRecipient("other");
  ASSERT_OK(store_->InsertToken(MakeToken("r1", r.id)));
  ASSERT_OK(store_->InsertToken(MakeToken("r2", r.id)));
  ASSERT_OK(store_->InsertToken(MakeToken("r3", r.id)));
  ASSERT_OK(store_->InsertToken(MakeToken("o1", other.id)));
  ASSERT_OK(store_->RevokeToken("r1", 4000));
  ASSERT_OK(store_->RevokeToken("r1", 9000));  // an earlier revocation stands
  ASSERT_OK_AND_ASSIGN(TokenRecord r1, store_->GetToken("r1"));
  EXPECT_EQ(r1.revoked_at_ms, std::optional<int64_t>(4000));
  ASSERT_RAISES(kNotFound, store_->RevokeToken("zz", 1));

  ASSERT_OK_AND_ASSIGN(int64_t changed, store_->RevokeTokens({r.id, {}, ""}, 5000));
  EXPECT_EQ(changed, 2);
  ASSERT_OK_AND_ASSIGN(auto tokens, store_->ListTokens({r.id, {}, ""}));
  for (const auto& t : tokens) EXPECT_EQ(t.StateAt(5000), TokenState::kRevoked) << t.id;
  ASSERT_OK_AND_ASSIGN(TokenRecord o1, store_->GetToken("o1"));
  EXPECT_FALSE(o1.revoked_at_ms.has_value());
  ASSERT_RAISES(kInvalidArgument, store_->RevokeTokens({}, 1));
}

TEST_P(StoreConformance, DeleteTokensEndedBefore) {
  Recipient r = MakeRecipient("r");
  ASSERT_OK(store_->InsertToken(MakeToken("expired", r.id, 1, 100)));
  ASSERT_OK(store_->InsertToken(MakeToken("revoked", r.id, 1, 10000)));
  ASSERT_OK(store_->RevokeToken("revoked", 50));
  ASSERT_OK(store_->InsertToken(MakeToken("live", r.id, 1, 10000)));
  ASSERT_OK_AND_ASSIGN(int64_t deleted, store_->DeleteTokensEndedBefore(200));
  EXPECT_EQ(deleted, 2);
  ASSERT_OK(store_->GetToken("live"));
  ASSERT_RAISES(kNotFound, store_->GetToken("expired"));
}

TEST_P(StoreConformance, OAuthClients) {
  Recipient r = MakeRecipient("r");
  OAuthClient c{"client-1", r.id, "secret-hash", 2, 600, 1000};
  ASSERT_OK(store_->InsertOAuthClient(c));
  ASSERT_RAISES(kAlreadyExists, store_->InsertOAuthClient(c));
  c.client_id = "client-2";
  c.recipient_id = "missing";
  ASSERT_RAISES(kNotFound, store_->InsertOAuthClient(c));
  c.recipient_id = r.id;
  c.access_token_lifetime_seconds = 0;
  ASSERT_RAISES(kInvalidArgument, store_->InsertOAuthClient(c));
  ASSERT_OK_AND_ASSIGN(OAuthClient got, store_->GetOAuthClient("client-1"));
  EXPECT_EQ(got.recipient_id, r.id);
  EXPECT_EQ(got.secret_hash, "secret-hash");
  EXPECT_EQ(got.key_version, 2);
  EXPECT_EQ(got.access_token_lifetime_seconds, 600);
  ASSERT_OK_AND_ASSIGN(auto list, store_->ListOAuthClients(r.id));
  EXPECT_EQ(list.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto everyone, store_->ListOAuthClients(""));
  EXPECT_EQ(everyone.size(), 1u);

  TokenRecord access = MakeToken("access-1", r.id);
  access.kind = TokenKind::kOAuthAccess;
  access.oauth_client_id = "client-1";
  ASSERT_OK(store_->InsertToken(access));
  ASSERT_OK_AND_ASSIGN(auto issued, store_->ListTokens({"", {}, "client-1"}));
  EXPECT_EQ(issued.size(), 1u);
  ASSERT_OK(store_->DeleteOAuthClient("client-1", 7000));
  ASSERT_RAISES(kNotFound, store_->GetOAuthClient("client-1"));
  ASSERT_RAISES(kNotFound, store_->DeleteOAuthClient("client-1", 7000));
  ASSERT_OK_AND_ASSIGN(TokenRecord revoked, store_->GetToken("access-1"));
  EXPECT_EQ(revoked.revoked_at_ms, std::optional<int64_t>(7000));
}

TEST_P(StoreConformance, ActivationLinksAreRedeemedOnce) {
  Recipient r = MakeRecipient("r");
  ActivationLink link{"link-1", r.id, "code-hash", "https://share.example/ds", 1000, 5000, {}, ""};
  ASSERT_OK(store_->InsertActivationLink(link));
  ASSERT_RAISES(kAlreadyExists, store_->InsertActivationLink(link));
  ASSERT_OK_AND_ASSIGN(ActivationLink got, store_->GetActivationLink("link-1"));
  EXPECT_EQ(got.code_hash, "code-hash");
  EXPECT_EQ(got.endpoint, "https://share.example/ds");
  EXPECT_FALSE(got.used_at_ms.has_value());

  ASSERT_OK(store_->RedeemActivationLink("link-1", 2000, MakeToken("from-link", r.id, 2000)));
  ASSERT_OK_AND_ASSIGN(got, store_->GetActivationLink("link-1"));
  EXPECT_EQ(got.used_at_ms, std::optional<int64_t>(2000));
  EXPECT_EQ(got.issued_token_id, "from-link");
  ASSERT_OK(store_->GetToken("from-link"));
  ASSERT_RAISES(kFailedPrecondition,
                store_->RedeemActivationLink("link-1", 2001, MakeToken("again", r.id, 2001)));
  ASSERT_RAISES(kNotFound, store_->GetToken("again"));
  ASSERT_RAISES(kNotFound, store_->RedeemActivationLink("nope", 2000, MakeToken("x", r.id)));

  link.id = "link-2";
  ASSERT_OK(store_->InsertActivationLink(link));
  ASSERT_RAISES(kFailedPrecondition,
                store_->RedeemActivationLink("link-2", 5000, MakeToken("late", r.id, 5000)));
}

TEST_P(StoreConformance, ConcurrentRedemptionsHaveOneWinner) {
  Recipient r = MakeRecipient("r");
  ActivationLink link{"link", r.id, "h", "", 1000, 1'000'000, {}, ""};
  ASSERT_OK(store_->InsertActivationLink(link));
  std::atomic<int> wins{0}, used{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      Status st = store_->RedeemActivationLink("link", 2000,
                                               MakeToken("tok-" + std::to_string(i), r.id, 2000));
      if (st.ok()) {
        ++wins;
      } else if (st.code() == StatusCode::kFailedPrecondition) {
        ++used;
      } else {
        ADD_FAILURE() << st;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(used.load(), 3);
  ASSERT_OK_AND_ASSIGN(auto tokens, store_->ListTokens({r.id, {}, ""}));
  EXPECT_EQ(tokens.size(), 1u);
}

AuditRecord Record(int64_t time, const std::string& recipient, const std::string& share,
                   int status) {
  AuditRecord r;
  r.time_ms = time;
  r.recipient = recipient;
  r.recipient_id = "id-" + recipient;
  r.token_id = "tok";
  r.operation = "queryTable";
  r.share = share;
  r.schema = "sc";
  r.table = "t";
  r.status = status;
  r.files = 3;
  r.client_address = "10.0.0.1";
  r.user_agent = "Delta-Sharing-Python/1.1.0";
  r.duration_us = 1234;
  return r;
}

TEST_P(StoreConformance, AuditRecords) {
  std::vector<AuditRecord> batch;
  batch.push_back(Record(100, "alice", "s1", 200));
  batch.push_back(Record(200, "Bob", "s1", 404));
  batch.push_back(Record(300, "alice", "S2", 200));
  batch.back().version = 17;
  batch.back().message = "";
  AuditRecord unauthenticated = Record(400, "", "", 401);
  unauthenticated.user_agent = std::string(2000, 'u');
  batch.push_back(unauthenticated);
  ASSERT_OK(store_->AppendAudit(batch));
  ASSERT_OK(store_->AppendAudit({}));

  AuditQuery q;
  ASSERT_OK_AND_ASSIGN(auto all, store_->QueryAudit(q));
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].time_ms, 400);  // newest first
  EXPECT_GT(all[0].seq, all[1].seq);
  EXPECT_EQ(all[0].user_agent.size(), 512u);
  const AuditRecord& third = all[1];
  EXPECT_EQ(third.recipient, "alice");
  EXPECT_EQ(third.share, "S2");
  EXPECT_EQ(third.version, std::optional<int64_t>(17));
  EXPECT_EQ(third.files, 3);
  EXPECT_EQ(third.status, 200);
  EXPECT_EQ(third.client_address, "10.0.0.1");
  EXPECT_EQ(third.duration_us, 1234);
  EXPECT_EQ(third.operation, "queryTable");
  EXPECT_FALSE(all[2].version.has_value());

  q.recipient = "ALICE";
  ASSERT_OK_AND_ASSIGN(auto alice, store_->QueryAudit(q));
  EXPECT_EQ(alice.size(), 2u);
  q = {};
  q.share = "s1";
  ASSERT_OK_AND_ASSIGN(auto s1, store_->QueryAudit(q));
  EXPECT_EQ(s1.size(), 2u);
  q = {};
  q.from_ms = 200;
  q.to_ms = 400;
  ASSERT_OK_AND_ASSIGN(auto window, store_->QueryAudit(q));
  ASSERT_EQ(window.size(), 2u);
  EXPECT_EQ(window[0].time_ms, 300);
  q = {};
  q.status = 404;
  ASSERT_OK_AND_ASSIGN(auto missing, store_->QueryAudit(q));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].recipient, "Bob");
  q = {};
  q.limit = 2;
  ASSERT_OK_AND_ASSIGN(auto first_page, store_->QueryAudit(q));
  ASSERT_EQ(first_page.size(), 2u);
  q.before_seq = first_page.back().seq;
  ASSERT_OK_AND_ASSIGN(auto second_page, store_->QueryAudit(q));
  ASSERT_EQ(second_page.size(), 2u);
  EXPECT_EQ(second_page[0].time_ms, 200);
  q.limit = 0;
  ASSERT_RAISES(kInvalidArgument, store_->QueryAudit(q));
  q = {};
  q.from_ms = 5;
  q.to_ms = 4;
  ASSERT_RAISES(kInvalidArgument, store_->QueryAudit(q));

  ASSERT_OK_AND_ASSIGN(int64_t deleted, store_->DeleteAuditBefore(250));
  EXPECT_EQ(deleted, 2);
  ASSERT_OK_AND_ASSIGN(all, store_->QueryAudit({}));
  EXPECT_EQ(all.size(), 2u);
}

TEST_P(StoreConformance, LargeAuditBatchesKeepTheirOrder) {
  std::vector<AuditRecord> batch;
  for (int i = 0; i < 150; ++i) batch.push_back(Record(i, "r" + std::to_string(i % 3), "s", 200));
  ASSERT_OK(store_->AppendAudit(batch));
  AuditQuery q;
  q.limit = 1000;
  ASSERT_OK_AND_ASSIGN(auto all, store_->QueryAudit(q));
  ASSERT_EQ(all.size(), 150u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].time_ms, static_cast<int64_t>(149 - i));
    EXPECT_EQ(all[i].recipient, "r" + std::to_string((149 - i) % 3));
    if (i > 0) {
      EXPECT_LT(all[i].seq, all[i - 1].seq);
    }
  }
}

TEST_P(StoreConformance, KeyVersions) {
  ASSERT_OK_AND_ASSIGN(auto versions, store_->ListKeyVersions());
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].version, 1);
  EXPECT_FALSE(versions[0].retired_at_ms.has_value());
  ASSERT_RAISES(kFailedPrecondition, store_->RetireKeyVersion(1, 100));
  ASSERT_OK_AND_ASSIGN(KeyVersion v2, store_->AddKeyVersion(200));
  EXPECT_EQ(v2.version, 2);
  ASSERT_OK(store_->RetireKeyVersion(1, 300));
  ASSERT_OK(store_->RetireKeyVersion(1, 400));  // idempotent
  ASSERT_RAISES(kFailedPrecondition, store_->RetireKeyVersion(2, 500));
  ASSERT_RAISES(kNotFound, store_->RetireKeyVersion(9, 500));
  ASSERT_OK_AND_ASSIGN(versions, store_->ListKeyVersions());
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].retired_at_ms, std::optional<int64_t>(300));
  EXPECT_EQ(versions[1].created_at_ms, 200);
}

TEST_P(StoreConformance, RevisionGrowsOnChangesCachesCareAbout) {
  ASSERT_OK_AND_ASSIGN(int64_t r0, store_->Revision());
  Recipient r = MakeRecipient("r");
  ASSERT_OK_AND_ASSIGN(int64_t r1, store_->Revision());
  EXPECT_GT(r1, r0);
  ASSERT_OK(store_->InsertToken(MakeToken("t", r.id)));
  ASSERT_OK(store_->AppendAudit({Record(1, "r", "", 200)}));
  ASSERT_OK_AND_ASSIGN(int64_t r2, store_->Revision());
  EXPECT_EQ(r2, r1);  // new credentials and audit records do not invalidate caches
  ASSERT_OK(store_->RevokeToken("t", 5));
  ASSERT_OK_AND_ASSIGN(int64_t r3, store_->Revision());
  EXPECT_GT(r3, r2);
  Share s;
  s.name = "s";
  ASSERT_OK(store_->CreateShare(s));
  ASSERT_OK(store_->PutGrant("r", "s", std::nullopt));
  ASSERT_OK_AND_ASSIGN(int64_t r4, store_->Revision());
  EXPECT_GT(r4, r3);
}

TEST_P(StoreConformance, SecondInstanceSeesTheSameData) {
  if (GetParam() == Backend::kMemory) GTEST_SKIP() << "one memory store per process";
  Recipient r = MakeRecipient("r");
  ASSERT_OK(store_->InsertToken(MakeToken("t", r.id)));
  ASSERT_OK_AND_ASSIGN(AccessStorePtr second, db_->Open());
  ASSERT_OK_AND_ASSIGN(TokenRecord t, second->GetToken("t"));
  EXPECT_EQ(t.recipient_id, r.id);
  ASSERT_OK_AND_ASSIGN(int64_t before, second->Revision());
  ASSERT_OK(store_->RevokeToken("t", 10));
  ASSERT_OK_AND_ASSIGN(int64_t after, second->Revision());
  EXPECT_GT(after, before);
  ASSERT_OK_AND_ASSIGN(t, second->GetToken("t"));
  EXPECT_EQ(t.revoked_at_ms, std::optional<int64_t>(10));
}

TEST_P(StoreConformance, ConcurrentWritersFromManyThreads) {
  constexpr int kThreads = 4, kEach = 10;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < kEach; ++j) {
        Share s;
        s.name = "s" + std::to_string(i) + "_" + std::to_string(j);
        if (!store_->CreateShare(s).ok()) ++failures;
        if (!store_->AppendAudit({Record(j, "r", s.name, 200)}).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_OK_AND_ASSIGN(auto shares, store_->ListShares({}));
  EXPECT_EQ(shares.size(), size_t{kThreads * kEach});
}

INSTANTIATE_TEST_SUITE_P(AllBackends, StoreConformance,
                         ::testing::Values(Backend::kMemory, Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ds::access
