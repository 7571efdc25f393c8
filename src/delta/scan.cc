#include "delta/scan.h"

namespace ds::delta {

Result<DataFileOptions> FileReadOptions(const Table& table, const FileView& file,
                                        std::optional<DeletionVector>* dv, int64_t batch_size) {
  DataFileOptions options;
  options.batch_size = batch_size;
  for (size_t i = 0, n = file.num_partition_values(); i < n; ++i) {
    options.partition_values.push_back(file.partition_value(i));
  }
  if (std::optional<DeletionVectorView> d = file.deletion_vector()) {
    auto loaded = table.LoadDeletionVector(d->ToOwned());
    if (!loaded.ok()) return loaded.status().WithContext(std::string(file.path()));
    dv->emplace(std::move(loaded).value());
    options.deleted_rows = &**dv;
  }
  return options;
}

Status ScanSnapshot(const Table& table, const Snapshot& snapshot, const ScanOptions& options,
                    const std::function<Status(const columnar::RecordBatch&)>& fn) {
  ASSIGN_OR_RETURN(ScanSchema scan, ScanSchema::Make(snapshot.schema(), options.columns));
  int64_t left = options.limit;
  const FileTable& files = snapshot.files();
  for (size_t i = 0; i < files.num_files() && left != 0; ++i) {
    FileView file = files.file(i);
    std::optional<DeletionVector> dv;
    ASSIGN_OR_RETURN(DataFileOptions read_options,
                     FileReadOptions(table, file, &dv, options.batch_size));
    ASSIGN_OR_RETURN(io::RandomAccessFilePtr input,
                     table.OpenFile(file.path(), file.size().value_or(-1)));
    ASSIGN_OR_RETURN(auto reader, DataFileReader::Open(input, scan, std::move(read_options)));
    while (left != 0) {
      ASSIGN_OR_RETURN(auto batch, reader->Next());
      if (!batch) break;
      if (batch->num_rows == 0) continue;
      if (left > 0 && batch->num_rows > left) {
        ASSIGN_OR_RETURN(*batch, columnar::SliceBatch(*batch, 0, left));
      }
      if (left > 0) left -= batch->num_rows;
      RETURN_NOT_OK(fn(*batch));
    }
  }
  return Status::OK();
}

}  // namespace ds::delta
