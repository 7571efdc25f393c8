// The write operations round-tripped through our reader: create, append, overwrite, delete
// and merge (with their change data feed), partitions with awkward values, every type and
// nulls, checkpoints against JSON replay.
#include <gtest/gtest.h>

#include <filesystem>

#include "delta/changes.h"
#include "delta/checkpoint_writer.h"
#include "delta/last_checkpoint.h"
#include "delta/merge.h"
#include "delta/path_util.h"
#include "delta/table_writer.h"
#include "expr/json_predicate.h"
#include "objstore/local_store.h"
#include "test/delta/test_tables.h"
#include "test/delta/write_test_util.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

using testing::Canonical;
using testing::ChangeRows;
using testing::JsonRows;
using testing::LatestRows;
using testing::LocalTable;
using testing::ParseSchema;
using testing::SchemaJson;
namespace fs = std::filesystem;

const std::string kAllTypes = SchemaJson({
    {"id", R"("long")"},
    {"b8", R"("byte")"},
    {"s16", R"("short")"},
    {"i32", R"("integer")"},
    {"f32", R"("float")"},
    {"f64", R"("double")"},
    {"dec", "\"decimal(38,18)\""},
    {"money", "\"decimal(10,2)\""},
    {"name", R"("string")"},
    {"blob", R"("binary")"},
    {"flag", R"("boolean")"},
    {"day", R"("date")"},
    {"at", R"("timestamp")"},
    {"point",
     R"({"type":"struct","fields":[{"name":"x","type":"double","nullable":true,"metadata":{}},{"name":"label","type":"string","nullable":true,"metadata":{}}]})"},
    {"tags", R"({"type":"array","elementType":"string","containsNull":true})"},
    {"attrs", R"({"type":"map","keyType":"string","valueType":"long","valueContainsNull":true})"},
    {"part", R"("string")"},
    {"bucket", R"("integer")"},
});

const std::string kAllTypeRows =
    R"({"id":1,"b8":-128,"s16":32767,"i32":-5,"f32":1.5,"f64":-2.25,"dec":"12345678901234567890.123456789012345678","money":"10.50","name":"héllo","blob":"AAEC","flag":true,"day":"2024-02-29","at":"2024-01-02T03:04:05.123456Z","point":{"x":1.0,"label":"p"},"tags":["a",null],"attrs":[{"key":"k","value":1}],"part":"a:b/c=d %x é","bucket":1}
{"id":2,"part":null,"bucket":null}
{"id":3,"b8":0,"s16":0,"i32":0,"f32":"NaN","f64":"-Infinity","dec":"0.000000000000000000","money":"-0.01","name":"","blob":"","flag":false,"day":"1970-01-01","at":"1969-12-31T23:59:59.999999Z","point":{"x":null,"label":null},"tags":[],"attrs":[],"part":"","bucket":2}
{"id":4,"name":"x","part":"#%{[]}^?","bucket":1}
{"id":5,"name":"y","part":"a:b/c=d %x é","bucket":1}
)";

CreateTableSpec Spec(const std::string& schema, std::vector<std::string> partitions = {},
                     StringMap properties = {}) {
  CreateTableSpec spec;
  spec.schema = ParseSchema(schema);
  spec.partition_columns = std::move(partitions);
  spec.properties = std::move(properties);
  return spec;
}

TEST(WriteRoundTrip, EveryTypeNullsAndAwkwardPartitions) {
  LocalTable t;
  CreateTableSpec spec = Spec(kAllTypes, {"part", "bucket"});
  auto rows = JsonRows(spec.schema, kAllTypeRows);
  ASSERT_OK_AND_ASSIGN(WriteResult created, CreateTable(t.table, spec, {rows}));
  ASSERT_TRUE(created.commit);
  EXPECT_EQ(created.commit->version, 0);
  EXPECT_EQ(created.rows_written, 5);
  EXPECT_EQ(created.files_added, 4);  // (a:b…,1) (null,null) (null,2) (#%…,1)
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*t.table));
  // "" in a partition column reads back as null (delta.md §8).
  std::string expected = kAllTypeRows;
  expected.replace(expected.find(R"("part":"","bucket":2)"), 20, R"("part":null,"bucket":2)");
  EXPECT_EQ(got, testing::CanonicalRows(spec.schema, expected));

  ASSERT_OK_AND_ASSIGN(SnapshotPtr s, t.table->LatestSnapshot());
  EXPECT_EQ(s->protocol(), (Protocol{1, 2, std::nullopt, std::nullopt}));
  for (size_t i = 0; i < s->files().num_files(); ++i) {
    FileView f = s->files().file(i);
    ASSERT_TRUE(f.stats());
    EXPECT_TRUE(StartsWith(*f.stats(), "{\"numRecords\":")) << *f.stats();
    EXPECT_EQ(f.num_partition_values(), 2u);
    ASSERT_TRUE(f.size());
    ASSERT_TRUE(f.modification_time());
    ASSERT_OK_AND_ASSIGN(std::string key, PercentDecode(f.path()));
    ASSERT_OK_AND_ASSIGN(objstore::ObjectMeta meta, t.store->Head(key));
    EXPECT_EQ(meta.size, *f.size());
    EXPECT_EQ(meta.mtime_ms, *f.modification_time());
    if (f.FindPartitionValue("part") ==
        std::optional<std::optional<std::string_view>>("a:b/c=d %x é")) {
      EXPECT_TRUE(
          StartsWith(f.path(), "part=a%253Ab%252Fc%253Dd%20%2525x%20é/bucket=1/part-00000-"))
          << f.path();
    }
    if (f.FindPartitionValue("bucket") ==
        std::optional<std::optional<std::string_view>>(std::nullopt)) {
      EXPECT_TRUE(StartsWith(f.path(),
                             "part=__HIVE_DEFAULT_PARTITION__/bucket=__HIVE_DEFAULT_PARTITION__/"))
          << f.path();
    }
  }
  ASSERT_RAISES(kAlreadyExists, CreateTable(t.table, spec, {}));
}

TEST(WriteRoundTrip, AppendOverwriteAndSchemaMismatch) {
  LocalTable t;
  CreateTableSpec spec = Spec(SchemaJson({{"id", R"("long")"}, {"v", R"("string")"}}));
  ASSERT_OK(CreateTable(t.table, spec, {}));
  ASSERT_OK_AND_ASSIGN(auto r1, WriteRows(t.table, {JsonRows(spec.schema, R"({"id":1,"v":"a"})")},
                                          WriteMode::kAppend));
  EXPECT_EQ(r1.commit->version, 1);
  // Inputs are matched by name and converted: a narrower integer type, columns reordered.
  auto other = ParseSchema(SchemaJson({{"v", R"("string")"}, {"ID", R"("integer")"}}));
  ASSERT_OK(WriteRows(t.table, {JsonRows(other, R"({"v":"b","ID":2})")}, WriteMode::kAppend));
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*t.table));
  EXPECT_EQ(got, Canonical("{\"id\":1,\"v\":\"a\"}\n{\"id\":2,\"v\":\"b\"}"));
  // An empty append makes no commit.
  ASSERT_OK_AND_ASSIGN(auto empty, WriteRows(t.table, {}, WriteMode::kAppend));
  EXPECT_FALSE(empty.commit);

  auto extra = ParseSchema(SchemaJson({{"id", R"("long")"}, {"w", R"("string")"}}));
  ASSERT_RAISES(kInvalidArgument,
                WriteRows(t.table, {JsonRows(extra, R"({"id":1})")}, WriteMode::kAppend));

  ASSERT_OK_AND_ASSIGN(auto over, WriteRows(t.table, {JsonRows(spec.schema, R"({"id":9,"v":"z"})")},
                                            WriteMode::kOverwrite));
  EXPECT_EQ(over.files_removed, 2);
  ASSERT_OK_AND_ASSIGN(got, LatestRows(*t.table));
  EXPECT_EQ(got, Canonical(R"({"id":9,"v":"z"})"));
  ASSERT_OK_AND_ASSIGN(auto history, t.table->History());
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[0].operation, "WRITE");
  EXPECT_NE(history[0].operation_parameters_json.find("Overwrite"), std::string::npos);
  EXPECT_EQ(history[3].operation, "CREATE TABLE");
  // Removes carry what readers and the sharing server need.
  ASSERT_OK_AND_ASSIGN(SnapshotPtr s, t.table->LatestSnapshot());
  ASSERT_EQ(s->files().num_tombstones(), 2u);
  FileView tomb = s->files().tombstone(0);
  EXPECT_TRUE(tomb.data_change());
  EXPECT_EQ(tomb.extended_file_metadata(), true);
  EXPECT_TRUE(tomb.size());
  EXPECT_TRUE(tomb.deletion_timestamp());
  EXPECT_TRUE(tomb.has_partition_values());
  // No table: NotFound.
  LocalTable none;
  ASSERT_RAISES(kNotFound, WriteRows(none.table, {}, WriteMode::kAppend));
}

CreateTableSpec CdfSpec(std::vector<std::string> partitions = {}) {
  return Spec(SchemaJson({{"id", R"("long")"}, {"name", R"("string")"}, {"kind", R"("string")"}}),
              std::move(partitions), {{"delta.enableChangeDataFeed", "true"}});
}

std::string Row(int id, const std::string& name, const std::string& kind) {
  return R"({"id":)" + std::to_string(id) + R"(,"name":")" + name + R"(","kind":")" + kind + "\"}";
}

std::string Rows(int from, int to, const std::string& kind, const std::string& name = "n") {
  std::string out;
  for (int i = from; i <= to; ++i) out += Row(i, name + std::to_string(i), kind) + "\n";
  return out;
}

std::string Change(const std::string& row, const std::string& type, int64_t version) {
  std::string out = row.substr(0, row.size() - 1);
  return out + R"(,"_change_type":")" + type + R"(","_commit_version":)" + std::to_string(version) +
         "}";
}

TEST(WriteRoundTrip, DeleteByPredicateWithChangeFeed) {
  LocalTable t;
  CreateTableSpec spec = CdfSpec({"kind"});
  ASSERT_OK(CreateTable(
      t.table, spec,
      {JsonRows(spec.schema, Rows(1, 5, "a")), JsonRows(spec.schema, Rows(6, 8, "b"))}));
  // Whole partition: removes only, the change feed reads them as deletes.
  ASSERT_OK_AND_ASSIGN(
      auto whole,
      expr::ParseJsonPredicate(
          R"({"op":"equal","children":[{"op":"column","name":"kind","valueType":"string"},{"op":"literal","value":"b","valueType":"string"}]})"));
  ASSERT_OK_AND_ASSIGN(WriteResult r1, DeleteRows(t.table, *whole));
  EXPECT_EQ(r1.files_removed, 1);
  EXPECT_EQ(r1.files_added, 0);
  EXPECT_EQ(r1.change_files_added, 0);
  EXPECT_EQ(r1.rows_deleted, 3);
  ASSERT_OK_AND_ASSIGN(auto changes, ChangeRows(*t.table, 1, 1));
  EXPECT_EQ(changes, Canonical(Change(Row(6, "n6", "b"), "delete", 1) + "\n" +
                               Change(Row(7, "n7", "b"), "delete", 1) + "\n" +
                               Change(Row(8, "n8", "b"), "delete", 1)));
  // Part of a file: rewritten, cdc files hold the deleted rows.
  ASSERT_OK_AND_ASSIGN(
      auto some,
      expr::ParseJsonPredicate(
          R"({"op":"lessThan","children":[{"op":"column","name":"id","valueType":"long"},{"op":"literal","value":"3","valueType":"long"}]})"));
  ASSERT_OK_AND_ASSIGN(WriteResult r2, DeleteRows(t.table, *some));
  EXPECT_EQ(r2.rows_deleted, 2);
  EXPECT_EQ(r2.rows_written, 3);
  EXPECT_EQ(r2.change_files_added, 1);
  ASSERT_OK_AND_ASSIGN(changes, ChangeRows(*t.table, 2, 2));
  EXPECT_EQ(changes, Canonical(Change(Row(1, "n1", "a"), "delete", 2) + "\n" +
                               Change(Row(2, "n2", "a"), "delete", 2)));
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*t.table));
  EXPECT_EQ(got, Canonical(Rows(3, 5, "a")));
  // Nothing matches: no commit.
  ASSERT_OK_AND_ASSIGN(WriteResult r3, DeleteRows(t.table, *some));
  EXPECT_FALSE(r3.commit);
  ASSERT_OK_AND_ASSIGN(int64_t latest, t.table->LatestVersion());
  EXPECT_EQ(latest, 2);
}

TEST(WriteRoundTrip, MergeUpsertsDeletesAndTheirChangeFeed) {
  LocalTable t;
  CreateTableSpec spec = CdfSpec();
  // Four files of 25 ids each.
  std::vector<columnar::RecordBatch> batches;
  for (int f = 0; f < 4; ++f)
    batches.push_back(JsonRows(spec.schema, Rows(f * 25 + 1, f * 25 + 25, "a")));
  ASSERT_OK(CreateTable(t.table, spec, {}));
  for (const auto& b : batches) ASSERT_OK(WriteRows(t.table, {b}, WriteMode::kAppend));
  ASSERT_OK_AND_ASSIGN(int64_t before, t.table->LatestVersion());

  // Update 3 and 4 (3 unchanged really: same values), insert 101, delete 30.
  std::string source = Row(3, "n3", "a") + "\n" + Row(4, "four", "a") + "\n" + Row(101, "new", "c");
  MergeSpec merge;
  merge.keys = {"id"};
  merge.delete_keys = JsonRows(ParseSchema(SchemaJson({{"id", R"("long")"}})), R"({"id":30})");
  ASSERT_OK_AND_ASSIGN(MergeResult r, MergeRows(t.table, JsonRows(spec.schema, source), merge));
  ASSERT_TRUE(r.commit);
  EXPECT_EQ(r.commit->version, before + 1);
  EXPECT_EQ(r.inserted, 1);
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.deleted, 1);
  EXPECT_EQ(r.files_read, 2);  // ids 3,4 in file 1 and 30 in file 2; 101 is past every file
  EXPECT_EQ(r.files_removed, 2);
  EXPECT_EQ(r.copied, 24 + 24);
  ASSERT_OK_AND_ASSIGN(auto changes, ChangeRows(*t.table, before + 1, before + 1));
  int64_t v = before + 1;
  EXPECT_EQ(changes, Canonical(Change(Row(4, "n4", "a"), "update_preimage", v) + "\n" +
                               Change(Row(4, "four", "a"), "update_postimage", v) + "\n" +
                               Change(Row(30, "n30", "a"), "delete", v) + "\n" +
                               Change(Row(101, "new", "c"), "insert", v)));
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*t.table));
  std::string expected = Rows(1, 3, "a") + Row(4, "four", "a") + "\n" + Rows(5, 29, "a") +
                         Rows(31, 100, "a") + Row(101, "new", "c");
  EXPECT_EQ(got, Canonical(expected));
  ASSERT_OK_AND_ASSIGN(auto history, t.table->History(1));
  EXPECT_EQ(history[0].operation, "MERGE");
  EXPECT_NE(history[0].commit_info_json.find(R"("numTargetRowsUpdated":"1")"), std::string::npos)
      << history[0].commit_info_json;

  // Merging the same source again changes nothing: no commit.
  MergeSpec again;
  again.keys = {"id"};
  ASSERT_OK_AND_ASSIGN(MergeResult none, MergeRows(t.table, JsonRows(spec.schema, source), again));
  EXPECT_FALSE(none.commit);
  EXPECT_EQ(none.updated + none.inserted + none.deleted, 0);

  // Inserts only: no cdc files, the feed reads the add.
  ASSERT_OK_AND_ASSIGN(MergeResult ins,
                       MergeRows(t.table, JsonRows(spec.schema, Row(200, "x", "d")), again));
  EXPECT_EQ(ins.change_files_added, 0);
  ASSERT_OK_AND_ASSIGN(changes, ChangeRows(*t.table, ins.commit->version, ins.commit->version));
  EXPECT_EQ(changes, Canonical(Change(Row(200, "x", "d"), "insert", ins.commit->version)));

  // Errors.
  ASSERT_RAISES(
      kInvalidArgument,
      MergeRows(t.table, JsonRows(spec.schema, Row(1, "a", "a") + "\n" + Row(1, "b", "a")), again));
  MergeSpec both = merge;
  ASSERT_RAISES(kInvalidArgument,
                MergeRows(t.table, JsonRows(spec.schema, Row(30, "a", "a")), both));
  MergeSpec bad_key;
  bad_key.keys = {"nope"};
  ASSERT_RAISES(kInvalidArgument, MergeRows(t.table, JsonRows(spec.schema, source), bad_key));
}

TEST(WriteRoundTrip, MergeSnapshotDeletesMissingAndFeedReplays) {
  LocalTable t;
  CreateTableSpec spec = CdfSpec({"kind"});
  ASSERT_OK(CreateTable(t.table, spec, {JsonRows(spec.schema, Rows(1, 6, "a") + Rows(7, 9, "b"))}));
  MergeSpec full;
  full.keys = {"id"};
  full.delete_missing = true;
  // New snapshot: 1-4 unchanged, 5 moves to partition b, 6 and 7-9 gone but 8, 10 new.
  std::string snapshot =
      Rows(1, 4, "a") + Row(5, "n5", "b") + "\n" + Row(8, "n8", "b") + "\n" + Row(10, "ten", "c");
  ASSERT_OK_AND_ASSIGN(MergeResult r, MergeRows(t.table, JsonRows(spec.schema, snapshot), full));
  EXPECT_EQ(r.inserted, 1);
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.deleted, 3);
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*t.table));
  EXPECT_EQ(got, Canonical(snapshot));
  // Applying the feed of version 1 to version 0 gives version 1.
  ASSERT_OK_AND_ASSIGN(SnapshotPtr v0, t.table->SnapshotAtVersion(0));
  ASSERT_OK_AND_ASSIGN(auto rows0, testing::SnapshotRows(*t.table, *v0));
  ASSERT_OK_AND_ASSIGN(auto changes, ChangeRows(*t.table, 1, 1));
  std::multiset<std::string> state(rows0.begin(), rows0.end());
  for (const std::string& c : changes) {
    ASSERT_OK_AND_ASSIGN(JsonValue row, ParseJson(c));
    std::string type = row.Find("_change_type")->string_value();
    JsonValue plain = JsonValue::Object();
    for (size_t k = 0; k < row.size(); ++k) {
      if (!StartsWith(row.keys()[k], "_")) plain.Set(row.keys()[k], row.items()[k]);
    }
    std::string key = testing::CanonicalJson(plain.ToString());
    if (type == "insert" || type == "update_postimage") {
      state.insert(key);
    } else if (type == "delete" || type == "update_preimage") {
      auto it = state.find(key);
      ASSERT_NE(it, state.end()) << key;
      state.erase(it);
    } else {
      FAIL() << type;
    }
  }
  EXPECT_EQ(std::vector<std::string>(state.begin(), state.end()), got);
}

// Copies the log without checkpoints into `to`, so a reader must replay the JSON commits.
void CopyWithoutCheckpoints(const fs::path& from, const fs::path& to) {
  for (const auto& e : fs::recursive_directory_iterator(from)) {
    if (!e.is_regular_file()) continue;
    std::string name = e.path().filename().string();
    if (name.find(".checkpoint.") != std::string::npos || name == "_last_checkpoint") continue;
    fs::path target = to / fs::relative(e.path(), from);
    fs::create_directories(target.parent_path());
    fs::copy_file(e.path(), target);
  }
}

std::vector<std::string> LiveFiles(const Snapshot& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.files().num_files(); ++i) {
    FileAction a = s.files().file(i).ToOwned();
    a.data_change = false;  // checkpoints store adds with dataChange=false
    std::string json;
    AppendFileActionJson(a, {}, &json);
    out.push_back(json);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(WriteRoundTrip, CheckpointsEqualJsonReplay) {
  LocalTable t;
  CreateTableSpec spec = CdfSpec({"kind"});
  spec.properties.emplace_back("delta.checkpointInterval", "3");
  ASSERT_OK(CreateTable(t.table, spec, {JsonRows(spec.schema, Rows(1, 10, "a"))}));
  MergeSpec merge;
  merge.keys = {"id"};
  std::optional<int64_t> checkpointed;
  for (int i = 0; i < 7; ++i) {
    std::string source =
        Row(i + 1, "v" + std::to_string(i), i % 2 ? "a" : "b") + "\n" + Row(100 + i, "new", "c");
    ASSERT_OK_AND_ASSIGN(MergeResult r, MergeRows(t.table, JsonRows(spec.schema, source), merge));
    ASSERT_TRUE(r.commit);
    EXPECT_TRUE(r.commit->warnings.empty()) << r.commit->warnings[0];
    if (r.commit->checkpoint_version) checkpointed = r.commit->checkpoint_version;
  }
  EXPECT_EQ(checkpointed, 6);
  ASSERT_TRUE(
      fs::exists(t.dir.path() / "table/_delta_log/00000000000000000003.checkpoint.parquet"));
  ASSERT_TRUE(
      fs::exists(t.dir.path() / "table/_delta_log/00000000000000000006.checkpoint.parquet"));
  ASSERT_OK_AND_ASSIGN(std::string hint_json, t.store->Get("_delta_log/_last_checkpoint"));
  ASSERT_OK_AND_ASSIGN(LastCheckpointHint hint, ParseLastCheckpoint(hint_json));
  EXPECT_EQ(hint.version, 6);

  fs::path replay = t.dir.path() / "replay";
  CopyWithoutCheckpoints(t.dir.path() / "table", replay);
  TablePtr json_table = testing::OpenLocalTable(replay);
  for (int64_t v : {6, 7}) {
    ASSERT_OK_AND_ASSIGN(SnapshotPtr a, t.table->SnapshotAtVersion(v));
    ASSERT_OK_AND_ASSIGN(SnapshotPtr b, json_table->SnapshotAtVersion(v));
    ASSERT_TRUE(a->segment().checkpoint) << "version " << v << " should load from a checkpoint";
    ASSERT_FALSE(b->segment().checkpoint);
    EXPECT_EQ(a->protocol(), b->protocol());
    EXPECT_EQ(a->metadata(), b->metadata());
    EXPECT_EQ(LiveFiles(*a), LiveFiles(*b));
    EXPECT_EQ(a->files().num_tombstones(), b->files().num_tombstones());
    ASSERT_OK_AND_ASSIGN(auto rows_a, testing::SnapshotRows(*t.table, *a));
    ASSERT_OK_AND_ASSIGN(auto rows_b, testing::SnapshotRows(*json_table, *b));
    EXPECT_EQ(rows_a, rows_b);
  }
  // A checkpoint of an older version never regresses the hint.
  ASSERT_OK_AND_ASSIGN(SnapshotPtr v3, t.table->SnapshotAtVersion(3));
  ASSERT_OK_AND_ASSIGN(CheckpointInfo info, WriteCheckpoint(*t.table, *v3));
  EXPECT_FALSE(info.hint_updated);
  ASSERT_OK_AND_ASSIGN(hint_json, t.store->Get("_delta_log/_last_checkpoint"));
  ASSERT_OK_AND_ASSIGN(hint, ParseLastCheckpoint(hint_json));
  EXPECT_EQ(hint.version, 6);
  // Tombstones past the retention are left out of checkpoints.
  ASSERT_OK_AND_ASSIGN(SnapshotPtr latest, t.table->LatestSnapshot());
  ASSERT_GT(latest->files().num_tombstones(), 0u);
  CheckpointOptions later;
  later.clock_ms = [] { return int64_t{1} << 50; };
  ASSERT_OK_AND_ASSIGN(info, WriteCheckpoint(*t.table, *latest, later));
  EXPECT_EQ(info.num_tombstones, 0);
  EXPECT_EQ(info.num_add_files, static_cast<int64_t>(latest->files().num_files()));
}

TEST(WriteRoundTrip, TableRootInsideAStore) {
  ds::testing::TempDir dir;
  auto store = std::make_shared<objstore::LocalStore>(dir.path().string());
  TablePtr table = Table::Open(store, "lake/tenant a/accounts");
  CreateTableSpec spec = CdfSpec({"kind"});
  ASSERT_OK(CreateTable(table, spec, {JsonRows(spec.schema, Rows(1, 3, "x y"))}));
  ASSERT_OK_AND_ASSIGN(auto got, LatestRows(*table));
  EXPECT_EQ(got, Canonical(Rows(1, 3, "x y")));
  EXPECT_TRUE(
      fs::exists(dir.path() / "lake/tenant a/accounts/_delta_log/00000000000000000000.json"));
  EXPECT_TRUE(fs::is_directory(dir.path() / "lake/tenant a/accounts/kind=x y"));
}

}  // namespace
}  // namespace ds::delta
