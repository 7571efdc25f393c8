#include "delta/file_rows.h"

#include "columnar/builder.h"
#include "delta/array_ops.h"
#include "delta/scan.h"

namespace ds::delta {

Result<columnar::RecordBatch> ReadFileRows(const Table& table, const ScanSchema& scan,
                                           const FileView& file) {
  std::optional<DeletionVector> dv;
  ASSIGN_OR_RETURN(DataFileOptions options, FileReadOptions(table, file, &dv, 1 << 20));
  ASSIGN_OR_RETURN(io::RandomAccessFilePtr input,
                   table.OpenFile(file.path(), file.size().value_or(-1)));
  ASSIGN_OR_RETURN(auto reader, DataFileReader::Open(input, scan, std::move(options)));
  std::vector<columnar::RecordBatch> batches;
  while (true) {
    ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) break;
    if (batch->num_rows > 0) batches.push_back(std::move(*batch));
  }
  if (batches.size() == 1) return std::move(batches[0]);
  columnar::RecordBatch out;
  out.schema = scan.output_schema();
  for (const auto& b : batches) out.num_rows += b.num_rows;
  for (size_t c = 0; c < out.schema->fields.size(); ++c) {
    if (batches.empty()) {
      out.columns.push_back(columnar::MakeBuilder(out.schema->fields[c].type)->Finish());
      continue;
    }
    std::vector<columnar::ArrayPtr> parts;
    for (const auto& b : batches) parts.push_back(b.columns[c]);
    ASSIGN_OR_RETURN(columnar::ArrayPtr joined, columnar::Concatenate(parts));
    out.columns.push_back(std::move(joined));
  }
  return out;
}

columnar::RecordBatch TakeBatchRows(const columnar::RecordBatch& batch,
                                    std::span<const int64_t> rows) {
  columnar::RecordBatch out;
  out.schema = batch.schema;
  out.num_rows = static_cast<int64_t>(rows.size());
  out.columns.reserve(batch.columns.size());
  for (const auto& c : batch.columns) out.columns.push_back(TakeRows(*c, rows));
  return out;
}

columnar::RecordBatch WithConstantColumn(const columnar::RecordBatch& batch,
                                         const columnar::SchemaPtr& schema,
                                         std::string_view value) {
  columnar::RecordBatch out = batch;
  out.schema = schema;
  columnar::BinaryBuilder b(columnar::String());
  for (int64_t i = 0; i < batch.num_rows; ++i) b.Append(value);
  out.columns.push_back(b.Finish());
  return out;
}

}  // namespace ds::delta
