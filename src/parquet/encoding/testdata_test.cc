// Decodes the pages of real files from parquet-testing with the encodings of this folder and
// compares them to the expected CSVs. Pages are located with a tiny Thrift compact walker
// (uncompressed v2 data pages only); skipped if the shared test data is absent.
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "parquet/encoding/byte_array.h"
#include "parquet/encoding/delta_binary_packed.h"
#include "parquet/encoding/rle.h"
#include "test/testing/testing.h"
#include "util/bytes.h"

namespace ds::parquet {
namespace {

// Integer fields of a Thrift struct and its nested structs, by field id.
struct ThriftStruct {
  std::map<int, int64_t> ints;
  std::map<int, ThriftStruct> structs;
};

class CompactReader {
 public:
  CompactReader(const uint8_t* p, const uint8_t* end) : p_(p), end_(end) {}
  const uint8_t* pos() const { return p_; }
  bool ok() const { return ok_; }

  ThriftStruct ReadStruct(int depth = 0) {
    ThriftStruct s;
    int last_id = 0;
    while (ok_) {
      uint8_t h = Byte();
      if (h == 0) break;
      int type = h & 0x0F;
      int id = (h >> 4) ? last_id + (h >> 4) : int(Zigzag());
      last_id = id;
      if (type >= 3 && type <= 6) {
        s.ints[id] = type == 3 ? int64_t(int8_t(Byte())) : Zigzag();
      } else if (type == 12 && depth < 8) {
        s.structs[id] = ReadStruct(depth + 1);
      } else {
        Skip(type, depth);
      }
    }
    return s;
  }

 private:
  uint8_t Byte() {
    if (p_ == end_) {
      ok_ = false;
      return 0;
    }
    return *p_++;
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && ok_; shift += 7) {
      uint8_t b = Byte();
      v |= uint64_t(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    ok_ = false;
    return 0;
  }
  int64_t Zigzag() {
    uint64_t u = Varint();
    return int64_t(u >> 1) ^ -int64_t(u & 1);
  }
  void Skip(int type, int depth) {
    switch (type) {
      case 1:
      case 2:
        break;
      case 3:
        Byte();
        break;
      case 4:
      case 5:
      case 6:
        Varint();
        break;
      case 7:
        for (int i = 0; i < 8; ++i) Byte();
        break;
      case 8: {
        uint64_t n = Varint();
        if (n > uint64_t(end_ - p_))
          ok_ = false;
        else
          p_ += n;
        break;
      }
      case 9:
      case 10: {
        uint8_t h = Byte();
        uint64_t n = (h >> 4) == 15 ? Varint() : uint64_t(h >> 4);
        for (uint64_t i = 0; i < n && ok_; ++i) {
          if ((h & 0x0F) <= 2)
            Byte();
          else
            Skip(h & 0x0F, depth + 1);
        }
        break;
      }
      case 11: {
        uint64_t n = Varint();
        if (n == 0) break;
        uint8_t kv = Byte();
        for (uint64_t i = 0; i < n && ok_; ++i) {
          Skip(kv >> 4, depth + 1);
          Skip(kv & 0x0F, depth + 1);
        }
        break;
      }
      case 12:
        if (depth < 16)
          ReadStruct(depth + 1);
        else
          ok_ = false;
        break;
      default:
        ok_ = false;
    }
  }

  const uint8_t* p_;
  const uint8_t* end_;
  bool ok_ = true;
};

struct Page {
  int64_t num_values;
  int encoding;
  ByteView def_levels;  // v2: raw RLE runs, no prefix
  ByteView values;
};

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The data pages holding the first `total_values` values, in file order (= column order for
// these single-row-group files; a page index may follow them).
std::vector<Page> DataPages(const std::string& file, int64_t total_values) {
  std::vector<Page> pages;
  auto* base = reinterpret_cast<const uint8_t*>(file.data());
  EXPECT_GE(file.size(), 12u);
  uint32_t footer_len = LoadLE<uint32_t>(base + file.size() - 8);
  const uint8_t* footer = base + file.size() - 8 - footer_len;
  const uint8_t* p = base + 4;
  int64_t seen = 0;
  while (p < footer && seen < total_values) {
    CompactReader r(p, footer);
    ThriftStruct h = r.ReadStruct();
    EXPECT_TRUE(r.ok());
    if (!r.ok()) break;
    int64_t size = h.ints[3];
    const uint8_t* body = r.pos();
    EXPECT_LE(size, footer - body);
    if (size > footer - body) break;
    EXPECT_EQ(h.ints[1], 3) << "expected DATA_PAGE_V2 pages only";
    EXPECT_EQ(h.ints[2], size) << "expected uncompressed pages";
    ThriftStruct& v2 = h.structs[8];
    int64_t def_len = v2.ints[5];
    int64_t rep_len = v2.ints[6];
    EXPECT_EQ(rep_len, 0);
    pages.push_back({v2.ints[1], int(v2.ints[4]), ByteView(body + rep_len, size_t(def_len)),
                     ByteView(body + rep_len + def_len, size_t(size - rep_len - def_len))});
    seen += v2.ints[1];
    p = body + size;
  }
  return pages;
}

// Rows of a CSV with a header; unquoted empty fields are null (nullopt).
using Cell = std::optional<std::string>;
std::vector<std::vector<Cell>> ReadCsv(const std::filesystem::path& path) {
  std::string text = ReadFile(path);
  std::vector<std::vector<Cell>> rows;
  std::vector<Cell> row;
  std::string cur;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : '\n';
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = was_quoted = true;
    } else if (c == ',' || c == '\n') {
      row.push_back(cur.empty() && !was_quoted ? Cell() : Cell(cur));
      cur.clear();
      was_quoted = false;
      if (c == '\n') {
        if (!(row.size() == 1 && !row[0])) rows.push_back(std::move(row));
        row.clear();
      }
    } else if (c != '\r') {
      cur += c;
    }
  }
  rows.erase(rows.begin());  // header
  return rows;
}

// Decodes one column from consecutive pages starting at *page, as strings, nulls as nullopt.
std::vector<Cell> DecodeColumn(const std::vector<Page>& pages, size_t* page, size_t rows,
                               bool int32) {
  std::vector<Cell> out;
  while (out.size() < rows && *page < pages.size()) {
    const Page& pg = pages[(*page)++];
    std::vector<uint8_t> defined(size_t(pg.num_values), 1);
    int64_t non_null = pg.num_values;
    if (!pg.def_levels.empty()) {
      auto dec = RleBitPackedDecoder::Make(pg.def_levels, 1).ValueOrDie();
      auto n = dec.GetBatch(defined.data(), pg.num_values).ValueOrDie();
      EXPECT_EQ(n, pg.num_values);
      non_null = std::count(defined.begin(), defined.end(), 1);
    }
    std::vector<std::string> values;
    if (pg.encoding == 5) {  // DELTA_BINARY_PACKED
      std::vector<int64_t> v(static_cast<size_t>(non_null));
      if (int32) {
        DeltaBinaryPackedDecoder<int32_t> dec;
        EXPECT_OK(dec.Init(pg.values));
        std::vector<int32_t> v32(static_cast<size_t>(non_null));
        EXPECT_EQ(dec.Decode(v32.data(), non_null).ValueOrDie(), non_null);
        EXPECT_EQ(dec.EndOffset().ValueOrDie(), pg.values.size());
        std::copy(v32.begin(), v32.end(), v.begin());
      } else {
        DeltaBinaryPackedDecoder<int64_t> dec;
        EXPECT_OK(dec.Init(pg.values));
        EXPECT_EQ(dec.Decode(v.data(), non_null).ValueOrDie(), non_null);
        EXPECT_EQ(dec.EndOffset().ValueOrDie(), pg.values.size());
      }
      for (int64_t x : v) values.push_back(std::to_string(x));
    } else if (pg.encoding == 6 || pg.encoding == 7) {
      Buffer offsets, data;
      offsets.AppendValue(int64_t{0});
      auto used = (pg.encoding == 6 ? DecodeDeltaLengthByteArray : DecodeDeltaByteArray)(
                      pg.values, non_null, &offsets, &data)
                      .ValueOrDie();
      EXPECT_EQ(used, pg.values.size());
      const int64_t* o = offsets.data_as<int64_t>();
      for (int64_t i = 0; i < non_null; ++i) {
        values.emplace_back(data.string_view().substr(size_t(o[i]), size_t(o[i + 1] - o[i])));
      }
    } else {
      ADD_FAILURE() << "unexpected encoding " << pg.encoding;
      return out;
    }
    size_t next = 0;
    for (uint8_t d : defined) out.push_back(d ? Cell(values[next++]) : Cell());
  }
  return out;
}

void CheckFile(const std::string& name, const std::string& csv, int int32_column) {
  DS_REQUIRE_TESTDATA(dir);
  auto data_dir = dir / "parquet-testing" / "data";
  if (!std::filesystem::exists(data_dir / name)) GTEST_SKIP() << name << " absent";
  std::string file = ReadFile(data_dir / name);
  auto rows = ReadCsv(data_dir / csv);
  ASSERT_FALSE(rows.empty());
  auto pages = DataPages(file, int64_t(rows.size() * rows[0].size()));
  ASSERT_FALSE(pages.empty());
  size_t page = 0;
  for (size_t col = 0; col < rows[0].size(); ++col) {
    auto got = DecodeColumn(pages, &page, rows.size(), int(col) == int32_column);
    ASSERT_EQ(got.size(), rows.size()) << "column " << col;
    for (size_t r = 0; r < rows.size(); ++r) {
      ASSERT_EQ(got[r], rows[r][col]) << name << " column " << col << " row " << r;
    }
  }
  EXPECT_EQ(page, pages.size());
}

TEST(TestDataTest, DeltaBinaryPackedAllWidths) {
  // 65 INT64 columns (bit widths 0..64) and one INT32 column.
  CheckFile("delta_binary_packed.parquet", "delta_binary_packed_expect.csv", 65);
}

TEST(TestDataTest, DeltaByteArrayWithNulls) {
  CheckFile("delta_byte_array.parquet", "delta_byte_array_expect.csv", -1);
}

TEST(TestDataTest, DeltaEncodingRequiredColumn) {
  CheckFile("delta_encoding_required_column.parquet", "delta_encoding_required_column_expect.csv",
            -1);
}

}  // namespace
}  // namespace ds::parquet
