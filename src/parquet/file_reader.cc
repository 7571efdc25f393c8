#include "parquet/file_reader.h"

#include <cstring>

#include "util/bytes.h"

namespace ds::parquet {
namespace {

constexpr int64_t kTailRead = 64 * 1024;

Status Corrupt(const std::string& file, const std::string& what) {
  return Status::Corruption("parquet file '" + file + "': " + what);
}

}  // namespace

Result<std::unique_ptr<FileReader>> FileReader::Open(io::RandomAccessFilePtr file,
                                                     ReaderOptions options) {
  std::unique_ptr<FileReader> r(new FileReader());
  r->file_ = file;
  r->options_ = std::move(options);
  if (r->options_.batch_size <= 0) return Status::InvalidArgument("batch size must be positive");
  const std::string& name = file->name();
  const int64_t size = file->size();
  if (size < 12)
    return Corrupt(name, "too small to be Parquet (" + std::to_string(size) + " bytes)");
  int64_t tail_len = std::min(size, kTailRead);
  ASSIGN_OR_RETURN(Buffer tail, file->ReadAt(size - tail_len, tail_len));
  const uint8_t* end = tail.data() + tail_len;
  if (std::memcmp(end - 4, "PARE", 4) == 0)
    return Status::NotSupported("parquet file '" + name + "' has an encrypted footer");
  if (std::memcmp(end - 4, "PAR1", 4) != 0) return Corrupt(name, "missing PAR1 magic at the end");
  uint8_t head[4];
  RETURN_NOT_OK(file->ReadAt(0, 4, head));
  if (std::memcmp(head, "PAR1", 4) != 0) return Corrupt(name, "missing PAR1 magic at the start");
  int64_t footer_len = LoadLE<uint32_t>(end - 8);
  if (footer_len > size - 12)
    return Corrupt(name, "footer length " + std::to_string(footer_len) + " exceeds the file");
  r->footer_start_ = size - 8 - footer_len;
  Buffer footer_buf;
  ByteView footer;
  if (footer_len + 8 <= tail_len) {
    footer = ByteView(end - 8 - footer_len, static_cast<size_t>(footer_len));
  } else {
    ASSIGN_OR_RETURN(footer_buf, file->ReadAt(r->footer_start_, footer_len));
    footer = footer_buf.view();
  }
  auto md = format::ReadFileMetaData(footer);
  if (!md.ok()) return md.status().WithContext("parquet file '" + name + "'");
  r->metadata_ = std::move(md).value();
  auto schema = FileSchema::Make(r->metadata_.schema);
  if (!schema.ok()) return schema.status().WithContext("parquet file '" + name + "'");
  r->schema_ = std::move(schema).value();

  const int num_columns = r->schema_.num_columns();
  for (size_t g = 0; g < r->metadata_.row_groups.size(); ++g) {
    const format::RowGroup& rg = r->metadata_.row_groups[g];
    if (static_cast<int>(rg.columns.size()) != num_columns)
      return Corrupt(name, "row group " + std::to_string(g) + " has " +
                               std::to_string(rg.columns.size()) + " column chunks for " +
                               std::to_string(num_columns) + " columns");
    if (rg.num_rows < 0)
      return Corrupt(name, "negative row count in row group " + std::to_string(g));
  }

  // Projection.
  const columnar::Schema& full = *r->schema_.schema();
  auto out = std::make_shared<columnar::Schema>();
  if (r->options_.columns.empty()) {
    for (size_t i = 0; i < full.fields.size(); ++i) r->fields_.push_back(static_cast<int>(i));
  } else {
    for (const std::string& c : r->options_.columns) {
      int idx = full.FieldIndex(c);
      if (idx < 0)
        return Status::InvalidArgument("parquet file '" + name + "' has no column '" + c + "'");
      r->fields_.push_back(idx);
    }
  }
  for (int f : r->fields_) {
    out->fields.push_back(full.fields[f]);
    for (int leaf : r->schema_.ColumnsOfField(f)) r->leaves_.push_back(leaf);
  }
  r->output_schema_ = out;
  r->readers_.resize(static_cast<size_t>(num_columns));
  return r;
}

int64_t FileReader::num_rows() const {
  int64_t n = 0;
  for (const auto& rg : metadata_.row_groups) n += rg.num_rows;
  return n;
}

Status FileReader::StartRowGroup(int index) {
  const format::RowGroup& rg = metadata_.row_groups[index];
  PageReaderOptions po{options_.verify_crc, options_.max_page_bytes};
  for (int leaf : leaves_) {
    auto reader =
        ColumnChunkReader::Make(file_, footer_start_, rg.columns[leaf], schema_.column(leaf), po);
    if (!reader.ok()) return reader.status().WithContext("parquet file '" + file_->name() + "'");
    readers_[leaf] = std::move(reader).value();
  }
  current_row_group_ = index;
  rows_left_ = rg.num_rows;
  return Status::OK();
}

Result<std::optional<columnar::RecordBatch>> FileReader::Next() {
  while (current_row_group_ < 0 || rows_left_ == 0) {
    if (current_row_group_ >= 0) {
      // The row group is done: every column must be exhausted too.
      for (int leaf : leaves_) {
        LeafBatch extra;
        ASSIGN_OR_RETURN(int64_t more, readers_[leaf]->ReadRecords(1, &extra));
        if (more != 0)
          return Corrupt(file_->name(), "column '" + schema_.column(leaf).PathString() +
                                            "' holds more records than its row group");
      }
      current_row_group_ = -1;
    }
    if (next_row_group_ >= num_row_groups()) return std::optional<columnar::RecordBatch>();
    int g = next_row_group_++;
    if (options_.row_group_filter && !options_.row_group_filter(*this, g)) continue;
    RETURN_NOT_OK(StartRowGroup(g));
  }
  const int64_t want = std::min(rows_left_, options_.batch_size);
  std::vector<LeafBatch> batches(static_cast<size_t>(schema_.num_columns()));
  std::vector<LeafBatch*> ptrs(batches.size(), nullptr);
  for (int leaf : leaves_) {
    ptrs[leaf] = &batches[leaf];
    auto got = readers_[leaf]->ReadRecords(want, &batches[leaf]);
    if (!got.ok()) return got.status().WithContext("parquet file '" + file_->name() + "'");
    if (*got != want)
      return Corrupt(file_->name(), "column '" + schema_.column(leaf).PathString() + "' holds " +
                                        std::to_string(*got) +
                                        " records where its row group needs " +
                                        std::to_string(want));
  }
  rows_left_ -= want;
  columnar::RecordBatch batch;
  batch.schema = output_schema_;
  batch.num_rows = want;
  for (int f : fields_) {
    auto array = AssembleArray(schema_.assembly(f), ptrs);
    if (!array.ok()) return array.status().WithContext("parquet file '" + file_->name() + "'");
    if ((*array)->length != want)
      return Corrupt(file_->name(), "assembled column has the wrong number of rows");
    batch.columns.push_back(std::move(array).value());
  }
  return std::optional<columnar::RecordBatch>(std::move(batch));
}

Result<columnar::RecordBatch> FileReader::ReadAll() {
  std::vector<columnar::RecordBatch> batches;
  while (true) {
    ASSIGN_OR_RETURN(auto b, Next());
    if (!b) break;
    batches.push_back(std::move(*b));
  }
  columnar::RecordBatch out;
  out.schema = output_schema_;
  if (batches.size() == 1) return std::move(batches[0]);
  for (size_t c = 0; c < fields_.size(); ++c) {
    std::vector<columnar::ArrayPtr> parts;
    for (auto& b : batches) parts.push_back(b.columns[c]);
    if (parts.empty()) {
      out.columns.push_back(columnar::MakeNullArray(output_schema_->fields[c].type, 0));
      continue;
    }
    ASSIGN_OR_RETURN(auto a, columnar::Concatenate(parts));
    out.columns.push_back(std::move(a));
  }
  for (auto& b : batches) out.num_rows += b.num_rows;
  return out;
}

}  // namespace ds::parquet
