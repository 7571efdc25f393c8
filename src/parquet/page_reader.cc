#include "parquet/page_reader.h"

#include <algorithm>
#include <cstring>

#include "util/crc32.h"

namespace ds::parquet {
namespace {

constexpr int64_t kReadAhead = 4 << 20;
constexpr int64_t kMaxHeaderBytes = 16 << 20;

Status BadPage(const std::string& what) { return Status::Corruption("parquet page: " + what); }

}  // namespace

Result<Codec> CodecFromFormat(format::CompressionCodec codec) {
  int id = static_cast<int>(codec);
  if (id < 0 || id > 7)
    return Status::NotSupported("parquet: unknown compression codec " + std::to_string(id));
  return static_cast<Codec>(id);
}

PageReader::PageReader(io::RandomAccessFilePtr file, int64_t start, int64_t length, int64_t limit,
                       Codec codec, PageReaderOptions options)
    : file_(std::move(file)),
      start_(start),
      length_(length),
      limit_(std::max(limit, length)),
      codec_(codec),
      options_(options) {}

Result<ByteView> PageReader::Window(int64_t n) {
  n = std::min(n, limit_ - pos_);
  int64_t have_end = window_pos_ + static_cast<int64_t>(window_.size());
  if (pos_ < window_pos_ || pos_ + n > have_end) {
    int64_t want = std::min(std::max(n, kReadAhead), limit_ - pos_);
    window_.Resize(static_cast<size_t>(want));
    RETURN_NOT_OK(file_->ReadAt(start_ + pos_, want, window_.data()));
    window_pos_ = pos_;
  }
  return ByteView(window_.data() + (pos_ - window_pos_), static_cast<size_t>(n));
}

Result<std::optional<Page>> PageReader::Next() {
  if (pos_ >= length_) return std::optional<Page>();
  // Parse the header from a growing window: most headers are tiny, but page statistics can
  // make them large.
  Page page;
  size_t header_size = 0;
  for (int64_t want = 256;; want *= 4) {
    ASSIGN_OR_RETURN(ByteView w, Window(std::min(want, kMaxHeaderBytes)));
    auto header = format::ReadPageHeader(w, &header_size);
    if (header.ok()) {
      page.header = std::move(header).value();
      break;
    }
    if (static_cast<int64_t>(w.size()) >= limit_ - pos_ || want >= kMaxHeaderBytes)
      return header.status().WithContext("parquet page header at offset " +
                                         std::to_string(start_ + pos_));
  }
  const format::PageHeader& h = page.header;
  if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0)
    return BadPage("negative page size");
  int64_t body_len = h.compressed_page_size;
  if (static_cast<int64_t>(header_size) + body_len > limit_ - pos_)
    return BadPage("page of " + std::to_string(body_len) + " bytes runs past the column chunk");
  pos_ += static_cast<int64_t>(header_size);
  ASSIGN_OR_RETURN(ByteView raw, Window(body_len));
  pos_ += body_len;

  if (h.crc && options_.verify_crc) {
    uint32_t crc = Crc32(raw.data(), raw.size());
    if (crc != static_cast<uint32_t>(*h.crc))
      return BadPage("CRC mismatch (stored " + std::to_string(static_cast<uint32_t>(*h.crc)) +
                     ", computed " + std::to_string(crc) + ")");
  }
  if (h.uncompressed_page_size > options_.max_page_bytes)
    return Status::ResourceExhausted("parquet page of " + std::to_string(h.uncompressed_page_size) +
                                     " bytes exceeds the limit");

  const bool is_v2 = h.type == format::PageType::DATA_PAGE_V2;
  if (is_v2) {
    if (!h.data_page_header_v2) return BadPage("DATA_PAGE_V2 without its header");
    const auto& v2 = *h.data_page_header_v2;
    int64_t levels = int64_t{v2.repetition_levels_byte_length} + v2.definition_levels_byte_length;
    if (v2.repetition_levels_byte_length < 0 || v2.definition_levels_byte_length < 0 ||
        levels > body_len || levels > h.uncompressed_page_size)
      return BadPage("invalid v2 level lengths");
    bool compressed = v2.is_compressed.value_or(true) && codec_ != Codec::kUncompressed;
    int64_t values_raw = body_len - levels;
    int64_t values_out = h.uncompressed_page_size - levels;
    page.body.Resize(static_cast<size_t>(h.uncompressed_page_size));
    if (levels > 0) std::memcpy(page.body.data(), raw.data(), static_cast<size_t>(levels));
    ByteView values(raw.data() + levels, static_cast<size_t>(values_raw));
    if (!compressed) {
      if (values_raw != values_out) return BadPage("uncompressed v2 page sizes differ");
      if (!values.empty()) std::memcpy(page.body.data() + levels, values.data(), values.size());
    } else if (values_out > 0 || values_raw > 0) {
      if (values_raw == 0) return BadPage("empty compressed values but non-empty output");
      RETURN_NOT_OK(Decompress(codec_, values, page.body.data() + levels, values_out));
    }
    return std::optional<Page>(std::move(page));
  }

  if (h.type != format::PageType::DATA_PAGE && h.type != format::PageType::DICTIONARY_PAGE) {
    return std::optional<Page>(std::move(page));  // index or unknown page: body left empty
  }
  page.body.Resize(static_cast<size_t>(h.uncompressed_page_size));
  if (codec_ == Codec::kUncompressed) {
    if (body_len != h.uncompressed_page_size) return BadPage("uncompressed page sizes differ");
    if (!raw.empty()) std::memcpy(page.body.data(), raw.data(), raw.size());
  } else if (h.uncompressed_page_size > 0 || body_len > 0) {
    RETURN_NOT_OK(Decompress(codec_, raw, page.body.data(), h.uncompressed_page_size));
  }
  return std::optional<Page>(std::move(page));
}

}  // namespace ds::parquet
