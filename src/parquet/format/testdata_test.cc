// Data-driven tests over parquet-testing: every footer parses, is consistent, and
// re-serializes stably; page headers, page indexes and bloom filter headers parse at the
// offsets the footer gives.
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "parquet/format/parquet_types.h"
#include "test/testing/testing.h"
#include "util/bytes.h"

namespace ds::parquet::format {
namespace {

namespace fs = std::filesystem;

std::string ReadWholeFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The FileMetaData bytes of a PAR1 file, or "" if it is not one.
std::string_view Footer(const std::string& file) {
  if (file.size() < 12 || file.compare(file.size() - 4, 4, "PAR1") != 0) return {};
  const uint32_t len = LoadLE<uint32_t>(file.data() + file.size() - 8);
  if (len > file.size() - 12) return {};
  return std::string_view(file).substr(file.size() - 8 - len, len);
}

std::vector<fs::path> ParquetFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".parquet") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t CountLeaves(const FileMetaData& md) {
  size_t n = 0;
  for (size_t i = 1; i < md.schema.size(); ++i) n += md.schema[i].num_children.value_or(0) == 0;
  return n;
}

std::string Reserialize(const FileMetaData& md) {
  std::string out;
  Write(md, &out);
  return out;
}

// Parses the page header at `offset` of `file`; checks the type and that the page fits.
void CheckPageHeaderAt(const std::string& file, int64_t offset, const std::string& where) {
  ASSERT_GE(offset, 4) << where;
  ASSERT_LT(offset, static_cast<int64_t>(file.size())) << where;
  size_t header_size = 0;
  auto h = ReadPageHeader(AsBytes(std::string_view(file).substr(offset)), &header_size);
  ASSERT_OK(h.status());
  const int type = static_cast<int>(h->type);
  EXPECT_TRUE(type >= 0 && type <= 3) << where << " page type " << type;
  EXPECT_LE(static_cast<int64_t>(header_size) + h->compressed_page_size,
            static_cast<int64_t>(file.size()) - offset)
      << where;
  // The sub-header matching the type is present.
  EXPECT_TRUE(h->type != PageType::DATA_PAGE || h->data_page_header) << where;
  EXPECT_TRUE(h->type != PageType::DICTIONARY_PAGE || h->dictionary_page_header) << where;
  EXPECT_TRUE(h->type != PageType::DATA_PAGE_V2 || h->data_page_header_v2) << where;
  std::string again;
  Write(*h, &again);
  ASSERT_OK_AND_ASSIGN(PageHeader back, ReadPageHeader(AsBytes(again), &header_size));
  EXPECT_EQ(back, *h) << where;
}

void CheckIndexesAndBloom(const std::string& file, const ColumnChunk& cc,
                          const std::string& where) {
  auto slice = [&](int64_t off, int64_t len) -> std::optional<ByteView> {
    if (off < 4 || len < 0 || off > static_cast<int64_t>(file.size()) - len) return std::nullopt;
    return AsBytes(std::string_view(file).substr(off, len));
  };
  if (cc.offset_index_offset && cc.offset_index_length) {
    auto bytes = slice(*cc.offset_index_offset, *cc.offset_index_length);
    ASSERT_TRUE(bytes) << where;
    ASSERT_OK_AND_ASSIGN(OffsetIndex oi, ReadOffsetIndex(*bytes));
    EXPECT_FALSE(oi.page_locations.empty()) << where;
    std::string out;
    Write(oi, &out);
    ASSERT_OK_AND_ASSIGN(OffsetIndex back, ReadOffsetIndex(AsBytes(out)));
    EXPECT_EQ(back, oi) << where;
  }
  if (cc.column_index_offset && cc.column_index_length) {
    auto bytes = slice(*cc.column_index_offset, *cc.column_index_length);
    ASSERT_TRUE(bytes) << where;
    ASSERT_OK_AND_ASSIGN(ColumnIndex ci, ReadColumnIndex(*bytes));
    EXPECT_EQ(ci.null_pages.size(), ci.min_values.size()) << where;
    EXPECT_EQ(ci.null_pages.size(), ci.max_values.size()) << where;
    std::string out;
    Write(ci, &out);
    ASSERT_OK_AND_ASSIGN(ColumnIndex back, ReadColumnIndex(AsBytes(out)));
    EXPECT_EQ(back, ci) << where;
  }
  if (cc.meta_data && cc.meta_data->bloom_filter_offset) {
    const int64_t off = *cc.meta_data->bloom_filter_offset;
    ASSERT_TRUE(off >= 4 && off < static_cast<int64_t>(file.size())) << where;
    size_t header_size = 0;
    ASSERT_OK_AND_ASSIGN(
        BloomFilterHeader bf,
        ReadBloomFilterHeader(AsBytes(std::string_view(file).substr(off)), &header_size));
    EXPECT_EQ(bf.algorithm, BloomFilterAlgorithm::kBlock) << where;
    EXPECT_EQ(bf.hash, BloomFilterHash::kXxHash) << where;
    EXPECT_EQ(bf.compression, BloomFilterCompression::kUncompressed) << where;
    EXPECT_LE(static_cast<int64_t>(header_size) + bf.num_bytes,
              static_cast<int64_t>(file.size()) - off)
        << where;
    if (cc.meta_data->bloom_filter_length) {
      EXPECT_EQ(static_cast<int64_t>(header_size) + bf.num_bytes,
                *cc.meta_data->bloom_filter_length)
          << where;
    }
  }
}

TEST(ParquetTestingTest, EveryFooterParsesAndReserializesStably) {
  DS_REQUIRE_TESTDATA(testdata);
  const fs::path dir = testdata / "parquet-testing" / "data";
  if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " not found";
  int files = 0, identical = 0;
  for (const fs::path& path : ParquetFiles(dir)) {
    const std::string name = path.filename().string();
    SCOPED_TRACE(name);
    const std::string file = ReadWholeFile(path);
    if (file.size() >= 4 && file.compare(file.size() - 4, 4, "PARE") == 0) continue;
    std::string_view footer = Footer(file);
    ASSERT_FALSE(footer.empty()) << "no PAR1 footer";
    const auto start = std::chrono::steady_clock::now();
    ASSERT_OK_AND_ASSIGN(FileMetaData md, ReadFileMetaData(AsBytes(footer)));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::seconds(1));
    ++files;

    int64_t rows = 0;
    for (const RowGroup& rg : md.row_groups) rows += rg.num_rows;
    if (name != "repeated_no_annotation.parquet") {
      EXPECT_EQ(md.num_rows, rows);
    }
    const size_t leaves = CountLeaves(md);
    for (size_t g = 0; g < md.row_groups.size(); ++g) {
      const RowGroup& rg = md.row_groups[g];
      EXPECT_EQ(rg.columns.size(), leaves) << "row group " << g;
      for (size_t c = 0; c < rg.columns.size(); ++c) {
        const ColumnChunk& cc = rg.columns[c];
        const std::string where = "row group " + std::to_string(g) + " column " + std::to_string(c);
        ASSERT_TRUE(cc.meta_data) << where;
        const ColumnMetaData& cmd = *cc.meta_data;
        int64_t first = cmd.data_page_offset;
        if (cmd.dictionary_page_offset && *cmd.dictionary_page_offset >= 4) {
          first = *cmd.dictionary_page_offset;
        }
        CheckPageHeaderAt(file, first, where);
        CheckIndexesAndBloom(file, cc, where);
      }
    }

    const std::string once = Reserialize(md);
    ASSERT_OK_AND_ASSIGN(FileMetaData md2, ReadFileMetaData(AsBytes(once)));
    const std::string twice = Reserialize(md2);
    EXPECT_EQ(once, twice);
    identical += once == footer;
  }
  EXPECT_GT(files, 50);
  std::printf("[          ] %d footers parsed, %d re-serialize byte-identically\n", files,
              identical);
}

// Footers chopped at every byte fail cleanly (ASan/UBSan builds check the "cleanly").
TEST(ParquetTestingTest, TruncatedFootersFail) {
  DS_REQUIRE_TESTDATA(testdata);
  const fs::path dir = testdata / "parquet-testing" / "data";
  if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " not found";
  for (const char* name : {"nation.dict-malformed.parquet", "alltypes_plain.parquet",
                           "data_index_bloom_encoding_stats.parquet", "nested_maps.snappy.parquet",
                           "column_chunk_key_value_metadata.parquet"}) {
    SCOPED_TRACE(name);
    const std::string file = ReadWholeFile(dir / name);
    std::string_view footer = Footer(file);
    ASSERT_FALSE(footer.empty());
    for (size_t n = 0; n < footer.size(); ++n) {
      auto r = ReadFileMetaData(AsBytes(footer.substr(0, n)));
      ASSERT_TRUE(r.status().IsCorruption()) << "prefix of " << n << " bytes: " << r.status();
    }
    // Flipping each byte never crashes (the result may be ok or not).
    std::string copy(footer);
    for (size_t i = 0; i < copy.size(); ++i) {
      copy[i] ^= 0x5A;
      (void)ReadFileMetaData(AsBytes(copy));
      copy[i] ^= 0x5A;
    }
  }
}

TEST(ParquetTestingTest, KnownQuirks) {
  DS_REQUIRE_TESTDATA(testdata);
  const fs::path root = testdata / "parquet-testing";
  if (!fs::is_directory(root)) GTEST_SKIP() << root << " not found";

  // PARQUET-1481: SchemaElement.type = -7. This layer keeps the value; the schema layer
  // rejects it.
  {
    const std::string file = ReadWholeFile(root / "bad_data" / "PARQUET-1481.parquet");
    ASSERT_OK_AND_ASSIGN(FileMetaData md, ReadFileMetaData(AsBytes(Footer(file))));
    bool found = false;
    for (const SchemaElement& e : md.schema) found |= e.type && static_cast<int>(*e.type) == -7;
    EXPECT_TRUE(found);
  }
  // ARROW-RS-GH-6229-DICTHEADER: the dictionary page header claims num_values = -26.
  {
    const std::string file =
        ReadWholeFile(root / "bad_data" / "ARROW-RS-GH-6229-DICTHEADER.parquet");
    ASSERT_OK_AND_ASSIGN(FileMetaData md, ReadFileMetaData(AsBytes(Footer(file))));
    bool negative_dictionary = false;
    for (const RowGroup& rg : md.row_groups) {
      for (const ColumnChunk& cc : rg.columns) {
        // The last chunk's offset points past the end of this truncated file.
        const int64_t offset = cc.meta_data->data_page_offset;
        if (offset < 4 || offset >= static_cast<int64_t>(file.size())) continue;
        size_t n;
        auto h = ReadPageHeader(AsBytes(std::string_view(file).substr(offset)), &n);
        if (!h.ok() && h.status().message().find("num_values -26") != std::string::npos) {
          negative_dictionary = true;
        }
      }
    }
    EXPECT_TRUE(negative_dictionary);
  }
  // dict-page-offset-zero: dictionary_page_offset 0 and a vendor field 15 of wire type list
  // (skipped: bloom_filter_length is an i32).
  {
    const std::string file = ReadWholeFile(root / "data" / "dict-page-offset-zero.parquet");
    ASSERT_OK_AND_ASSIGN(FileMetaData md, ReadFileMetaData(AsBytes(Footer(file))));
    const ColumnMetaData& cmd = *md.row_groups.at(0).columns.at(0).meta_data;
    EXPECT_EQ(cmd.dictionary_page_offset, 0);
    EXPECT_FALSE(cmd.bloom_filter_length);
  }
  // Plaintext-footer encryption: PAR1, encryption_algorithm set, a 28-byte signature after
  // the struct, encrypted columns flagged.
  {
    const std::string file =
        ReadWholeFile(root / "data" / "encrypt_columns_plaintext_footer.parquet.encrypted");
    std::string_view footer = Footer(file);
    ASSERT_FALSE(footer.empty());
    size_t consumed = 0;
    ASSERT_OK_AND_ASSIGN(FileMetaData md, ReadFileMetaData(AsBytes(footer), &consumed));
    EXPECT_TRUE(md.has_encryption_algorithm);
    EXPECT_EQ(footer.size() - consumed, 28u);
    bool encrypted_column = false;
    for (const ColumnChunk& cc : md.row_groups.at(0).columns) {
      encrypted_column |= cc.has_crypto_metadata;
    }
    EXPECT_TRUE(encrypted_column);
  }
  // unknown-logical-type: an unrecognized LogicalType member is not an error.
  {
    const std::string file = ReadWholeFile(root / "data" / "unknown-logical-type.parquet");
    ASSERT_OK_AND_ASSIGN(FileMetaData md, ReadFileMetaData(AsBytes(Footer(file))));
    bool unrecognized = false;
    for (const SchemaElement& e : md.schema) {
      unrecognized |= e.logical_type && e.logical_type->kind == LogicalType::Kind::kUnrecognized;
    }
    EXPECT_TRUE(unrecognized);
  }
}

// Every footer in bad_data/ either parses or fails with Corruption.
TEST(ParquetTestingTest, BadDataFootersDoNotCrash) {
  DS_REQUIRE_TESTDATA(testdata);
  const fs::path dir = testdata / "parquet-testing" / "bad_data";
  if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " not found";
  for (const fs::path& path : ParquetFiles(dir)) {
    const std::string file = ReadWholeFile(path);
    std::string_view footer = Footer(file);
    if (footer.empty()) continue;
    auto md = ReadFileMetaData(AsBytes(footer));
    EXPECT_TRUE(md.ok() || md.status().IsCorruption()) << path << ": " << md.status();
  }
}

// A wide footer (2,000 columns x 50 row groups) parses quickly.
TEST(ParquetTypesPerfTest, WideFooter) {
  FileMetaData md;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 2000;
  md.schema.push_back(root);
  RowGroup rg;
  rg.num_rows = 1000;
  for (int c = 0; c < 2000; ++c) {
    SchemaElement e;
    e.name = "column_" + std::to_string(c);
    e.type = Type::INT64;
    e.repetition_type = FieldRepetitionType::OPTIONAL;
    md.schema.push_back(e);
    ColumnChunk cc;
    ColumnMetaData cmd;
    cmd.type = Type::INT64;
    cmd.encodings = {Encoding::PLAIN, Encoding::RLE, Encoding::RLE_DICTIONARY};
    cmd.path_in_schema = {e.name};
    cmd.codec = CompressionCodec::SNAPPY;
    cmd.num_values = 1000;
    cmd.total_compressed_size = cmd.total_uncompressed_size = 8000;
    cmd.data_page_offset = 4 + c * 8000;
    cmd.statistics = Statistics();
    cmd.statistics->null_count = 0;
    cmd.statistics->min_value = std::string(8, '\0');
    cmd.statistics->max_value = std::string(8, '\x7f');
    cc.meta_data = cmd;
    rg.columns.push_back(std::move(cc));
  }
  for (int g = 0; g < 50; ++g) md.row_groups.push_back(rg);
  md.num_rows = 50'000;
  std::string out;
  Write(md, &out);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_OK_AND_ASSIGN(FileMetaData back, ReadFileMetaData(AsBytes(out)));
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(back.row_groups.size(), 50u);
  std::printf("[          ] %zu-byte footer (100,000 chunks) parsed in %.1f ms\n", out.size(), ms);
}

}  // namespace
}  // namespace ds::parquet::format
