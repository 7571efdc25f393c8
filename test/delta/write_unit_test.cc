// Unit tests of the writer's building blocks: partition value text and paths, stats,
// intervals, protocol choices, conflict rules and row keys.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "columnar/builder.h"
#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "delta/commit_conflicts.h"
#include "delta/partition_path.h"
#include "delta/row_keys.h"
#include "delta/stats_collector.h"
#include "delta/table_features.h"
#include "delta/table_properties.h"
#include "delta/uuid.h"
#include "delta/writer_features.h"
#include "test/testing/testing.h"

namespace ds::delta {
namespace {

columnar::RecordBatch Rows(const std::string& schema_json, const std::string& jsonl) {
  auto schema = columnar::SchemaFromJson(schema_json).ValueOrDie();
  return columnar::ParseJsonLines(jsonl, schema).ValueOrDie();
}

std::string Field(const std::string& name, const std::string& type) {
  return "{\"name\":\"" + name + "\",\"type\":" + type + ",\"nullable\":true,\"metadata\":{}}";
}

std::string Struct(const std::vector<std::string>& fields) {
  std::string out = "{\"type\":\"struct\",\"fields\":[";
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + fields[i];
  return out + "]}";
}

TEST(PartitionPath, JavaFloatingStrings) {
  EXPECT_EQ(JavaFloatingString(0.0, false), "0.0");
  EXPECT_EQ(JavaFloatingString(-0.0, false), "-0.0");
  EXPECT_EQ(JavaFloatingString(1.0, false), "1.0");
  EXPECT_EQ(JavaFloatingString(100.0, false), "100.0");
  EXPECT_EQ(JavaFloatingString(1.5, false), "1.5");
  EXPECT_EQ(JavaFloatingString(0.001, false), "0.001");
  EXPECT_EQ(JavaFloatingString(1234567.0, false), "1234567.0");
  EXPECT_EQ(JavaFloatingString(1e7, false), "1.0E7");
  EXPECT_EQ(JavaFloatingString(1e10, false), "1.0E10");
  EXPECT_EQ(JavaFloatingString(1.2345e-5, false), "1.2345E-5");
  EXPECT_EQ(JavaFloatingString(1.7976931348623157e308, false), "1.7976931348623157E308");
  EXPECT_EQ(JavaFloatingString(-2.5e-10, false), "-2.5E-10");
  EXPECT_EQ(JavaFloatingString(1.1f, true), "1.1");
  EXPECT_EQ(JavaFloatingString(std::nan(""), false), "NaN");
  EXPECT_EQ(JavaFloatingString(-INFINITY, false), "-Infinity");
}

TEST(PartitionPath, HiveEscapingAndLogPaths) {
  EXPECT_EQ(HiveEscape("a:b"), "a%3Ab");
  EXPECT_EQ(HiveEscape("x/y=z?"), "x%2Fy%3Dz%3F");
  EXPECT_EQ(HiveEscape("hello world"), "hello world");
  EXPECT_EQ(HiveEscape("%#'\"*\\{[]^"), "%25%23%27%22%2A%5C%7B%5B%5D%5E");
  EXPECT_EQ(HiveEscape("\x01\x7f}"), "%01%7F}");
  EXPECT_EQ(HiveEscape("é"), "é");
  EXPECT_EQ(EncodeLogPath("a%3Ab/part.parquet"), "a%253Ab/part.parquet");
  EXPECT_EQ(EncodeLogPath("hello world/x"), "hello%20world/x");
  EXPECT_EQ(EncodeLogPath("c=}|`<>/f"), "c=%7D%7C%60%3C%3E/f");
  EXPECT_EQ(EncodeLogPath("é"), "é");
  std::string dir;
  AppendPartitionDirectory("p", std::nullopt, &dir);
  AppendPartitionDirectory("a b", std::string("1:2"), &dir);
  EXPECT_EQ(dir, "p=__HIVE_DEFAULT_PARTITION__/a b=1%3A2/");
}

TEST(PartitionPath, ValueText) {
  auto batch = Rows(
      Struct({Field("s", "\"string\""), Field("i", "\"integer\""), Field("d", "\"decimal(10,3)\""),
              Field("b", "\"boolean\""), Field("dt", "\"date\""), Field("ts", "\"timestamp\""),
              Field("ntz", "\"timestamp_ntz\""), Field("f", "\"float\""),
              Field("db", "\"double\"")}),
      R"({"s":"x y","i":-7,"d":"1.5","b":true,"dt":"2024-02-29","ts":"2024-01-02T03:04:05.123456Z","ntz":"2024-01-02T03:04:05","f":1.5,"db":1e20}
{"s":""})");
  std::vector<std::string> want = {"x y",
                                   "-7",
                                   "1.500",
                                   "true",
                                   "2024-02-29",
                                   "2024-01-02T03:04:05.123456Z",
                                   "2024-01-02 03:04:05.000000",
                                   "1.5",
                                   "1.0E20"};
  for (size_t c = 0; c < want.size(); ++c) {
    std::string out;
    ASSERT_OK_AND_ASSIGN(bool valid, AppendPartitionValue(*batch.columns[c], 0, &out));
    EXPECT_TRUE(valid);
    EXPECT_EQ(out, want[c]) << c;
    out.clear();
    ASSERT_OK_AND_ASSIGN(valid, AppendPartitionValue(*batch.columns[c], 1, &out));
    EXPECT_FALSE(valid) << "row 2 is null (or the empty string) in column " << c;
  }
}

TEST(Stats, StringTruncation) {
  std::string a32(32, 'a');
  EXPECT_EQ(TruncateMinString(a32 + "bcd", 32), a32);
  EXPECT_EQ(TruncateMinString("short", 32), "short");
  EXPECT_EQ(*TruncateMaxString("short", 32), "short");
  EXPECT_EQ(*TruncateMaxString(a32, 32), a32);
  // The first dropped char is < U+007F: tie-breaker U+007F.
  EXPECT_EQ(*TruncateMaxString(a32 + "b", 32), a32 + "\x7F");
  // >= U+007F: U+10FFFF.
  EXPECT_EQ(*TruncateMaxString(a32 + "é", 32), a32 + "\xF4\x8F\xBF\xBF");
  EXPECT_EQ(*TruncateMaxString(a32 + "\x7F", 32), a32 + "\xF4\x8F\xBF\xBF");
  // Code points, not bytes: 32 'é' fit.
  std::string e32;
  for (int i = 0; i < 32; ++i) e32 += "é";
  EXPECT_EQ(TruncateMinString(e32 + "z", 32), e32);
  EXPECT_EQ(*TruncateMaxString(e32, 32), e32);
  // U+10FFFF cannot be exceeded: the cut moves right, and gives up after 64 code points.
  std::string max_cp = "\xF4\x8F\xBF\xBF";
  EXPECT_EQ(*TruncateMaxString(a32 + max_cp + "b", 32), a32 + max_cp + "\x7F");
  std::string all_max;
  for (int i = 0; i < 70; ++i) all_max += max_cp;
  EXPECT_FALSE(TruncateMaxString(all_max, 32).has_value());
  // Bounds hold in byte order.
  for (const std::string& v : {a32 + "b", a32 + "é", a32 + max_cp + "b"}) {
    EXPECT_LE(TruncateMinString(v, 32), v);
    EXPECT_GE(*TruncateMaxString(v, 32), v);
  }
}

TEST(Stats, CollectsSparkStyleStats) {
  std::string schema = Struct(
      {Field("id", "\"long\""), Field("name", "\"string\""), Field("amount", "\"decimal(10,2)\""),
       Field("ts", "\"timestamp\""), Field("ok", "\"boolean\""), Field("f", "\"double\""),
       Field("nested", Struct({Field("x", "\"integer\""), Field("y", "\"date\"")})),
       Field("tags", "{\"type\":\"array\",\"elementType\":\"string\",\"containsNull\":true}"),
       Field("empty", "\"integer\"")});
  auto batch = Rows(
      schema,
      R"({"id":3,"name":"bob","amount":"10.50","ts":"2024-01-01T00:00:00.999999Z","ok":true,"f":1.5,"nested":{"x":1,"y":"2024-01-05"},"tags":["a"]}
{"id":-1,"name":"alice","amount":"-2.00","ts":"2023-12-31T23:59:59.000001Z","ok":false,"f":-0.5,"nested":null,"tags":null}
{"id":7,"name":null,"amount":null,"ts":null,"ok":null,"f":"Infinity","nested":{"x":9,"y":null}})");
  std::vector<columnar::Field> fields = batch.schema->fields;
  ASSERT_OK_AND_ASSIGN(StatsCollector stats, StatsCollector::Make(fields, fields, {}));
  stats.Add(batch.columns, batch.num_rows);
  EXPECT_EQ(
      stats.ToJson(),
      R"({"numRecords":3,"minValues":{"id":-1,"name":"alice","amount":-2.00,"ts":"2023-12-31T23:59:59.000Z","f":-0.5,"nested":{"x":1,"y":"2024-01-05"}},)"
      R"("maxValues":{"id":7,"name":"bob","amount":10.50,"ts":"2024-01-01T00:00:00.999Z","nested":{"x":9,"y":"2024-01-05"}},)"
      R"("nullCount":{"id":0,"name":1,"amount":1,"ts":1,"ok":1,"f":0,"nested":{"x":1,"y":2},"tags":2,"empty":3}})");
  EXPECT_EQ(StatsNumRecords(stats.ToJson()), 3);

  // Only the first two leaves are indexed; NaN drops min/max.
  auto nan =
      Rows(Struct({Field("a", "\"double\""), Field("b", "\"long\""), Field("c", "\"long\"")}),
           R"({"a":"NaN","b":1,"c":2})");
  StatsOptions two;
  two.num_indexed_cols = 2;
  ASSERT_OK_AND_ASSIGN(StatsCollector s2,
                       StatsCollector::Make(nan.schema->fields, nan.schema->fields, two));
  s2.Add(nan.columns, nan.num_rows);
  EXPECT_EQ(
      s2.ToJson(),
      R"({"numRecords":1,"minValues":{"b":1},"maxValues":{"b":1},"nullCount":{"a":0,"b":0}})");
  StatsOptions named;
  named.stats_columns = {"C"};
  ASSERT_OK_AND_ASSIGN(StatsCollector s3,
                       StatsCollector::Make(nan.schema->fields, nan.schema->fields, named));
  s3.Add(nan.columns, nan.num_rows);
  EXPECT_EQ(s3.ToJson(),
            R"({"numRecords":1,"minValues":{"c":2},"maxValues":{"c":2},"nullCount":{"c":0}})");
}

TEST(TableProperties, Intervals) {
  EXPECT_EQ(*ParseIntervalMs("interval 1 week"), 7LL * 86400 * 1000);
  EXPECT_EQ(*ParseIntervalMs("7 days"), 7LL * 86400 * 1000);
  EXPECT_EQ(*ParseIntervalMs("INTERVAL 2 hours 30 minutes"), 9000LL * 1000);
  EXPECT_EQ(*ParseIntervalMs("interval 1500 milliseconds"), 1500);
  ASSERT_RAISES(kInvalidArgument, ParseIntervalMs("interval 1 month"));
  ASSERT_RAISES(kInvalidArgument, ParseIntervalMs("interval"));
  ASSERT_RAISES(kInvalidArgument, ParseIntervalMs("x days"));
  ASSERT_RAISES(kInvalidArgument, ParseIntervalMs("interval 999999999999999 weeks"));
  Metadata m;
  EXPECT_EQ(CheckpointInterval(m), 10);
  EXPECT_EQ(*DeletedFileRetentionMs(m), kDefaultDeletedFileRetentionMs);
  m.configuration = {{"delta.checkpointInterval", "3"},
                     {"delta.deletedFileRetentionDuration", "interval 1 hour"}};
  EXPECT_EQ(CheckpointInterval(m), 3);
  EXPECT_EQ(*DeletedFileRetentionMs(m), 3600 * 1000);
}

TEST(WriterFeatures, ProtocolOfNewTables) {
  Metadata m;
  m.schema_string = Struct({Field("a", "\"long\"")});
  ASSERT_OK_AND_ASSIGN(Protocol p, ProtocolForNewTable(m));
  EXPECT_EQ(p, (Protocol{1, 2, std::nullopt, std::nullopt}));
  m.configuration = {{"delta.enableChangeDataFeed", "true"}};
  ASSERT_OK_AND_ASSIGN(p, ProtocolForNewTable(m));
  EXPECT_EQ(p, (Protocol{1, 4, std::nullopt, std::nullopt}));
  EXPECT_TRUE(ProtocolSupports(p, "changeDataFeed"));
  m.schema_string = Struct({Field("a", "\"timestamp_ntz\"")});
  ASSERT_OK_AND_ASSIGN(p, ProtocolForNewTable(m));
  EXPECT_EQ(p.min_reader_version, 3);
  EXPECT_EQ(p.min_writer_version, 7);
  EXPECT_EQ(*p.reader_features, std::vector<std::string>{"timestampNtz"});
  EXPECT_EQ(*p.writer_features,
            (std::vector<std::string>{"appendOnly", "invariants", "checkConstraints",
                                      "changeDataFeed", "generatedColumns", "timestampNtz"}));
  EXPECT_TRUE(ProtocolSupports(p, "changeDataFeed"));
  m.configuration = {{"delta.columnMapping.mode", "name"}};
  ASSERT_RAISES(kNotSupported, ProtocolForNewTable(m));
  m.configuration = {{"delta.feature.deletionVectors", "supported"}};
  ASSERT_RAISES(kNotSupported, ProtocolForNewTable(m));
}

TEST(WriterFeatures, RefusesWhatItCannotWrite) {
  Metadata m;
  m.schema_string = Struct({Field("a", "\"long\"")});
  EXPECT_OK(CheckWritable({1, 2, std::nullopt, std::nullopt}, m));
  ASSERT_RAISES(kNotSupported, CheckWritable({1, 8, std::nullopt, std::nullopt}, m));
  ASSERT_RAISES(kNotSupported,
                CheckWritable({4, 7, std::vector<std::string>{}, std::vector<std::string>{}}, m));
  ASSERT_RAISES(kNotSupported,
                CheckWritable({1, 7, std::nullopt, std::vector<std::string>{"rowTracking"}}, m));
  EXPECT_OK(CheckWritable(
      {1, 7, std::nullopt, std::vector<std::string>{"deletionVectors", "changeDataFeed"}}, m));
  m.configuration = {{"delta.constraints.positive", "a > 0"}};
  ASSERT_RAISES(kNotSupported, CheckWritable({1, 3, std::nullopt, std::nullopt}, m));
  EXPECT_OK(CheckWritable({1, 2, std::nullopt, std::nullopt}, m));  // not enforced below w3
  m.configuration.clear();
  m.schema_string =
      R"({"type":"struct","fields":[{"name":"a","type":"long","nullable":true,"metadata":{"delta.generationExpression":"1"}}]})";
  ASSERT_RAISES(kNotSupported, CheckWritable({1, 4, std::nullopt, std::nullopt}, m));
}

TEST(WriterFeatures, WithFeatureSpellsOutLegacyFeatures) {
  Protocol p = WithFeature({1, 4, std::nullopt, std::nullopt}, "typeWidening", true);
  EXPECT_EQ(p.min_reader_version, 3);
  EXPECT_EQ(p.min_writer_version, 7);
  EXPECT_EQ(*p.reader_features, std::vector<std::string>{"typeWidening"});
  EXPECT_EQ(p.writer_features->back(), "typeWidening");
  EXPECT_TRUE(ProtocolSupports(p, "changeDataFeed"));
  EXPECT_EQ(WithFeature(p, "typeWidening", true), p);
  Protocol q = WithFeature({2, 5, std::nullopt, std::nullopt}, "domainMetadata", false);
  EXPECT_EQ(q.min_reader_version, 2);
  EXPECT_FALSE(q.reader_features.has_value());
  EXPECT_TRUE(ProtocolSupports(q, "columnMapping"));
  EXPECT_TRUE(ProtocolSupports(q, "domainMetadata"));
}

TEST(Uuid, UniqueAndWellFormed) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = NewUuid();
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[14], '4');
    EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
    EXPECT_TRUE(seen.insert(u).second);
  }
}

CommitActions Winner(std::string commit_info) {
  CommitActions c;
  c.version = 5;
  CommitInfo info;
  info.json = std::move(commit_info);
  info.operation = "WRITE";
  c.commit_info = info;
  return c;
}

FileAction File(FileActionKind kind, std::string path) {
  FileAction f;
  f.kind = kind;
  f.path = std::move(path);
  f.data_change = true;
  return f;
}

TEST(CommitConflicts, Rules) {
  TransactionSummary append;
  TransactionSummary merge;
  merge.read_whole_table = true;
  merge.removed_keys.insert(File(FileActionKind::kRemove, "a").Key());

  CommitActions blind = Winner(R"({"isBlindAppend":true})");
  blind.files.push_back(File(FileActionKind::kAdd, "x"));
  EXPECT_OK(CheckConflicts(append, blind));
  EXPECT_OK(CheckConflicts(merge, blind));  // WriteSerializable: blind appends commute
  TransactionSummary schema_change;
  schema_change.changes_metadata = true;
  ASSERT_RAISES(kFailedPrecondition, CheckConflicts(schema_change, blind));

  CommitActions rewrite = Winner(R"({"isBlindAppend":false})");
  rewrite.files.push_back(File(FileActionKind::kAdd, "y"));
  EXPECT_OK(CheckConflicts(append, rewrite));
  ASSERT_RAISES(kFailedPrecondition, CheckConflicts(merge, rewrite));

  CommitActions removes = Winner("{}");
  removes.files.push_back(File(FileActionKind::kRemove, "b"));
  EXPECT_OK(CheckConflicts(append, removes));
  ASSERT_RAISES(kFailedPrecondition, CheckConflicts(merge, removes));
  TransactionSummary delete_only;
  delete_only.removed_keys.insert(File(FileActionKind::kRemove, "b").Key());
  Status st = CheckConflicts(delete_only, removes);
  ASSERT_RAISES(kFailedPrecondition, st);
  EXPECT_NE(st.message().find("concurrent modification: version 5 (WRITE)"), std::string::npos)
      << st;

  CommitActions metadata = Winner("{}");
  metadata.metadata = Metadata{};
  ASSERT_RAISES(kFailedPrecondition, CheckConflicts(append, metadata));
  CommitActions txn = Winner("{}");
  txn.transactions.push_back({"app", 3, std::nullopt});
  EXPECT_OK(CheckConflicts(append, txn));
  TransactionSummary idempotent;
  idempotent.app_ids.insert("app");
  ASSERT_RAISES(kFailedPrecondition, CheckConflicts(idempotent, txn));
}

TEST(RowKeys, EncodingAndEquality) {
  auto batch = Rows(
      Struct({Field("k", "\"string\""), Field("n", "\"integer\""),
              Field("v", "{\"type\":\"array\",\"elementType\":\"long\",\"containsNull\":true}")}),
      R"({"k":"a","n":1,"v":[1,2]}
{"k":"a","n":1,"v":[1,2]}
{"k":"a","n":2,"v":[1]}
{"k":null,"n":1})");
  ASSERT_OK_AND_ASSIGN(KeyEncoder keys, KeyEncoder::Make(*batch.schema, {"K", "n"}));
  std::string k0, k1, k2, k3;
  ASSERT_TRUE(keys.Encode(batch, 0, &k0));
  ASSERT_TRUE(keys.Encode(batch, 1, &k1));
  ASSERT_TRUE(keys.Encode(batch, 2, &k2));
  EXPECT_FALSE(keys.Encode(batch, 3, &k3));
  EXPECT_EQ(k0, k1);
  EXPECT_NE(k0, k2);
  EXPECT_TRUE(RowsEqual(batch, 0, batch, 1));
  EXPECT_FALSE(RowsEqual(batch, 0, batch, 2));
  EXPECT_EQ(DescribeKey(batch, keys, 2), R"({"k":"a","n":2})");
  ASSERT_RAISES(kInvalidArgument, KeyEncoder::Make(*batch.schema, {"v"}));
  ASSERT_RAISES(kInvalidArgument, KeyEncoder::Make(*batch.schema, {"nope"}));
  ASSERT_RAISES(kInvalidArgument, KeyEncoder::Make(*batch.schema, {"k", "k"}));
}

}  // namespace
}  // namespace ds::delta
