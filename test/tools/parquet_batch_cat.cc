// Test tool: prints many Parquet files as JSON Lines in one process (the encoding of
// `deltashare parquet cat`), for the oracle comparison over the whole test corpus.
//   parquet_batch_cat LISTFILE OUTDIR
// The i-th path of LISTFILE (0-based) produces OUTDIR/i.jsonl or OUTDIR/i.err.
#include <cstdio>
#include <fstream>
#include <string>

#include "columnar/json_rows.h"
#include "io/file.h"
#include "parquet/file_reader.h"

namespace {

ds::Status CatOne(const std::string& path, std::string* out) {
  ASSIGN_OR_RETURN(auto file, ds::io::OpenLocalFile(path));
  ASSIGN_OR_RETURN(auto reader, ds::parquet::FileReader::Open(file));
  while (true) {
    ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) return ds::Status::OK();
    for (int64_t r = 0; r < batch->num_rows; ++r) {
      ds::columnar::AppendRowJson(*batch, r, out);
      out->push_back('\n');
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: parquet_batch_cat LISTFILE OUTDIR\n");
    return 2;
  }
  std::ifstream list(argv[1]);
  std::string path;
  int index = 0;
  while (std::getline(list, path)) {
    if (path.empty()) continue;
    std::string out;
    ds::Status st = CatOne(path, &out);
    std::string base = std::string(argv[2]) + "/" + std::to_string(index++);
    if (st.ok()) {
      (void)ds::io::WriteStringToFile(base + ".jsonl", out);
    } else {
      (void)ds::io::WriteStringToFile(base + ".err", st.ToString() + "\n");
    }
  }
  return 0;
}
