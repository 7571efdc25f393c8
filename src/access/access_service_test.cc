// AccessService over every store backend: the authentication and authorization matrix,
// tenant isolation of MAC'd tokens, allow-lists, rate limits, static configuration tokens,
// cache freshness (a revocation made elsewhere is refused within a second) and failing
// closed when the store is unreachable.
#include "access/access_service.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "access/faulty_store.h"
#include "access/token_format.h"
#include "io/file.h"
#include "test/access/test_stores.h"

extern char** environ;

namespace ds::access {
namespace {

using testing::Backend;
using testing::TestDatabase;

const char* kMasterHex = "5d2e8f1a7c3b9e0d4f6a2c8b1e7d3f9a0c5b8e2d6f1a4c7b9e3d0f8a2c6b1e5d";

std::shared_ptr<KeyRing> NewKeys() {
  return std::make_shared<KeyRing>(MasterKey::FromText(kMasterHex, "test").ValueOrDie());
}

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class AccessServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = TestDatabase::Create(GetParam());
    if (!db.ok() && db.status().IsNotSupported()) GTEST_SKIP() << db.status().message();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(db).value();
    ASSERT_OK_AND_ASSIGN(store_, db_->Open());
    admin_ = std::make_unique<TokenService>(store_, NewKeys(), [this] { return now_.load(); });
    for (std::string name : {"alice", "bob"}) {
      Recipient r;
      r.name = name;
      ASSERT_OK(store_->CreateRecipient(r));
    }
    ASSERT_OK_AND_ASSIGN(alice_, store_->GetRecipient("alice"));
    ASSERT_OK_AND_ASSIGN(bob_, store_->GetRecipient("bob"));
    for (std::string share : {"alice_share", "bob_share", "ungranted"}) {
      Share s;
      s.name = share;
      ASSERT_OK(store_->CreateShare(s));
      Table t;
      t.name = "events";
      t.location = "file:///data/" + share + "/events";
      ASSERT_OK(store_->AddTable(share, "default", t));
    }
    ASSERT_OK(store_->PutGrant("alice", "alice_share", std::string("region = 'EU'")));
    ASSERT_OK(store_->PutGrant("bob", "bob_share", std::nullopt));
    ASSERT_OK_AND_ASSIGN(alice_token_, admin_->Issue(alice_));
    ASSERT_OK_AND_ASSIGN(bob_token_, admin_->Issue(bob_));
  }

  // `real_clock`: wall-clock time, for revocations made by other processes (which use it).
  std::unique_ptr<AccessService> MakeService(AccessStorePtr store, StaticAccess statics = {},
                                             bool real_clock = false) {
    AccessServiceOptions options;
    options.now_ms = [this] { return now_.load(); };
    if (real_clock) options.now_ms = SystemNowMs;
    options.audit = false;
    auto service = AccessService::Make(std::move(store), NewKeys(), std::move(statics), options);
    EXPECT_TRUE(service.ok()) << service.status();
    return service.ok() ? std::move(service).value() : nullptr;
  }

  static std::string Bearer(const std::string& token) { return "Bearer " + token; }

  std::atomic<int64_t> now_{SystemNowMs()};
  std::unique_ptr<TestDatabase> db_;
  AccessStorePtr store_;
  std::unique_ptr<TokenService> admin_;
  Recipient alice_, bob_;
  IssuedToken alice_token_, bob_token_;
};

TEST_P(AccessServiceTest, AuthenticationMatrix) {
  auto service = MakeService(store_);
  ASSERT_NE(service, nullptr);
  auto code = [&](const std::string& header) {
    return service->Authenticate(header, "10.0.0.1").status().code();
  };
  EXPECT_EQ(code(""), StatusCode::kUnauthenticated);                    // missing
  EXPECT_EQ(code("Bearer"), StatusCode::kUnauthenticated);              // malformed
  EXPECT_EQ(code("Basic abc"), StatusCode::kUnauthenticated);           // wrong scheme
  EXPECT_EQ(code("Bearer not a token"), StatusCode::kUnauthenticated);  // malformed
  ASSERT_OK_AND_ASSIGN(MintedToken unknown, MintToken());
  EXPECT_EQ(code(Bearer(unknown.text)), StatusCode::kUnauthenticated);  // unknown
  std::string wrong_secret = alice_token_.token;
  wrong_secret.back() = wrong_secret.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(code(Bearer(wrong_secret)), StatusCode::kUnauthenticated);  // known id, bad secret

  ASSERT_OK_AND_ASSIGN(Principal p, service->Authenticate(Bearer(alice_token_.token), "10.0.0.1"));
  EXPECT_EQ(p.recipient_name(), "alice");
  EXPECT_EQ(p.recipient_id(), alice_.id);
  EXPECT_EQ(p.token_id(), alice_token_.record.id);
  EXPECT_EQ(p.kind(), TokenKind::kRecipient);

  // Expired.
  ASSERT_OK_AND_ASSIGN(IssuedToken short_lived, admin_->Issue(alice_, 5));
  ASSERT_OK(service->Authenticate(Bearer(short_lived.token), ""));
  now_ += 5000;
  Status expired = service->Authenticate(Bearer(short_lived.token), "").status();
  EXPECT_EQ(expired.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(expired.message(), "token has expired");

  // Rotated: valid during the grace period, refused after it; the successor works.
  ASSERT_OK_AND_ASSIGN(IssuedToken successor, admin_->Rotate(alice_token_.record.id, 30));
  ASSERT_OK(service->Refresh());
  ASSERT_OK(service->Authenticate(Bearer(alice_token_.token), ""));
  ASSERT_OK(service->Authenticate(Bearer(successor.token), ""));
  now_ += 30'000;
  EXPECT_EQ(code(Bearer(alice_token_.token)), StatusCode::kUnauthenticated);
  ASSERT_OK(service->Authenticate(Bearer(successor.token), ""));

  // Revoked.
  ASSERT_OK(admin_->Revoke(successor.record.id));
  ASSERT_OK(service->Refresh());
  Status revoked = service->Authenticate(Bearer(successor.token), "").status();
  EXPECT_EQ(revoked.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(revoked.message(), "token has been revoked");
  ASSERT_OK(service->Authenticate(Bearer(bob_token_.token), ""));  // untouched

  // Admin tokens are for the admin API only, and only they pass there.
  ASSERT_OK_AND_ASSIGN(IssuedToken admin_token, admin_->IssueAdmin());
  EXPECT_EQ(code(Bearer(admin_token.token)), StatusCode::kPermissionDenied);
  ASSERT_OK(service->AuthenticateAdmin(Bearer(admin_token.token)));
  ASSERT_RAISES(kPermissionDenied, service->AuthenticateAdmin(Bearer(bob_token_.token)));
  ASSERT_RAISES(kUnauthenticated, service->AuthenticateAdmin(""));
}

TEST_P(AccessServiceTest, RecipientsSeeOnlyTheirGrantsAndCannotTellMissingFromForeign) {
  auto service = MakeService(store_);
  ASSERT_OK_AND_ASSIGN(Principal alice, service->Authenticate(Bearer(alice_token_.token), ""));
  ASSERT_OK_AND_ASSIGN(auto shares, service->ListShares(alice));
  ASSERT_EQ(shares.size(), 1u);
  EXPECT_EQ(shares[0]->name, "alice_share");

  ASSERT_OK_AND_ASSIGN(ShareAccess mine, service->AuthorizeShare(alice, "ALICE_SHARE"));
  EXPECT_EQ(mine.share->name, "alice_share");
  EXPECT_EQ(mine.partition_filter, std::optional<std::string>("region = 'EU'"));
  ASSERT_OK_AND_ASSIGN(TableAccess table,
                       service->AuthorizeTable(alice, "alice_share", "DEFAULT", "Events"));
  EXPECT_EQ(table.table->location, "file:///data/alice_share/events");
  EXPECT_EQ(table.schema->name, "default");
  EXPECT_EQ(table.partition_filter, std::optional<std::string>("region = 'EU'"));

  Status foreign = service->AuthorizeShare(alice, "bob_share").status();
  Status missing = service->AuthorizeShare(alice, "no_such_share").status();
  EXPECT_EQ(foreign.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(foreign.message(), "share 'bob_share' does not exist");
  EXPECT_EQ(missing.message(), "share 'no_such_share' does not exist");
  ASSERT_RAISES(kNotFound, service->AuthorizeShare(alice, "ungranted"));
  ASSERT_RAISES(kNotFound, service->AuthorizeTable(alice, "bob_share", "default", "events"));
  Status no_table = service->AuthorizeTable(alice, "alice_share", "default", "nope").status();
  EXPECT_EQ(no_table.code(), StatusCode::kNotFound);
  EXPECT_EQ(no_table.message(), "table 'alice_share.default.nope' does not exist");
  ASSERT_RAISES(kNotFound, service->AuthorizeTable(alice, "alice_share", "nope", "events"));

  // Grants made later are seen after a refresh; revoked grants disappear.
  ASSERT_OK(store_->PutGrant("alice", "ungranted", std::nullopt));
  ASSERT_OK(store_->DeleteGrant("alice", "alice_share"));
  ASSERT_OK(service->Refresh());
  ASSERT_OK(service->AuthorizeShare(alice, "ungranted"));
  ASSERT_RAISES(kNotFound, service->AuthorizeShare(alice, "alice_share"));
}

TEST_P(AccessServiceTest, MacTokensAreBoundToTheirTenant) {
  auto service = MakeService(store_);
  ASSERT_OK_AND_ASSIGN(Principal alice, service->Authenticate(Bearer(alice_token_.token), ""));
  ASSERT_OK_AND_ASSIGN(Principal bob, service->Authenticate(Bearer(bob_token_.token), ""));
  const MacTokenCodec& codec = service->codec();
  for (KeyPurpose purpose : {KeyPurpose::kPageToken, KeyPurpose::kRefreshToken,
                             KeyPurpose::kQueryId, KeyPurpose::kUrlSigning}) {
    ASSERT_OK_AND_ASSIGN(std::string minted, codec.Encode(purpose, alice.recipient_id(),
                                                          "table=events;offset=5", now_ + 60'000));
    ASSERT_OK(codec.Decode(purpose, alice.recipient_id(), minted, now_));
    ASSERT_RAISES(kInvalidArgument, codec.Decode(purpose, bob.recipient_id(), minted, now_));
  }
  ASSERT_OK_AND_ASSIGN(std::string alice_url_key,
                       service->keys().Key(KeyPurpose::kUrlSigning, alice.recipient_id(), 1));
  ASSERT_OK_AND_ASSIGN(std::string bob_url_key,
                       service->keys().Key(KeyPurpose::kUrlSigning, bob.recipient_id(), 1));
  EXPECT_NE(alice_url_key, bob_url_key);
}

TEST_P(AccessServiceTest, IpAllowListAndRateLimit) {
  Recipient update = alice_;
  update.ip_allow = {"10.1.0.0/16", "2001:db8::/32"};
  update.rate_limit_per_minute = 3;
  ASSERT_OK(store_->UpdateRecipient(update));
  auto service = MakeService(store_);
  const std::string header = Bearer(alice_token_.token);
  ASSERT_OK(service->Authenticate(header, "10.1.2.3"));
  ASSERT_OK(service->Authenticate(header, "2001:db8::7"));
  ASSERT_OK(service->Authenticate(header, "::ffff:10.1.9.9"));
  ASSERT_RAISES(kPermissionDenied, service->Authenticate(header, "10.2.0.1"));
  ASSERT_RAISES(kPermissionDenied, service->Authenticate(header, ""));
  ASSERT_OK(service->Authenticate(Bearer(bob_token_.token), "192.0.2.1"));  // bob has no list

  ASSERT_OK_AND_ASSIGN(Principal p, service->Authenticate(header, "10.1.2.3"));
  EXPECT_EQ(p.rate_limit_per_minute(), 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(service->Admit(p).allowed);
  RateDecision refused = service->Admit(p);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 20);
  now_ += 20'000;
  EXPECT_TRUE(service->Admit(p).allowed);
  ASSERT_OK_AND_ASSIGN(Principal bob, service->Authenticate(Bearer(bob_token_.token), ""));
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(service->Admit(bob).allowed);
}

TEST_P(AccessServiceTest, StaticConfigurationTokensSeeStaticShares) {
  StaticAccess statics;
  Share config_share;
  config_share.name = "config_share";
  Table t;
  t.name = "t";
  t.location = "/data/t";
  config_share.schemas.push_back({"s", {t}});
  statics.shares.push_back(config_share);
  statics.tokens.push_back({"reference-server-style-token", "partner", {}, std::nullopt});
  statics.tokens.push_back({"expiring-token", "old", {"config_share"}, now_ - 1});
  auto service = MakeService(store_, statics);
  ASSERT_NE(service, nullptr);
  ASSERT_OK_AND_ASSIGN(Principal p,
                       service->Authenticate("Bearer reference-server-style-token", ""));
  EXPECT_TRUE(p.is_static());
  EXPECT_EQ(p.recipient_name(), "partner");
  ASSERT_OK_AND_ASSIGN(auto shares, service->ListShares(p));
  ASSERT_EQ(shares.size(), 1u);
  EXPECT_EQ(shares[0]->id.size(), 36u);  // derived
  ASSERT_OK(service->AuthorizeTable(p, "CONFIG_SHARE", "s", "t"));
  ASSERT_RAISES(kNotFound, service->AuthorizeShare(p, "alice_share"));
  ASSERT_RAISES(kUnauthenticated, service->Authenticate("Bearer expiring-token", ""));
  ASSERT_RAISES(kUnauthenticated, service->Authenticate("Bearer reference-server-style-tokeN", ""));
  // Store tokens keep working beside them, and do not see static shares.
  ASSERT_OK_AND_ASSIGN(Principal alice, service->Authenticate(Bearer(alice_token_.token), ""));
  ASSERT_RAISES(kNotFound, service->AuthorizeShare(alice, "config_share"));

  StaticAccess bad = statics;
  bad.tokens.push_back({"x", "p", {"missing_share"}, std::nullopt});
  AccessServiceOptions options;
  options.audit = false;
  ASSERT_RAISES(kInvalidArgument, AccessService::Make(store_, NewKeys(), bad, options));
  bad = statics;
  bad.tokens.push_back({"has space", "p", {}, std::nullopt});
  ASSERT_RAISES(kInvalidArgument, AccessService::Make(store_, NewKeys(), bad, options));
  bad = statics;
  bad.tokens.push_back(statics.tokens[0]);
  ASSERT_RAISES(kInvalidArgument, AccessService::Make(store_, NewKeys(), bad, options));
  bad = statics;
  bad.tokens.push_back({alice_token_.token, "p", {}, std::nullopt});
  ASSERT_RAISES(kInvalidArgument, AccessService::Make(store_, NewKeys(), bad, options));
}

TEST_P(AccessServiceTest, WarmRequestsDoNotTouchTheStore) {
  auto faulty = std::make_shared<FaultyAccessStore>(store_);
  auto service = MakeService(faulty);
  const std::string header = Bearer(alice_token_.token);
  ASSERT_OK_AND_ASSIGN(Principal p, service->Authenticate(header, ""));
  ASSERT_OK(service->AuthorizeTable(p, "alice_share", "default", "events"));
  int64_t calls = faulty->calls();
  for (int i = 0; i < 100; ++i) {
    ASSERT_OK_AND_ASSIGN(p, service->Authenticate(header, ""));
    ASSERT_OK(service->AuthorizeTable(p, "alice_share", "default", "events"));
  }
  // At most the revision polls that fell due meanwhile.
  EXPECT_LE(faulty->calls() - calls, 3);
}

TEST_P(AccessServiceTest, FailsClosedWhenTheStoreIsUnreachable) {
  auto faulty = std::make_shared<FaultyAccessStore>(store_);
  std::atomic<int64_t> mono{0};
  AccessServiceOptions options;
  options.now_ms = [this] { return now_.load(); };
  options.monotonic_ms = [&] { return mono.load(); };
  options.audit = false;
  ASSERT_OK_AND_ASSIGN(auto service, AccessService::Make(faulty, NewKeys(), {}, options));
  const std::string header = Bearer(alice_token_.token);
  ASSERT_OK(service->Authenticate(header, ""));
  faulty->SetFailing(true);
  mono += 500;  // a poll is due and fails: the snapshot is still young enough
  ASSERT_OK(service->Authenticate(header, ""));
  mono += 500;  // a second without a successful poll: refuse
  Status st = service->Authenticate(header, "").status();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st;
  // A token never seen needs the store too.
  ASSERT_RAISES(kUnavailable, service->Authenticate(Bearer(bob_token_.token), ""));
  faulty->SetFailing(false);
  ASSERT_OK(service->Authenticate(header, ""));
  ASSERT_OK(service->Authenticate(Bearer(bob_token_.token), ""));
}

TEST_P(AccessServiceTest, RevocationThroughAnotherStoreInstanceIsSeenWithinASecond) {
  auto service = MakeService(store_, {}, /*real_clock=*/true);
  ASSERT_OK_AND_ASSIGN(AccessStorePtr other_store, db_->Open());  // its own connections
  TokenService other(other_store, NewKeys());
  const std::string header = Bearer(alice_token_.token);
  ASSERT_OK(service->Authenticate(header, ""));
  ASSERT_OK(other.Revoke(alice_token_.record.id));
  const int64_t revoked_at = SteadyMs();
  int64_t refused_at = 0;
  while (SteadyMs() - revoked_at < 3000) {
    if (!service->Authenticate(header, "").ok()) {
      refused_at = SteadyMs();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GT(refused_at, 0) << "revocation never seen";
  EXPECT_LT(refused_at - revoked_at, 1000);
  std::printf("revocation refused %lld ms after the commit\n",
              static_cast<long long>(refused_at - revoked_at));
  ASSERT_OK(service->Authenticate(Bearer(bob_token_.token), ""));
}

// Run by RevocationByAnotherProcessIsSeenWithinASecond in a child process: revokes the token
// named by $DS_HELPER_TOKEN_ID in the store at $DS_HELPER_STORE_URL and writes the
// steady-clock time of the commit to $DS_HELPER_OUT.
TEST(AccessServiceHelper, RevokeInThisProcess) {
  const char* url = std::getenv("DS_HELPER_STORE_URL");
  if (url == nullptr) GTEST_SKIP() << "only run as a child of the multi-process test";
  ASSERT_OK_AND_ASSIGN(AccessStorePtr store, OpenAccessStore(url));
  TokenService tokens(store, NewKeys());
  ASSERT_OK(tokens.Revoke(std::getenv("DS_HELPER_TOKEN_ID")));
  ASSERT_OK(io::WriteStringToFile(std::getenv("DS_HELPER_OUT"), std::to_string(SteadyMs())));
}

TEST_P(AccessServiceTest, RevocationByAnotherProcessIsSeenWithinASecond) {
  if (GetParam() == Backend::kMemory) GTEST_SKIP() << "a memory store is private to a process";
  auto service = MakeService(store_, {}, /*real_clock=*/true);
  const std::string header = Bearer(alice_token_.token);
  ASSERT_OK(service->Authenticate(header, ""));
  ds::testing::TempDir dir;
  const std::string out = dir.Join("revoked_at");
  std::atomic<bool> stop{false};
  std::atomic<int64_t> refused_at{0};
  std::thread watcher([&] {  // a busy replica: authenticates continuously
    while (!stop) {
      if (!service->Authenticate(header, "").ok()) {
        refused_at = SteadyMs();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::vector<std::string> env_strings = {"DS_HELPER_STORE_URL=" + db_->url(),
                                          "DS_HELPER_TOKEN_ID=" + alice_token_.record.id,
                                          "DS_HELPER_OUT=" + out};
  std::vector<char*> envp;
  for (char** e = environ; *e; ++e) envp.push_back(*e);
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe";
  std::string filter = "--gtest_filter=AccessServiceHelper.RevokeInThisProcess";
  char* argv[] = {self.data(), filter.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv, envp.data()), 0);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) << "helper failed";
  ASSERT_OK_AND_ASSIGN(std::string revoked_text, io::ReadFileToString(out));
  const int64_t revoked_at = std::stoll(revoked_text);
  for (int i = 0; i < 300 && refused_at == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop = true;
  watcher.join();
  ASSERT_GT(refused_at.load(), 0) << "the revocation was never seen";
  EXPECT_LT(refused_at - revoked_at, 1000) << "seen after " << refused_at - revoked_at << " ms";
  std::printf("revocation by another process refused %lld ms after its commit\n",
              static_cast<long long>(refused_at - revoked_at));
}

INSTANTIATE_TEST_SUITE_P(AllBackends, AccessServiceTest,
                         ::testing::Values(Backend::kMemory, Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ds::access
