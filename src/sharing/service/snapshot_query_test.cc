// Snapshot queries (POST …/query without startingVersion; protocol.md §7; §15 items 27-48),
// through SharingService::Handle on generated tables.
#include <map>
#include <set>

#include "crypto/crypto.h"
#include "test/sharing/delta_log_writer.h"
#include "test/sharing/sample_tables.h"
#include "test/sharing/service_harness.h"
#include "test/testing/testing.h"

namespace ds::sharing::testing {
namespace {

const JsonValue* Action(const JsonValue& line, std::string_view key) { return line.Find(key); }

// The paths (from the URL's last segments) of the file lines of a reply, in order.
std::vector<std::string> FileNames(const Reply& r) {
  std::vector<std::string> out;
  for (const JsonValue& line : r.json()) {
    const JsonValue* f = line.Find("file");
    if (f == nullptr) continue;
    const JsonValue* url = f->Find("url");
    if (url == nullptr) url = f->Find("deltaSingleAction")->items()[0].Find("path");
    const std::string& u = url->string_value();
    out.push_back(u.substr(u.rfind('/') + 1));
  }
  return out;
}

std::set<std::string> FileSet(const Reply& r) {
  auto names = FileNames(r);
  return {names.begin(), names.end()};
}

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(WriteEventsTable(dir_.path() / "events"));
    events_ = {"share", "schema", "events", (dir_.path() / "events").string()};
    private_ = {"share", "schema", "private", (dir_.path() / "events").string(), false};
    other_ = {"share", "schema", "other", (dir_.path() / "events").string()};
    ServiceHarness::Options o;
    o.tables = {events_, private_, other_};
    ASSERT_OK_AND_ASSIGN(h_, ServiceHarness::Make(std::move(o)));
  }

  Reply Query(const std::string& body, const std::vector<std::string>& headers = {},
              const SharedTable* table = nullptr) {
    return h_->Post(TablePath(table ? *table : events_) + "/query", body, HeadersOf(headers));
  }

  // Appends version 6 (adds f.parquet) to the events table.
  void AddCommit() {
    ASSERT_TRUE(
        std::filesystem::exists(dir_.path() / "events/_delta_log/00000000000000000005.json"));
    std::FILE* f =
        std::fopen((dir_.path() / "events/_delta_log/00000000000000000006.json").c_str(), "w");
    ASSERT_NE(f, nullptr);
    const std::string add =
        AddAction("region=EU/f.parquet", {{"region", "EU"}}, 600,
                  R"({"numRecords":10,"minValues":{"id":51},"maxValues":{"id":60}})") +
        "\n";
    std::fwrite(add.data(), 1, add.size(), f);
    std::fclose(f);
  }

  ds::testing::TempDir dir_;
  SharedTable events_, private_, other_;
  std::unique_ptr<ServiceHarness> h_;
};

TEST_F(QueryTest, LatestSnapshotHasOneFileLinePerLiveFile) {
  Reply r = Query("{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.aborted);
  EXPECT_EQ(r.header("Delta-Table-Version").value_or(""), "5");
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/x-ndjson; charset=utf-8");
  EXPECT_EQ(r.header("delta-sharing-capabilities").value_or(""), "responseformat=parquet");
  EXPECT_FALSE(r.header("fileidhash").has_value());
  const auto lines = r.json();
  ASSERT_EQ(lines.size(), 6u) << r.body;
  EXPECT_EQ(r.lines()[0], R"({"protocol":{"minReaderVersion":1}})");
  EXPECT_NE(Action(lines[1], "metaData"), nullptr);
  EXPECT_EQ(FileSet(r),
            (std::set<std::string>{"a2.parquet", "c.parquet", "d2.parquet", "e.parquet"}));
  for (size_t i = 2; i < lines.size(); ++i) {
    const JsonValue* f = Action(lines[i], "file");
    ASSERT_NE(f, nullptr) << r.lines()[i];
    EXPECT_EQ(f->size(), 6u) << r.lines()[i];  // url, id, partitionValues, size, stats, expiry
    EXPECT_TRUE(f->Find("stats")->is_string());
    EXPECT_TRUE(f->Find("partitionValues")->is_object());
    EXPECT_GT(f->Find("expirationTimestamp")->GetInt64().ValueOr(0), 0);
    EXPECT_EQ(f->Find("url")->string_value().rfind("http://sharing.test/delta-sharing/files/", 0),
              0u);
  }
  // c.parquet's partition value is null.
  for (const JsonValue& line : lines) {
    const JsonValue* f = line.Find("file");
    if (f != nullptr && f->Find("size")->GetInt64().ValueOr(0) == 300) {
      EXPECT_EQ(f->Find("partitionValues")->ToString(), R"({"region":null})");
      EXPECT_EQ(f->Find("id")->string_value(),
                crypto::Md5Hex("region=__HIVE_DEFAULT_PARTITION__/c.parquet"));
    }
  }
}

TEST_F(QueryTest, FileIdsFollowFileIdHashAndAreStable) {
  Reply md5 = Query("{}");
  Reply again = Query("{}");
  Reply sha = Query("{}", {"fileidhash: Delta"});
  ASSERT_EQ(sha.status, 200);
  EXPECT_EQ(sha.header("fileidhash").value_or(""), "delta");
  std::set<std::string> md5_ids, again_ids, sha_ids;
  for (const auto& l : md5.json()) {
    if (const JsonValue* f = l.Find("file")) md5_ids.insert(f->Find("id")->string_value());
  }
  for (const auto& l : again.json()) {
    if (const JsonValue* f = l.Find("file")) again_ids.insert(f->Find("id")->string_value());
  }
  for (const auto& l : sha.json()) {
    if (const JsonValue* f = l.Find("file")) sha_ids.insert(f->Find("id")->string_value());
  }
  EXPECT_EQ(md5_ids, again_ids);
  EXPECT_TRUE(md5_ids.count(crypto::Md5Hex("region=EU/e.parquet")));
  EXPECT_TRUE(sha_ids.count(crypto::Sha256Hex("region=EU/e.parquet")));
  EXPECT_EQ(Query("{}", {"fileidhash: sha1"}).status, 400);
  EXPECT_EQ(Query("{}", {"fileidhash: "}).status, 400);
}

TEST_F(QueryTest, TimeTravel) {
  Reply v1 = Query(R"({"version":1})");
  ASSERT_EQ(v1.status, 200) << v1.body;
  EXPECT_EQ(v1.header("Delta-Table-Version").value_or(""), "1");
  EXPECT_EQ(FileSet(v1), (std::set<std::string>{"a.parquet", "b.parquet", "c.parquet"}));
  Reply as_string = Query(R"({"version":"2"})");
  EXPECT_EQ(FileSet(as_string), (std::set<std::string>{"a.parquet", "c.parquet", "d.parquet"}));
  // The last commit at or before the timestamp.
  Reply ts = Query(R"({"timestamp":"2023-11-14T22:13:22.500Z"})");
  EXPECT_EQ(ts.header("Delta-Table-Version").value_or(""), "2");
  struct Bad {
    const char* body;
    const char* message;
  };
  for (const Bad& bad : {
           Bad{R"({"version":6})", "latest version is 5"},
           Bad{R"({"version":-1})", "negative"},
           Bad{R"({"timestamp":"2023-11-14T22:13:26Z"})", "after the latest version"},
           Bad{R"({"timestamp":"2020-01-01T00:00:00Z"})", "before the earliest version"},
           Bad{R"({"timestamp":"2023-11-14"})", "Invalid timestamp"},
           Bad{R"({"version":1,"timestamp":"2023-11-14T22:13:22Z"})", "only provide one of"},
           Bad{R"({"version":1,"startingVersion":1})", "only provide one of"},
       }) {
    Reply r = Query(bad.body);
    EXPECT_EQ(r.status, 400) << bad.body;
    EXPECT_NE(r.message().find(bad.message), std::string::npos) << bad.body << ": " << r.message();
  }
  Reply not_shared = Query(R"({"version":1})", {}, &private_);
  EXPECT_EQ(not_shared.status, 400);
  EXPECT_NE(not_shared.message().find("history sharing is not enabled"), std::string::npos);
}

TEST_F(QueryTest, MalformedBodiesAre400) {
  for (const char* body :
       {"", "   ", "[]", "{", "\"x\"", R"({"predicateHints":"a=1"})", R"({"limitHint":"many"})",
        R"({"maxFiles":3000000000})", R"({"includeRefreshToken":"maybe"})"}) {
    Reply r = Query(body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.error_code(), "MALFORMED_REQUEST") << body << ": " << r.body;
  }
  Reply unknown_fields = Query(R"({"requestedColumns":["id"],"somethingNew":{"a":1}})");
  EXPECT_EQ(unknown_fields.status, 200);
  EXPECT_EQ(Query(R"({"maxFiles":0})").status, 400);
  EXPECT_EQ(Query(R"({"maxFiles":-5})").message(), "maxFiles must be positive.");
}

TEST_F(QueryTest, JsonPredicateHintsSkipOnlyFilesThatCannotMatch) {
  auto names = [&](const std::string& hint) {
    std::string body = "{\"jsonPredicateHints\":";
    AppendJsonString(hint, &body);
    body += "}";
    Reply r = Query(body);
    EXPECT_EQ(r.status, 200) << r.body;
    return FileSet(r);
  };
  const std::string us =
      R"({"op":"equal","children":[{"op":"column","name":"region","valueType":"string"},)"
      R"({"op":"literal","value":"US","valueType":"string"}]})";
  EXPECT_EQ(names(us), (std::set<std::string>{"d2.parquet"}));
  const std::string big_id =
      R"({"op":"greaterThan","children":[{"op":"column","name":"id","valueType":"long"},)"
      R"({"op":"literal","value":"45","valueType":"long"}]})";
  EXPECT_EQ(names(big_id), (std::set<std::string>{"e.parquet"}));
  // NOT(region = 'US') keeps every non-US file; for a NULL region it is NULL (no row matches),
  // so the null partition goes too.
  EXPECT_EQ(names(R"({"op":"not","children":[)" + us + "]}"),
            (std::set<std::string>{"a2.parquet", "e.parquet"}));
  const std::set<std::string> all = {"a2.parquet", "c.parquet", "d2.parquet", "e.parquet"};
  EXPECT_EQ(names("not json"), all);
  EXPECT_EQ(names(R"({"op":"frobnicate","children":[]})"), all);
  EXPECT_EQ(names(R"({"op":"equal","children":[{"op":"column","name":"region"}]})"), all);
  EXPECT_EQ(names(std::string(1 << 20 | 1, ' ') + us), all);  // over 1 MiB: ignored
  // The hint's skips are counted.
  EXPECT_GT(h_->service().counters().files_skipped->Value(), 0u);
}

TEST_F(QueryTest, SqlPredicateHintsOnPartitions) {
  Reply r = Query(R"({"predicateHints":["region = 'EU'","not a predicate ((("]})");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(FileSet(r), (std::set<std::string>{"a2.parquet", "e.parquet"}));
}

TEST_F(QueryTest, LimitHintCutsByRecordCountWithoutPredicates) {
  EXPECT_TRUE(FileNames(Query(R"({"limitHint":0})")).empty());
  // 10 records per file: 15 rows need two files.
  EXPECT_EQ(FileNames(Query(R"({"limitHint":15})")).size(), 2u);
  EXPECT_EQ(FileNames(Query(R"({"limitHint":"10"})")).size(), 1u);
  EXPECT_EQ(FileNames(Query(R"({"limitHint":1000})")).size(), 4u);
  // With a predicate the limit is not applied (the client filters rows after).
  EXPECT_EQ(FileNames(Query(R"({"limitHint":1,"predicateHints":["region = 'EU'"]})")).size(), 2u);
  EXPECT_EQ(Query(R"({"limitHint":-1})").status, 400);
}

TEST_F(QueryTest, PaginationReturnsEveryFileOnceWithIdenticalHeads) {
  const std::string first_body = R"({"maxFiles":1})";
  Reply page = Query(first_body);
  ASSERT_EQ(page.status, 200) << page.body;
  const std::vector<std::string> head = page.lines();
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.header("Delta-Table-Version").value_or(""), "5");
    const auto lines = page.lines();
    ASSERT_GE(lines.size(), 3u);
    EXPECT_EQ(lines[0], head[0]);
    EXPECT_EQ(lines[1], head[1]);
    for (const auto& name : FileNames(page)) seen.push_back(name);
    const JsonValue end = page.json().back();
    const JsonValue* esa = end.Find("endStreamAction");
    ASSERT_NE(esa, nullptr) << lines.back();
    if (esa->Find("nextPageToken") == nullptr) break;
    EXPECT_GT(esa->Find("minUrlExpirationTimestamp")->GetInt64().ValueOr(0), 0);
    if (pages == 0) AddCommit();  // a new commit does not move a paginated query
    std::string body = R"({"maxFiles":1,"pageToken":)";
    AppendJsonString(esa->Find("nextPageToken")->string_value(), &body);
    page = Query(body + "}");
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"a2.parquet", "c.parquet", "d2.parquet", "e.parquet"}));
  // The new commit is there for a fresh query.
  EXPECT_EQ(Query("{}").header("Delta-Table-Version").value_or(""), "6");
}

TEST_F(QueryTest, PageTokensAreBoundToTableParametersAndCaller) {
  Reply more = Query(R"({"maxFiles":1})");
  const std::string token =
      more.json().back().Find("endStreamAction")->Find("nextPageToken")->string_value();
  auto with = [&](const std::string& extra, const SharedTable* table = nullptr) {
    std::string body = R"({"maxFiles":1,"pageToken":)";
    AppendJsonString(token, &body);
    return Query(body + extra + "}", {}, table);
  };
  EXPECT_EQ(with("").status, 200);
  Reply other_table = with("", &other_);
  EXPECT_EQ(other_table.status, 400);
  EXPECT_NE(other_table.message().find("does not match the table"), std::string::npos);
  Reply changed = with(R"(,"limitHint":5)");
  EXPECT_EQ(changed.status, 400);
  EXPECT_NE(changed.message().find("Query parameter mismatch"), std::string::npos);
  std::string tampered = token;
  tampered[10] = tampered[10] == 'x' ? 'y' : 'x';
  std::string body = R"({"maxFiles":1,"pageToken":)";
  AppendJsonString(tampered, &body);
  Reply bad = Query(body + "}");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.message().find("Error decoding the page token"), std::string::npos);
  EXPECT_EQ(Query(R"({"pageToken":"garbage"})").status, 400);
}

TEST_F(QueryTest, RefreshTokensReSignTheSameFiles) {
  Reply first = Query(R"({"includeRefreshToken":true})");
  ASSERT_EQ(first.status, 200) << first.body;
  const JsonValue first_end = first.json().back();
  const JsonValue* esa = first_end.Find("endStreamAction");
  ASSERT_NE(esa, nullptr) << first.body;
  const std::string refresh = esa->Find("refreshToken")->string_value();
  EXPECT_FALSE(refresh.empty());
  AddCommit();
  std::string body = R"({"refreshToken":)";
  AppendJsonString(refresh, &body);
  Reply again = Query(body + "}");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.header("Delta-Table-Version").value_or(""), "5");
  EXPECT_EQ(FileSet(again), FileSet(first));
  EXPECT_NE(again.json().back().Find("endStreamAction")->Find("refreshToken"), nullptr);
  // Refresh tokens cannot be combined with versions or page tokens, nor used elsewhere.
  EXPECT_EQ(Query(R"({"includeRefreshToken":true,"version":1})").status, 400);
  EXPECT_EQ(Query(R"({"includeRefreshToken":true,"pageToken":"x"})").status, 400);
  EXPECT_EQ(Query(body + R"(,"timestamp":"2023-11-14T22:13:22Z"})").status, 400);
  Reply elsewhere = Query(body + "}", {}, &other_);
  EXPECT_EQ(elsewhere.status, 400);
  std::string tampered = refresh;
  tampered[12] = tampered[12] == 'q' ? 'r' : 'q';
  std::string bad = R"({"refreshToken":)";
  AppendJsonString(tampered, &bad);
  EXPECT_EQ(Query(bad + "}").status, 400);
  // Spark sends includeRefreshToken=false with a version: fine.
  EXPECT_EQ(Query(R"({"includeRefreshToken":false,"version":1})").status, 200);
}

TEST_F(QueryTest, EndStreamActionOnlyWhenAskedFor) {
  // Plain queries (the Python client): only protocol, metaData and files.
  for (const auto& line : Query("{}").json()) EXPECT_EQ(line.Find("endStreamAction"), nullptr);
  // Declared: echoed, and last even when no file matches.
  const std::string nothing =
      R"({"jsonPredicateHints":"{\"op\":\"equal\",\"children\":[{\"op\":\"column\",\"name\":)"
      R"(\"region\",\"valueType\":\"string\"},{\"op\":\"literal\",\"value\":\"XX\",)"
      R"(\"valueType\":\"string\"}]}"})";
  Reply r = Query(nothing, {"delta-sharing-capabilities: includeendstreamaction=true"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("delta-sharing-capabilities").value_or(""),
            "responseformat=parquet;includeendstreamaction=true");
  ASSERT_EQ(r.lines().size(), 3u) << r.body;
  EXPECT_EQ(r.lines()[2], R"({"endStreamAction":{}})");
}

TEST_F(QueryTest, DeltaFormatSendsWholeActionsWithUrls) {
  Reply r = Query("{}", {"delta-sharing-capabilities: responseformat=delta"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("delta-sharing-capabilities").value_or(""), "responseformat=delta");
  const auto lines = r.json();
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_NE(lines[0].Find("protocol")->Find("deltaProtocol"), nullptr);
  EXPECT_NE(lines[1].Find("metaData")->Find("deltaMetadata"), nullptr);
  const JsonValue* f = lines[2].Find("file");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->Find("id")->string_value().size(), 64u);  // SHA-256 by default in delta format
  const JsonValue* add = f->Find("deltaSingleAction")->Find("add");
  ASSERT_NE(add, nullptr) << r.lines()[2];
  EXPECT_EQ(add->Find("path")->string_value().rfind("http://sharing.test/", 0), 0u);
  EXPECT_NE(add->Find("stats"), nullptr);
  EXPECT_TRUE(add->Find("dataChange")->is_bool());
}

TEST_F(QueryTest, SignedUrlsDownloadTheFiles) {
  Reply r = Query("{}");
  for (const JsonValue& line : r.json()) {
    const JsonValue* f = line.Find("file");
    if (f == nullptr) continue;
    const std::string url = f->Find("url")->string_value();
    Reply get = h_->Download(url);
    ASSERT_EQ(get.status, 200) << url << ": " << get.body;
    const std::string name = url.substr(url.rfind('/') + 1);
    EXPECT_EQ(get.body.rfind("data of ", 0), 0u);
    EXPECT_NE(get.body.find(name), std::string::npos);
    Reply range = h_->Download(url, http::Method::kGet, "bytes=0-3");
    EXPECT_EQ(range.status, 206);
    EXPECT_EQ(range.body, "data");
    Reply head = h_->Download(url, http::Method::kHead);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("Content-Length").value_or(""), std::to_string(get.body.size()));
  }
}

TEST_F(QueryTest, FilesOutsideTheTableFailTheStream) {
  DeltaLogWriter w(dir_.path() / "escape");
  std::vector<std::string> actions = {ProtocolAction(1, 2),
                                      MetadataAction(SimpleSchema({{"id", "long"}}), {})};
  for (int i = 0; i < 3; ++i) actions.push_back(AddAction("p" + std::to_string(i), {}, 1));
  actions.push_back(AddAction("file:///etc/passwd", {}, 1));
  ASSERT_OK(w.Commit(actions, kEventsTime0));
  ServiceHarness::Options o;
  SharedTable escape{"share", "schema", "escape", w.dir().string()};
  o.tables = {escape};
  std::vector<std::string> errors;
  o.service.error_log = [&](std::string_view line) { errors.emplace_back(line); };
  ASSERT_OK_AND_ASSIGN(auto h, ServiceHarness::Make(std::move(o)));
  // Without includeendstreamaction the stream is cut: it never looks complete.
  Reply cut = h->Post(TablePath(escape) + "/query", "{}");
  EXPECT_EQ(cut.status, 200);
  EXPECT_TRUE(cut.aborted);
  EXPECT_EQ(cut.body.find("passwd"), std::string::npos);
  // With it, the error is the last line.
  Reply in_band = h->Post(TablePath(escape) + "/query", "{}",
                          HeadersOf({"delta-sharing-capabilities: includeendstreamaction=true"}));
  EXPECT_FALSE(in_band.aborted);
  const JsonValue last = in_band.json().back();
  const JsonValue* esa = last.Find("endStreamAction");
  ASSERT_NE(esa, nullptr) << in_band.body;
  EXPECT_NE(esa->Find("errorMessage"), nullptr);
  EXPECT_EQ(esa->Find("httpStatusErrorCode")->GetInt64().ValueOr(0), 400);
  EXPECT_EQ(errors.size(), 2u);
  EXPECT_EQ(h->service().counters().streams_cut->Value(), 1u);
  EXPECT_EQ(h->service().counters().errors_in_band->Value(), 1u);
}

TEST_F(QueryTest, SnapshotCacheCountsHitsAndUpdates) {
  auto metrics = std::make_shared<http::MetricsRegistry>();
  ServiceHarness::Options o;
  o.tables = {events_};
  o.cache.metrics = metrics;
  ASSERT_OK_AND_ASSIGN(auto h, ServiceHarness::Make(std::move(o)));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(h->Post(TablePath(events_) + "/query", "{}").status, 200);
  AddCommit();
  ASSERT_EQ(h->Post(TablePath(events_) + "/query", "{}").status, 200);
  const std::string text = metrics->RenderText();
  EXPECT_NE(text.find("deltashare_snapshot_cache_total{result=\"load\"} 1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("deltashare_snapshot_cache_total{result=\"update\"} 1"), std::string::npos);
  EXPECT_NE(text.find("deltashare_snapshot_cache_total{result=\"hit\"}"), std::string::npos);
}

}  // namespace
}  // namespace ds::sharing::testing
