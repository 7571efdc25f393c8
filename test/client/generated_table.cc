#include "test/client/generated_table.h"

#include <algorithm>
#include <filesystem>

#include "columnar/builder.h"
#include "io/file.h"
#include "parquet/file_writer.h"
#include "test/delta/test_tables.h"
#include "util/json.h"

namespace ds::client::testing {

Result<GeneratedTable> WriteGeneratedTable(const std::string& dir, int files, int rows_per_file,
                                           int partitions, int payload_bytes) {
  namespace fs = std::filesystem;
  GeneratedTable out;
  out.dir = dir;
  fs::create_directories(fs::path(dir) / "_delta_log");
  auto schema = std::make_shared<columnar::Schema>();
  schema->fields = {columnar::Field("id", columnar::Int64(), true),
                    columnar::Field("value", columnar::String(), true)};
  std::string log;
  log += R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})"
         "\n";
  log +=
      R"({"metaData":{"id":"5f1c0b7e-1d2a-4c3b-9e8f-000000000001","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"value\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},{\"name\":\"part\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":["part"],"configuration":{"delta.enableChangeDataFeed":"true"},"createdTime":1700000000000}})"
      "\n";
  const std::string padding(static_cast<size_t>(payload_bytes), 'x');
  int64_t id = 0;
  for (int f = 0; f < files; ++f) {
    const std::string part = "p" + std::to_string(f % partitions);
    auto ids = columnar::MakeBuilder(columnar::Int64());
    auto values = columnar::MakeBuilder(columnar::String());
    const int64_t first = id;
    for (int r = 0; r < rows_per_file; ++r, ++id) {
      ids->As<columnar::FixedBuilder>()->Append<int64_t>(id);
      const std::string value = "v" + std::to_string(id) + padding;
      values->As<columnar::BinaryBuilder>()->Append(value);
      std::string row = R"({"id":)" + std::to_string(id) + R"(,"part":")" + part +
                        R"(","value":")" + value + R"("})";
      out.expected_rows.push_back(delta::testing::CanonicalJson(row));
    }
    columnar::RecordBatch batch;
    batch.schema = schema;
    batch.num_rows = rows_per_file;
    batch.columns = {ids->Finish(), values->Finish()};
    char name[64];
    std::snprintf(name, sizeof(name), "part=%s/file-%06d.parquet", part.c_str(), f);
    fs::create_directories(fs::path(dir) / ("part=" + part));
    RETURN_NOT_OK(parquet::WriteParquetFile((fs::path(dir) / name).string(), batch));
    const int64_t size = static_cast<int64_t>(fs::file_size(fs::path(dir) / name));
    out.bytes += size;
    std::string stats = R"({"numRecords":)" + std::to_string(rows_per_file) +
                        R"(,"minValues":{"id":)" + std::to_string(first) +
                        R"(},"maxValues":{"id":)" + std::to_string(id - 1) +
                        R"(},"nullCount":{"id":0,"value":0}})";
    std::string add;
    JsonWriter w(&add);
    w.BeginObject();
    w.Key("add");
    w.BeginObject();
    w.Key("path");
    w.String(name);
    w.Key("partitionValues");
    w.BeginObject();
    w.Key("part");
    w.String(part);
    w.EndObject();
    w.Key("size");
    w.Int(size);
    w.Key("modificationTime");
    w.Int(1700000000000);
    w.Key("dataChange");
    w.Bool(true);
    w.Key("stats");
    w.String(stats);
    w.EndObject();
    w.EndObject();
    log += add + "\n";
  }
  RETURN_NOT_OK(io::WriteStringToFile(
      (fs::path(dir) / "_delta_log" / "00000000000000000000.json").string(), log));
  out.files = files;
  out.rows = id;
  std::sort(out.expected_rows.begin(), out.expected_rows.end());
  return out;
}

}  // namespace ds::client::testing
