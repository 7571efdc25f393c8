#include "parquet/statistics.h"

#include <cmath>
#include <cstring>

#include "parquet/file_reader.h"
#include "test/testing/testing.h"

namespace ds::parquet {
namespace {

using columnar::Scalar;
using columnar::TypeId;
using format::ConvertedType;
using format::LogicalType;
using format::Type;

// A one-column file footer; the FileSchema points into `md`, so both live together.
struct OneColumn {
  format::FileMetaData md;
  FileSchema schema;
  const ColumnDescriptor& col() const { return schema.column(0); }
};

format::SchemaElement Leaf(Type type, std::optional<ConvertedType> converted = std::nullopt) {
  format::SchemaElement e;
  e.name = "x";
  e.type = type;
  e.repetition_type = format::FieldRepetitionType::OPTIONAL;
  e.converted_type = converted;
  return e;
}

std::unique_ptr<OneColumn> Column(
    format::SchemaElement leaf, std::optional<std::string> created_by = "deltashare version 1.0.0",
    bool column_orders = true) {
  auto c = std::make_unique<OneColumn>();
  format::SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  c->md.schema = {root, std::move(leaf)};
  c->md.created_by = std::move(created_by);
  if (column_orders) c->md.column_orders = std::vector<format::ColumnOrder>(1);
  c->schema = FileSchema::Make(c->md.schema).ValueOrDie();
  return c;
}

template <typename T>
std::string Le(T v) {
  std::string s(sizeof(T), '\0');
  std::memcpy(s.data(), &v, sizeof(T));
  return s;
}

format::Statistics New(std::string min, std::string max, int64_t nulls = 0) {
  format::Statistics s;
  s.min_value = std::move(min);
  s.max_value = std::move(max);
  s.null_count = nulls;
  return s;
}

format::Statistics Legacy(std::string min, std::string max) {
  format::Statistics s;
  s.min = std::move(min);
  s.max = std::move(max);
  return s;
}

ColumnChunkStats Decode(const OneColumn& c, const format::Statistics& s, int64_t n = 10) {
  return DecodeStatistics(c.md, c.col(), &s, n);
}

TEST(StatisticsTest, NarrowSignedIntegersUseTheReaderType) {
  auto c = Column(Leaf(Type::INT32, ConvertedType::INT_8));
  ColumnChunkStats s = Decode(*c, New(Le<int32_t>(-5), Le<int32_t>(100)));
  ASSERT_TRUE(s.has_min() && s.has_max()) << s.unusable_reason;
  EXPECT_EQ(s.min.type()->id, TypeId::kInt8);
  EXPECT_EQ(s.min.int_value(), -5);
  EXPECT_EQ(s.max.int_value(), 100);
  EXPECT_TRUE(s.min_exact && s.max_exact);
  EXPECT_EQ(s.null_count, 0);

  ColumnChunkStats bad = Decode(*c, New(Le<int32_t>(-5), Le<int32_t>(300)));
  EXPECT_TRUE(bad.has_min());
  EXPECT_FALSE(bad.has_max());
  EXPECT_NE(bad.unusable_reason.find("outside int8"), std::string::npos);
}

TEST(StatisticsTest, UnsignedIntegersCompareUnsigned) {
  auto c = Column(Leaf(Type::INT32, ConvertedType::UINT_32));
  ColumnChunkStats s = Decode(*c, New(Le<int32_t>(1), Le<int32_t>(-1)));
  ASSERT_TRUE(s.has_max()) << s.unusable_reason;
  EXPECT_EQ(s.max.rep(), Scalar::Rep::kUInt);
  EXPECT_EQ(s.max.uint_value(), 4294967295u);
  EXPECT_GT(*columnar::CompareScalars(s.max, Scalar::MakeInt(columnar::Int32(), 5)), 0);

  // Legacy min/max were computed signed: only usable when min == max.
  ColumnChunkStats legacy = Decode(*c, Legacy(Le<int32_t>(-1), Le<int32_t>(1)));
  EXPECT_FALSE(legacy.has_min() || legacy.has_max());
  EXPECT_NE(legacy.unusable_reason.find("signed"), std::string::npos);
  ColumnChunkStats equal = Decode(*c, Legacy(Le<int32_t>(7), Le<int32_t>(7)));
  EXPECT_EQ(equal.min.uint_value(), 7u);
  EXPECT_EQ(equal.max.uint_value(), 7u);
}

TEST(StatisticsTest, NewFieldsNeedColumnOrders) {
  auto c = Column(Leaf(Type::INT64), "deltashare version 1.0.0", /*column_orders=*/false);
  ColumnChunkStats s = Decode(*c, New(Le<int64_t>(1), Le<int64_t>(2)));
  EXPECT_FALSE(s.has_min() || s.has_max());
  EXPECT_NE(s.unusable_reason.find("column_orders"), std::string::npos);
  EXPECT_EQ(s.null_count, 0);  // counts do not depend on the order

  // Legacy fields of a signed column are used instead.
  format::Statistics both = New(Le<int64_t>(1), Le<int64_t>(2));
  both.min = Le<int64_t>(-3);
  both.max = Le<int64_t>(4);
  ColumnChunkStats fallback = Decode(*c, both);
  EXPECT_EQ(fallback.min.int_value(), -3);
  EXPECT_EQ(fallback.max.int_value(), 4);

  // column_orders of the wrong length are ignored.
  auto d = Column(Leaf(Type::INT64));
  d->md.column_orders->resize(2);
  EXPECT_FALSE(Decode(*d, New(Le<int64_t>(1), Le<int64_t>(2))).has_min());
  // An unknown column order too.
  auto e = Column(Leaf(Type::INT64));
  (*e->md.column_orders)[0].kind = format::ColumnOrder::Kind::kUnknown;
  EXPECT_FALSE(Decode(*e, New(Le<int64_t>(1), Le<int64_t>(2))).has_min());
}

TEST(StatisticsTest, OldWritersAreDistrusted) {
  format::Statistics st = Legacy("a", "b");
  st.null_count = 1;
  // PARQUET-251: nothing from parquet-mr < 1.8.0, not even counts.
  auto ancient = Column(Leaf(Type::BYTE_ARRAY), "parquet-mr version 1.6.0 (build abc)");
  ColumnChunkStats s = Decode(*ancient, st);
  EXPECT_TRUE(s.present);
  EXPECT_FALSE(s.has_min() || s.null_count);
  EXPECT_NE(s.unusable_reason.find("PARQUET-251"), std::string::npos);
  auto ancient_int = Column(Leaf(Type::INT32), "parquet-mr version 1.7.9");
  EXPECT_FALSE(Decode(*ancient_int, Legacy(Le<int32_t>(1), Le<int32_t>(1))).has_min());
  auto unversioned = Column(Leaf(Type::INT32), "parquet-mr");
  EXPECT_FALSE(Decode(*unversioned, Legacy(Le<int32_t>(1), Le<int32_t>(1))).has_min());

  // Legacy binary min/max: not from parquet-mr < 1.10, parquet-cpp < 1.3.0 or an unknown
  // writer, even when min == max.
  for (const char* who : {"parquet-mr version 1.9.0", "parquet-cpp version 1.2.9"}) {
    auto c = Column(Leaf(Type::BYTE_ARRAY), who);
    EXPECT_FALSE(Decode(*c, Legacy("a", "a")).has_min()) << who;
  }
  auto anonymous = Column(Leaf(Type::BYTE_ARRAY), std::nullopt);
  EXPECT_FALSE(Decode(*anonymous, Legacy("a", "a")).has_min());
  auto modern = Column(Leaf(Type::BYTE_ARRAY), "parquet-mr version 1.10.0");
  EXPECT_EQ(Decode(*modern, Legacy("a", "a")).min.bytes(), "a");
  // ... and never with min != max: they were compared signed.
  EXPECT_FALSE(Decode(*modern, Legacy("a", "\xff")).has_min());
  // Non-binary signed legacy stats of parquet-mr 1.8-1.9 are fine.
  auto mr18 = Column(Leaf(Type::INT32), "parquet-mr version 1.8.2 (build x)");
  EXPECT_EQ(Decode(*mr18, Legacy(Le<int32_t>(-1), Le<int32_t>(9))).max.int_value(), 9);
}

TEST(StatisticsTest, ParseCreatedBy) {
  WriterVersion w =
      ParseCreatedBy("parquet-mr version 1.12.0-201812210311360288-a86293f (build c)");
  EXPECT_EQ(w.app, "parquet-mr");
  ASSERT_TRUE(w.has_version);
  EXPECT_EQ(w.major, 1);
  EXPECT_EQ(w.minor, 12);
  EXPECT_EQ(w.patch, 0);
  EXPECT_TRUE(w.Below(1, 12, 1));
  EXPECT_FALSE(w.Below(1, 12, 0));
  EXPECT_EQ(ParseCreatedBy("parquet-cpp-arrow version 14.0.2").app, "parquet-cpp-arrow");
  EXPECT_FALSE(ParseCreatedBy("parquet-mr").has_version);
  EXPECT_EQ(ParseCreatedBy("UrbanLogiq").app, "urbanlogiq");
  EXPECT_FALSE(ParseCreatedBy("cpp version BuildInfo:GitBranch:master").has_version);
  EXPECT_FALSE(ParseCreatedBy("").has_version);
}

TEST(StatisticsTest, Decimals) {
  format::SchemaElement flba = Leaf(Type::FIXED_LEN_BYTE_ARRAY, ConvertedType::DECIMAL);
  flba.type_length = 5;
  flba.precision = 10;
  flba.scale = 2;
  auto c = Column(flba);
  ColumnChunkStats s = Decode(
      *c, New(std::string("\xff\xff\xff\xff\x9c", 5), std::string("\x00\x00\x00\x01\x00", 5)));
  ASSERT_TRUE(s.has_min() && s.has_max()) << s.unusable_reason;
  EXPECT_EQ(s.min.type()->id, TypeId::kDecimal);
  EXPECT_EQ(s.min.decimal_value(), -100);
  EXPECT_EQ(s.min.ToJson(), "\"-1.00\"");
  EXPECT_EQ(s.max.decimal_value(), 256);
  // The width must match.
  EXPECT_FALSE(Decode(*c, New("\x01", "\x02")).has_min());

  format::SchemaElement ba = Leaf(Type::BYTE_ARRAY, ConvertedType::DECIMAL);
  ba.precision = 20;
  ba.scale = 0;
  auto b = Column(ba);
  ColumnChunkStats v = Decode(*b, New(std::string("\x80", 1), std::string("\x00\x80", 2)));
  EXPECT_EQ(v.min.decimal_value(), -128);
  EXPECT_EQ(v.max.decimal_value(), 128);

  format::SchemaElement i32 = Leaf(Type::INT32, ConvertedType::DECIMAL);
  i32.precision = 2;
  i32.scale = 0;
  auto d = Column(i32);
  ColumnChunkStats over = Decode(*d, New(Le<int32_t>(-99), Le<int32_t>(100)));
  EXPECT_EQ(over.min.decimal_value(), -99);
  EXPECT_FALSE(over.has_max());
  EXPECT_NE(over.unusable_reason.find("precision"), std::string::npos);
}

TEST(StatisticsTest, TruncatedFixedBinaryIsPadded) {
  format::SchemaElement e = Leaf(Type::FIXED_LEN_BYTE_ARRAY);
  e.type_length = 4;
  auto c = Column(e);
  format::Statistics st = New("ab", "ac");
  st.is_min_value_exact = false;
  st.is_max_value_exact = false;
  ColumnChunkStats s = Decode(*c, st);
  EXPECT_EQ(s.min.bytes(), std::string("ab\0\0", 4));
  EXPECT_EQ(s.max.bytes(), "ac\xff\xff");
  EXPECT_FALSE(s.min_exact || s.max_exact);
  EXPECT_FALSE(Decode(*c, New("abcde", "abcde")).has_min());  // too long
}

TEST(StatisticsTest, BinaryExactnessDefaultsToUnknown) {
  auto c = Column(Leaf(Type::BYTE_ARRAY, ConvertedType::UTF8));
  ColumnChunkStats s = Decode(*c, New("a", "b"));
  EXPECT_EQ(s.min.type()->id, TypeId::kString);
  EXPECT_FALSE(s.min_exact || s.max_exact);  // the writer may have truncated them
  format::Statistics st = New("a", "b");
  st.is_min_value_exact = true;
  st.is_max_value_exact = true;
  ColumnChunkStats exact = Decode(*c, st);
  EXPECT_TRUE(exact.min_exact && exact.max_exact);
}

TEST(StatisticsTest, TypesWithoutOrder) {
  auto int96 = Column(Leaf(Type::INT96));
  std::string twelve(12, '\0');
  ColumnChunkStats s = Decode(*int96, New(twelve, twelve));
  EXPECT_FALSE(s.has_min() || s.has_max());
  EXPECT_NE(s.unusable_reason.find("INT96"), std::string::npos);

  format::SchemaElement interval = Leaf(Type::FIXED_LEN_BYTE_ARRAY, ConvertedType::INTERVAL);
  interval.type_length = 12;
  EXPECT_FALSE(Decode(*Column(interval), New(twelve, twelve)).has_min());

  format::SchemaElement unknown = Leaf(Type::INT32);
  unknown.logical_type = LogicalType{};  // kUnrecognized
  EXPECT_FALSE(Decode(*Column(unknown), New(Le<int32_t>(1), Le<int32_t>(2))).has_min());
}

TEST(StatisticsTest, FloatRules) {
  auto c = Column(Leaf(Type::DOUBLE));
  const double nan = std::nan("");
  ColumnChunkStats s = Decode(*c, New(Le(1.0), Le(nan)));
  EXPECT_FALSE(s.has_min() || s.has_max());
  EXPECT_NE(s.unusable_reason.find("NaN"), std::string::npos);

  ColumnChunkStats zeros = Decode(*c, New(Le(0.0), Le(-0.0)));
  ASSERT_TRUE(zeros.has_min() && zeros.has_max());
  EXPECT_TRUE(std::signbit(zeros.min.double_value()));
  EXPECT_FALSE(std::signbit(zeros.max.double_value()));

  format::Statistics with_nans = New(Le(1.0), Le(2.0));
  with_nans.nan_count = 3;
  EXPECT_EQ(Decode(*c, with_nans).nan_count, 3);

  // IEEE 754 total order: NaN bounds are legal but bound nothing useful.
  auto t = Column(Leaf(Type::FLOAT));
  (*t->md.column_orders)[0].kind = format::ColumnOrder::Kind::kIeee754TotalOrder;
  const float neg_nan = -std::numeric_limits<float>::quiet_NaN();
  ColumnChunkStats total = Decode(*t, New(Le(neg_nan), Le(5.0f)));
  EXPECT_FALSE(total.has_min());
  EXPECT_EQ(total.max.double_value(), 5.0);
  const float pos_nan = std::numeric_limits<float>::quiet_NaN();
  ColumnChunkStats all_nan = Decode(*t, New(Le(pos_nan), Le(pos_nan)));
  EXPECT_FALSE(all_nan.has_min() || all_nan.has_max());
  // Total order keeps a +0 min as it is.
  EXPECT_FALSE(std::signbit(Decode(*t, New(Le(0.0f), Le(1.0f))).min.double_value()));
}

TEST(StatisticsTest, Float16) {
  format::SchemaElement e = Leaf(Type::FIXED_LEN_BYTE_ARRAY);
  e.type_length = 2;
  e.logical_type = LogicalType{};
  e.logical_type->kind = LogicalType::Kind::kFloat16;
  auto c = Column(e);
  ColumnChunkStats s = Decode(*c, New(std::string("\x00\xc0", 2), std::string("\x00\x3c", 2)));
  EXPECT_EQ(s.min.type()->id, TypeId::kFloat32);
  EXPECT_EQ(s.min.double_value(), -2.0);
  EXPECT_EQ(s.max.double_value(), 1.0);
  // Legacy FLOAT16 bounds (bytewise signed) only when equal.
  EXPECT_FALSE(
      Decode(*c, Legacy(std::string("\x00\xc0", 2), std::string("\x00\x3c", 2))).has_min());
}

TEST(StatisticsTest, MalformedValuesAndCounts) {
  auto c = Column(Leaf(Type::INT32));
  EXPECT_FALSE(Decode(*c, New("abc", Le<int32_t>(1))).has_min());
  EXPECT_FALSE(Decode(*c, New(Le<int32_t>(2), Le<int32_t>(1))).has_min());  // min > max
  format::Statistics st = New(Le<int32_t>(1), Le<int32_t>(2), -1);
  st.distinct_count = 11;
  ColumnChunkStats s = Decode(*c, st, 10);
  EXPECT_FALSE(s.null_count);
  EXPECT_FALSE(s.distinct_count);
  EXPECT_TRUE(s.has_min());
  st.null_count = 10;
  EXPECT_TRUE(Decode(*c, st, 10).all_null());

  auto b = Column(Leaf(Type::BOOLEAN));
  EXPECT_FALSE(Decode(*b, New("\x02", "\x01")).has_min());
  EXPECT_TRUE(Decode(*b, New(std::string("\x00", 1), "\x01")).max.bool_value());

  ColumnChunkStats none = DecodeStatistics(c->md, c->col(), nullptr, 5);
  EXPECT_FALSE(none.present || none.null_count || none.has_min());
  EXPECT_EQ(none.num_values, 5);
}

// Arbitrary bytes never crash, and surviving bounds are ordered and of the column's type.
TEST(StatisticsTest, RandomBytesAreSafe) {
  std::vector<format::SchemaElement> leaves = {
      Leaf(Type::BOOLEAN), Leaf(Type::INT32, ConvertedType::UINT_16),
      Leaf(Type::INT64, ConvertedType::TIMESTAMP_MILLIS), Leaf(Type::FLOAT),
      Leaf(Type::BYTE_ARRAY, ConvertedType::UTF8)};
  format::SchemaElement dec = Leaf(Type::FIXED_LEN_BYTE_ARRAY, ConvertedType::DECIMAL);
  dec.type_length = 17;
  dec.precision = 38;
  dec.scale = 3;
  leaves.push_back(dec);
  format::SchemaElement uuid = Leaf(Type::FIXED_LEN_BYTE_ARRAY);
  uuid.type_length = 16;
  uuid.logical_type = LogicalType{};
  uuid.logical_type->kind = LogicalType::Kind::kUuid;
  leaves.push_back(uuid);
  uint64_t seed = 42;
  auto next = [&] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(seed >> 33);
  };
  auto bytes = [&] {
    std::string b(next() % 20, '\0');
    for (char& ch : b) ch = static_cast<char>(next());
    return b;
  };
  for (const auto& leaf : leaves) {
    auto c = Column(leaf, "parquet-mr version 1.12.3");
    for (int i = 0; i < 2000; ++i) {
      format::Statistics st;
      if (next() % 2) st.min_value = bytes();
      if (next() % 2) st.max_value = bytes();
      if (next() % 2) st.min = bytes();
      if (next() % 2) st.max = bytes();
      if (next() % 2) st.null_count = static_cast<int64_t>(next() % 30) - 5;
      if (next() % 2) st.nan_count = static_cast<int64_t>(next() % 30) - 5;
      if (next() % 4 == 0) st.is_max_value_exact = next() % 2;
      ColumnChunkStats s = Decode(*c, st, 20);
      if (s.has_min()) {
        EXPECT_TRUE(s.min.type()->Equals(*c->col().type));
      }
      if (s.has_min() && s.has_max()) {
        EXPECT_LE(*columnar::CompareScalars(s.min, s.max), 0);
      }
      if (s.null_count) {
        EXPECT_LE(*s.null_count, 20);
      }
      if (s.has_min()) (void)s.min.ToJson();
      if (s.has_max()) (void)s.max.ToJson();
    }
  }
}

// ---- Real files ----

std::unique_ptr<FileReader> Open(const std::filesystem::path& td, const std::string& name) {
  auto file = io::OpenLocalFile((td / "parquet-testing/data" / name).string()).ValueOrDie();
  return FileReader::Open(file).ValueOrDie();
}

ColumnChunkStats Chunk(const FileReader& r, int row_group, int column) {
  return DecodeChunkStatistics(r, row_group, column).ValueOrDie();
}

TEST(StatisticsFilesTest, NanInStats) {
  DS_REQUIRE_TESTDATA(td);
  auto r = Open(td, "nan_in_stats.parquet");  // max_value is NaN (parquet-cpp 1.3.2)
  ColumnChunkStats s = Chunk(*r, 0, 0);
  EXPECT_FALSE(s.has_max());
  EXPECT_FALSE(s.has_min());  // a NaN bound makes the writer's comparisons suspect
  EXPECT_EQ(s.null_count, 0);
}

TEST(StatisticsFilesTest, TruncatedBinary) {
  DS_REQUIRE_TESTDATA(td);
  auto r = Open(td, "binary_truncated_min_max.parquet");
  ColumnChunkStats full = Chunk(*r, 0, 0);  // utf8_full_truncation
  EXPECT_EQ(full.min.bytes(), "Al");
  EXPECT_EQ(full.max.bytes(), "Kf");
  EXPECT_FALSE(full.min_exact);
  EXPECT_FALSE(full.max_exact);
  ColumnChunkStats partial = Chunk(*r, 0, 2);
  EXPECT_FALSE(partial.min_exact);
  EXPECT_TRUE(partial.max_exact);
  ColumnChunkStats exact = Chunk(*r, 0, 4);
  EXPECT_EQ(exact.max.bytes(), "Ke");
  EXPECT_TRUE(exact.min_exact && exact.max_exact);
}

TEST(StatisticsFilesTest, FloatingOrdersAndNanCounts) {
  DS_REQUIRE_TESTDATA(td);
  auto r = Open(td, "floating_orders_nan_count.parquet");
  // Row group 2 is all NaN: the IEEE 754 columns store NaN bounds, TYPE_ORDER ones none.
  for (int col = 0; col < 6; ++col) {
    ColumnChunkStats s = Chunk(*r, 2, col);
    EXPECT_FALSE(s.has_min() || s.has_max()) << col;
    EXPECT_EQ(s.nan_count, 10) << col;
  }
  // Row group 1 has some NaNs: bounds of the other values.
  ColumnChunkStats f16 = Chunk(*r, 1, 4);
  EXPECT_EQ(f16.min.double_value(), -2.0);
  EXPECT_EQ(f16.max.double_value(), 3.0);
  EXPECT_EQ(f16.nan_count, 4);
}

TEST(StatisticsFilesTest, Float16SignedZeros) {
  DS_REQUIRE_TESTDATA(td);
  auto r = Open(td, "float16_zeros_and_nans.parquet");
  ColumnChunkStats s = Chunk(*r, 0, 0);
  ASSERT_TRUE(s.has_min() && s.has_max());
  EXPECT_EQ(s.min.double_value(), 0.0);
  EXPECT_TRUE(std::signbit(s.min.double_value()));
  EXPECT_FALSE(std::signbit(s.max.double_value()));
}

TEST(StatisticsFilesTest, LegacyWriters) {
  DS_REQUIRE_TESTDATA(td);
  // parquet-mr 1.8.1: its binary stats are dropped, its int stats kept.
  auto r = Open(td, "datapage_v2.snappy.parquet");
  ColumnChunkStats a = Chunk(*r, 0, 0);
  EXPECT_FALSE(a.has_min());
  EXPECT_EQ(a.null_count, 1);
  EXPECT_EQ(Chunk(*r, 0, 1).max.int_value(), 5);
  // parquet-mr 1.8.2 FLBA decimals: dropped; INT32 decimals: kept as decimals.
  EXPECT_FALSE(Chunk(*Open(td, "fixed_length_decimal.parquet"), 0, 0).has_min());
  ColumnChunkStats dec = Chunk(*Open(td, "int32_decimal.parquet"), 0, 0);
  EXPECT_EQ(dec.min.ToJson(), "\"1.00\"");
  EXPECT_EQ(dec.max.ToJson(), "\"24.00\"");
}

TEST(StatisticsFilesTest, Int96HasNoBounds) {
  DS_REQUIRE_TESTDATA(td);
  ColumnChunkStats s = Chunk(*Open(td, "int96_from_spark.parquet"), 0, 0);
  EXPECT_FALSE(s.has_min() || s.has_max());
}

TEST(StatisticsFilesTest, FixedLengthByteArray) {
  DS_REQUIRE_TESTDATA(td);
  auto r = Open(td, "fixed_length_byte_array.parquet");
  ColumnChunkStats s = Chunk(*r, 0, 0);
  ASSERT_TRUE(s.has_min() && s.has_max());
  EXPECT_EQ(s.min.bytes(), std::string("\x00\x00\x00\x01", 4));
  EXPECT_EQ(s.max.bytes(), std::string("\x00\x00\x03\xe8", 4));
  EXPECT_EQ(s.null_count, 105);
}

TEST(StatisticsFilesTest, OutOfRangeArguments) {
  DS_REQUIRE_TESTDATA(td);
  auto r = Open(td, "nan_in_stats.parquet");
  ASSERT_RAISES(kInvalidArgument, DecodeChunkStatistics(*r, 1, 0));
  ASSERT_RAISES(kInvalidArgument, DecodeChunkStatistics(*r, 0, -1));
}

}  // namespace
}  // namespace ds::parquet
