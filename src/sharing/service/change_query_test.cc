// Change queries (POST …/query with startingVersion, protocol.md §7.4) and the change data
// feed (GET …/changes, §10; §15 items 33-35, 43-44, 49-55), through SharingService::Handle.
#include "objstore/faulty_store.h"
#include "objstore/local_store.h"
#include "test/sharing/delta_log_writer.h"
#include "test/sharing/sample_tables.h"
#include "test/sharing/service_harness.h"
#include "test/testing/testing.h"

namespace ds::sharing::testing {
namespace {

// One line of a change response, summarized: "<kind>:<file name>@<version>", or
// "metaData@<version>" / "protocol@<version>" / "endStreamAction".
std::vector<std::string> Summary(const Reply& r) {
  std::vector<std::string> out;
  const auto lines = r.json();
  for (size_t i = 2; i < lines.size(); ++i) {
    const JsonValue& line = lines[i];
    const std::string key = line.keys().empty() ? "?" : line.keys()[0];
    const JsonValue& v = line.items()[0];
    auto version = [&](const JsonValue& x) {
      const JsonValue* ver = x.Find("version");
      return ver ? "@" + std::to_string(ver->GetInt64().ValueOr(-1)) : std::string("@-");
    };
    if (key == "metaData" || key == "protocol") {
      out.push_back(key + version(v));
    } else if (key == "endStreamAction") {
      out.push_back(key);
    } else if (key == "file" && v.Find("deltaSingleAction") != nullptr) {
      const JsonValue& action = *v.Find("deltaSingleAction");
      const std::string& url = action.items()[0].Find("path")->string_value();
      out.push_back(action.keys()[0] + ":" + url.substr(url.rfind('/') + 1) + version(v));
    } else {
      const std::string& url = v.Find("url")->string_value();
      out.push_back(key + ":" + url.substr(url.rfind('/') + 1) + version(v));
    }
  }
  return out;
}

class ChangesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(WriteEventsTable(dir_.path() / "events"));
    events_ = {"share", "schema", "events", (dir_.path() / "events").string()};
    private_ = {"share", "schema", "private", (dir_.path() / "events").string(), false};
    late_ = {"share", "schema", "late", (dir_.path() / "events").string(), true, 2};
    ServiceHarness::Options o;
    o.tables = {events_, private_, late_};
    ASSERT_OK_AND_ASSIGN(h_, ServiceHarness::Make(std::move(o)));
  }

  Reply Changes(const std::string& query, const std::vector<std::string>& headers = {},
                const SharedTable* table = nullptr) {
    return h_->Get(TablePath(table ? *table : events_) + "/changes?" + query, HeadersOf(headers));
  }
  Reply Query(const std::string& body, const std::vector<std::string>& headers = {},
              const SharedTable* table = nullptr) {
    return h_->Post(TablePath(table ? *table : events_) + "/query", body, HeadersOf(headers));
  }

  ds::testing::TempDir dir_;
  SharedTable events_, private_, late_;
  std::unique_ptr<ServiceHarness> h_;
};

TEST_F(ChangesTest, ChangeModeQuerySendsDataChangesAndMetadataChanges) {
  Reply r = Query(R"({"startingVersion":1})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Delta-Table-Version").value_or(""), "1");
  const auto lines = r.json();
  EXPECT_EQ(lines[1].Find("metaData")->Find("version")->GetInt64().ValueOr(-1), 1);
  EXPECT_EQ(Summary(r),
            (std::vector<std::string>{"add:a.parquet@1", "add:b.parquet@1", "add:c.parquet@1",
                                      "remove:b.parquet@2", "add:d.parquet@2", "remove:a.parquet@3",
                                      "add:a2.parquet@3", "remove:d.parquet@4", "add:d2.parquet@4",
                                      "metaData@5", "add:e.parquet@5"}));
  // Every file line has its commit's timestamp.
  for (size_t i = 2; i < lines.size(); ++i) {
    const JsonValue& v = lines[i].items()[0];
    if (v.Find("url") == nullptr) continue;
    const int64_t version = v.Find("version")->GetInt64().ValueOr(-1);
    EXPECT_EQ(v.Find("timestamp")->GetInt64().ValueOr(-1), kEventsTime0 + 1000 * version);
  }
  Reply window = Query(R"({"startingVersion":2,"endingVersion":3})");
  EXPECT_EQ(Summary(window), (std::vector<std::string>{"remove:b.parquet@2", "add:d.parquet@2",
                                                       "remove:a.parquet@3", "add:a2.parquet@3"}));
}

TEST_F(ChangesTest, ChangeModeQueryErrors) {
  struct Bad {
    const char* body;
    const char* message;
  };
  for (const Bad& bad : {Bad{R"({"startingVersion":6})", "after the latest version"},
                         Bad{R"({"startingVersion":1,"endingVersion":9})", "endingVersion 9"},
                         Bad{R"({"startingVersion":3,"endingVersion":2})", "must be <="},
                         Bad{R"({"endingVersion":2})", "only allowed with startingVersion"},
                         Bad{R"({"startingVersion":-1})", "negative"}}) {
    Reply r = Query(bad.body);
    EXPECT_EQ(r.status, 400) << bad.body;
    EXPECT_NE(r.message().find(bad.message), std::string::npos) << bad.body << ": " << r.message();
  }
  EXPECT_EQ(Query(R"({"startingVersion":1})", {}, &private_).status, 400);
  Reply early = Query(R"({"startingVersion":1})", {}, &late_);
  EXPECT_EQ(early.message(), "You can only query table data since version 2.");
}

TEST_F(ChangesTest, ChangeDataFeedPerCommitRules) {
  Reply r = Changes("startingVersion=1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Delta-Table-Version").value_or(""), "1");
  // cdc files only for the UPDATE, nothing for the no-op MERGE, no metaData line.
  EXPECT_EQ(Summary(r),
            (std::vector<std::string>{"add:a.parquet@1", "add:b.parquet@1", "add:c.parquet@1",
                                      "remove:b.parquet@2", "add:d.parquet@2", "cdf:u1.parquet@3",
                                      "add:e.parquet@5"}));
  // The head is the latest metadata (with the new column), marked with its version.
  const auto lines = r.json();
  const JsonValue* head = lines[1].Find("metaData");
  EXPECT_EQ(head->Find("version")->GetInt64().ValueOr(-1), 5);
  EXPECT_NE(head->Find("schemaString")->string_value().find("note"), std::string::npos);
  // Historical metadata: the head as of the start, and a line for the v5 change.
  Reply hist = Changes("startingVersion=1&includeHistoricalMetadata=True");
  ASSERT_EQ(hist.status, 200) << hist.body;
  const auto hist_lines = hist.json();
  EXPECT_EQ(hist_lines[1].Find("metaData")->Find("version")->GetInt64().ValueOr(-1), 1);
  EXPECT_EQ(hist_lines[1].Find("metaData")->Find("schemaString")->string_value().find("note"),
            std::string::npos);
  EXPECT_EQ(Summary(hist).back(), "add:e.parquet@5");
  EXPECT_EQ(Summary(hist)[Summary(hist).size() - 2], "metaData@5");
  // cdf lines carry no stats.
  for (const auto& line : lines) {
    if (const JsonValue* cdf = line.Find("cdf")) {
      EXPECT_EQ(cdf->Find("stats"), nullptr);
    }
  }
}

TEST_F(ChangesTest, ChangeDataFeedBounds) {
  // endingVersion beyond the latest is clamped.
  Reply clamped = Changes("startingVersion=4&endingVersion=99");
  ASSERT_EQ(clamped.status, 200) << clamped.body;
  EXPECT_EQ(Summary(clamped), (std::vector<std::string>{"add:e.parquet@5"}));
  // Timestamps: start = first commit at or after, end = last commit at or before.
  Reply ts = Changes(
      "startingTimestamp=2023-11-14T22:13:21.500Z&"
      "endingTimestamp=2023-11-14T22%3A13%3A23Z");
  ASSERT_EQ(ts.status, 200) << ts.body;
  EXPECT_EQ(ts.header("Delta-Table-Version").value_or(""), "2");
  EXPECT_EQ(Summary(ts), (std::vector<std::string>{"remove:b.parquet@2", "add:d.parquet@2",
                                                   "cdf:u1.parquet@3"}));
  Reply before = Changes("startingTimestamp=2000-01-01T00:00:00Z&endingVersion=1");
  EXPECT_EQ(before.header("Delta-Table-Version").value_or(""), "0");
  struct Bad {
    const char* query;
    const char* message;
  };
  for (const Bad& bad : {
           Bad{"", "No startingVersion or startingTimestamp"},
           Bad{"endingVersion=3", "No startingVersion or startingTimestamp"},
           Bad{"startingVersion=1&startingTimestamp=2023-11-14T22:13:21Z", "Multiple starting"},
           Bad{"startingVersion=1&endingVersion=2&endingTimestamp=2023-11-14T22:13:21Z",
               "Multiple ending"},
           Bad{"startingVersion=6", "Provided Start version(6)"},
           Bad{"startingVersion=3&endingVersion=2", "CDF range from start 3 to end 2"},
           Bad{"startingVersion=x", "startingVersion"},
           Bad{"startingTimestamp=2023-11-14", "Invalid startingTimestamp"},
           Bad{"startingTimestamp=2023-11-14T22:13:26Z", "after the latest version"},
           Bad{"startingVersion=1&endingTimestamp=2000-01-01T00:00:00Z", "before the earliest"},
           Bad{"startingVersion=1&includeHistoricalMetadata=maybe", "includeHistoricalMetadata"},
           Bad{"startingVersion=1&maxFiles=0", "maxFiles must be positive"},
       }) {
    Reply r = Changes(bad.query);
    EXPECT_EQ(r.status, 400) << bad.query;
    EXPECT_NE(r.message().find(bad.message), std::string::npos) << bad.query << ": " << r.message();
  }
  Reply not_shared = Changes("startingVersion=1", {}, &private_);
  EXPECT_EQ(not_shared.message(), "cdf is not enabled on table share.schema.private");
  Reply early = Changes("startingVersion=1", {}, &late_);
  EXPECT_EQ(early.message(), "You can only query table changes since version 2.");
}

TEST_F(ChangesTest, ChangeDataFeedMustBeOnForTheWholeRange) {
  DeltaLogWriter w(dir_.path() / "toggle");
  const std::string schema = SimpleSchema({{"id", "long"}});
  ASSERT_OK(w.Commit({ProtocolAction(1, 2), MetadataAction(schema, {})}, kEventsTime0));
  ASSERT_OK(w.Commit({MetadataAction(schema, {}, {{"delta.enableChangeDataFeed", "true"}})},
                     kEventsTime0 + 1000));
  ASSERT_OK(w.Commit({AddAction("x.parquet", {}, 1)}, kEventsTime0 + 2000));
  ASSERT_OK(w.Commit({MetadataAction(schema, {}, {{"delta.enableChangeDataFeed", "false"}})},
                     kEventsTime0 + 3000));
  ServiceHarness::Options o;
  SharedTable toggle{"share", "schema", "toggle", w.dir().string()};
  o.tables = {toggle};
  ASSERT_OK_AND_ASSIGN(auto h, ServiceHarness::Make(std::move(o)));
  auto get = [&](const std::string& q) { return h->Get(TablePath(toggle) + "/changes?" + q); };
  EXPECT_EQ(get("startingVersion=1&endingVersion=2").status, 200);
  Reply off_at_start = get("startingVersion=0&endingVersion=2");
  EXPECT_EQ(off_at_start.status, 400);
  EXPECT_NE(off_at_start.message().find("change data was not recorded for version [0]"),
            std::string::npos)
      << off_at_start.message();
  Reply turned_off = get("startingVersion=1");
  EXPECT_EQ(turned_off.status, 400);
  EXPECT_NE(turned_off.message().find("not recorded for version [3]"), std::string::npos);
}

TEST_F(ChangesTest, UnreadableProtocolIs400BeforeTheStream) {
  DeltaLogWriter w(dir_.path() / "future");
  const std::string schema = SimpleSchema({{"id", "long"}});
  ASSERT_OK(w.Commit(
      {ProtocolAction(1, 2), MetadataAction(schema, {}, {{"delta.enableChangeDataFeed", "true"}})},
      kEventsTime0));
  ASSERT_OK(w.Commit({AddAction("x.parquet", {}, 1)}, kEventsTime0 + 1000));
  ASSERT_OK(w.Commit({ProtocolAction(3, 7, {"someFutureFeature"}, {"someFutureFeature"})},
                     kEventsTime0 + 2000));
  ServiceHarness::Options o;
  SharedTable future{"share", "schema", "future", w.dir().string()};
  o.tables = {future};
  ASSERT_OK_AND_ASSIGN(auto h, ServiceHarness::Make(std::move(o)));
  Reply cdf = h->Get(TablePath(future) + "/changes?startingVersion=0");
  EXPECT_EQ(cdf.status, 400);
  EXPECT_EQ(cdf.error_code(), "UNSUPPORTED_OPERATION");
  Reply query = h->Post(TablePath(future) + "/query", R"({"startingVersion":0})");
  EXPECT_EQ(query.status, 400);
  EXPECT_EQ(query.error_code(), "UNSUPPORTED_OPERATION");
}

TEST_F(ChangesTest, DeltaFormatChanges) {
  Reply r =
      Changes("startingVersion=2&includeHistoricalMetadata=true&includeHistoricalProtocol=true",
              {"delta-sharing-capabilities: responseformat=delta;readerfeatures=deletionvectors"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("delta-sharing-capabilities").value_or(""), "responseformat=delta");
  const auto lines = r.json();
  // Every metaData line carries its version; the head protocol too (historical protocol).
  EXPECT_EQ(lines[0].Find("protocol")->Find("version")->GetInt64().ValueOr(-1), 2);
  EXPECT_EQ(lines[1].Find("metaData")->Find("version")->GetInt64().ValueOr(-1), 2);
  EXPECT_EQ(Summary(r),
            (std::vector<std::string>{"remove:b.parquet@2", "add:d.parquet@2", "cdc:u1.parquet@3",
                                      "metaData@5", "add:e.parquet@5"}));
  // Parquet ignores includeHistoricalProtocol.
  Reply parquet = Changes("startingVersion=2&includeHistoricalProtocol=true");
  EXPECT_EQ(parquet.json()[0].Find("protocol")->Find("version"), nullptr);
}

TEST_F(ChangesTest, PagesConcatenateToTheWholeFeedWithPinnedHeads) {
  const Reply whole = Changes("startingVersion=1");
  std::vector<std::string> paged;
  Reply page = Changes("startingVersion=1&maxFiles=2");
  const std::vector<std::string> first = page.lines();
  for (int pages = 0; pages < 20; ++pages) {
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.header("Delta-Table-Version").value_or(""), "1");
    EXPECT_EQ(page.lines()[0], first[0]);
    EXPECT_EQ(page.lines()[1], first[1]);
    auto summary = Summary(page);
    ASSERT_EQ(summary.back(), "endStreamAction");
    summary.pop_back();
    paged.insert(paged.end(), summary.begin(), summary.end());
    const JsonValue end = page.json().back();
    const JsonValue* next = end.Find("endStreamAction")->Find("nextPageToken");
    if (next == nullptr) break;
    if (pages == 0) {
      // A commit after the first page changes neither the range nor the head metadata.
      std::FILE* f =
          std::fopen((dir_.path() / "events/_delta_log/00000000000000000006.json").c_str(), "w");
      ASSERT_NE(f, nullptr);
      const std::string meta =
          MetadataAction(SimpleSchema({{"id", "long"}, {"region", "string"}}), {"region"},
                         {{"delta.enableChangeDataFeed", "true"}}) +
          "\n";
      std::fwrite(meta.data(), 1, meta.size(), f);
      std::fclose(f);
    }
    page = Changes("startingVersion=1&maxFiles=2&pageToken=" + next->string_value());
  }
  EXPECT_EQ(paged, Summary(whole));
  // A token with other parameters, or for the query endpoint, is refused.
  Reply first_page = Changes("startingVersion=1&maxFiles=2");
  const JsonValue end = first_page.json().back();
  const std::string token = end.Find("endStreamAction")->Find("nextPageToken")->string_value();
  EXPECT_EQ(Changes("startingVersion=2&maxFiles=2&pageToken=" + token).status, 400);
  EXPECT_EQ(Query(R"({"startingVersion":1,"maxFiles":2,"pageToken":")" + token + "\"}").status,
            400);
}

TEST_F(ChangesTest, ChangeModeQueryPagination) {
  const Reply whole = Query(R"({"startingVersion":1})");
  std::vector<std::string> paged;
  std::string body = R"({"startingVersion":1,"maxFiles":3})";
  for (int pages = 0; pages < 20; ++pages) {
    Reply page = Query(body);
    ASSERT_EQ(page.status, 200) << page.body;
    auto summary = Summary(page);
    ASSERT_EQ(summary.back(), "endStreamAction");
    summary.pop_back();
    paged.insert(paged.end(), summary.begin(), summary.end());
    const JsonValue end = page.json().back();
    const JsonValue* next = end.Find("endStreamAction")->Find("nextPageToken");
    if (next == nullptr) break;
    body = R"({"startingVersion":1,"maxFiles":3,"pageToken":")" + next->string_value() + "\"}";
  }
  EXPECT_EQ(paged, Summary(whole));
}

// A range too large to keep from the validation pass is read again while streaming; a
// storage failure then is reported in band or cuts the connection.
TEST_F(ChangesTest, StorageFailureWhileStreamingAChangeRange) {
  const auto dir = dir_.path() / "big";
  DeltaLogWriter w(dir);
  const std::string schema = SimpleSchema({{"id", "long"}});
  ASSERT_OK(w.Commit(
      {ProtocolAction(1, 2), MetadataAction(schema, {}, {{"delta.enableChangeDataFeed", "true"}})},
      kEventsTime0));
  for (int c = 1; c <= 3; ++c) {
    std::vector<std::string> adds;
    if (c == 3) {
      // Protocol and metadata in the last commit: reading the log's head reads only it.
      adds = {ProtocolAction(1, 2),
              MetadataAction(schema, {}, {{"delta.enableChangeDataFeed", "true"}})};
    }
    for (int i = 0; i < 5000; ++i) {
      adds.push_back(
          AddAction("c" + std::to_string(c) + "-" + std::to_string(i) + ".parquet", {}, 10));
    }
    ASSERT_OK(w.Commit(adds, kEventsTime0 + 1000 * c));
  }
  auto faulty =
      std::make_shared<objstore::FaultyStore>(std::make_shared<objstore::LocalStore>(dir.string()));
  ServiceHarness::Options o;
  SharedTable big{"share", "schema", "big", dir.string()};
  o.tables = {big};
  o.resolver = [faulty, dir](const std::string&) -> Result<service::OpenedLocation> {
    service::OpenedLocation l;
    l.store = faulty;
    l.local = true;
    l.local_root = dir.string();
    return l;
  };
  ASSERT_OK_AND_ASSIGN(auto h, ServiceHarness::Make(std::move(o)));
  for (bool in_band : {false, true}) {
    http::Headers headers;
    if (in_band) headers.Set("delta-sharing-capabilities", "includeendstreamaction=true");
    auto pending = h->Begin(http::Method::kGet, TablePath(big) + "/changes?startingVersion=1", "",
                            std::move(headers));
    ASSERT_EQ(pending.response.status, 200) << pending.response.body;
    // Commit 2 (the log's head is read from commit 3 alone): the stream has sent commit 1.
    faulty->FailNext(objstore::StoreOp::kGet, "00000000000000000002.json",
                     Status::IOError("disk on fire"));
    Reply r = ServiceHarness::Finish(std::move(pending));
    const auto lines = r.lines();
    EXPECT_GT(lines.size(), 4000u) << r.stream_status;  // commit 1 was (mostly) sent
    if (in_band) {
      EXPECT_FALSE(r.aborted);
      const JsonValue last = r.json().back();
      ASSERT_NE(last.Find("endStreamAction"), nullptr) << lines.back();
      const std::string message =
          last.Find("endStreamAction")->Find("errorMessage")->string_value();
      EXPECT_EQ(message.find("disk on fire"), std::string::npos) << message;
      EXPECT_EQ(last.Find("endStreamAction")->Find("httpStatusErrorCode")->GetInt64().ValueOr(0),
                503);
    } else {
      EXPECT_TRUE(r.aborted);
      EXPECT_EQ(lines.back().find("endStreamAction"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace ds::sharing::testing
