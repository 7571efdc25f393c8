#include "client/row_sinks.h"

#include "columnar/json_rows.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::client {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

bool NeedsQuotes(std::string_view s) {
  return s.find_first_of(",\"\r\n") != std::string_view::npos;
}

void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendCsvText(std::string_view s, std::string* out) {
  if (s.empty() || NeedsQuotes(s)) {
    AppendQuoted(s, out);
  } else {
    out->append(s);
  }
}

// Shared buffering of the text sinks.
class TextSink : public RowSink {
 public:
  TextSink(columnar::SchemaPtr schema, std::unique_ptr<io::OutputStream> out)
      : schema_(std::move(schema)), out_(std::move(out)) {}
  Status Close() override {
    if (closed_) return Status::OK();
    closed_ = true;
    RETURN_NOT_OK(Flush());
    return out_->Close();
  }
  int64_t rows_written() const override { return rows_; }

 protected:
  Status MaybeFlush() { return buffer_.size() >= kFlushBytes ? Flush() : Status::OK(); }
  Status Flush() {
    if (buffer_.empty()) return Status::OK();
    Status st = out_->Write(std::string_view(buffer_));
    buffer_.clear();
    return st;
  }
  Status CheckSchema(const columnar::RecordBatch& batch) const {
    if (batch.columns.size() != schema_->fields.size()) {
      return Status::InvalidArgument("a batch of " + std::to_string(batch.columns.size()) +
                                     " columns for a sink of " +
                                     std::to_string(schema_->fields.size()));
    }
    return Status::OK();
  }

  columnar::SchemaPtr schema_;
  std::unique_ptr<io::OutputStream> out_;
  std::string buffer_;
  int64_t rows_ = 0;
  bool closed_ = false;
};

class JsonLinesSink final : public TextSink {
 public:
  using TextSink::TextSink;
  Status Write(const columnar::RecordBatch& batch) override {
    RETURN_NOT_OK(CheckSchema(batch));
    for (int64_t r = 0; r < batch.num_rows; ++r) {
      columnar::AppendRowJson(batch, r, &buffer_);
      buffer_.push_back('\n');
      RETURN_NOT_OK(MaybeFlush());
    }
    rows_ += batch.num_rows;
    return Status::OK();
  }
};

class CsvSink final : public TextSink {
 public:
  CsvSink(columnar::SchemaPtr schema, std::unique_ptr<io::OutputStream> out)
      : TextSink(std::move(schema), std::move(out)) {
    for (size_t i = 0; i < schema_->fields.size(); ++i) {
      if (i > 0) buffer_.push_back(',');
      AppendCsvText(schema_->fields[i].name, &buffer_);
    }
    buffer_.append("\r\n");
  }
  Status Write(const columnar::RecordBatch& batch) override {
    RETURN_NOT_OK(CheckSchema(batch));
    for (int64_t r = 0; r < batch.num_rows; ++r) {
      for (size_t c = 0; c < batch.columns.size(); ++c) {
        if (c > 0) buffer_.push_back(',');
        AppendCsvCell(*batch.columns[c], r, &buffer_);
      }
      buffer_.append("\r\n");
      RETURN_NOT_OK(MaybeFlush());
    }
    rows_ += batch.num_rows;
    return Status::OK();
  }
};

class ParquetSink final : public RowSink {
 public:
  explicit ParquetSink(std::unique_ptr<parquet::FileWriter> writer) : writer_(std::move(writer)) {}
  Status Write(const columnar::RecordBatch& batch) override {
    RETURN_NOT_OK(writer_->Write(batch));
    rows_ += batch.num_rows;
    return Status::OK();
  }
  Status Close() override {
    if (closed_) return Status::OK();
    closed_ = true;
    return writer_->Close();
  }
  int64_t rows_written() const override { return rows_; }

 private:
  std::unique_ptr<parquet::FileWriter> writer_;
  int64_t rows_ = 0;
  bool closed_ = false;
};

}  // namespace

void AppendCsvCell(const columnar::Array& array, int64_t row, std::string* out) {
  if (array.IsNull(row)) return;
  const columnar::TypeId id = array.type->id;
  if (id == columnar::TypeId::kString) {
    AppendCsvText(array.View(row), out);
    return;
  }
  std::string json;
  columnar::AppendValueJson(array, row, &json);
  if (!json.empty() && json.front() == '"') {
    if (json.find('\\') == std::string::npos) {
      AppendCsvText(std::string_view(json).substr(1, json.size() - 2), out);
      return;
    }
    if (auto v = ParseJson(json); v.ok() && v->is_string()) {
      AppendCsvText(v->string_value(), out);
      return;
    }
  }
  AppendCsvText(json, out);
}

Result<SinkFormat> SinkFormatForPath(const std::string& path) {
  const std::string lower = ToLower(path);
  if (EndsWith(lower, ".parquet")) return SinkFormat::kParquet;
  if (EndsWith(lower, ".csv")) return SinkFormat::kCsv;
  if (EndsWith(lower, ".jsonl") || EndsWith(lower, ".ndjson") || EndsWith(lower, ".json")) {
    return SinkFormat::kJsonLines;
  }
  return Status::InvalidArgument("cannot tell the output format of '" + path +
                                 "': use a .parquet, .csv or .jsonl file name");
}

Result<std::unique_ptr<RowSink>> MakeRowSink(SinkFormat format, columnar::SchemaPtr schema,
                                             std::unique_ptr<io::OutputStream> out,
                                             parquet::WriterOptions parquet_options) {
  switch (format) {
    case SinkFormat::kJsonLines:
      return std::unique_ptr<RowSink>(new JsonLinesSink(std::move(schema), std::move(out)));
    case SinkFormat::kCsv:
      return std::unique_ptr<RowSink>(new CsvSink(std::move(schema), std::move(out)));
    case SinkFormat::kParquet:
      break;
  }
  ASSIGN_OR_RETURN(auto writer,
                   parquet::FileWriter::Open(std::move(out), std::move(schema), parquet_options));
  return std::unique_ptr<RowSink>(new ParquetSink(std::move(writer)));
}

Result<std::unique_ptr<RowSink>> OpenFileSink(const std::string& path, columnar::SchemaPtr schema) {
  ASSIGN_OR_RETURN(SinkFormat format, SinkFormatForPath(path));
  ASSIGN_OR_RETURN(auto out, io::OpenLocalOutput(path));
  return MakeRowSink(format, std::move(schema), std::move(out));
}

}  // namespace ds::client
