// Test tool: writes a generated table covering every type we write (nulls, nesting, extreme
// values) with each codec and page/row-group layout, plus the rows we expect readers to see.
//   parquet_write_samples OUTDIR
// Produces OUTDIR/<name>.parquet and OUTDIR/<name>.expected.jsonl for each configuration.
#include <cstdio>
#include <string>

#include "columnar/json_rows.h"
#include "io/file.h"
#include "parquet/file_writer.h"
#include "test/tools/sample_table.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: parquet_write_samples OUTDIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  auto batch = ds::testing::SampleTable(1000).ValueOrDie();
  std::string expected;
  for (int64_t r = 0; r < batch.num_rows; ++r) {
    ds::columnar::AppendRowJson(batch, r, &expected);
    expected.push_back('\n');
  }
  struct Config {
    const char* name;
    ds::parquet::Codec codec;
    int64_t page_rows;
    int64_t row_group_rows;
    int64_t dictionary_bytes;
  };
  const Config configs[] = {
      {"snappy", ds::parquet::Codec::kSnappy, 20000, 1 << 20, 1 << 20},
      {"zstd", ds::parquet::Codec::kZstd, 20000, 1 << 20, 1 << 20},
      {"zstd-small-pages", ds::parquet::Codec::kZstd, 37, 300, 1 << 20},
      {"snappy-plain", ds::parquet::Codec::kSnappy, 100, 1 << 20, 16},
      {"uncompressed", ds::parquet::Codec::kUncompressed, 20000, 1 << 20, 1 << 20},
  };
  for (const Config& c : configs) {
    ds::parquet::WriterOptions o;
    o.codec = c.codec;
    o.page_rows = c.page_rows;
    o.row_group_rows = c.row_group_rows;
    o.dictionary_bytes = c.dictionary_bytes;
    std::string base = dir + "/" + c.name;
    ds::parquet::WriteParquetFile(base + ".parquet", batch, o).Abort();
    ds::io::WriteStringToFile(base + ".expected.jsonl", expected).Abort();
  }
  return 0;
}
