#include "parquet/row_group_filter.h"

#include <cmath>

#include "parquet/file_writer.h"
#include "test/testing/testing.h"
#include "test/tools/sample_table.h"

namespace ds::parquet {
namespace {

using columnar::Scalar;
using P = ColumnPredicate;

Scalar Int(int64_t v) { return Scalar::MakeInt(columnar::Int64(), v); }
Scalar Str(std::string s) { return Scalar::MakeBytes(columnar::String(), std::move(s)); }
Scalar Dbl(double v) { return Scalar::MakeDouble(columnar::Float64(), v); }

ColumnChunkStats Stats(Scalar min, Scalar max, std::optional<int64_t> nulls = 0,
                       int64_t num_values = 10) {
  ColumnChunkStats s;
  s.present = true;
  s.min = std::move(min);
  s.max = std::move(max);
  s.null_count = nulls;
  s.num_values = num_values;
  return s;
}

bool May(P::Op op, Scalar value, const ColumnChunkStats& s) {
  return PredicateMayMatch(P{"x", op, std::move(value)}, s);
}

TEST(PredicateMayMatchTest, Comparisons) {
  ColumnChunkStats s = Stats(Int(10), Int(20));
  EXPECT_FALSE(May(P::kEq, Int(9), s));
  EXPECT_TRUE(May(P::kEq, Int(10), s));
  EXPECT_TRUE(May(P::kEq, Int(20), s));
  EXPECT_FALSE(May(P::kEq, Int(21), s));
  EXPECT_FALSE(May(P::kLt, Int(10), s));
  EXPECT_TRUE(May(P::kLt, Int(11), s));
  EXPECT_FALSE(May(P::kLe, Int(9), s));
  EXPECT_TRUE(May(P::kLe, Int(10), s));
  EXPECT_FALSE(May(P::kGt, Int(20), s));
  EXPECT_TRUE(May(P::kGt, Int(19), s));
  EXPECT_FALSE(May(P::kGe, Int(21), s));
  EXPECT_TRUE(May(P::kGe, Int(20), s));
  EXPECT_TRUE(May(P::kNe, Int(10), s));
  // Comparisons across numeric types go by value.
  EXPECT_FALSE(May(P::kGt, Dbl(20.0), s));
  EXPECT_TRUE(May(P::kGt, Dbl(19.5), s));
}

TEST(PredicateMayMatchTest, NotEqualNeedsExactEqualBounds) {
  ColumnChunkStats s = Stats(Str("a"), Str("a"));
  EXPECT_FALSE(May(P::kNe, Str("a"), s));
  EXPECT_TRUE(May(P::kNe, Str("b"), s));
  s.max_exact = false;  // "a" might be a truncated "ab"
  EXPECT_TRUE(May(P::kNe, Str("a"), s));
}

TEST(PredicateMayMatchTest, Nulls) {
  ColumnChunkStats s = Stats(Int(1), Int(2), 0);
  EXPECT_FALSE(May(P::kIsNull, Scalar(), s));
  EXPECT_TRUE(May(P::kIsNotNull, Scalar(), s));
  ColumnChunkStats unknown = Stats(Int(1), Int(2), std::nullopt);
  EXPECT_TRUE(May(P::kIsNull, Scalar(), unknown));  // absent null_count is not 0
  ColumnChunkStats all_null = Stats(Scalar(), Scalar(), 10, 10);
  EXPECT_TRUE(May(P::kIsNull, Scalar(), all_null));
  EXPECT_FALSE(May(P::kIsNotNull, Scalar(), all_null));
  for (P::Op op : {P::kEq, P::kNe, P::kLt, P::kLe, P::kGt, P::kGe})
    EXPECT_FALSE(May(op, Int(1), all_null)) << op;
  // A null literal or missing statistics decide nothing.
  EXPECT_TRUE(May(P::kEq, Scalar(), s));
  ColumnChunkStats none;
  none.num_values = 10;
  for (P::Op op : {P::kEq, P::kNe, P::kLt, P::kLe, P::kGt, P::kGe, P::kIsNull, P::kIsNotNull})
    EXPECT_TRUE(May(op, Int(1), none)) << op;
}

TEST(PredicateMayMatchTest, FloatNaNCaution) {
  ColumnChunkStats s = Stats(Dbl(1), Dbl(5));
  // NaN values are not in the bounds, and may count as the largest value.
  EXPECT_TRUE(May(P::kGt, Dbl(10), s));
  EXPECT_TRUE(May(P::kGe, Dbl(10), s));
  EXPECT_FALSE(May(P::kLt, Dbl(0), s));
  EXPECT_FALSE(May(P::kEq, Dbl(10), s));
  EXPECT_TRUE(May(P::kEq, Dbl(std::nan("")), s));
  s.nan_count = 0;
  EXPECT_FALSE(May(P::kGt, Dbl(10), s));
  EXPECT_FALSE(May(P::kGe, Dbl(10), s));
  ColumnChunkStats one = Stats(Dbl(1), Dbl(1));
  EXPECT_TRUE(May(P::kNe, Dbl(1), one));
  one.nan_count = 0;
  EXPECT_FALSE(May(P::kNe, Dbl(1), one));
}

TEST(PredicateMayMatchTest, UnsignedBounds) {
  // A UINT_32 column holding 1 .. 4294967295: signed bits would read max as -1.
  ColumnChunkStats s = Stats(Scalar::MakeUInt(columnar::UInt32(), 1),
                             Scalar::MakeUInt(columnar::UInt32(), 4294967295u));
  EXPECT_TRUE(May(P::kGt, Int(100), s));
  EXPECT_FALSE(May(P::kGt, Int(4294967295), s));
  EXPECT_FALSE(May(P::kLt, Int(0), s));
}

TEST(PredicateMayMatchTest, IncomparableLiteralKeeps) {
  ColumnChunkStats s = Stats(Int(1), Int(2));
  EXPECT_TRUE(May(P::kEq, Str("7"), s));
  EXPECT_TRUE(May(P::kLt, Scalar::MakeBool(false), s));
}

TEST(PredicateMayMatchTest, ToString) {
  EXPECT_EQ((P{"id", P::kGe, Int(3)}.ToString()), "id >= 3");
  EXPECT_EQ((P{"s", P::kEq, Str("a")}.ToString()), "s = \"a\"");
  EXPECT_EQ((P{"s", P::kIsNull, {}}.ToString()), "s IS NULL");
}

// ---- Real files ----

std::unique_ptr<FileReader> Open(const std::filesystem::path& td, const std::string& name,
                                 ReaderOptions options = {}) {
  auto file = io::OpenLocalFile((td / "parquet-testing/data" / name).string()).ValueOrDie();
  return FileReader::Open(file, std::move(options)).ValueOrDie();
}

int KeptGroups(const FileReader& r, const std::vector<P>& predicates) {
  RowGroupFilter f = MakeRowGroupFilter(predicates);
  int kept = 0;
  for (int g = 0; g < r.num_row_groups(); ++g) kept += f(r, g);
  return kept;
}

TEST(RowGroupFilterTest, AllTypesTinyPagesById) {
  DS_REQUIRE_TESTDATA(td);
  auto r = Open(td, "alltypes_tiny_pages.parquet");
  const int n = r->num_row_groups();
  ASSERT_GT(n, 0);
  int64_t min = INT64_MAX, max = INT64_MIN;
  for (int g = 0; g < n; ++g) {
    ColumnChunkStats s = DecodeChunkStatistics(*r, g, 0).ValueOrDie();
    ASSERT_TRUE(s.has_min() && s.has_max());
    min = std::min(min, s.min.int_value());
    max = std::max(max, s.max.int_value());
  }
  const Scalar id_max = Scalar::MakeInt(columnar::Int32(), max);
  EXPECT_EQ(KeptGroups(*r, {{"id", P::kGt, id_max}}), 0);
  EXPECT_EQ(KeptGroups(*r, {{"id", P::kGe, Int(min)}}), n);
  EXPECT_EQ(KeptGroups(*r, {{"id", P::kLt, Int(min)}}), 0);
  EXPECT_EQ(KeptGroups(*r, {{"id", P::kEq, Int(max)}}), 1);
  EXPECT_EQ(KeptGroups(*r, {{"id", P::kIsNull, {}}}), 0);  // null_count 0
  // A conjunction fails if any member does.
  EXPECT_EQ(KeptGroups(*r, {{"id", P::kGe, Int(min)}, {"id", P::kGt, id_max}}), 0);
  // Unknown, nested or unsupported columns never prune.
  EXPECT_EQ(KeptGroups(*r, {{"nope", P::kGt, id_max}}), n);
  EXPECT_EQ(KeptGroups(*r, {{"timestamp_col", P::kGt, Int(0)}}), n);  // INT96: no bounds
}

TEST(RowGroupFilterTest, ReaderSkipsPrunedGroups) {
  DS_REQUIRE_TESTDATA(td);
  ReaderOptions o;
  o.columns = {"id"};
  o.row_group_filter = MakeRowGroupFilter({{"id", P::kGt, Int(1000000)}});
  auto r = Open(td, "alltypes_tiny_pages.parquet", o);
  EXPECT_EQ(r->ReadAll().ValueOrDie().num_rows, 0);
  o.row_group_filter = MakeRowGroupFilter({{"id", P::kGe, Int(0)}});
  auto all = Open(td, "alltypes_tiny_pages.parquet", o);
  EXPECT_EQ(all->ReadAll().ValueOrDie().num_rows, all->num_rows());
}

TEST(RowGroupFilterTest, TruncatedStringBounds) {
  DS_REQUIRE_TESTDATA(td);
  // utf8_full_truncation: min "Al", max "Kf", both inexact but still bounds.
  auto r = Open(td, "binary_truncated_min_max.parquet");
  EXPECT_EQ(KeptGroups(*r, {{"utf8_full_truncation", P::kEq, Str("Zebra")}}), 0);
  EXPECT_EQ(KeptGroups(*r, {{"utf8_full_truncation", P::kLt, Str("Al")}}), 0);
  EXPECT_EQ(KeptGroups(*r, {{"utf8_full_truncation", P::kEq, Str("Ke")}}), 1);
  EXPECT_EQ(KeptGroups(*r, {{"utf8_full_truncation", P::kGe, Str("Kezzz")}}), 1);
  // A required column holds no nulls whatever its statistics say.
  EXPECT_EQ(KeptGroups(*r, {{"utf8_no_truncation", P::kIsNull, {}}}), 0);
}

TEST(RowGroupFilterTest, NullsAndNaN) {
  DS_REQUIRE_TESTDATA(td);
  auto sorted = Open(td, "sort_columns.parquet");  // a: nulls in each group; b: none
  const int n = sorted->num_row_groups();
  EXPECT_EQ(KeptGroups(*sorted, {{"a", P::kIsNull, {}}}), n);
  EXPECT_EQ(KeptGroups(*sorted, {{"b", P::kIsNull, {}}}), 0);
  EXPECT_EQ(KeptGroups(*sorted, {{"a", P::kGt, Int(2)}}), 0);

  // nan_in_stats: the bounds are dropped, so nothing prunes.
  auto nan = Open(td, "nan_in_stats.parquet");
  EXPECT_EQ(KeptGroups(*nan, {{"x", P::kGt, Dbl(1e300)}}), 1);
  EXPECT_EQ(KeptGroups(*nan, {{"x", P::kLt, Dbl(-1e300)}}), 1);

  // page_v2_empty_compressed: every value null.
  auto empty = Open(td, "page_v2_empty_compressed.parquet");
  EXPECT_EQ(KeptGroups(*empty, {{"integer_column", P::kEq, Int(1)}}), 0);
  EXPECT_EQ(KeptGroups(*empty, {{"integer_column", P::kIsNull, {}}}), 1);
}

TEST(RowGroupFilterTest, NestedColumnsKeep) {
  DS_REQUIRE_TESTDATA(td);
  auto r = Open(td, "nested_lists.snappy.parquet");
  EXPECT_EQ(KeptGroups(*r, {{"a", P::kIsNull, {}}}), r->num_row_groups());
  EXPECT_EQ(KeptGroups(*r, {{"b", P::kGt, Int(1)}}), 0);  // b is a flat int32, always 1
}

// Our own writer's statistics, decoded by our rules, never prune a row group holding a
// matching row: for every value v of every flat column, "= v", "<= v" and ">= v" keep the
// row group that holds it, and "IS NULL" keeps every group with a null.
TEST(RowGroupFilterTest, SoundOnOwnWriterOutput) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(columnar::RecordBatch batch, testing::SampleTable(333));
  WriterOptions options;
  options.row_group_rows = 50;
  const std::string path = dir.Join("t.parquet");
  ASSERT_OK(WriteParquetFile(path, batch, options));
  ASSERT_OK_AND_ASSIGN(auto file, io::OpenLocalFile(path));
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(file));
  ASSERT_GT(reader->num_row_groups(), 5);

  std::vector<int> group_of_row;
  for (int g = 0; g < reader->num_row_groups(); ++g) {
    group_of_row.insert(group_of_row.end(), reader->metadata().row_groups[g].num_rows, g);
  }
  ASSERT_EQ(static_cast<int64_t>(group_of_row.size()), batch.num_rows);
  for (size_t f = 0; f < batch.schema->fields.size(); ++f) {
    const columnar::Field& field = batch.schema->fields[f];
    if (columnar::IsNested(field.type->id)) continue;
    int bounded = 0;
    for (int g = 0; g < reader->num_row_groups(); ++g) {
      ColumnChunkStats s = DecodeChunkStatistics(*reader, g, static_cast<int>(f)).ValueOrDie();
      bounded += s.has_min() && s.has_max();
      EXPECT_TRUE(s.unusable_reason.empty()) << field.name << ": " << s.unusable_reason;
    }
    EXPECT_EQ(bounded, reader->num_row_groups()) << field.name;
    for (int64_t i = 0; i < batch.num_rows; ++i) {
      Scalar v = Scalar::FromArray(*batch.columns[f], i);
      const int g = group_of_row[static_cast<size_t>(i)];
      if (v.is_null()) {
        EXPECT_TRUE(RowGroupMayMatch(*reader, g, {{field.name, P::kIsNull, {}}})) << field.name;
        continue;
      }
      for (P::Op op : {P::kEq, P::kLe, P::kGe}) {
        EXPECT_TRUE(RowGroupMayMatch(*reader, g, {{field.name, op, v}}))
            << field.name << " row " << i << ": " << P{field.name, op, v}.ToString();
      }
    }
  }
  // The sorted id column prunes well.
  EXPECT_EQ(KeptGroups(*reader, {{"id", P::kEq, Int(0)}}), 1);
}

}  // namespace
}  // namespace ds::parquet
