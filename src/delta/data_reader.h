// Reading the rows of one data file as the table's logical rows (delta.md §5-§8):
// physical -> logical column mapping (name mode by physical name, id mode by Parquet
// field_id), projection, partition columns typed from their strings, deletion vectors,
// type widening and legacy encodings, columns missing from the file as nulls.
//
// The reader takes any io::RandomAccessFile (a table's store, or a file the client downloaded
// over HTTP) and the deletion vector already loaded, so it never assumes where files live.
//
// Thread-safety: a ScanSchema is immutable and may be shared; a DataFileReader is
// single-threaded.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "columnar/array.h"
#include "columnar/scalar.h"
#include "delta/actions.h"
#include "delta/deletion_vector.h"
#include "delta/table_schema.h"
#include "io/file.h"

namespace ds::parquet {
class FileReader;
}

namespace ds::delta {

// The output columns of a scan and how to fill each.
class ScanSchema {
 public:
  // `columns`: logical top-level names in output order; empty = every table column in schema
  // order (partition columns included). InvalidArgument naming an unknown column.
  static Result<ScanSchema> Make(const TableSchema& table,
                                 const std::vector<std::string>& columns = {});

  // Appends an output column whose value comes per file (DataFileOptions::constants): a
  // constant, or, when the file's constant is nullopt, the file's top-level column of that
  // exact name (the change feed's _change_type in cdc files).
  void AddConstantColumn(columnar::Field field);

  const columnar::SchemaPtr& output_schema() const { return output_; }
  size_t num_constant_columns() const;

 private:
  friend class DataFileReader;
  enum class Source { kData, kPartition, kConstant };
  struct Column {
    Source source = Source::kData;
    columnar::Field logical;   // the output field
    columnar::Field physical;  // kData: the same tree with physical names and ids
    columnar::TypePtr partition_type;
    std::string partition_key;  // kPartition: the physical key of partitionValues
    size_t constant_index = 0;  // kConstant
  };
  std::vector<Column> columns_;
  columnar::SchemaPtr output_;
  ColumnMappingMode mode_ = ColumnMappingMode::kNone;
  size_t constants_ = 0;
};

struct DataFileOptions {
  // The file's partitionValues (physical keys), as in the log.
  std::vector<StringPairView> partition_values;
  // One entry per ScanSchema constant column, in order (see AddConstantColumn).
  std::vector<std::optional<columnar::Scalar>> constants;
  // Rows (0-based positions in the file) to drop: the file's deletion vector.
  const DeletionVector* deleted_rows = nullptr;
  // If set, only these rows are kept (change feed DV differences); applied after
  // deleted_rows.
  const DeletionVector* selected_rows = nullptr;
  int64_t batch_size = 65536;
};

class DataFileReader {
 public:
  ~DataFileReader();
  // Opens the file and plans the mapping. Corruption naming the file and column for a file
  // column whose type cannot become the table's type, or an unparsable partition value.
  static Result<std::unique_ptr<DataFileReader>> Open(io::RandomAccessFilePtr file,
                                                      const ScanSchema& scan,
                                                      DataFileOptions options);

  // The next batch of logical rows (possibly with 0 rows when a deletion vector removed a
  // whole batch), or nullopt at the end.
  Result<std::optional<columnar::RecordBatch>> Next();

  // Physical rows in the file.
  int64_t num_file_rows() const { return file_rows_; }

 private:
  DataFileReader() = default;
  Result<columnar::ArrayPtr> Conform(const columnar::ArrayPtr& file_array,
                                     const columnar::Field& physical,
                                     const columnar::Field& logical, const std::string& path) const;

  const ScanSchema* scan_ = nullptr;
  std::string name_;
  DataFileOptions options_;
  std::unique_ptr<parquet::FileReader> reader_;
  std::vector<int> file_column_of_;       // per output column: index in the projected batch or -1
  std::vector<columnar::Scalar> values_;  // per output column: partition or constant value
  int64_t file_rows_ = 0;
  int64_t row_base_ = 0;
  bool done_ = false;
};

// Physical -> logical: the file field (a child of `file_fields`) that holds a table field, by
// physical name, field id or logical name per the mode; -1 if the file lacks it.
int FindFileField(const std::vector<columnar::Field>& file_fields, const columnar::Field& physical,
                  const columnar::Field& logical, ColumnMappingMode mode);

}  // namespace ds::delta
