#include "delta/data_reader.h"

#include "delta/array_ops.h"
#include "delta/partition_value.h"
#include "delta/tail_cached_file.h"
#include "parquet/file_reader.h"
#include "util/string_util.h"

namespace ds::delta {

using columnar::Array;
using columnar::ArrayPtr;
using columnar::Field;
using columnar::TypeId;

int FindFileField(const std::vector<Field>& file_fields, const Field& physical,
                  const Field& logical, ColumnMappingMode mode) {
  auto by_name = [&](const std::string& name, bool ignore_case) {
    for (size_t i = 0; i < file_fields.size(); ++i) {
      if (file_fields[i].name == name ||
          (ignore_case && EqualsIgnoreCase(file_fields[i].name, name))) {
        return static_cast<int>(i);
      }
    }
    return -1;
  };
  switch (mode) {
    case ColumnMappingMode::kName:
      return by_name(physical.name, false);
    case ColumnMappingMode::kId:
      if (physical.field_id >= 0) {
        for (size_t i = 0; i < file_fields.size(); ++i) {
          if (file_fields[i].field_id == physical.field_id) return static_cast<int>(i);
        }
      }
      return by_name(physical.name, false);
    case ColumnMappingMode::kNone:
      break;
  }
  int i = by_name(logical.name, false);
  return i >= 0 ? i : by_name(logical.name, true);
}

Result<ScanSchema> ScanSchema::Make(const TableSchema& table,
                                    const std::vector<std::string>& columns) {
  ScanSchema scan;
  scan.mode_ = table.mode();
  const columnar::Schema& logical = *table.logical();
  const columnar::Schema& physical = *table.physical();
  std::vector<int> indexes;
  if (columns.empty()) {
    for (size_t i = 0; i < logical.fields.size(); ++i) indexes.push_back(static_cast<int>(i));
  }
  for (const std::string& name : columns) {
    int index = logical.FieldIndex(name);
    for (size_t i = 0; index < 0 && i < logical.fields.size(); ++i) {
      if (EqualsIgnoreCase(logical.fields[i].name, name)) index = static_cast<int>(i);
    }
    if (index < 0) {
      std::vector<std::string> names;
      for (const Field& f : logical.fields) names.push_back(f.name);
      return Status::InvalidArgument("unknown column '" + name + "'; the table's columns are " +
                                     Join(names, ", "));
    }
    indexes.push_back(index);
  }
  auto out = std::make_shared<columnar::Schema>();
  for (int index : indexes) {
    Column c;
    c.logical = logical.fields[index];
    c.physical = physical.fields[index];
    if (const PartitionColumn* p = table.PartitionColumnAt(index)) {
      c.source = Source::kPartition;
      c.partition_key = p->physical_name;
      c.partition_type = p->type;
    }
    out->fields.push_back(c.logical);
    scan.columns_.push_back(std::move(c));
  }
  scan.output_ = out;
  return scan;
}

void ScanSchema::AddConstantColumn(Field field) {
  Column c;
  c.source = Source::kConstant;
  c.logical = std::move(field);
  c.constant_index = constants_++;
  auto out = std::make_shared<columnar::Schema>(*output_);
  out->fields.push_back(c.logical);
  output_ = out;
  columns_.push_back(std::move(c));
}

size_t ScanSchema::num_constant_columns() const { return constants_; }

DataFileReader::~DataFileReader() = default;

Result<std::unique_ptr<DataFileReader>> DataFileReader::Open(io::RandomAccessFilePtr file,
                                                             const ScanSchema& scan,
                                                             DataFileOptions options) {
  auto r = std::unique_ptr<DataFileReader>(new DataFileReader());
  r->scan_ = &scan;
  r->name_ = file->name();
  if (options.constants.size() != scan.constants_) {
    return Status::InvalidArgument("data reader: " + std::to_string(scan.constants_) +
                                   " constant columns but " +
                                   std::to_string(options.constants.size()) + " values");
  }
  r->options_ = std::move(options);
  io::RandomAccessFilePtr cached = WithCachedTail(std::move(file));
  auto probe = parquet::FileReader::Open(cached);
  if (!probe.ok()) return probe.status().WithContext(r->name_);
  const std::vector<Field>& file_fields = (*probe)->schema()->fields;
  r->file_rows_ = (*probe)->num_rows();

  std::vector<std::string> projection;
  auto project = [&](int file_index) {
    const std::string& name = file_fields[file_index].name;
    for (size_t i = 0; i < projection.size(); ++i) {
      if (projection[i] == name) return static_cast<int>(i);
    }
    projection.push_back(name);
    return static_cast<int>(projection.size() - 1);
  };
  r->file_column_of_.assign(scan.columns_.size(), -1);
  r->values_.resize(scan.columns_.size());
  for (size_t k = 0; k < scan.columns_.size(); ++k) {
    const ScanSchema::Column& c = scan.columns_[k];
    switch (c.source) {
      case ScanSchema::Source::kData: {
        int i = FindFileField(file_fields, c.physical, c.logical, scan.mode_);
        if (i >= 0) r->file_column_of_[k] = project(i);
        break;
      }
      case ScanSchema::Source::kPartition: {
        std::optional<std::string_view> text;
        for (const StringPairView& p : r->options_.partition_values) {
          if (p.key == c.partition_key) {
            if (!p.value_is_null) text = p.value;
            break;
          }
        }
        auto value = ParsePartitionValue(text, c.partition_type);
        if (!value.ok()) {
          return value.status().WithContext(r->name_ + ": partition column " + c.logical.name);
        }
        r->values_[k] = std::move(value).value();
        break;
      }
      case ScanSchema::Source::kConstant: {
        const std::optional<columnar::Scalar>& v = r->options_.constants[c.constant_index];
        if (v) {
          r->values_[k] = *v;
        } else {
          int i = -1;
          for (size_t f = 0; f < file_fields.size(); ++f) {
            if (file_fields[f].name == c.logical.name) i = static_cast<int>(f);
          }
          if (i < 0) {
            return Status::Corruption(r->name_ + " has no column '" + c.logical.name + "'");
          }
          r->file_column_of_[k] = project(i);
        }
        break;
      }
    }
  }
  if (!projection.empty()) {
    parquet::ReaderOptions ro;
    ro.columns = projection;
    ro.batch_size = std::max<int64_t>(1, r->options_.batch_size);
    auto reader = parquet::FileReader::Open(cached, std::move(ro));
    if (!reader.ok()) return reader.status().WithContext(r->name_);
    r->reader_ = std::move(reader).value();
  }
  return r;
}

Result<ArrayPtr> DataFileReader::Conform(const ArrayPtr& file_array, const Field& physical,
                                         const Field& logical, const std::string& path) const {
  const columnar::TypePtr& target = logical.type;
  const int64_t n = file_array->length;
  auto mismatch = [&]() {
    return Status::Corruption(name_ + ": column '" + path + "' is stored as " +
                              file_array->type->ToString() + " but the table says " +
                              target->ToString());
  };
  switch (target->id) {
    case TypeId::kNull:
      return columnar::MakeNullArray(target, n);
    case TypeId::kStruct: {
      if (file_array->type->id != TypeId::kStruct) return mismatch();
      auto out = std::make_shared<Array>();
      out->type = target;
      out->length = n;
      out->null_count = file_array->null_count;
      out->validity = file_array->validity;
      for (size_t i = 0; i < target->fields.size(); ++i) {
        const Field& lchild = target->fields[i];
        const Field& pchild = physical.type->fields[i];
        int j = FindFileField(file_array->type->fields, pchild, lchild, scan_->mode_);
        if (j < 0) {
          out->children.push_back(columnar::MakeNullArray(lchild.type, n));
        } else {
          ASSIGN_OR_RETURN(ArrayPtr child, Conform(file_array->children[j], pchild, lchild,
                                                   path + "." + lchild.name));
          out->children.push_back(std::move(child));
        }
      }
      return ArrayPtr(out);
    }
    case TypeId::kList:
    case TypeId::kMap: {
      if (file_array->type->id != target->id) return mismatch();
      auto out = std::make_shared<Array>(*file_array);
      out->type = target;
      for (size_t i = 0; i < target->fields.size(); ++i) {
        ASSIGN_OR_RETURN(out->children[i],
                         Conform(file_array->children[i], physical.type->fields[i],
                                 target->fields[i], path + "." + target->fields[i].name));
      }
      return ArrayPtr(out);
    }
    default: {
      auto cast = CastArray(file_array, target, path);
      if (!cast.ok()) return cast.status().WithContext(name_);
      return cast;
    }
  }
}

Result<std::optional<columnar::RecordBatch>> DataFileReader::Next() {
  if (done_) return std::optional<columnar::RecordBatch>();
  columnar::RecordBatch file_batch;
  int64_t n = 0;
  if (reader_) {
    auto next = reader_->Next();
    if (!next.ok()) return next.status().WithContext(name_);
    if (!*next) {
      done_ = true;
      return std::optional<columnar::RecordBatch>();
    }
    file_batch = std::move(**next);
    n = file_batch.num_rows;
  } else {
    if (row_base_ >= file_rows_) {
      done_ = true;
      return std::optional<columnar::RecordBatch>();
    }
    n = std::min<int64_t>(options_.batch_size, file_rows_ - row_base_);
  }

  // Rows of this batch that survive the deletion vector / selection.
  const uint64_t begin = static_cast<uint64_t>(row_base_), end = begin + static_cast<uint64_t>(n);
  bool all_rows = true;
  std::vector<int64_t> keep;
  if (options_.deleted_rows || options_.selected_rows) {
    all_rows = false;
    std::vector<uint32_t> hits;
    std::vector<uint8_t> alive(static_cast<size_t>(n), options_.selected_rows ? 0 : 1);
    if (options_.selected_rows) {
      options_.selected_rows->RowsInRange(begin, end, &hits);
      for (uint32_t h : hits) alive[h] = 1;
      hits.clear();
    }
    if (options_.deleted_rows) {
      options_.deleted_rows->RowsInRange(begin, end, &hits);
      for (uint32_t h : hits) alive[h] = 0;
    }
    for (int64_t i = 0; i < n; ++i) {
      if (alive[static_cast<size_t>(i)]) keep.push_back(i);
    }
    all_rows = static_cast<int64_t>(keep.size()) == n;
  }
  const int64_t out_rows = all_rows ? n : static_cast<int64_t>(keep.size());
  row_base_ += n;

  columnar::RecordBatch out;
  out.schema = scan_->output_schema();
  out.num_rows = out_rows;
  for (size_t k = 0; k < scan_->columns_.size(); ++k) {
    const ScanSchema::Column& c = scan_->columns_[k];
    const int j = file_column_of_[k];
    ArrayPtr column;
    if (j >= 0) {
      ArrayPtr raw = file_batch.columns[static_cast<size_t>(j)];
      if (!all_rows) raw = TakeRows(*raw, keep);
      if (c.source == ScanSchema::Source::kData) {
        ASSIGN_OR_RETURN(column, Conform(raw, c.physical, c.logical, c.logical.name));
      } else {
        auto cast = CastArray(raw, c.logical.type, c.logical.name);
        if (!cast.ok()) return cast.status().WithContext(name_);
        column = std::move(cast).value();
      }
    } else if (c.source == ScanSchema::Source::kData) {
      column = columnar::MakeNullArray(c.logical.type, out_rows);
    } else {
      ASSIGN_OR_RETURN(column, MakeConstantArray(values_[k], out_rows));
    }
    out.columns.push_back(std::move(column));
  }
  return std::optional<columnar::RecordBatch>(std::move(out));
}

}  // namespace ds::delta
