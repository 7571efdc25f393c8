// The log-segment rules of delta.md §1 on tiny logs in a MemoryStore (file contents do not
// matter here: segments are built from names).
#include "delta/log_segment.h"

#include <gtest/gtest.h>

#include "objstore/memory_store.h"
#include "test/testing/testing.h"

namespace ds::delta {
namespace {

class LogSegmentTest : public ::testing::Test {
 protected:
  void Put(const std::string& name, std::string bytes = "x") {
    ASSERT_OK(store_.Put("t/_delta_log/" + name, bytes));
  }
  void Commits(int64_t from, int64_t to) {
    for (int64_t v = from; v <= to; ++v) Put(CommitFileName(v));
  }
  Result<LogSegment> Load(std::optional<int64_t> version = std::nullopt) {
    SegmentOptions options;
    options.version = version;
    return LoadLogSegment(store_, "t/_delta_log/", options, "t", &warnings_);
  }
  std::vector<int64_t> CommitVersions(const LogSegment& s) {
    std::vector<int64_t> out;
    for (const LogFile& f : s.commits) out.push_back(f.path.version);
    return out;
  }

  objstore::MemoryStore store_;
  std::vector<std::string> warnings_;
};

TEST(LogPathTest, ParsesEveryKindAndRejectsOddNames) {
  auto p = ParseLogFileName("00000000000000000010.json");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, LogFileKind::kCommit);
  EXPECT_EQ(p->version, 10);
  p = ParseLogFileName("00000000000000000010.checkpoint.0000000002.0000000003.parquet");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, LogFileKind::kMultiPartCheckpoint);
  EXPECT_EQ(p->part, 2);
  EXPECT_EQ(p->num_parts, 3);
  p = ParseLogFileName("00000000000000000002.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, LogFileKind::kUuidCheckpoint);
  EXPECT_TRUE(p->json);
  p = ParseLogFileName("00000000000000000000.00000000000000000005.compacted.json");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, LogFileKind::kCompaction);
  EXPECT_EQ(p->end_version, 5);
  EXPECT_TRUE(ParseLogFileName("00000000000000000003.checkpoint.parquet"));
  EXPECT_TRUE(ParseLogFileName("00000000000000000003.crc"));
  for (const char* bad : {"0000000000000000003.json", "000000000000000000003.json",
                          "00000000000000000003.json.tmp", ".00000000000000000003.json.crc",
                          "00000000000000000003.checkpoint.0000000004.0000000003.parquet",
                          "00000000000000000003.checkpoint.0000000000.0000000003.parquet",
                          "00000000000000000003.checkpoint.not-a-uuid.json",
                          "00000000000000000005.00000000000000000005.compacted.json",
                          "_last_checkpoint", "0000000000000000000a.json"}) {
    EXPECT_FALSE(ParseLogFileName(bad)) << bad;
  }
}

TEST_F(LogSegmentTest, EmptyLogIsNotFound) {
  Result<LogSegment> s = Load();
  ASSERT_RAISES(kNotFound, s);
  EXPECT_NE(s.status().message().find("_delta_log is missing or empty"), std::string::npos);
  Put("00000000000000000000.crc");  // a checksum alone is not a table
  ASSERT_RAISES(kNotFound, Load());
}

TEST_F(LogSegmentTest, CommitsOnly) {
  Commits(0, 4);
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load());
  EXPECT_EQ(s.version, 4);
  EXPECT_FALSE(s.checkpoint);
  EXPECT_EQ(CommitVersions(s), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  ASSERT_OK_AND_ASSIGN(s, Load(2));
  EXPECT_EQ(CommitVersions(s), (std::vector<int64_t>{0, 1, 2}));
}

TEST_F(LogSegmentTest, GapIsCorruption) {
  Commits(0, 1);
  Commits(3, 4);
  Result<LogSegment> s = Load();
  ASSERT_RAISES(kCorruption, s);
  EXPECT_NE(s.status().message().find("commit 2"), std::string::npos) << s.status();
  ASSERT_OK(Load(1));  // the versions before the gap are fine
}

TEST_F(LogSegmentTest, MissingCommitZeroWithoutCheckpointIsCorruption) {
  Commits(1, 3);
  ASSERT_RAISES(kCorruption, Load());
}

TEST_F(LogSegmentTest, VersionOutsideTheHistoryIsOutOfRange) {
  Commits(0, 3);
  Result<LogSegment> s = Load(7);
  ASSERT_RAISES(kOutOfRange, s);
  EXPECT_NE(s.status().message().find("latest version is 3"), std::string::npos) << s.status();
  ASSERT_RAISES(kOutOfRange, Load(-1));
}

TEST_F(LogSegmentTest, CleanedLogCannotTravelBeforeTheCheckpoint) {
  Commits(5, 8);
  Put("00000000000000000005.checkpoint.parquet");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load());
  EXPECT_EQ(s.checkpoint->version, 5);
  EXPECT_EQ(CommitVersions(s), (std::vector<int64_t>{6, 7, 8}));
  ASSERT_TRUE(s.checkpoint_commit);
  EXPECT_EQ(s.checkpoint_commit->path.version, 5);
  Result<LogSegment> old = Load(3);
  ASSERT_RAISES(kOutOfRange, old);
  EXPECT_NE(old.status().message().find("5 to 8"), std::string::npos) << old.status();
}

TEST_F(LogSegmentTest, CheckpointThenGapIsCorruption) {
  Commits(0, 5);
  Put("00000000000000000005.checkpoint.parquet");
  Commits(7, 8);
  ASSERT_RAISES(kCorruption, Load());
}

TEST_F(LogSegmentTest, IncompleteMultiPartCheckpointIsIgnored) {
  Commits(0, 6);
  Put("00000000000000000003.checkpoint.parquet");
  Put("00000000000000000005.checkpoint.0000000001.0000000003.parquet");
  Put("00000000000000000005.checkpoint.0000000003.0000000003.parquet");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load());
  EXPECT_EQ(s.checkpoint->version, 3);
  EXPECT_EQ(CommitVersions(s), (std::vector<int64_t>{4, 5, 6}));
  Put("00000000000000000005.checkpoint.0000000002.0000000003.parquet");
  ASSERT_OK_AND_ASSIGN(s, Load());
  EXPECT_EQ(s.checkpoint->version, 5);
  EXPECT_EQ(s.checkpoint->parts.size(), 3u);
  EXPECT_EQ(s.checkpoint->parts[1].path.part, 2);
}

TEST_F(LogSegmentTest, UuidBeatsMultiPartBeatsClassic) {
  Commits(0, 4);
  Put("00000000000000000004.checkpoint.parquet");
  Put("00000000000000000004.checkpoint.0000000001.0000000002.parquet");
  Put("00000000000000000004.checkpoint.0000000002.0000000002.parquet");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load());
  EXPECT_EQ(s.checkpoint->kind, LogFileKind::kMultiPartCheckpoint);
  Put("00000000000000000004.checkpoint.11111111-1111-1111-1111-111111111111.json");
  Put("00000000000000000004.checkpoint.22222222-2222-2222-2222-222222222222.parquet");
  ASSERT_OK_AND_ASSIGN(s, Load());
  EXPECT_EQ(s.checkpoint->kind, LogFileKind::kUuidCheckpoint);
  EXPECT_NE(s.checkpoint->parts[0].meta.key.find("2222"), std::string::npos);  // greatest name
  EXPECT_TRUE(s.commits.empty());
}

TEST_F(LogSegmentTest, ZeroByteCheckpointIsSkipped) {
  Commits(0, 4);
  Put("00000000000000000002.checkpoint.parquet");
  Put("00000000000000000004.checkpoint.parquet", "");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load());
  EXPECT_EQ(s.checkpoint->version, 2);
}

TEST_F(LogSegmentTest, CheckpointOnlyTable) {
  Put("00000000000000000007.checkpoint.parquet");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load());
  EXPECT_EQ(s.version, 7);
  EXPECT_TRUE(s.commits.empty());
  EXPECT_FALSE(s.checkpoint_commit);
}

TEST_F(LogSegmentTest, CorruptHintIsIgnored) {
  Commits(0, 4);
  Put("00000000000000000002.checkpoint.parquet");
  Put("_last_checkpoint", "{not json");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load());
  EXPECT_EQ(s.checkpoint->version, 2);
  ASSERT_FALSE(warnings_.empty());
  EXPECT_NE(warnings_[0].find("_last_checkpoint"), std::string::npos);
}

TEST_F(LogSegmentTest, StaleHintStillFindsTheNewestCheckpoint) {
  Commits(0, 9);
  Put("00000000000000000002.checkpoint.parquet");
  Put("00000000000000000008.checkpoint.parquet");
  Put("_last_checkpoint", R"({"version":2,"size":3})");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load());
  EXPECT_EQ(s.checkpoint->version, 8);
  EXPECT_EQ(CommitVersions(s), (std::vector<int64_t>{9}));
}

TEST_F(LogSegmentTest, HintNewerThanTheTargetIsDropped) {
  Commits(0, 9);
  Put("00000000000000000002.checkpoint.parquet");
  Put("00000000000000000008.checkpoint.parquet");
  Put("_last_checkpoint", R"({"version":8,"size":3})");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load(5));
  EXPECT_EQ(s.checkpoint->version, 2);
  EXPECT_EQ(CommitVersions(s), (std::vector<int64_t>{3, 4, 5}));
}

TEST_F(LogSegmentTest, HintedCheckpointThatIsGoneTriggersAFullListing) {
  Commits(0, 6);
  Put("00000000000000000003.checkpoint.parquet");
  Put("_last_checkpoint", R"({"version":5,"size":3})");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load());
  EXPECT_EQ(s.checkpoint->version, 3);
  EXPECT_EQ(CommitVersions(s), (std::vector<int64_t>{4, 5, 6}));
  EXPECT_FALSE(warnings_.empty());
}

TEST_F(LogSegmentTest, HintedCheckpointGoneAndLogTruncatedFails) {
  // The hint says 5, its checkpoint is gone, and commits before 5 were cleaned: re-listing
  // must not splice a table together from what remains.
  Commits(4, 6);
  Put("_last_checkpoint", R"({"version":5,"size":3})");
  ASSERT_RAISES(kCorruption, Load());
}

TEST_F(LogSegmentTest, FarTargetScansBackwardsInWindows) {
  Commits(0, 2500);
  Put("00000000000000000100.checkpoint.parquet");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load(2400));
  EXPECT_EQ(s.checkpoint->version, 100);
  EXPECT_EQ(s.commits.front().path.version, 101);
  EXPECT_EQ(s.commits.back().path.version, 2400);
}

TEST_F(LogSegmentTest, CompactionsAreRecordedWidestFirst) {
  Commits(0, 9);
  Put("00000000000000000001.00000000000000000003.compacted.json");
  Put("00000000000000000001.00000000000000000005.compacted.json");
  Put("00000000000000000004.00000000000000000006.compacted.json");
  Put("00000000000000000007.00000000000000000012.compacted.json");  // past the target
  ASSERT_OK_AND_ASSIGN(LogSegment s, Load());
  ASSERT_EQ(s.compactions.size(), 1u);
  EXPECT_EQ(s.compactions[0].path.version, 1);
  EXPECT_EQ(s.compactions[0].path.end_version, 5);
}

TEST_F(LogSegmentTest, LatestVersion) {
  Commits(0, 3);
  ASSERT_OK_AND_ASSIGN(int64_t v, LatestLogVersion(store_, "t/_delta_log/", "t"));
  EXPECT_EQ(v, 3);
  Put("_last_checkpoint", R"({"version":9,"size":3})");  // stale beyond the log
  ASSERT_OK_AND_ASSIGN(v, LatestLogVersion(store_, "t/_delta_log/", "t"));
  EXPECT_EQ(v, 3);
}

}  // namespace
}  // namespace ds::delta
