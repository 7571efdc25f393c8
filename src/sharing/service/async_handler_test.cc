// Asynchronous queries (protocol.md §7.8; §15 items 56-58) and per-recipient partition
// filters, through SharingService::Handle.
#include <chrono>
#include <set>
#include <thread>

#include "access/access_store.h"
#include "test/sharing/sample_tables.h"
#include "test/sharing/service_harness.h"
#include "test/testing/testing.h"

namespace ds::sharing::testing {
namespace {

constexpr char kAsync[] = "delta-sharing-capabilities: asyncquery=true";

// The wrapper key and file id of every line (URLs differ between responses: their expiry).
std::vector<std::string> Ids(const Reply& r) {
  std::vector<std::string> out;
  for (const JsonValue& line : r.json()) {
    const std::string key = line.keys().empty() ? "" : line.keys()[0];
    const JsonValue* id = line.items().empty() ? nullptr : line.items()[0].Find("id");
    out.push_back(key + (id != nullptr && id->is_string() ? ":" + id->string_value() : ""));
  }
  return out;
}

class AsyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(WriteEventsTable(dir_.path() / "events"));
    events_ = {"share", "schema", "events", (dir_.path() / "events").string()};
    other_ = {"share", "schema", "other", (dir_.path() / "events").string()};
    ServiceHarness::Options o;
    o.tables = {events_, other_};
    ASSERT_OK_AND_ASSIGN(h_, ServiceHarness::Make(std::move(o)));
  }

  Reply Submit(const std::string& body, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> headers = {kAsync};
    headers.insert(headers.end(), extra.begin(), extra.end());
    return h_->Post(TablePath(events_) + "/query", body, HeadersOf(headers));
  }
  Reply Poll(const std::string& id, const std::string& body = "{}",
             const SharedTable* table = nullptr) {
    return h_->Post(TablePath(table ? *table : events_) + "/queries/" + id, body);
  }
  static std::string QueryIdOf(const Reply& r) {
    const JsonValue line = r.json().at(0);
    const JsonValue* status = line.Find("queryStatus");
    return status == nullptr ? "" : status->Find("queryId")->string_value();
  }
  // Polls until the query is no longer pending.
  Reply PollDone(const std::string& id, const std::string& body = "{}") {
    for (int i = 0; i < 500; ++i) {
      Reply r = Poll(id, body);
      if (r.status != 200 || r.body.find("\"pending\"") == std::string::npos) return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return Reply{};
  }

  ds::testing::TempDir dir_;
  SharedTable events_, other_;
  std::unique_ptr<ServiceHarness> h_;
};

TEST_F(AsyncTest, SubmitAnswersPendingAndThePollTheResult) {
  Reply submit = Submit(R"({"idempotency_key":"k1"})");
  ASSERT_EQ(submit.status, 200) << submit.body;
  EXPECT_EQ(submit.header("delta-sharing-capabilities").value_or(""),
            "responseformat=parquet;asyncquery=true");
  EXPECT_TRUE(submit.header("Delta-Table-Version").has_value());
  ASSERT_EQ(submit.lines().size(), 1u);
  const std::string id = QueryIdOf(submit);
  ASSERT_FALSE(id.empty()) << submit.body;
  EXPECT_NE(submit.body.find("\"status\":\"pending\""), std::string::npos);
  // The same key and parameters (camelCase or snake_case key): the same query.
  EXPECT_EQ(QueryIdOf(Submit(R"({"idempotencyKey":"k1"})")), id);
  EXPECT_NE(QueryIdOf(Submit(R"({"idempotency_key":"k2"})")), id);
  EXPECT_NE(QueryIdOf(Submit(R"({"idempotency_key":"k1","version":2})")), id);

  Reply done = PollDone(id);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.header("Delta-Table-Version").value_or(""), "5");
  const Reply sync = h_->Post(TablePath(events_) + "/query", "{}");
  EXPECT_EQ(Ids(done), Ids(sync));
  EXPECT_EQ(done.lines()[1], sync.lines()[1]);
}

TEST_F(AsyncTest, PollsPaginate) {
  Reply submit = Submit(R"({"idempotency_key":"pages","maxFiles":1})");
  const std::string id = QueryIdOf(submit);
  Reply page = PollDone(id, R"({"maxFiles":1})");
  std::set<std::string> ids;
  for (int pages = 0; pages < 10; ++pages) {
    ASSERT_EQ(page.status, 200) << page.body;
    for (const JsonValue& line : page.json()) {
      if (const JsonValue* f = line.Find("file")) ids.insert(f->Find("id")->string_value());
    }
    const JsonValue end = page.json().back();
    const JsonValue* esa = end.Find("endStreamAction");
    ASSERT_NE(esa, nullptr) << page.body;
    const JsonValue* next = esa->Find("nextPageToken");
    if (next == nullptr) break;
    page = Poll(id, R"({"max_files":1,"page_token":")" + next->string_value() + "\"}");
  }
  EXPECT_EQ(ids.size(), 4u);
}

TEST_F(AsyncTest, ErrorsAtSubmitAndPoll) {
  Reply no_key = Submit("{}");
  EXPECT_EQ(no_key.status, 400);
  EXPECT_NE(no_key.message().find("idempotencyKey"), std::string::npos);
  // Checks a log listing settles come back at once.
  EXPECT_EQ(Submit(R"({"idempotency_key":"k","version":99})").status, 400);
  EXPECT_EQ(Submit(R"({"idempotency_key":"k","timestamp":"2030-01-01T00:00:00Z"})").status, 400);
  EXPECT_EQ(Submit(R"({"idempotency_key":"k","startingVersion":99})").status, 400);
  // Unknown, tampered or foreign query ids are 404.
  EXPECT_EQ(Poll("nope").status, 404);
  const std::string id = QueryIdOf(Submit(R"({"idempotency_key":"k3"})"));
  std::string tampered = id;
  tampered[8] = tampered[8] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Poll(tampered).status, 404);
  EXPECT_EQ(Poll(id, "{}", &other_).status, 404);
  EXPECT_EQ(Poll(id, "not json").status, 400);
  EXPECT_EQ(PollDone(id).status, 200);
}

TEST_F(AsyncTest, ChangeModeAsync) {
  const std::string id = QueryIdOf(Submit(R"({"idempotency_key":"c","startingVersion":4})"));
  Reply done = PollDone(id);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.header("Delta-Table-Version").value_or(""), "4");
  EXPECT_EQ(Ids(done), Ids(h_->Post(TablePath(events_) + "/query", R"({"startingVersion":4})")));
}

// A recipient from the access store whose grant carries a partition filter sees only the
// files that provably satisfy it, on every endpoint that lists files.
TEST(PartitionFilterTest, GrantFiltersAreEnforced) {
  ds::testing::TempDir dir;
  ASSERT_OK(WriteEventsTable(dir.path() / "events"));
  ServiceHarness::Options o;
  ASSERT_OK_AND_ASSIGN(auto h, ServiceHarness::Make(std::move(o)));
  access::AccessStorePtr store = h->access().store();
  access::Recipient alice;
  alice.name = "alice";
  ASSERT_OK(store->CreateRecipient(alice));
  access::Share share;
  share.name = "eu";
  ASSERT_OK(store->CreateShare(share));
  access::Table table;
  table.name = "events";
  table.location = (dir.path() / "events").string();
  table.history_shared = true;
  ASSERT_OK(store->AddTable("eu", "default", table));
  ASSERT_OK(store->PutGrant("alice", "eu", std::string("region = 'EU'")));
  ASSERT_OK_AND_ASSIGN(access::Recipient stored, store->GetRecipient("alice"));
  ASSERT_OK_AND_ASSIGN(access::IssuedToken token, h->access().tokens().Issue(stored));
  ASSERT_OK(h->access().Refresh());
  const http::Headers auth = HeadersOf({"Authorization: Bearer " + token.token});
  const std::string path = "/shares/eu/schemas/default/tables/events";

  Reply snapshot = h->Post(path + "/query", "{}", auth);
  ASSERT_EQ(snapshot.status, 200) << snapshot.body;
  std::set<std::string> regions;
  for (const JsonValue& line : snapshot.json()) {
    if (const JsonValue* f = line.Find("file")) {
      regions.insert(f->Find("partitionValues")->ToString());
    }
  }
  EXPECT_EQ(regions, (std::set<std::string>{R"({"region":"EU"})"}));
  Reply changes = h->Get(path + "/changes?startingVersion=1", auth);
  ASSERT_EQ(changes.status, 200) << changes.body;
  for (const JsonValue& line : changes.json()) {
    for (const char* kind : {"add", "remove", "cdf"}) {
      if (const JsonValue* f = line.Find(kind)) {
        EXPECT_EQ(f->Find("partitionValues")->ToString(), R"({"region":"EU"})");
      }
    }
  }
  // A hint cannot widen the filter.
  Reply hinted = h->Post(path + "/query", R"({"predicateHints":["region = 'US'"]})", auth);
  EXPECT_EQ(hinted.lines().size(), 2u) << hinted.body;
}

}  // namespace
}  // namespace ds::sharing::testing
