#include "delta/partition_value.h"

#include <gtest/gtest.h>

#include "columnar/json_rows.h"
#include "delta/file_filter.h"
#include "expr/json_predicate.h"
#include "test/testing/testing.h"

namespace ds::delta {
namespace {

using columnar::Scalar;

std::string Json(std::optional<std::string_view> text, const columnar::TypePtr& type) {
  Result<Scalar> v = ParsePartitionValue(text, type);
  if (!v.ok()) return "error: " + v.status().ToString();
  return v->ToJson();
}

TEST(PartitionValueTest, EmptyAndNullAreNullForEveryType) {
  for (const auto& type : {columnar::String(), columnar::Int32(), columnar::Date(),
                           columnar::Timestamp(TimeUnit::kMicros, true)}) {
    EXPECT_EQ(Json(std::nullopt, type), "null");
    EXPECT_EQ(Json("", type), "null");
  }
}

TEST(PartitionValueTest, Types) {
  EXPECT_EQ(Json("abc", columnar::String()), "\"abc\"");
  EXPECT_EQ(Json("-12", columnar::Int8()), "-12");
  EXPECT_EQ(Json("true", columnar::Bool()), "true");
  EXPECT_EQ(Json("1.7976931348623157E308", columnar::Float64()), "1.7976931348623157e+308");
  EXPECT_EQ(Json("NaN", columnar::Float64()), "\"NaN\"");
  EXPECT_EQ(Json("1.230000000000000000", columnar::Decimal(38, 18)), "\"1.230000000000000000\"");
  EXPECT_EQ(Json("-2342342.23423", columnar::Decimal(12, 5)), "\"-2342342.23423\"");
  EXPECT_EQ(Json("2021-09-08", columnar::Date()), "\"2021-09-08\"");
  // Both timestamp forms; the zone-less one is read as UTC.
  EXPECT_EQ(Json("2021-09-08 11:11:11", columnar::Timestamp(TimeUnit::kMicros, true)),
            "\"2021-09-08T11:11:11.000000Z\"");
  EXPECT_EQ(Json("2021-09-08T11:11:11.123456Z", columnar::Timestamp(TimeUnit::kMicros, true)),
            "\"2021-09-08T11:11:11.123456Z\"");
  EXPECT_EQ(Json("2021-09-08T11:11:11-07:00", columnar::Timestamp(TimeUnit::kMicros, true)),
            "\"2021-09-08T18:11:11.000000Z\"");
  EXPECT_EQ(Json("2013-07-05 17:01:00.123456", columnar::Timestamp(TimeUnit::kMicros, false)),
            "\"2013-07-05T17:01:00.123456\"");
}

TEST(PartitionValueTest, BadValuesAreCorruptionNamingTheValue) {
  Result<Scalar> v = ParsePartitionValue("12x", columnar::Int32());
  ASSERT_RAISES(kCorruption, v);
  EXPECT_NE(v.status().message().find("'12x'"), std::string::npos);
  ASSERT_RAISES(kCorruption, ParsePartitionValue("300", columnar::Int8()));
  ASSERT_RAISES(kCorruption, ParsePartitionValue("2021-02-30", columnar::Date()));
  ASSERT_RAISES(kCorruption, ParsePartitionValue("maybe", columnar::Bool()));
  ASSERT_RAISES(kNotSupported,
                ParsePartitionValue("x", columnar::List(columnar::Field("e", columnar::Int32()))));
}

TEST(PartitionValueTest, ConstantArrays) {
  ASSERT_OK_AND_ASSIGN(Scalar v, ParsePartitionValue("42", columnar::Int64()));
  ASSERT_OK_AND_ASSIGN(columnar::ArrayPtr a, MakeConstantArray(v, 3));
  ASSERT_OK(columnar::ValidateArray(*a));
  EXPECT_EQ(a->length, 3);
  EXPECT_EQ(a->Value<int64_t>(2), 42);
  ASSERT_OK_AND_ASSIGN(Scalar n, ParsePartitionValue(std::nullopt, columnar::String()));
  ASSERT_OK_AND_ASSIGN(a, MakeConstantArray(n, 2));
  EXPECT_EQ(a->null_count, 2);
}

// --where: files are skipped by partition values (physical keys under column mapping) and
// stats; files without stats are kept.
TEST(FileFilterTest, SkipsByPartitionValueAndStats) {
  Metadata m;
  m.id = "t";
  m.schema_string =
      R"({"type":"struct","fields":[{"name":"p","type":"integer","nullable":true,)"
      R"("metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-p"}},)"
      R"({"name":"x","type":"long","nullable":true,"metadata":{"delta.columnMapping.id":2,)"
      R"("delta.columnMapping.physicalName":"col-x"}}]})";
  m.partition_columns = {"p"};
  ASSERT_OK_AND_ASSIGN(TableSchema schema, TableSchema::Make(m, ColumnMappingMode::kName));
  FileTableBuilder builder;
  auto add = [&](const char* path, const char* p, std::optional<std::string_view> stats) {
    StringPairView pv{"col-p", p, false};
    FileActionView a;
    a.path = path;
    a.size = 1;
    a.has_partition_values = true;
    a.partition_values = std::span<const StringPairView>(&pv, 1);
    a.stats = stats;
    ASSERT_OK(builder.Apply(a));
  };
  add("a", "1", R"({"numRecords":2,"minValues":{"col-x":10},"maxValues":{"col-x":20}})");
  add("b", "1", R"({"numRecords":2,"minValues":{"col-x":30},"maxValues":{"col-x":40}})");
  add("c", "2", R"({"numRecords":2,"minValues":{"col-x":10},"maxValues":{"col-x":20}})");
  add("d", "1", std::nullopt);
  FileTable files = builder.Finish();
  ASSERT_OK_AND_ASSIGN(
      expr::ExprPtr predicate,
      expr::ParseJsonPredicate(
          R"({"op":"and","children":[)"
          R"({"op":"equal","children":[{"op":"column","name":"p","valueType":"int"},)"
          R"({"op":"literal","value":"1","valueType":"int"}]},)"
          R"({"op":"lessThan","children":[{"op":"column","name":"x","valueType":"long"},)"
          R"({"op":"literal","value":"25","valueType":"long"}]}]})"));
  ASSERT_OK_AND_ASSIGN(FileFilter filter, FileFilter::Make(schema, *predicate));
  std::vector<std::string> kept;
  for (size_t i = 0; i < files.num_files(); ++i) {
    if (filter.Evaluate(files.file(i)) != expr::Truth::kFalse) {
      kept.emplace_back(files.file(i).path());
    }
  }
  EXPECT_EQ(kept, (std::vector<std::string>{"a", "d"}));
}

}  // namespace
}  // namespace ds::delta
