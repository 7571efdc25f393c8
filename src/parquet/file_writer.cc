#include "parquet/file_writer.h"

#include <algorithm>

#include "parquet/shredder.h"
#include "parquet/writer_schema.h"
#include "util/version.h"

namespace ds::parquet {
namespace {

// Rows shredded between row-group size checks: at most this many, fewer when rows are wide
// enough that a chunk would overshoot the target by more than an eighth.
constexpr int64_t kMaxShredChunkRows = 4096;
constexpr int64_t kMinShredChunkRows = 16;

}  // namespace

std::string CreatedBy() {
  return "deltashare version " + std::string(kVersion) + " (build " + std::string(kBuildId) + ")";
}

Result<std::unique_ptr<FileWriter>> FileWriter::Open(std::unique_ptr<io::OutputStream> sink,
                                                     columnar::SchemaPtr schema,
                                                     WriterOptions options) {
  if (!CanCompress(options.codec))
    return Status::InvalidArgument("cannot write Parquet with codec " +
                                   std::string(CodecName(options.codec)));
  std::unique_ptr<FileWriter> w(new FileWriter());
  w->sink_ = std::move(sink);
  w->schema_ = std::move(schema);
  w->options_ = std::move(options);
  ASSIGN_OR_RETURN(w->metadata_.schema, ToParquetSchema(*w->schema_));
  // The FileSchema points into metadata_.schema, which is never modified afterwards.
  ASSIGN_OR_RETURN(w->file_schema_, FileSchema::Make(w->metadata_.schema));
  w->pending_.resize(static_cast<size_t>(w->file_schema_.num_columns()));
  ColumnWriterOptions& c = w->column_options_;
  c.codec = w->options_.codec;
  c.compression_level = w->options_.compression_level;
  c.page_bytes = w->options_.page_bytes;
  c.page_rows = w->options_.page_rows;
  c.dictionary_bytes = w->options_.dictionary_bytes;
  c.dictionary = w->options_.dictionary;
  c.statistics = w->options_.statistics;
  c.crc = w->options_.crc;
  RETURN_NOT_OK(w->sink_->Write(std::string_view("PAR1")));
  return w;
}

FileWriter::~FileWriter() = default;

int64_t FileWriter::BufferedBytes() const {
  int64_t n = 0;
  for (const LeafBatch& b : pending_)
    n += static_cast<int64_t>(b.values.size() + b.offsets.size() + b.def_levels.size() +
                              b.rep_levels.size());
  return n;
}

Status FileWriter::Write(const columnar::RecordBatch& batch) {
  if (closed_) return Status::FailedPrecondition("write to a closed Parquet writer");
  const auto& want = schema_->fields;
  if (batch.columns.size() != want.size())
    return Status::InvalidArgument("batch has " + std::to_string(batch.columns.size()) +
                                   " columns, the file " + std::to_string(want.size()));
  for (size_t c = 0; c < want.size(); ++c) {
    if (!batch.columns[c]->type->Equals(*want[c].type) ||
        batch.columns[c]->length != batch.num_rows)
      return Status::InvalidArgument("batch column '" + want[c].name + "' has type " +
                                     batch.columns[c]->type->ToString() + ", the file " +
                                     want[c].type->ToString());
  }
  std::vector<LeafBatch*> leaves;
  for (auto& b : pending_) leaves.push_back(&b);
  if (batch.num_rows > 0) ReserveFlatLeaves(batch);
  for (int64_t begin = 0; begin < batch.num_rows;) {
    int64_t chunk = kMaxShredChunkRows;
    if (pending_rows_ > 0) {
      const int64_t row_bytes = std::max<int64_t>(1, BufferedBytes() / pending_rows_);
      chunk = std::clamp(options_.row_group_bytes / 8 / row_bytes, kMinShredChunkRows, kMaxShredChunkRows);
    } else {
      chunk = kMinShredChunkRows * 4;  // learn the row width first
    }
    int64_t end = std::min(batch.num_rows, begin + chunk);
    end = std::min(end, begin + (options_.row_group_rows - pending_rows_));
    for (size_t c = 0; c < want.size(); ++c) {
      Status st = ShredArray(file_schema_.assembly(static_cast<int>(c)), want[c].nullable,
                             *batch.columns[c], begin, end, leaves);
      if (!st.ok()) return st.WithContext("column '" + want[c].name + "'");
    }
    pending_rows_ += end - begin;
    begin = end;
    if (pending_rows_ >= options_.row_group_rows || BufferedBytes() >= options_.row_group_bytes)
      RETURN_NOT_OK(FlushRowGroup());
  }
  return Status::OK();
}

void FileWriter::ReserveFlatLeaves(const columnar::RecordBatch& batch) {
  const int64_t rows = std::min(batch.num_rows, options_.row_group_rows - pending_rows_);
  for (size_t c = 0; c < batch.columns.size(); ++c) {
    const AssemblyNode& node = file_schema_.assembly(static_cast<int>(c));
    if (node.kind != AssemblyNode::Kind::kLeaf) continue;
    LeafBatch& b = pending_[node.leaf];
    const columnar::Array& a = *batch.columns[c];
    if (node.max_def_level > 0)
      b.def_levels.Reserve(b.def_levels.size() + static_cast<size_t>(rows) * 2);
    if (columnar::IsVarBinary(a.type->id)) {
      b.offsets.Reserve(b.offsets.size() + static_cast<size_t>(rows + 1) * 8);
      b.values.Reserve(b.values.size() + static_cast<size_t>(a.ListEnd(rows - 1) - a.ListBegin(0)));
    } else if (int w = columnar::FixedWidth(*a.type); w > 0) {
      b.values.Reserve(b.values.size() + static_cast<size_t>(rows) * static_cast<size_t>(w));
    }
  }
}

Status FileWriter::FlushRowGroup() {
  if (pending_rows_ == 0) return Status::OK();
  format::RowGroup rg;
  rg.num_rows = pending_rows_;
  rg.file_offset = sink_->Tell();
  rg.ordinal = static_cast<int16_t>(metadata_.row_groups.size());
  int64_t compressed = 0;
  std::vector<std::vector<PageIndexEntry>> pages;
  for (int i = 0; i < file_schema_.num_columns(); ++i) {
    ASSIGN_OR_RETURN(
        EncodedChunk chunk,
        EncodeColumnChunk(file_schema_.column(i), std::move(pending_[i]), column_options_));
    pending_[i] = LeafBatch();
    const int64_t start = sink_->Tell();
    RETURN_NOT_OK(sink_->Write(chunk.bytes));
    format::ColumnChunk cc;
    cc.file_offset = 0;
    cc.meta_data = std::move(chunk.meta);
    cc.meta_data->data_page_offset += start;
    if (cc.meta_data->dictionary_page_offset) *cc.meta_data->dictionary_page_offset += start;
    for (auto& p : chunk.pages) p.offset += start;
    compressed += cc.meta_data->total_compressed_size;
    rg.total_byte_size += cc.meta_data->total_uncompressed_size;
    rg.columns.push_back(std::move(cc));
    pages.push_back(std::move(chunk.pages));
  }
  rg.total_compressed_size = compressed;
  metadata_.row_groups.push_back(std::move(rg));
  page_index_.push_back(std::move(pages));
  rows_written_ += pending_rows_;
  pending_rows_ = 0;
  return Status::OK();
}

Status FileWriter::Close() {
  if (closed_) return Status::OK();
  RETURN_NOT_OK(FlushRowGroup());
  closed_ = true;
  if (options_.page_index) {
    // Column indexes of every chunk, then offset indexes (the usual layout).
    for (size_t g = 0; g < page_index_.size(); ++g) {
      for (size_t c = 0; c < page_index_[g].size(); ++c) {
        const auto& pages = page_index_[g][c];
        // A column index needs bounds for every non-null page.
        bool complete = options_.statistics;
        format::ColumnIndex ci;
        ci.null_counts.emplace();
        for (const PageIndexEntry& p : pages) {
          complete = complete && (p.null_page || p.has_stats);
          ci.null_pages.push_back(p.null_page);
          ci.min_values.push_back(p.min);
          ci.max_values.push_back(p.max);
          ci.null_counts->push_back(p.null_count);
        }
        if (!complete) continue;
        std::string bytes;
        format::Write(ci, &bytes);
        auto& cc = metadata_.row_groups[g].columns[c];
        cc.column_index_offset = sink_->Tell();
        cc.column_index_length = static_cast<int32_t>(bytes.size());
        RETURN_NOT_OK(sink_->Write(bytes));
      }
    }
    for (size_t g = 0; g < page_index_.size(); ++g) {
      for (size_t c = 0; c < page_index_[g].size(); ++c) {
        format::OffsetIndex oi;
        for (const PageIndexEntry& p : page_index_[g][c])
          oi.page_locations.push_back({p.offset, p.compressed_size, p.first_row});
        std::string bytes;
        format::Write(oi, &bytes);
        auto& cc = metadata_.row_groups[g].columns[c];
        cc.offset_index_offset = sink_->Tell();
        cc.offset_index_length = static_cast<int32_t>(bytes.size());
        RETURN_NOT_OK(sink_->Write(bytes));
      }
    }
  }
  metadata_.version = 1;
  metadata_.num_rows = rows_written_;
  metadata_.created_by = CreatedBy();
  if (!options_.key_value_metadata.empty())
    metadata_.key_value_metadata = options_.key_value_metadata;
  metadata_.column_orders =
      std::vector<format::ColumnOrder>(static_cast<size_t>(file_schema_.num_columns()));
  std::string footer;
  format::Write(metadata_, &footer);
  RETURN_NOT_OK(sink_->Write(footer));
  uint32_t len = static_cast<uint32_t>(footer.size());
  RETURN_NOT_OK(sink_->Write(std::string_view(reinterpret_cast<const char*>(&len), 4)));
  RETURN_NOT_OK(sink_->Write(std::string_view("PAR1")));
  return sink_->Close();
}

Status WriteParquetFile(const std::string& path, const columnar::RecordBatch& batch,
                        const WriterOptions& options) {
  ASSIGN_OR_RETURN(auto sink, io::OpenLocalOutput(path));
  ASSIGN_OR_RETURN(auto writer, FileWriter::Open(std::move(sink), batch.schema, options));
  RETURN_NOT_OK(writer->Write(batch));
  return writer->Close();
}

}  // namespace ds::parquet
