// Table version (GET and HEAD) and metadata (protocol.md §3-§6; §15 items 14-26), through
// SharingService::Handle on generated tables.
#include "test/sharing/delta_log_writer.h"
#include "test/sharing/sample_tables.h"
#include "test/sharing/service_harness.h"
#include "test/testing/testing.h"

namespace ds::sharing::testing {
namespace {

class TableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(WriteEventsTable(dir_.path() / "events"));
    ASSERT_OK(WritePlainTable(dir_.path() / "plain", 3));
    ServiceHarness::Options o;
    events_ = {"share", "schema", "events", (dir_.path() / "events").string()};
    private_ = {"share", "schema", "private", (dir_.path() / "events").string(), false};
    late_ = {"share", "schema", "late", (dir_.path() / "events").string(), true, 3};
    missing_ = {"share", "schema", "missing", (dir_.path() / "nothing").string()};
    o.tables = {events_, private_, late_, missing_};
    ASSERT_OK_AND_ASSIGN(h_, ServiceHarness::Make(std::move(o)));
  }

  Reply Version(const SharedTable& t, const std::string& query = "") {
    return h_->Get(TablePath(t) + "/version" + query);
  }
  static std::string Iso(int64_t ms) {
    // kEventsTime0 = 2023-11-14T22:13:20Z; offsets below a day keep the date.
    const int64_t s = (ms - kEventsTime0) / 1000 + 22 * 3600 + 13 * 60 + 20;
    char buf[64];
    std::snprintf(buf, sizeof(buf), "2023-11-14T%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60),
                  static_cast<long long>(s % 60),
                  static_cast<long long>((ms - kEventsTime0) % 1000));
    return buf;
  }

  ds::testing::TempDir dir_;
  SharedTable events_, private_, late_, missing_;
  std::unique_ptr<ServiceHarness> h_;
};

TEST_F(TableTest, VersionIsTheLatestWithAnEmptyBody) {
  Reply r = Version(events_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Delta-Table-Version").value_or(""), "5");
  EXPECT_TRUE(r.body.empty());
  // The deprecated HEAD form.
  Reply head = h_->Send(http::Method::kHead, TablePath(events_));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Delta-Table-Version").value_or(""), "5");
  Reply unknown = h_->Send(http::Method::kHead, "/shares/share/schemas/schema/tables/nope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(unknown.body.empty());
}

TEST_F(TableTest, StartingTimestampIsTheFirstCommitAtOrAfterIt) {
  EXPECT_EQ(Version(events_, "?startingTimestamp=2000-01-01T00:00:00Z")
                .header("Delta-Table-Version")
                .value_or(""),
            "0");
  // Exactly a commit's time: that commit (the reference's kernel path is off by one here).
  EXPECT_EQ(Version(events_, "?startingTimestamp=" + Iso(kEventsTime0 + 2000))
                .header("Delta-Table-Version")
                .value_or(""),
            "2");
  EXPECT_EQ(Version(events_, "?startingTimestamp=" + Iso(kEventsTime0 + 2001))
                .header("Delta-Table-Version")
                .value_or(""),
            "3");
  // Percent-encoded as the Python client sends it, and with an offset.
  EXPECT_EQ(Version(events_, "?startingTimestamp=2023-11-14T22%3A13%3A23Z")
                .header("Delta-Table-Version")
                .value_or(""),
            "3");
  EXPECT_EQ(Version(events_, "?startingTimestamp=2023-11-14T23:13:24%2B01:00")
                .header("Delta-Table-Version")
                .value_or(""),
            "4");
  Reply after = Version(events_, "?startingTimestamp=" + Iso(kEventsTime0 + 5001));
  EXPECT_EQ(after.status, 400);
  EXPECT_NE(after.message().find("after the latest version"), std::string::npos);
  for (const char* bad : {"2023-11-14", "yesterday", ""}) {
    Reply r = Version(events_, std::string("?startingTimestamp=") + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.message().find("Invalid startingTimestamp"), std::string::npos) << r.message();
  }
}

TEST_F(TableTest, HistoryRulesApplyToVersionsAndTimestamps) {
  Reply r = Version(private_, "?startingTimestamp=2000-01-01T00:00:00Z");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.message().find("history sharing is not enabled on table: share.schema.private"),
            std::string::npos)
      << r.message();
  // History checked before the timestamp is parsed.
  EXPECT_EQ(Version(private_, "?startingTimestamp=garbage").message(), r.message());
  EXPECT_EQ(Version(private_).status, 200);
  EXPECT_EQ(h_->Get(TablePath(private_) + "/metadata?version=1").status, 400);
  Reply early = Version(late_, "?startingTimestamp=2000-01-01T00:00:00Z");
  EXPECT_EQ(early.status, 400);
  EXPECT_EQ(early.message(), "You can only query table data since version 3.");
}

TEST_F(TableTest, MetadataIsTwoNdjsonLines) {
  Reply r = h_->Get(TablePath(events_) + "/metadata");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/x-ndjson; charset=utf-8");
  EXPECT_EQ(r.header("Delta-Table-Version").value_or(""), "5");
  EXPECT_EQ(r.header("delta-sharing-capabilities").value_or(""), "responseformat=parquet");
  ASSERT_EQ(r.lines().size(), 2u);
  EXPECT_EQ(r.lines()[0], R"({"protocol":{"minReaderVersion":1}})");
  const JsonValue meta = r.json()[1];
  const JsonValue* m = meta.Find("metaData");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->Find("id")->string_value(), "00000000-0000-0000-0000-000000000001");
  EXPECT_EQ(m->Find("format")->ToString(), R"({"provider":"parquet"})");
  EXPECT_EQ(m->Find("partitionColumns")->ToString(), R"(["region"])");
  EXPECT_EQ(m->Find("configuration")->ToString(), R"({"enableChangeDataFeed":"true"})");
  EXPECT_NE(m->Find("schemaString")->string_value().find("\"note\""), std::string::npos);
  EXPECT_EQ(m->Find("numFiles")->GetInt64().ValueOr(0), 4);
  EXPECT_EQ(m->Find("size")->GetInt64().ValueOr(0), 110 + 300 + 400 + 500);
  // Without shared history, the configuration is empty.
  Reply p = h_->Get(TablePath(private_) + "/metadata");
  EXPECT_NE(p.lines()[1].find("\"configuration\":{}"), std::string::npos);
}

TEST_F(TableTest, MetadataTimeTravel) {
  Reply v1 = h_->Get(TablePath(events_) + "/metadata?version=1");
  ASSERT_EQ(v1.status, 200) << v1.body;
  EXPECT_EQ(v1.header("Delta-Table-Version").value_or(""), "1");
  EXPECT_EQ(v1.lines()[1].find("note"), std::string::npos);
  Reply ts = h_->Get(TablePath(events_) + "/metadata?timestamp=" + Iso(kEventsTime0 + 4500));
  EXPECT_EQ(ts.header("Delta-Table-Version").value_or(""), "4");
  for (const char* bad : {"?version=1&timestamp=2023-11-14T22:13:20Z", "?version=-1", "?version=x",
                          "?version=6", "?timestamp=2000-01-01T00:00:00Z",
                          "?timestamp=2030-01-01T00:00:00Z", "?timestamp=2023-11-14"}) {
    Reply r = h_->Get(TablePath(events_) + "/metadata" + bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_EQ(r.error_code(), "INVALID_PARAMETER_VALUE") << bad;
  }
}

TEST_F(TableTest, DeltaFormatOnRequest) {
  const auto delta = HeadersOf({"delta-sharing-capabilities: responseformat=delta"});
  Reply r = h_->Get(TablePath(events_) + "/metadata", delta);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("delta-sharing-capabilities").value_or(""), "responseformat=delta");
  EXPECT_EQ(r.lines()[0],
            R"({"protocol":{"deltaProtocol":{"minReaderVersion":1,"minWriterVersion":2}}})");
  EXPECT_NE(r.lines()[1].find(R"("configuration":{"delta.enableChangeDataFeed":"true"})"),
            std::string::npos)
      << r.lines()[1];
  // Both formats, a plain table: parquet. Capabilities parse case-insensitively.
  Reply both = h_->Get(TablePath(events_) + "/metadata",
                       HeadersOf({"Delta-Sharing-Capabilities: ResponseFormat=Delta,Parquet;"
                                  "unknownKey=1;garbage"}));
  EXPECT_EQ(both.header("delta-sharing-capabilities").value_or(""), "responseformat=parquet");
  Reply unknown = h_->Get(TablePath(events_) + "/metadata",
                          HeadersOf({"delta-sharing-capabilities: responseformat=arrow"}));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.error_code(), "UNSUPPORTED_OPERATION");
  // fileidhash is validated and echoed here too.
  EXPECT_EQ(h_->Get(TablePath(events_) + "/metadata", HeadersOf({"fileidhash: md5"})).status, 400);
  EXPECT_EQ(h_->Get(TablePath(events_) + "/metadata", HeadersOf({"fileidhash:  DELTA "}))
                .header("fileidhash")
                .value_or(""),
            "delta");
}

TEST_F(TableTest, AdvancedTablesNeedDeltaAndTheirFeatures) {
  DeltaLogWriter w(dir_.path() / "dv");
  ASSERT_OK(w.Commit({ProtocolAction(3, 7, {"deletionVectors"}, {"deletionVectors"}),
                      MetadataAction(SimpleSchema({{"id", "long"}}), {},
                                     {{"delta.enableDeletionVectors", "true"}})},
                     kEventsTime0));
  ServiceHarness::Options o;
  SharedTable dv{"share", "schema", "dv", w.dir().string()};
  o.tables = {dv};
  ASSERT_OK_AND_ASSIGN(auto h, ServiceHarness::Make(std::move(o)));
  const std::string path = TablePath(dv) + "/metadata";
  Reply parquet = h->Get(path);
  EXPECT_EQ(parquet.status, 400);
  EXPECT_EQ(parquet.error_code(), "UNSUPPORTED_OPERATION");
  Reply unlisted = h->Get(path, HeadersOf({"delta-sharing-capabilities: responseformat=delta"}));
  EXPECT_EQ(unlisted.status, 400);
  EXPECT_NE(unlisted.message().find("Unsupported Delta Table Properties"), std::string::npos);
  Reply ok = h->Get(path, HeadersOf({"delta-sharing-capabilities: responseformat=delta,parquet;"
                                     "readerfeatures=deletionvectors,columnmapping"}));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.header("delta-sharing-capabilities").value_or(""), "responseformat=delta");
  // The client listed features: the real protocol, features included.
  EXPECT_NE(ok.lines()[0].find(R"("readerFeatures":["deletionVectors"])"), std::string::npos);
}

TEST_F(TableTest, MissingTableIsAClean404WithoutItsLocation) {
  Reply r = Version(missing_);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error_code(), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_NE(r.message().find("share.schema.missing"), std::string::npos) << r.message();
  EXPECT_EQ(r.message().find(dir_.path().string()), std::string::npos) << r.message();
  EXPECT_EQ(h_->Get(TablePath(missing_) + "/metadata").status, 404);
  EXPECT_EQ(h_->Post(TablePath(missing_) + "/query", "{}").status, 404);
  // The other tables keep working.
  EXPECT_EQ(Version(events_).status, 200);
}

TEST_F(TableTest, CorruptLogIsA500ThatRevealsNothing) {
  DeltaLogWriter w(dir_.path() / "corrupt");
  ASSERT_OK(w.Commit(
      {"{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}", "this is not json"},
      kEventsTime0));
  ServiceHarness::Options o;
  SharedTable corrupt{"share", "schema", "corrupt", w.dir().string()};
  o.tables = {corrupt, events_};
  std::vector<std::string> errors;
  o.service.error_log = [&](std::string_view line) { errors.emplace_back(line); };
  ASSERT_OK_AND_ASSIGN(auto h, ServiceHarness::Make(std::move(o)));
  Reply r = h->Get(TablePath(corrupt) + "/metadata");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.error_code(), "INTERNAL_ERROR");
  EXPECT_EQ(r.message().find(dir_.path().string()), std::string::npos) << r.message();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("\"table\":\"share.schema.corrupt\""), std::string::npos) << errors[0];
  EXPECT_EQ(h->Get(TablePath(events_) + "/metadata").status, 200);
}

}  // namespace
}  // namespace ds::sharing::testing
