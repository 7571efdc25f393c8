// Log replay, incremental updates, commit timestamps and history on small logs written into
// a MemoryStore.
#include <gtest/gtest.h>

#include "delta/table.h"
#include "objstore/memory_store.h"
#include "test/testing/testing.h"

namespace ds::delta {
namespace {

constexpr const char* kProtocol = R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})";
constexpr const char* kMetadata =
    R"({"metaData":{"id":"t1","format":{"provider":"parquet","options":{}},)"
    R"("schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",)"
    R"(\"nullable\":true,\"metadata\":{}}]}","partitionColumns":[],"configuration":{}}})";

std::string Add(const std::string& path, const std::string& extra = "") {
  return R"({"add":{"path":")" + path +
         R"(","partitionValues":{},"size":10,"modificationTime":1,"dataChange":true)" + extra +
         "}}";
}
std::string Remove(const std::string& path, const std::string& extra = "") {
  return R"({"remove":{"path":")" + path + R"(","dataChange":true)" + extra + "}}";
}
std::string Dv(const std::string& id) {
  return R"(,"deletionVector":{"storageType":"u","pathOrInlineDv":")" + id +
         R"(","offset":1,"sizeInBytes":36,"cardinality":2})";
}
std::string CommitInfo(int64_t ts, const std::string& op = "WRITE", const std::string& extra = "") {
  return R"({"commitInfo":{"timestamp":)" + std::to_string(ts) + R"(,"operation":")" + op +
         R"(","operationParameters":{"mode":"Append"})" + extra + "}}";
}

class ReplayTest : public ::testing::Test {
 protected:
  ReplayTest()
      : store_(std::make_shared<objstore::MemoryStore>()), table_(Table::Open(store_, "tbl")) {}

  void Commit(int64_t version, const std::vector<std::string>& lines, int64_t mtime = -1) {
    std::string text;
    for (const std::string& l : lines) text += l + "\n";
    std::string key = "tbl/_delta_log/" + CommitFileName(version);
    ASSERT_OK(store_->Put(key, text));
    ASSERT_OK(store_->SetMtime(key, mtime >= 0 ? mtime : 1000 * (version + 1)));
  }
  std::vector<std::string> Paths(const Snapshot& s) {
    std::vector<std::string> out;
    for (size_t i = 0; i < s.files().num_files(); ++i) out.emplace_back(s.files().file(i).path());
    std::sort(out.begin(), out.end());
    return out;
  }

  std::shared_ptr<objstore::MemoryStore> store_;
  TablePtr table_;
};

TEST_F(ReplayTest, NewestActionPerPathAndDeletionVectorWins) {
  Commit(0, {kProtocol, kMetadata, Add("a"), Add("b"), Add("c")});
  Commit(1, {Remove("a"), Remove("b"), Add("b", Dv("vBn[lx{q8@P<9BNH/isA"))});  // DV swap on b
  Commit(2, {Add("a")});                                                        // re-add a
  ASSERT_OK_AND_ASSIGN(SnapshotPtr s, table_->LatestSnapshot());
  EXPECT_EQ(s->version(), 2);
  EXPECT_EQ(Paths(*s), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(s->files().total_bytes(), 30);
  auto b = s->files().Find(
      "b", DeletionVectorDescriptor{'u', "vBn[lx{q8@P<9BNH/isA", 1, 36, 2, std::nullopt});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->kind(), FileActionKind::kAdd);
  // The tombstone of b without a DV survives next to the live b with its DV.
  ASSERT_EQ(s->files().num_tombstones(), 1u);
  EXPECT_EQ(s->files().tombstone(0).path(), "b");
  EXPECT_FALSE(s->files().tombstone(0).deletion_vector());
  // Time travel to version 1: a is removed.
  ASSERT_OK_AND_ASSIGN(SnapshotPtr v1, table_->SnapshotAtVersion(1));
  EXPECT_EQ(Paths(*v1), (std::vector<std::string>{"b", "c"}));
}

TEST_F(ReplayTest, UnknownActionsAndFieldsAreIgnored) {
  Commit(0, {kProtocol, kMetadata, R"({"futureAction":{"x":[1,2,{"y":null}]}})",
             Add("a", R"(,"someNewField":{"nested":true},"stats":"{\"numRecords\":3}")")});
  ASSERT_OK_AND_ASSIGN(SnapshotPtr s, table_->LatestSnapshot());
  ASSERT_EQ(s->files().num_files(), 1u);
  EXPECT_EQ(*s->files().file(0).stats(), R"({"numRecords":3})");
}

TEST_F(ReplayTest, UnknownReaderFeatureIsRefusedByName) {
  Commit(0, {R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,)"
             R"("readerFeatures":["deletionVectors","fancyNewThing"],)"
             R"("writerFeatures":["deletionVectors","fancyNewThing"]}})",
             kMetadata});
  Result<SnapshotPtr> s = table_->LatestSnapshot();
  ASSERT_RAISES(kNotSupported, s);
  EXPECT_NE(s.status().message().find("'fancyNewThing'"), std::string::npos) << s.status();
}

TEST_F(ReplayTest, UnknownWriterFeatureStillReads) {
  Commit(0, {R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":[],)"
             R"("writerFeatures":["someWriterOnlyFeature"]}})",
             kMetadata, Add("a")});
  ASSERT_OK(table_->LatestSnapshot());
}

TEST_F(ReplayTest, ReaderVersionFourIsRefused) {
  Commit(0, {R"({"protocol":{"minReaderVersion":4,"minWriterVersion":7}})", kMetadata});
  ASSERT_RAISES(kNotSupported, table_->LatestSnapshot());
}

TEST_F(ReplayTest, ProtocolIsCheckedAtTheVersionRead) {
  Commit(0, {kProtocol, kMetadata});
  Commit(1, {R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,)"
             R"("readerFeatures":["bogus"],"writerFeatures":["bogus"]}})"});
  ASSERT_OK(table_->SnapshotAtVersion(0));
  ASSERT_RAISES(kNotSupported, table_->SnapshotAtVersion(1));
}

TEST_F(ReplayTest, TwoMetadataActionsInOneCommitIsCorruption) {
  Commit(0, {kProtocol, kMetadata, kMetadata});
  Result<SnapshotPtr> s = table_->LatestSnapshot();
  ASSERT_RAISES(kCorruption, s);
  EXPECT_NE(s.status().message().find("00000000000000000000.json"), std::string::npos);
}

TEST_F(ReplayTest, MalformedLineNamesFileAndLine) {
  Commit(0, {kProtocol, kMetadata});
  Commit(1, {Add("a"), R"({"add":{"path":"b","size":"ten"}})"});
  Result<SnapshotPtr> s = table_->LatestSnapshot();
  ASSERT_RAISES(kCorruption, s);
  EXPECT_NE(s.status().message().find("00000000000000000001.json line 2"), std::string::npos)
      << s.status();
  Commit(1, {Add("a"), R"({"add":{"path":"b")"});
  ASSERT_RAISES(kCorruption, table_->LatestSnapshot());
  Commit(1, {"[1,2,3]"});
  ASSERT_RAISES(kCorruption, table_->LatestSnapshot());
  Commit(1, {});
  ASSERT_RAISES(kCorruption, table_->LatestSnapshot());  // an empty commit file
}

TEST_F(ReplayTest, MissingMetadataOrProtocolIsCorruption) {
  Commit(0, {kProtocol, Add("a")});
  Result<SnapshotPtr> s = table_->LatestSnapshot();
  ASSERT_RAISES(kCorruption, s);
  EXPECT_NE(s.status().message().find("no metaData action"), std::string::npos);
  Commit(0, {kMetadata});
  ASSERT_RAISES(kCorruption, table_->LatestSnapshot());
}

TEST_F(ReplayTest, TransactionsAndDomains) {
  Commit(0, {kProtocol, kMetadata, R"({"txn":{"appId":"app","version":5,"lastUpdated":7}})",
             R"({"domainMetadata":{"domain":"d1","configuration":"{}","removed":false}})",
             R"({"domainMetadata":{"domain":"d2","configuration":"{\"x\":1}","removed":false}})"});
  Commit(1, {R"({"txn":{"appId":"app","version":3}})",  // newest action wins, not max version
             R"({"domainMetadata":{"domain":"d1","configuration":"","removed":true}})"});
  ASSERT_OK_AND_ASSIGN(SnapshotPtr s, table_->LatestSnapshot());
  ASSERT_EQ(s->transactions().count("app"), 1u);
  EXPECT_EQ(s->transactions().at("app").version, 3);
  EXPECT_EQ(s->domains().count("d1"), 0u);
  ASSERT_EQ(s->domains().count("d2"), 1u);
  EXPECT_EQ(s->domains().at("d2").configuration, R"({"x":1})");
}

TEST_F(ReplayTest, IncrementalUpdateEqualsFullReplay) {
  Commit(0, {kProtocol, kMetadata, Add("a"), Add("b")});
  Commit(1, {Add("c")});
  ASSERT_OK_AND_ASSIGN(SnapshotPtr base, table_->LatestSnapshot());
  Commit(2, {Remove("a"), Add("d"), R"({"txn":{"appId":"x","version":1}})"});
  Commit(3, {Remove("b"), Add("b", Dv("vBn[lx{q8@P<9BNH/isA")), Add("e"),
             R"({"metaData":{"id":"t1","format":{"provider":"parquet","options":{}},)"
             R"("schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":[],)"
             R"("configuration":{"k":"v"}}})"});
  ASSERT_OK_AND_ASSIGN(SnapshotPtr updated, table_->Update(base));
  ASSERT_OK_AND_ASSIGN(SnapshotPtr full, table_->LatestSnapshot());
  EXPECT_EQ(updated->version(), 3);
  EXPECT_EQ(Paths(*updated), Paths(*full));
  EXPECT_EQ(Paths(*updated), (std::vector<std::string>{"b", "c", "d", "e"}));
  EXPECT_EQ(updated->files().num_tombstones(), full->files().num_tombstones());
  EXPECT_EQ(updated->metadata(), full->metadata());
  EXPECT_EQ(updated->transactions().at("x").version, 1);
  EXPECT_EQ(updated->files().total_bytes(), full->files().total_bytes());
  // The base snapshot is untouched.
  EXPECT_EQ(base->version(), 1);
  EXPECT_EQ(Paths(*base), (std::vector<std::string>{"a", "b", "c"}));
  // Up to date: the same object; older target: a full load.
  ASSERT_OK_AND_ASSIGN(SnapshotPtr same, table_->Update(updated));
  EXPECT_EQ(same.get(), updated.get());
  ASSERT_OK_AND_ASSIGN(SnapshotPtr back, table_->Update(updated, 1));
  EXPECT_EQ(Paths(*back), Paths(*base));
}

TEST_F(ReplayTest, PathsArePercentDecodedOnceWhenResolved) {
  Commit(0, {kProtocol, kMetadata, Add("part=a%253Ab/x%20y+z.parquet")});
  ASSERT_OK_AND_ASSIGN(SnapshotPtr s, table_->LatestSnapshot());
  EXPECT_EQ(s->files().file(0).path(), "part=a%253Ab/x%20y+z.parquet");  // as written
  ASSERT_OK_AND_ASSIGN(FileLocation loc, table_->Resolve(s->files().file(0).path()));
  EXPECT_FALSE(loc.absolute);
  EXPECT_EQ(loc.location, "tbl/part=a%3Ab/x y+z.parquet");
  ASSERT_OK_AND_ASSIGN(loc, table_->Resolve("s3://bucket/x%20y.parquet"));
  EXPECT_TRUE(loc.absolute);
  EXPECT_EQ(loc.location, "s3://bucket/x y.parquet");
  ASSERT_RAISES(kCorruption, table_->Resolve("../escape.parquet"));
  ASSERT_RAISES(kCorruption, table_->Resolve("bad%zz"));
}

TEST_F(ReplayTest, CommitTimestampsAreMonotonizedModificationTimes) {
  Commit(0, {CommitInfo(1), kProtocol, kMetadata}, 5000);
  Commit(1, {CommitInfo(2), Add("a")}, 4000);  // clock went backwards
  Commit(2, {CommitInfo(3), Add("b")}, 9000);
  ASSERT_OK_AND_ASSIGN(auto timeline, table_->Timeline());
  ASSERT_OK_AND_ASSIGN(int64_t t1, timeline->TimestampOf(1));
  EXPECT_EQ(t1, 5001);
  ASSERT_OK_AND_ASSIGN(int64_t v, timeline->VersionAtOrBefore(5000));
  EXPECT_EQ(v, 0);
  ASSERT_OK_AND_ASSIGN(v, timeline->VersionAtOrBefore(8999));
  EXPECT_EQ(v, 1);
  ASSERT_OK_AND_ASSIGN(v, timeline->VersionAtOrAfter(5001));
  EXPECT_EQ(v, 1);
  ASSERT_OK_AND_ASSIGN(v, timeline->VersionAtOrAfter(0));  // before v0 -> v0
  EXPECT_EQ(v, 0);
  Result<int64_t> before = timeline->VersionAtOrBefore(4999);
  ASSERT_RAISES(kOutOfRange, before);
  EXPECT_NE(before.status().message().find("before the earliest"), std::string::npos);
  ASSERT_RAISES(kOutOfRange, timeline->VersionAtOrAfter(9001));
  ASSERT_RAISES(kOutOfRange, timeline->TimestampOf(3));
  ASSERT_OK_AND_ASSIGN(SnapshotPtr s, table_->SnapshotAtTimestamp(6000));
  EXPECT_EQ(s->version(), 1);
}

TEST_F(ReplayTest, InCommitTimestampsFromTheEnablementVersion) {
  const std::string protocol = R"({"protocol":{"minReaderVersion":1,"minWriterVersion":7,)"
                               R"("writerFeatures":["inCommitTimestamp"]}})";
  const std::string ict_metadata =
      R"({"metaData":{"id":"t1","format":{"provider":"parquet","options":{}},)"
      R"("schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":[],)"
      R"("configuration":{"delta.enableInCommitTimestamps":"true",)"
      R"("delta.inCommitTimestampEnablementVersion":"1",)"
      R"("delta.inCommitTimestampEnablementTimestamp":"20000"}}})";
  Commit(0, {CommitInfo(1), protocol, kMetadata}, 10000);
  Commit(1, {R"({"commitInfo":{"inCommitTimestamp":20000,"timestamp":1}})", ict_metadata}, 500);
  Commit(2, {R"({"commitInfo":{"inCommitTimestamp":30000,"timestamp":2}})", Add("a")}, 600);
  ASSERT_OK_AND_ASSIGN(auto timeline, table_->Timeline());
  ASSERT_OK_AND_ASSIGN(int64_t t0, timeline->TimestampOf(0));
  ASSERT_OK_AND_ASSIGN(int64_t t2, timeline->TimestampOf(2));
  EXPECT_EQ(t0, 10000);  // before enablement: the file's mtime
  EXPECT_EQ(t2, 30000);  // from the commitInfo, not the mtime
  ASSERT_OK_AND_ASSIGN(int64_t v, timeline->VersionAtOrBefore(29999));
  EXPECT_EQ(v, 1);
  ASSERT_OK_AND_ASSIGN(v, timeline->VersionAtOrAfter(20001));
  EXPECT_EQ(v, 2);
  ASSERT_OK_AND_ASSIGN(v, timeline->VersionAtOrAfter(15000));
  EXPECT_EQ(v, 1);
}

TEST_F(ReplayTest, HistoryNewestFirst) {
  Commit(0, {CommitInfo(1, "CREATE TABLE"), kProtocol, kMetadata});
  Commit(1, {Add("a"), CommitInfo(2, "WRITE")});  // commitInfo need not lead
  Commit(2, {Add("b")});                          // no commitInfo at all
  ASSERT_OK_AND_ASSIGN(auto history, table_->History());
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].version, 2);
  EXPECT_FALSE(history[0].operation);
  EXPECT_EQ(history[0].commit_info_json, "{}");
  EXPECT_EQ(*history[1].operation, "WRITE");
  EXPECT_EQ(history[1].operation_parameters_json, R"({"mode":"Append"})");
  EXPECT_EQ(*history[2].operation, "CREATE TABLE");
  EXPECT_EQ(history[2].timestamp_ms, 1000);
  ASSERT_OK_AND_ASSIGN(history, table_->History(1));
  EXPECT_EQ(history.size(), 1u);
}

TEST_F(ReplayTest, UnreadableCheckpointFallsBackToAnOlderOne) {
  Commit(0, {kProtocol, kMetadata, Add("a")});
  Commit(1, {Add("b")});
  ASSERT_OK(store_->Put("tbl/_delta_log/00000000000000000001.checkpoint.parquet", "garbage"));
  ASSERT_OK_AND_ASSIGN(SnapshotPtr s, table_->LatestSnapshot());
  EXPECT_EQ(Paths(*s), (std::vector<std::string>{"a", "b"}));
  ASSERT_FALSE(s->warnings().empty());
  EXPECT_NE(s->warnings().back().find("checkpoint 1 is unreadable"), std::string::npos);
}

TEST_F(ReplayTest, NoTableIsNotFound) {
  Result<SnapshotPtr> s = table_->LatestSnapshot();
  ASSERT_RAISES(kNotFound, s);
  EXPECT_NE(s.status().message().find("no Delta table at"), std::string::npos);
  ASSERT_RAISES(kNotFound, table_->LatestVersion());
}

}  // namespace
}  // namespace ds::delta
