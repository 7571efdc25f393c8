#include "parquet/format/parquet_types.h"

#include <string>
#include <vector>

#include "parquet/format/compact_protocol.h"
#include "test/testing/testing.h"

namespace ds::parquet::format {
namespace {

using Bytes = std::vector<uint8_t>;

ByteView View(const Bytes& b) { return {b.data(), b.size()}; }
ByteView View(const std::string& s) { return AsBytes(s); }

std::string Hex(std::string_view s) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (!out.empty()) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// nation.dict-malformed.parquet at offset 4: a v1 data page header (parquet.md §1.2).
const Bytes kNationPageHeader = {0x15, 0x00, 0x15, 0xD4, 0x01, 0x15, 0xD4, 0x01, 0x2C, 0x15,
                                 0x32, 0x15, 0x00, 0x15, 0x06, 0x15, 0x08, 0x00, 0x00};

Statistics FullStatistics() {
  Statistics s;
  s.max = std::string("\xff\x00", 2);
  s.min = "";
  s.null_count = 3;
  s.distinct_count = 9;
  s.max_value = "zzz";
  s.min_value = "aaa";
  s.is_max_value_exact = false;
  s.is_min_value_exact = true;
  s.nan_count = 0;
  return s;
}

// A footer that sets every field the structs model.
FileMetaData FullFileMetaData() {
  FileMetaData md;
  md.version = 2;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 3;
  root.repetition_type = FieldRepetitionType::REQUIRED;
  md.schema.push_back(root);
  SchemaElement a;
  a.name = "a";
  a.type = Type::FIXED_LEN_BYTE_ARRAY;
  a.type_length = 16;
  a.repetition_type = FieldRepetitionType::OPTIONAL;
  a.converted_type = ConvertedType::DECIMAL;
  a.scale = 2;
  a.precision = 30;
  a.field_id = 7;
  a.logical_type = LogicalType{};
  a.logical_type->kind = LogicalType::Kind::kDecimal;
  a.logical_type->decimal_scale = 2;
  a.logical_type->decimal_precision = 30;
  md.schema.push_back(a);
  SchemaElement b;
  b.name = "b";
  b.type = Type::INT64;
  b.repetition_type = FieldRepetitionType::REPEATED;
  b.logical_type = LogicalType{};
  b.logical_type->kind = LogicalType::Kind::kTimestamp;
  b.logical_type->is_adjusted_to_utc = true;
  b.logical_type->unit = TimeUnit::kNanos;
  md.schema.push_back(b);
  SchemaElement c;
  c.name = "c";
  c.type = static_cast<Type>(-7);  // kept as is: the schema layer rejects it
  c.repetition_type = FieldRepetitionType::REQUIRED;
  c.logical_type = LogicalType{};
  c.logical_type->kind = LogicalType::Kind::kInteger;
  c.logical_type->bit_width = 8;
  c.logical_type->is_signed = false;
  md.schema.push_back(c);
  md.num_rows = 1234567890123;

  RowGroup rg;
  rg.total_byte_size = 1000;
  rg.num_rows = 1234567890123;
  rg.sorting_columns = std::vector<SortingColumn>{{1, true, false}, {0, false, true}};
  rg.file_offset = 4;
  rg.total_compressed_size = 900;
  rg.ordinal = 0;
  for (int i = 0; i < 3; ++i) {
    ColumnChunk cc;
    cc.file_offset = 0;
    ColumnMetaData cmd;
    cmd.type = Type::INT64;
    cmd.encodings = {Encoding::PLAIN, Encoding::RLE, Encoding::RLE_DICTIONARY,
                     static_cast<Encoding>(77)};
    cmd.path_in_schema = {"b"};
    cmd.codec = CompressionCodec::ZSTD;
    cmd.num_values = 10;
    cmd.total_uncompressed_size = 100;
    cmd.total_compressed_size = 90;
    cmd.key_value_metadata = std::vector<KeyValue>{{"k", "v"}, {"null", std::nullopt}};
    cmd.data_page_offset = 104;
    cmd.index_page_offset = 2;
    cmd.dictionary_page_offset = 4;
    cmd.statistics = FullStatistics();
    cmd.encoding_stats =
        std::vector<PageEncodingStats>{{PageType::DICTIONARY_PAGE, Encoding::PLAIN, 1},
                                       {PageType::DATA_PAGE, Encoding::RLE_DICTIONARY, 2}};
    cmd.bloom_filter_offset = 5000;
    cmd.bloom_filter_length = 1024;
    SizeStatistics ss;
    ss.unencoded_byte_array_data_bytes = 77;
    ss.repetition_level_histogram = std::vector<int64_t>{1, 2};
    ss.definition_level_histogram = std::vector<int64_t>{};
    cmd.size_statistics = ss;
    GeospatialStatistics geo;
    geo.bbox = BoundingBox{-1.5, 2.5, -3, 4, 0.0, 1.0, std::nullopt, std::nullopt};
    geo.geospatial_types = std::vector<int32_t>{1, 1003};
    cmd.geospatial_statistics = geo;
    cc.meta_data = cmd;
    if (i == 1) cc.file_path = "other.parquet";
    cc.offset_index_offset = 6000;
    cc.offset_index_length = 30;
    cc.column_index_offset = 7000;
    cc.column_index_length = 40;
    rg.columns.push_back(cc);
  }
  md.row_groups.push_back(rg);
  md.row_groups.push_back(RowGroup{});
  md.key_value_metadata = std::vector<KeyValue>{{"ARROW:schema", "xyz"}};
  md.created_by = "deltashare version 0.1.0 (build abc)";
  md.column_orders = std::vector<ColumnOrder>{{ColumnOrder::Kind::kTypeOrder, 0},
                                              {ColumnOrder::Kind::kIeee754TotalOrder, 0},
                                              {ColumnOrder::Kind::kUnknown, 9}};
  return md;
}

TEST(ParquetTypesTest, NationPageHeaderBytes) {
  size_t header_size = 0;
  ASSERT_OK_AND_ASSIGN(PageHeader h, ReadPageHeader(View(kNationPageHeader), &header_size));
  EXPECT_EQ(header_size, kNationPageHeader.size());
  EXPECT_EQ(h.type, PageType::DATA_PAGE);
  EXPECT_EQ(h.uncompressed_page_size, 106);
  EXPECT_EQ(h.compressed_page_size, 106);
  EXPECT_FALSE(h.crc);
  ASSERT_TRUE(h.data_page_header);
  EXPECT_EQ(h.data_page_header->num_values, 25);
  EXPECT_EQ(h.data_page_header->encoding, Encoding::PLAIN);
  EXPECT_EQ(h.data_page_header->definition_level_encoding, Encoding::RLE);
  EXPECT_EQ(h.data_page_header->repetition_level_encoding, Encoding::BIT_PACKED);
  std::string out;
  Write(h, &out);
  EXPECT_EQ(Hex(out), Hex(AsStringView(View(kNationPageHeader))));

  // Page body bytes after the header are not consumed.
  Bytes with_body = kNationPageHeader;
  with_body.insert(with_body.end(), {0x02, 0x00, 0x00, 0x00});
  ASSERT_OK(ReadPageHeader(View(with_body), &header_size));
  EXPECT_EQ(header_size, kNationPageHeader.size());
}

TEST(ParquetTypesTest, FileMetaDataPrefixAndColumnOrderBytes) {
  FileMetaData md;
  md.version = 1;
  SchemaElement root;
  root.name = "m";
  root.num_children = 4;
  md.schema.assign(5, root);
  md.column_orders = std::vector<ColumnOrder>{ColumnOrder{}};
  std::string out;
  Write(md, &out);
  // 15 02 (version 1) 19 5C (list of 5 structs) 48 01 6D (name "m") 15 08 (num_children 4) 00
  EXPECT_EQ(Hex(out.substr(0, 10)), "15 02 19 5C 48 01 6D 15 08 00");
  // ... column_orders: list header 1C, element 1C 00 00 (TYPE_ORDER), then the footer's STOP.
  EXPECT_EQ(Hex(out.substr(out.size() - 5)), "1C 1C 00 00 00");
  ASSERT_OK_AND_ASSIGN(FileMetaData back, ReadFileMetaData(View(out)));
  EXPECT_EQ(back, md);
}

TEST(ParquetTypesTest, ColumnIndexNullPagesListBoolForm) {
  ColumnIndex ci;
  ci.null_pages = {false, true};
  ci.min_values = {"a", ""};
  ci.max_values = {"b", ""};
  ci.boundary_order = BoundaryOrder::ASCENDING;
  std::string out;
  Write(ci, &out);
  EXPECT_EQ(Hex(out.substr(0, 4)), "19 21 02 01");
  ASSERT_OK_AND_ASSIGN(ColumnIndex back, ReadColumnIndex(View(out)));
  EXPECT_EQ(back, ci);

  // parquet-mr's "19 11 02" = [false]; the Thrift spec's element type 2 with 0/1 also reads.
  Bytes mr = {0x19, 0x11, 0x02, 0x19, 0x00, 0x19, 0x00, 0x15, 0x00, 0x00};
  ASSERT_OK_AND_ASSIGN(back, ReadColumnIndex(View(mr)));
  EXPECT_EQ(back.null_pages, std::vector<bool>{false});
  Bytes spec = {0x19, 0x22, 0x01, 0x00, 0x19, 0x00, 0x19, 0x00, 0x15, 0x02, 0x00};
  ASSERT_OK_AND_ASSIGN(back, ReadColumnIndex(View(spec)));
  EXPECT_EQ(back.null_pages, (std::vector<bool>{true, false}));
  EXPECT_EQ(back.boundary_order, BoundaryOrder::ASCENDING);
}

TEST(ParquetTypesTest, FullFileMetaDataRoundTrips) {
  FileMetaData md = FullFileMetaData();
  std::string out;
  Write(md, &out);
  size_t consumed = 0;
  ASSERT_OK_AND_ASSIGN(FileMetaData back, ReadFileMetaData(View(out), &consumed));
  EXPECT_EQ(consumed, out.size());
  EXPECT_EQ(back, md);
  std::string again;
  Write(back, &again);
  EXPECT_EQ(again, out);

  // Trailing bytes (the plaintext-footer signature) are allowed.
  std::string signed_footer = out + std::string(28, '\x5A');
  ASSERT_OK_AND_ASSIGN(back, ReadFileMetaData(View(signed_footer), &consumed));
  EXPECT_EQ(consumed, out.size());
  EXPECT_EQ(back, md);
}

TEST(ParquetTypesTest, EveryLogicalTypeRoundTrips) {
  using K = LogicalType::Kind;
  for (K k : {K::kString, K::kMap, K::kList, K::kEnum, K::kDecimal, K::kDate, K::kTime,
              K::kTimestamp, K::kInteger, K::kUnknown, K::kJson, K::kBson, K::kUuid, K::kFloat16,
              K::kVariant, K::kGeometry, K::kGeography}) {
    FileMetaData md;
    SchemaElement e;
    e.name = "x";
    e.logical_type = LogicalType{};
    e.logical_type->kind = k;
    if (k == K::kTime) e.logical_type->unit = TimeUnit::kMicros;
    if (k == K::kVariant) e.logical_type->variant_specification_version = 1;
    if (k == K::kGeography) {
      e.logical_type->crs = "OGC:CRS84";
      e.logical_type->edge_algorithm = EdgeInterpolationAlgorithm::KARNEY;
    }
    md.schema.push_back(e);
    std::string out;
    Write(md, &out);
    ASSERT_OK_AND_ASSIGN(FileMetaData back, ReadFileMetaData(View(out)));
    EXPECT_EQ(back, md) << LogicalTypeName(k);
  }
}

TEST(ParquetTypesTest, PageHeadersRoundTrip) {
  PageHeader v2;
  v2.type = PageType::DATA_PAGE_V2;
  v2.uncompressed_page_size = 100;
  v2.compressed_page_size = 50;
  v2.crc = -1144112227;
  v2.data_page_header_v2 =
      DataPageHeaderV2{10, 2, 5, Encoding::DELTA_BINARY_PACKED, 3, 4, false, FullStatistics()};
  PageHeader dict;
  dict.type = PageType::DICTIONARY_PAGE;
  dict.dictionary_page_header = DictionaryPageHeader{7, Encoding::PLAIN_DICTIONARY, true};
  PageHeader index;
  index.type = PageType::INDEX_PAGE;
  index.has_index_page_header = true;
  for (const PageHeader& h : {v2, dict, index}) {
    std::string out;
    Write(h, &out);
    size_t n = 0;
    ASSERT_OK_AND_ASSIGN(PageHeader back, ReadPageHeader(View(out), &n));
    EXPECT_EQ(n, out.size());
    EXPECT_EQ(back, h);
  }
}

TEST(ParquetTypesTest, PageIndexAndBloomHeaderRoundTrip) {
  OffsetIndex oi;
  oi.page_locations = {{4, 100, 0}, {104, 200, 10}};
  oi.unencoded_byte_array_data_bytes = std::vector<int64_t>{5, 6};
  std::string out;
  Write(oi, &out);
  ASSERT_OK_AND_ASSIGN(OffsetIndex oi_back, ReadOffsetIndex(View(out)));
  EXPECT_EQ(oi_back, oi);

  ColumnIndex ci;
  ci.null_pages = std::vector<bool>(20, false);
  ci.null_pages[19] = true;
  ci.min_values.assign(20, "min");
  ci.max_values.assign(20, "max");
  ci.boundary_order = BoundaryOrder::DESCENDING;
  ci.null_counts = std::vector<int64_t>(20, 1);
  ci.repetition_level_histograms = std::vector<int64_t>{1};
  ci.definition_level_histograms = std::vector<int64_t>{2, 3};
  ci.nan_counts = std::vector<int64_t>(20, 0);
  out.clear();
  Write(ci, &out);
  ASSERT_OK_AND_ASSIGN(ColumnIndex ci_back, ReadColumnIndex(View(out)));
  EXPECT_EQ(ci_back, ci);

  BloomFilterHeader bf;
  bf.num_bytes = 1024;
  out.clear();
  Write(bf, &out);
  // numBytes 1024, then algorithm/hash/compression unions each holding member 1.
  EXPECT_EQ(Hex(out), "15 80 10 1C 1C 00 00 1C 1C 00 00 1C 1C 00 00 00");
  out += "bitset";
  size_t n = 0;
  ASSERT_OK_AND_ASSIGN(BloomFilterHeader bf_back, ReadBloomFilterHeader(View(out), &n));
  EXPECT_EQ(bf_back, bf);
  EXPECT_EQ(n, out.size() - 6);
}

TEST(ParquetTypesTest, MissingRequiredFieldsNameStructAndField) {
  ColumnMetaData cmd;
  cmd.path_in_schema = {"x"};
  FileMetaData md;
  SchemaElement root;
  root.name = "r";
  md.schema.push_back(root);
  RowGroup rg;
  ColumnChunk cc;
  cc.meta_data = cmd;
  rg.columns.push_back(cc);
  md.row_groups.push_back(rg);
  std::string out;
  Write(md, &out);
  // Drop the codec (field 4 = "15 00" right after path_in_schema "19 18 01 78").
  const std::string codec = "\x19\x18\x01x\x15";
  size_t at = out.find(codec);
  ASSERT_NE(at, std::string::npos);
  std::string broken = out.substr(0, at + 4) + out.substr(at + 6);
  // Field 5's delta now starts from 3: rewrite its header (16 -> 26).
  ASSERT_EQ(broken[at + 4], '\x16');
  broken[at + 4] = '\x26';
  Result<FileMetaData> r = ReadFileMetaData(View(broken));
  ASSERT_RAISES(kCorruption, r);
  EXPECT_EQ(r.status().message(), "parquet: ColumnMetaData missing required field 'codec'");

  Bytes page = {0x15, 0x00, 0x15, 0x02, 0x00};  // no compressed_page_size
  size_t n;
  Result<PageHeader> p = ReadPageHeader(View(page), &n);
  ASSERT_RAISES(kCorruption, p);
  EXPECT_EQ(p.status().message(),
            "parquet: PageHeader missing required field 'compressed_page_size'");

  Bytes empty = {0x00};
  ASSERT_RAISES(kCorruption, ReadFileMetaData(View(empty)));
}

TEST(ParquetTypesTest, NegativePageSizesAndCountsAreCorruption) {
  PageHeader h;
  h.type = PageType::DICTIONARY_PAGE;
  h.uncompressed_page_size = 10;
  h.compressed_page_size = 10;
  h.dictionary_page_header = DictionaryPageHeader{-26, Encoding::PLAIN, std::nullopt};
  std::string out;
  Write(h, &out);
  size_t n;
  Result<PageHeader> r = ReadPageHeader(View(out), &n);
  ASSERT_RAISES(kCorruption, r);
  EXPECT_NE(r.status().message().find("num_values -26"), std::string::npos) << r.status();

  h.dictionary_page_header.reset();
  h.compressed_page_size = -1;
  out.clear();
  Write(h, &out);
  ASSERT_RAISES(kCorruption, ReadPageHeader(View(out), &n));

  PageHeader v2;
  v2.type = PageType::DATA_PAGE_V2;
  v2.data_page_header_v2 = DataPageHeaderV2{};
  v2.data_page_header_v2->repetition_levels_byte_length = -4;
  out.clear();
  Write(v2, &out);
  ASSERT_RAISES(kCorruption, ReadPageHeader(View(out), &n));
}

TEST(ParquetTypesTest, UnknownFieldsMembersAndMismatchedTypesAreSkipped) {
  // A SchemaElement with: name; an unknown field 50 holding list<struct{map}>; field 1
  // (type) sent as binary (mismatched: skipped); logicalType with member 40 (unknown) and
  // a TIME whose unit is member 9 (unknown).
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();  // FileMetaData
  w.WriteFieldHeader(1, WireType::kI32);
  w.WriteI32(1);
  w.WriteFieldHeader(2, WireType::kList);
  w.WriteListHeader(WireType::kStruct, 3);
  {
    w.BeginStruct();  // SchemaElement 0
    w.WriteFieldHeader(1, WireType::kBinary);
    w.WriteBinary("not a type");
    w.WriteFieldHeader(4, WireType::kBinary);
    w.WriteBinary("root");
    w.WriteFieldHeader(50, WireType::kList);
    w.WriteListHeader(WireType::kStruct, 1);
    w.BeginStruct();
    w.WriteFieldHeader(1, WireType::kMap);
    w.WriteMapHeader(WireType::kBinary, WireType::kStruct, 1);
    w.WriteBinary("k");
    w.BeginStruct();
    w.WriteBoolField(1, true);
    w.EndStruct();
    w.EndStruct();
    w.EndStruct();
  }
  {
    w.BeginStruct();  // SchemaElement 1: unknown logical type member
    w.WriteFieldHeader(4, WireType::kBinary);
    w.WriteBinary("u");
    w.WriteFieldHeader(10, WireType::kStruct);
    w.BeginStruct();
    w.WriteFieldHeader(40, WireType::kStruct);
    w.BeginStruct();
    w.WriteFieldHeader(1, WireType::kI64);
    w.WriteI64(5);
    w.EndStruct();
    w.EndStruct();
    w.EndStruct();
  }
  {
    w.BeginStruct();  // SchemaElement 2: TIME with an unknown unit
    w.WriteFieldHeader(4, WireType::kBinary);
    w.WriteBinary("t");
    w.WriteFieldHeader(10, WireType::kStruct);
    w.BeginStruct();
    w.WriteFieldHeader(7, WireType::kStruct);
    w.BeginStruct();
    w.WriteBoolField(1, true);
    w.WriteFieldHeader(2, WireType::kStruct);
    w.BeginStruct();
    w.WriteFieldHeader(9, WireType::kStruct);
    w.BeginStruct();
    w.EndStruct();
    w.EndStruct();
    w.EndStruct();
    w.EndStruct();
    w.EndStruct();
  }
  w.WriteFieldHeader(3, WireType::kI64);
  w.WriteI64(0);
  w.WriteFieldHeader(4, WireType::kList);
  w.WriteListHeader(WireType::kStruct, 0);
  w.WriteFieldHeader(7, WireType::kList);  // column_orders: an unknown member
  w.WriteListHeader(WireType::kStruct, 1);
  w.BeginStruct();
  w.WriteFieldHeader(12, WireType::kStruct);
  w.BeginStruct();
  w.EndStruct();
  w.EndStruct();
  w.WriteFieldHeader(32767, WireType::kBinary);  // extension field
  w.WriteBinary("ext");
  w.EndStruct();

  ASSERT_OK_AND_ASSIGN(FileMetaData md, ReadFileMetaData(View(out)));
  ASSERT_EQ(md.schema.size(), 3u);
  EXPECT_FALSE(md.schema[0].type);
  EXPECT_EQ(md.schema[0].name, "root");
  ASSERT_TRUE(md.schema[1].logical_type);
  EXPECT_EQ(md.schema[1].logical_type->kind, LogicalType::Kind::kUnrecognized);
  ASSERT_TRUE(md.schema[2].logical_type);
  EXPECT_EQ(md.schema[2].logical_type->kind, LogicalType::Kind::kUnrecognized);
  ASSERT_TRUE(md.column_orders);
  EXPECT_EQ((*md.column_orders)[0].kind, ColumnOrder::Kind::kUnknown);
  EXPECT_EQ((*md.column_orders)[0].unknown_id, 12);

  // Re-encoding drops what cannot be represented and is then stable.
  std::string once, twice;
  Write(md, &once);
  ASSERT_OK_AND_ASSIGN(FileMetaData md2, ReadFileMetaData(View(once)));
  Write(md2, &twice);
  EXPECT_EQ(Hex(once), Hex(twice));
  EXPECT_FALSE(md2.schema[1].logical_type);
}

TEST(ParquetTypesTest, RequiredFieldWithWrongWireTypeIsMissing) {
  // FileMetaData.version sent as i64: skipped, hence missing.
  Bytes b = {0x16, 0x02, 0x19, 0x0C, 0x16, 0x00, 0x19, 0x0C, 0x00};
  Result<FileMetaData> r = ReadFileMetaData(View(b));
  ASSERT_RAISES(kCorruption, r);
  EXPECT_EQ(r.status().message(), "parquet: FileMetaData missing required field 'version'");
  // A list whose element type differs is skipped too (schema as list<i32>).
  Bytes c = {0x15, 0x02, 0x19, 0x15, 0x02, 0x16, 0x00, 0x19, 0x0C, 0x00};
  r = ReadFileMetaData(View(c));
  ASSERT_RAISES(kCorruption, r);
  EXPECT_EQ(r.status().message(), "parquet: FileMetaData missing required field 'schema'");
}

TEST(ParquetTypesTest, TruncationAtEveryOffsetFails) {
  FileMetaData md = FullFileMetaData();
  std::string out;
  Write(md, &out);
  for (size_t n = 0; n < out.size(); ++n) {
    EXPECT_FALSE(ReadFileMetaData(AsBytes(std::string_view(out).substr(0, n))).ok()) << n;
  }
  size_t hs;
  for (size_t n = 0; n < kNationPageHeader.size(); ++n) {
    EXPECT_FALSE(ReadPageHeader(ByteView(kNationPageHeader.data(), n), &hs).ok()) << n;
  }
}

TEST(ParquetTypesTest, DeepNestingAndHugeListsAreCorruption) {
  // schema element with logicalType nested 200 structs deep through unknown members.
  Bytes b = {0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 'r', 0x6C};
  for (int i = 0; i < 200; ++i) b.push_back(0x1C);
  b.resize(b.size() + 210, 0x00);
  ASSERT_RAISES(kCorruption, ReadFileMetaData(View(b)));

  // 10^6 row groups claimed in a few bytes.
  Bytes c = {0x15, 0x02, 0x19, 0x0C, 0x16, 0x00, 0x19, 0xFC, 0x80, 0x89, 0x7A, 0x00};
  ASSERT_RAISES(kCorruption, ReadFileMetaData(View(c)));
}

TEST(ParquetTypesTest, TinyStructsCannotDecodeIntoHugeMemory) {
  // One row group with 30,000 three-byte ColumnChunks (file_offset only): ~90 KB that would
  // decode into ~20 MB of structs.
  std::string out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.WriteFieldHeader(1, WireType::kI32);
  w.WriteI32(1);
  w.WriteFieldHeader(2, WireType::kList);
  w.WriteListHeader(WireType::kStruct, 0);
  w.WriteFieldHeader(3, WireType::kI64);
  w.WriteI64(0);
  w.WriteFieldHeader(4, WireType::kList);
  w.WriteListHeader(WireType::kStruct, 1);
  w.BeginStruct();
  w.WriteFieldHeader(1, WireType::kList);
  w.WriteListHeader(WireType::kStruct, 30000);
  for (int i = 0; i < 30000; ++i) {
    w.BeginStruct();
    w.WriteFieldHeader(2, WireType::kI64);
    w.WriteI64(0);
    w.EndStruct();
  }
  w.WriteFieldHeader(2, WireType::kI64);
  w.WriteI64(0);
  w.WriteFieldHeader(3, WireType::kI64);
  w.WriteI64(0);
  w.EndStruct();
  w.EndStruct();
  Result<FileMetaData> r = ReadFileMetaData(View(out));
  ASSERT_RAISES(kCorruption, r);
  EXPECT_NE(r.status().message().find("more memory"), std::string::npos) << r.status();
  // A tenth of that is fine.
  FileMetaData md;
  md.schema.push_back(SchemaElement{});
  md.row_groups.emplace_back().columns.resize(3000);
  out.clear();
  Write(md, &out);
  ASSERT_OK_AND_ASSIGN(FileMetaData back, ReadFileMetaData(View(out)));
  EXPECT_EQ(back.row_groups[0].columns.size(), 3000u);
}

TEST(ParquetTypesTest, Names) {
  EXPECT_EQ(TypeName(Type::FIXED_LEN_BYTE_ARRAY), "FIXED_LEN_BYTE_ARRAY");
  EXPECT_EQ(TypeName(static_cast<Type>(-7)), "UNKNOWN");
  EXPECT_EQ(EncodingName(Encoding::RLE_DICTIONARY), "RLE_DICTIONARY");
  EXPECT_EQ(EncodingName(static_cast<Encoding>(1)), "UNKNOWN");
  EXPECT_EQ(CodecName(CompressionCodec::LZ4_RAW), "LZ4_RAW");
  EXPECT_EQ(ConvertedTypeName(ConvertedType::INTERVAL), "INTERVAL");
  EXPECT_EQ(RepetitionName(FieldRepetitionType::REPEATED), "REPEATED");
  EXPECT_EQ(PageTypeName(PageType::DATA_PAGE_V2), "DATA_PAGE_V2");
  EXPECT_EQ(BoundaryOrderName(BoundaryOrder::DESCENDING), "DESCENDING");
  EXPECT_EQ(ColumnOrderName(ColumnOrder::Kind::kIeee754TotalOrder), "IEEE_754_TOTAL_ORDER");
  LogicalType t;
  t.kind = LogicalType::Kind::kTimestamp;
  t.unit = TimeUnit::kMicros;
  t.is_adjusted_to_utc = true;
  EXPECT_EQ(ToString(t), "TIMESTAMP(MICROS,utc)");
  t.kind = LogicalType::Kind::kDecimal;
  t.decimal_precision = 10;
  t.decimal_scale = 2;
  EXPECT_EQ(ToString(t), "DECIMAL(10,2)");
  t.kind = LogicalType::Kind::kInteger;
  t.bit_width = 16;
  EXPECT_EQ(ToString(t), "INTEGER(16,unsigned)");
  EXPECT_EQ(LogicalTypeName(LogicalType::Kind::kUnknown), "UNKNOWN");
  EXPECT_EQ(LogicalTypeName(LogicalType::Kind::kUnrecognized), "UNRECOGNIZED");
}

}  // namespace
}  // namespace ds::parquet::format
