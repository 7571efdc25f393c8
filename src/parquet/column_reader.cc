#include "parquet/column_reader.h"

#include <cstring>

#include "parquet/encoding/rle.h"
#include "util/bit_util.h"
#include "util/bytes.h"

namespace ds::parquet {
namespace {

using format::Encoding;
using format::PageType;

Status Corrupt(const ColumnDescriptor& c, const std::string& what) {
  return Status::Corruption("parquet column '" + c.PathString() + "': " + what);
}

}  // namespace

Result<std::unique_ptr<ColumnChunkReader>> ColumnChunkReader::Make(io::RandomAccessFilePtr file,
                                                                   int64_t footer_start,
                                                                   const format::ColumnChunk& chunk,
                                                                   const ColumnDescriptor& column,
                                                                   PageReaderOptions options) {
  if (chunk.file_path)
    return Status::NotSupported("parquet column '" + column.PathString() +
                                "' lives in an external file");
  if (chunk.has_crypto_metadata || chunk.has_encrypted_column_metadata)
    return Status::NotSupported("parquet column '" + column.PathString() + "' is encrypted");
  if (!chunk.meta_data) return Corrupt(column, "column chunk without metadata");
  const format::ColumnMetaData& md = *chunk.meta_data;
  if (md.type != column.physical_type) return Corrupt(column, "chunk type differs from the schema");
  if (md.num_values < 0 || md.total_compressed_size < 0) return Corrupt(column, "negative sizes");
  if (md.num_values == 0) {  // nothing to read (empty row groups may carry any offsets)
    auto none =
        std::make_unique<PageReader>(std::move(file), 0, 0, 0, Codec::kUncompressed, options);
    return std::unique_ptr<ColumnChunkReader>(new ColumnChunkReader(column, std::move(none), 0));
  }
  int64_t start = md.data_page_offset;
  if (md.dictionary_page_offset && *md.dictionary_page_offset >= 4 &&
      *md.dictionary_page_offset < start)
    start = *md.dictionary_page_offset;
  if (start < 4 || start >= footer_start)
    return Corrupt(column, "chunk offset outside the data area");
  int64_t length = md.total_compressed_size;
  if (length > footer_start - start) return Corrupt(column, "chunk runs into the footer");
  // Old parquet-mr under-reported the size by the dictionary header: allow a little slack.
  int64_t limit = std::min(footer_start - start, length + 100);
  ASSIGN_OR_RETURN(Codec codec, CodecFromFormat(md.codec));
  auto pages = std::make_unique<PageReader>(std::move(file), start, length, limit, codec, options);
  return std::unique_ptr<ColumnChunkReader>(
      new ColumnChunkReader(column, std::move(pages), md.num_values));
}

ColumnChunkReader::ColumnChunkReader(const ColumnDescriptor& column,
                                     std::unique_ptr<PageReader> pages, int64_t expected_values)
    : column_(column),
      pages_(std::move(pages)),
      decoder_(column),
      expected_values_(expected_values) {}

Status ColumnChunkReader::DecodeLevels(Encoding encoding, ByteView* data, int bit_width,
                                       int16_t max, bool v1, int64_t byte_length, Buffer* out,
                                       int64_t n) {
  out->Resize(static_cast<size_t>(n) * sizeof(int16_t));
  int16_t* levels = out->mutable_data_as<int16_t>();
  if (v1 && encoding == Encoding::BIT_PACKED) {
    size_t bytes = static_cast<size_t>((n * bit_width + 7) / 8);
    if (bytes > data->size()) return Corrupt(column_, "BIT_PACKED levels run past the page");
    RETURN_NOT_OK(DecodeBitPackedMsbLevels(data->first(bytes), bit_width, n, levels));
    *data = data->subspan(bytes);
  } else {
    if (v1 && encoding != Encoding::RLE)
      return Status::NotSupported("parquet: level encoding " +
                                  std::string(format::EncodingName(encoding)));
    size_t len;
    if (v1) {
      if (data->size() < 4) return Corrupt(column_, "levels without a length prefix");
      len = LoadLE<uint32_t>(data->data());
      *data = data->subspan(4);
    } else {
      len = static_cast<size_t>(byte_length);
    }
    if (len > data->size()) return Corrupt(column_, "levels run past the page");
    ASSIGN_OR_RETURN(auto dec, RleBitPackedDecoder::Make(data->first(len), bit_width));
    ASSIGN_OR_RETURN(int64_t got, dec.GetBatch(levels, n));
    if (got != n) return Corrupt(column_, "page holds fewer levels than its value count");
    *data = data->subspan(len);
  }
  for (int64_t i = 0; i < n; ++i)
    if (levels[i] < 0 || levels[i] > max) return Corrupt(column_, "level exceeds its maximum");
  return Status::OK();
}

Result<bool> ColumnChunkReader::LoadPage() {
  while (entries_loaded_ < expected_values_) {
    ASSIGN_OR_RETURN(std::optional<Page> next, pages_->Next());
    if (!next) {
      return Corrupt(column_, "the chunk ends after " + std::to_string(entries_loaded_) + " of " +
                                  std::to_string(expected_values_) + " values");
    }
    page_ = std::move(*next);
    const format::PageHeader& h = page_.header;
    if (h.type == PageType::DICTIONARY_PAGE) {
      if (seen_data_page_) return Corrupt(column_, "dictionary page after a data page");
      if (!h.dictionary_page_header) return Corrupt(column_, "dictionary page without its header");
      RETURN_NOT_OK(
          decoder_.SetDictionary(page_.body.view(), h.dictionary_page_header->num_values));
      continue;
    }
    if (h.type != PageType::DATA_PAGE && h.type != PageType::DATA_PAGE_V2) continue;
    seen_data_page_ = true;
    const bool v1 = h.type == PageType::DATA_PAGE;
    int64_t n;
    Encoding values_encoding, def_encoding = Encoding::RLE, rep_encoding = Encoding::RLE;
    int64_t def_len = 0, rep_len = 0;
    if (v1) {
      if (!h.data_page_header) return Corrupt(column_, "data page without its header");
      n = h.data_page_header->num_values;
      values_encoding = h.data_page_header->encoding;
      def_encoding = h.data_page_header->definition_level_encoding;
      rep_encoding = h.data_page_header->repetition_level_encoding;
    } else {
      const auto& v2 = *h.data_page_header_v2;
      n = v2.num_values;
      values_encoding = v2.encoding;
      def_len = v2.definition_levels_byte_length;
      rep_len = v2.repetition_levels_byte_length;
    }
    if (n < 0) return Corrupt(column_, "negative page value count");
    if (n > expected_values_ - entries_loaded_)
      return Corrupt(column_, "pages hold more values than the chunk metadata says");
    ByteView data = page_.body.view();
    page_reps_.Clear();
    page_defs_.Clear();
    if (column_.max_rep_level > 0) {
      RETURN_NOT_OK(DecodeLevels(rep_encoding, &data, bit::BitWidth(column_.max_rep_level),
                                 column_.max_rep_level, v1, rep_len, &page_reps_, n));
    } else if (!v1) {
      if (static_cast<size_t>(rep_len) > data.size())
        return Corrupt(column_, "bad v2 level length");
      data = data.subspan(static_cast<size_t>(rep_len));
    }
    int64_t num_values = n;
    if (column_.max_def_level > 0) {
      RETURN_NOT_OK(DecodeLevels(def_encoding, &data, bit::BitWidth(column_.max_def_level),
                                 column_.max_def_level, v1, def_len, &page_defs_, n));
      const int16_t* d = page_defs_.data_as<int16_t>();
      num_values = 0;
      for (int64_t i = 0; i < n; ++i) num_values += d[i] == column_.max_def_level;
    } else if (!v1) {
      if (static_cast<size_t>(def_len) > data.size())
        return Corrupt(column_, "bad v2 level length");
      data = data.subspan(static_cast<size_t>(def_len));
    }
    if (column_.max_rep_level > 0 && entries_loaded_ == 0 && n > 0 &&
        page_reps_.data_as<int16_t>()[0] != 0)
      return Corrupt(column_, "the first repetition level of the chunk is not 0");
    RETURN_NOT_OK(decoder_.StartPage(values_encoding, data, num_values));
    entries_loaded_ += n;
    page_entries_ = n;
    page_pos_ = 0;
    if (n > 0) return true;
  }
  return false;
}

Status ColumnChunkReader::TakeEntries(int64_t count, LeafBatch* out) {
  if (count == 0) return Status::OK();
  const int16_t* defs = page_defs_.empty() ? nullptr : page_defs_.data_as<int16_t>() + page_pos_;
  if (defs) out->def_levels.Append(defs, static_cast<size_t>(count) * 2);
  if (!page_reps_.empty())
    out->rep_levels.Append(page_reps_.data_as<int16_t>() + page_pos_,
                           static_cast<size_t>(count) * 2);
  int64_t values = count;
  if (defs) {
    values = 0;
    for (int64_t i = 0; i < count; ++i) values += defs[i] == column_.max_def_level;
  }
  RETURN_NOT_OK(decoder_.Next(values, &out->values, &out->offsets));
  out->num_entries += count;
  out->num_values += values;
  page_pos_ += count;
  return Status::OK();
}

Result<int64_t> ColumnChunkReader::ReadRecords(int64_t max_records, LeafBatch* out) {
  int64_t records = 0;
  if (out->num_entries == 0 && column_.max_rep_level == 0) {
    // Flat column: one entry per record; size the batch once instead of growing it.
    const int w =
        column_.type->id == columnar::TypeId::kBool ? 1 : columnar::FixedWidth(*column_.type);
    if (column_.max_def_level > 0) out->def_levels.Reserve(static_cast<size_t>(max_records) * 2);
    if (w > 0) out->values.Reserve(static_cast<size_t>(max_records) * static_cast<size_t>(w));
    if (columnar::IsVarBinary(column_.type->id)) {
      out->offsets.Reserve(static_cast<size_t>(max_records + 1) * 8);
      out->values.Reserve(static_cast<size_t>(static_cast<double>(max_records) * bytes_per_value_));
    }
  }
  while (true) {
    if (page_pos_ >= page_entries_) {
      if (records == max_records && column_.max_rep_level == 0) break;
      ASSIGN_OR_RETURN(bool more, LoadPage());
      if (!more) break;
    }
    int64_t take;
    if (column_.max_rep_level == 0) {
      take = std::min(page_entries_ - page_pos_, max_records - records);
      records += take;
    } else {
      const int16_t* reps = page_reps_.data_as<int16_t>();
      int64_t i = page_pos_;
      for (; i < page_entries_; ++i) {
        if (reps[i] == 0) {
          if (records == max_records) break;
          ++records;
        }
      }
      take = i - page_pos_;
    }
    RETURN_NOT_OK(TakeEntries(take, out));
    if (page_pos_ < page_entries_) break;  // stopped at a record boundary inside the page
  }
  out->num_records += records;
  if (out->num_values > 0)
    bytes_per_value_ = static_cast<double>(out->values.size()) / out->num_values;
  return records;
}

}  // namespace ds::parquet
