#include "delta/row_files.h"

#include "columnar/csv.h"
#include "columnar/json_rows.h"
#include "io/file.h"
#include "parquet/file_reader.h"
#include "util/string_util.h"

namespace ds::delta {

Result<RowFileFormat> RowFileFormatOf(std::string_view path) {
  std::string lower = ToLower(path);
  if (EndsWith(lower, ".jsonl") || EndsWith(lower, ".ndjson") || EndsWith(lower, ".json")) {
    return RowFileFormat::kJsonLines;
  }
  if (EndsWith(lower, ".csv")) return RowFileFormat::kCsv;
  if (EndsWith(lower, ".parquet")) return RowFileFormat::kParquet;
  return Status::InvalidArgument("cannot tell the format of '" + std::string(path) +
                                 "': name it .jsonl, .csv or .parquet");
}

Result<columnar::RecordBatch> ReadRowFile(const std::string& path, RowFileFormat format,
                                          const columnar::SchemaPtr& schema) {
  auto read = [&]() -> Result<columnar::RecordBatch> {
    if (format == RowFileFormat::kParquet) {
      ASSIGN_OR_RETURN(io::RandomAccessFilePtr file, io::OpenLocalFile(path));
      ASSIGN_OR_RETURN(auto reader, parquet::FileReader::Open(file));
      return reader->ReadAll();
    }
    if (!schema) {
      return Status::InvalidArgument("JSON Lines and CSV input need a schema");
    }
    ASSIGN_OR_RETURN(std::string text, io::ReadFileToString(path));
    return format == RowFileFormat::kCsv ? columnar::ParseCsv(text, schema)
                                         : columnar::ParseJsonLines(text, schema);
  };
  Result<columnar::RecordBatch> rows = read();
  if (!rows.ok()) return rows.status().WithContext(path);
  return rows;
}

}  // namespace ds::delta
