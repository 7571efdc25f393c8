#include "delta/deletion_vector.h"

#include <roaring/roaring.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "columnar/json_rows.h"
#include "util/bytes.h"

namespace ds::delta {
namespace {

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

constexpr uint32_t kSerialCookieNoRuns = 12346;
constexpr uint32_t kSerialCookie = 12347;
constexpr uint32_t kNoOffsetThreshold = 4;
// Spark's "native" RoaringBitmapArray magic, stored big-endian.
constexpr uint32_t kNativeMagic = 1681511376;

// A bounds-checked little-endian reader over untrusted bytes.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : data_(bytes) {}
  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool Has(size_t n) const { return remaining() >= n; }
  template <typename T>
  T Read() {  // REQUIRES: Has(sizeof(T))
    T v = LoadLE<T>(data_.data() + pos_);
    pos_ += sizeof(T);
    return v;
  }
  const char* Skip(size_t n) {  // REQUIRES: Has(n)
    const char* p = data_.data() + pos_;
    pos_ += n;
    return p;
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

Status Bad(const std::string& what) { return Status::Corruption("deletion vector: " + what); }

// Decodes one 32-bit portable roaring bitmap into `out` (values `high` << 32 are implied by
// the caller). Every container is validated before its values are added.
Status ReadBitmap32(Reader* r, roaring_bitmap_t* out) {
  if (!r->Has(4)) return Bad("truncated roaring bitmap cookie");
  const uint32_t cookie = r->Read<uint32_t>();
  uint32_t containers = 0;
  bool has_runs = false;
  std::string_view run_flags;
  if ((cookie & 0xFFFF) == kSerialCookie) {
    has_runs = true;
    containers = (cookie >> 16) + 1;
    size_t flag_bytes = (containers + 7) / 8;
    if (!r->Has(flag_bytes)) return Bad("truncated run-container flags");
    run_flags = std::string_view(r->Skip(flag_bytes), flag_bytes);
  } else if (cookie == kSerialCookieNoRuns) {
    if (!r->Has(4)) return Bad("truncated container count");
    containers = r->Read<uint32_t>();
  } else {
    return Bad("unknown roaring cookie " + std::to_string(cookie));
  }
  if (containers > 65536) return Bad("more than 65536 containers in one bitmap");
  if (!r->Has(size_t{containers} * 4)) return Bad("truncated container headers");
  std::vector<std::pair<uint16_t, uint32_t>> headers(containers);  // key, cardinality
  for (uint32_t i = 0; i < containers; ++i) {
    uint16_t key = r->Read<uint16_t>();
    uint32_t card = uint32_t{r->Read<uint16_t>()} + 1;
    if (i > 0 && key <= headers[i - 1].first) return Bad("container keys are not increasing");
    headers[i] = {key, card};
  }
  if (!has_runs || containers >= kNoOffsetThreshold) {
    if (!r->Has(size_t{containers} * 4)) return Bad("truncated container offsets");
    r->Skip(size_t{containers} * 4);  // containers are read in order; offsets are redundant
  }
  std::vector<uint32_t> values;
  for (uint32_t i = 0; i < containers; ++i) {
    const uint32_t high = uint32_t{headers[i].first} << 16;
    const uint32_t card = headers[i].second;
    const bool is_run = has_runs && ((static_cast<uint8_t>(run_flags[i / 8]) >> (i % 8)) & 1);
    if (is_run) {
      if (!r->Has(2)) return Bad("truncated run container");
      uint32_t runs = r->Read<uint16_t>();
      if (!r->Has(size_t{runs} * 4)) return Bad("truncated runs");
      uint64_t total = 0;
      int64_t previous_end = -1;
      for (uint32_t k = 0; k < runs; ++k) {
        uint32_t start = r->Read<uint16_t>();
        uint32_t length = uint32_t{r->Read<uint16_t>()} + 1;
        if (start + length > 65536) return Bad("run past the end of its container");
        if (static_cast<int64_t>(start) <= previous_end) return Bad("runs overlap or are unsorted");
        previous_end = start + length - 1;
        total += length;
        roaring_bitmap_add_range_closed(out, high | start, high | (start + length - 1));
      }
      if (total != card) return Bad("run container cardinality does not match its header");
    } else if (card <= 4096) {
      if (!r->Has(size_t{card} * 2)) return Bad("truncated array container");
      values.resize(card);
      for (uint32_t k = 0; k < card; ++k) {
        values[k] = high | r->Read<uint16_t>();
        if (k > 0 && values[k] <= values[k - 1]) return Bad("array container is not sorted");
      }
      roaring_bitmap_add_many(out, values.size(), values.data());
    } else {
      if (!r->Has(8192)) return Bad("truncated bitmap container");
      values.clear();
      for (uint32_t w = 0; w < 1024; ++w) {
        uint64_t word = r->Read<uint64_t>();
        while (word != 0) {
          values.push_back(high | (w * 64 + static_cast<uint32_t>(std::countr_zero(word))));
          word &= word - 1;
        }
      }
      if (values.size() != card) return Bad("bitmap container cardinality does not match");
      roaring_bitmap_add_many(out, values.size(), values.data());
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::string> Z85Decode(std::string_view text) {
  if (text.size() % 5 != 0) {
    return Status::Corruption("z85 text length " + std::to_string(text.size()) +
                              " is not a multiple of 5");
  }
  static const auto kDecode = [] {
    std::array<int8_t, 256> t{};
    t.fill(-1);
    for (size_t i = 0; i < kZ85Alphabet.size(); ++i) {
      t[static_cast<uint8_t>(kZ85Alphabet[i])] = static_cast<int8_t>(i);
    }
    return t;
  }();
  std::string out;
  out.reserve(text.size() / 5 * 4);
  for (size_t i = 0; i < text.size(); i += 5) {
    uint64_t v = 0;
    for (size_t k = 0; k < 5; ++k) {
      int8_t d = kDecode[static_cast<uint8_t>(text[i + k])];
      if (d < 0) return Status::Corruption("invalid z85 character in '" + std::string(text) + "'");
      v = v * 85 + static_cast<uint64_t>(d);
    }
    // Groups above 2^32 - 1 wrap, as in Delta's (Java) and kernel-rs decoders: encoders of
    // inline vectors whose size is not a multiple of 4 emit such tails.
    char be[4];
    StoreBE32(be, static_cast<uint32_t>(v));
    out.append(be, 4);
  }
  return out;
}

std::string Z85Encode(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
    uint32_t v = LoadBE32(bytes.data() + i);
    char group[5];
    for (int k = 4; k >= 0; --k) {
      group[k] = kZ85Alphabet[v % 85];
      v /= 85;
    }
    out.append(group, 5);
  }
  return out;
}

DeletionVector::~DeletionVector() { Clear(); }

DeletionVector::DeletionVector(DeletionVector&& other) noexcept
    : buckets_(std::move(other.buckets_)) {
  other.buckets_.clear();
}

DeletionVector& DeletionVector::operator=(DeletionVector&& other) noexcept {
  if (this != &other) {
    Clear();
    buckets_ = std::move(other.buckets_);
    other.buckets_.clear();
  }
  return *this;
}

void DeletionVector::Clear() {
  for (Bucket& b : buckets_) roaring_bitmap_free(b.bitmap);
  buckets_.clear();
}

Result<DeletionVector> DeletionVector::Deserialize(std::string_view bytes) {
  Reader r(bytes);
  if (!r.Has(4)) return Bad("shorter than its magic number");
  const uint32_t magic = r.Read<uint32_t>();
  DeletionVector out;
  if (magic == kDeletionVectorMagic) {
    // Portable: u64 LE bucket count, then per bucket a u32 LE key and a 32-bit bitmap.
    if (!r.Has(8)) return Bad("truncated bucket count");
    uint64_t buckets = r.Read<uint64_t>();
    // Each bucket needs at least 4 (key) + 8 (cookie and count) bytes.
    if (buckets > r.remaining() / 12) return Bad("bucket count exceeds the data");
    for (uint64_t i = 0; i < buckets; ++i) {
      if (!r.Has(4)) return Bad("truncated bucket key");
      uint32_t key = r.Read<uint32_t>();
      if (key & 0x80000000u) return Bad("bucket key with the top bit set");
      if (!out.buckets_.empty() && key <= out.buckets_.back().key) {
        return Bad("bucket keys are not increasing");
      }
      out.buckets_.push_back({key, roaring_bitmap_create()});
      RETURN_NOT_OK(ReadBitmap32(&r, out.buckets_.back().bitmap));
    }
    return out;
  }
  if (__builtin_bswap32(magic) == kNativeMagic) {
    // Spark's native layout (the spec's inline example uses it): u32 BE count, then per
    // bucket (key = its index) a u32 BE size and a 32-bit bitmap of exactly that size.
    if (!r.Has(4)) return Bad("truncated bucket count");
    uint32_t buckets = __builtin_bswap32(r.Read<uint32_t>());
    if (buckets > r.remaining() / 12) return Bad("bucket count exceeds the data");
    for (uint32_t key = 0; key < buckets; ++key) {
      if (!r.Has(4)) return Bad("truncated bitmap size");
      uint32_t size = __builtin_bswap32(r.Read<uint32_t>());
      if (!r.Has(size)) return Bad("truncated bitmap");
      Reader bitmap(std::string_view(r.Skip(size), size));
      out.buckets_.push_back({key, roaring_bitmap_create()});
      RETURN_NOT_OK(ReadBitmap32(&bitmap, out.buckets_.back().bitmap));
      if (bitmap.remaining() != 0) return Bad("bitmap shorter than its stated size");
    }
    return out;
  }
  return Bad("unsupported bitmap format (magic " + std::to_string(magic) + ", expected " +
             std::to_string(kDeletionVectorMagic) + ")");
}

DeletionVector DeletionVector::FromRows(const std::vector<uint64_t>& rows) {
  DeletionVector out;
  for (uint64_t row : rows) {
    uint32_t key = static_cast<uint32_t>(row >> 32);
    if (out.buckets_.empty() || out.buckets_.back().key != key) {
      out.buckets_.push_back({key, roaring_bitmap_create()});
    }
    roaring_bitmap_add(out.buckets_.back().bitmap, static_cast<uint32_t>(row));
  }
  return out;
}

uint64_t DeletionVector::cardinality() const {
  uint64_t n = 0;
  for (const Bucket& b : buckets_) n += roaring_bitmap_get_cardinality(b.bitmap);
  return n;
}

bool DeletionVector::Contains(uint64_t row) const {
  uint32_t key = static_cast<uint32_t>(row >> 32);
  auto it = std::lower_bound(buckets_.begin(), buckets_.end(), key,
                             [](const Bucket& b, uint32_t k) { return b.key < k; });
  return it != buckets_.end() && it->key == key &&
         roaring_bitmap_contains(it->bitmap, static_cast<uint32_t>(row));
}

void DeletionVector::RowsInRange(uint64_t begin, uint64_t end, std::vector<uint32_t>* out) const {
  for (const Bucket& b : buckets_) {
    const uint64_t base = uint64_t{b.key} << 32;
    if (base + (uint64_t{1} << 32) <= begin || base >= end) continue;
    roaring_uint32_iterator_t it;
    roaring_init_iterator(b.bitmap, &it);
    uint32_t from = begin > base ? static_cast<uint32_t>(begin - base) : 0;
    if (!roaring_move_uint32_iterator_equalorlarger(&it, from)) continue;
    while (it.has_value) {
      uint64_t row = base + it.current_value;
      if (row >= end) break;
      out->push_back(static_cast<uint32_t>(row - begin));
      roaring_advance_uint32_iterator(&it);
    }
  }
}

DeletionVector DeletionVector::AndNot(const DeletionVector& other) const {
  DeletionVector out;
  for (const Bucket& b : buckets_) {
    auto it = std::lower_bound(other.buckets_.begin(), other.buckets_.end(), b.key,
                               [](const Bucket& x, uint32_t k) { return x.key < k; });
    roaring_bitmap_t* diff = (it != other.buckets_.end() && it->key == b.key)
                                 ? roaring_bitmap_andnot(b.bitmap, it->bitmap)
                                 : roaring_bitmap_copy(b.bitmap);
    out.buckets_.push_back({b.key, diff});
  }
  return out;
}

std::vector<uint64_t> DeletionVector::ToVector() const {
  std::vector<uint64_t> out;
  for (const Bucket& b : buckets_) {
    std::vector<uint32_t> low(roaring_bitmap_get_cardinality(b.bitmap));
    roaring_bitmap_to_uint32_array(b.bitmap, low.data());
    for (uint32_t v : low) out.push_back((uint64_t{b.key} << 32) | v);
  }
  return out;
}

Result<std::string> RelativeDeletionVectorPath(const DeletionVectorDescriptor& dv) {
  if (dv.storage_type != 'u') {
    return Status::InvalidArgument("only 'u' deletion vectors have a relative file name");
  }
  const std::string& p = dv.path_or_inline_dv;
  if (p.size() < 20) {
    return Status::Corruption("deletion vector path '" + p + "' is shorter than a z85 UUID");
  }
  std::string prefix = p.substr(0, p.size() - 20);
  ASSIGN_OR_RETURN(std::string uuid, Z85Decode(std::string_view(p).substr(p.size() - 20)));
  std::string name = "deletion_vector_" + columnar::FormatUuid(uuid) + ".bin";
  return prefix.empty() ? name : prefix + "/" + name;
}

Result<DeletionVector> ReadDeletionVectorFile(const io::RandomAccessFile& file,
                                              const DeletionVectorDescriptor& dv) {
  const int64_t offset = dv.offset.value_or(1);
  const int64_t size = dv.size_in_bytes;
  auto bad = [&](const std::string& what) {
    return Status::Corruption("deletion vector file " + file.name() + ": " + what);
  };
  if (offset < 1 || size < 4) return bad("invalid offset or size in the descriptor");
  if (offset + 8 + size > file.size()) {
    return bad("the record at offset " + std::to_string(offset) + " (" + std::to_string(size) +
               " bytes) runs past the end of the file (" + std::to_string(file.size()) + " bytes)");
  }
  ASSIGN_OR_RETURN(Buffer version, file.ReadAt(0, 1));
  if (version.data()[0] != 1) {
    return bad("unsupported format version " + std::to_string(version.data()[0]));
  }
  ASSIGN_OR_RETURN(Buffer record, file.ReadAt(offset, size + 8));
  const uint8_t* p = record.data();
  uint32_t stored_size = LoadBE32(p);
  if (stored_size != static_cast<uint32_t>(size)) {
    return bad("stored size " + std::to_string(stored_size) + " differs from sizeInBytes " +
               std::to_string(size));
  }
  uint32_t expected_crc = LoadBE32(p + 4 + size);
  uint32_t crc = static_cast<uint32_t>(crc32(0L, p + 4, static_cast<uInt>(size)));
  if (crc != expected_crc) return bad("CRC-32 mismatch");
  auto out = DeletionVector::Deserialize(
      std::string_view(reinterpret_cast<const char*>(p + 4), static_cast<size_t>(size)));
  if (!out.ok()) return bad(out.status().message());
  return out;
}

Result<DeletionVector> LoadDeletionVector(const DeletionVectorDescriptor& dv,
                                          const DeletionVectorFileOpener& open) {
  Result<DeletionVector> out = Status::Internal("unset");
  if (dv.storage_type == 'i') {
    ASSIGN_OR_RETURN(std::string bytes, Z85Decode(dv.path_or_inline_dv));
    if (dv.size_in_bytes < 0 || static_cast<size_t>(dv.size_in_bytes) > bytes.size()) {
      return Status::Corruption("inline deletion vector shorter than its sizeInBytes");
    }
    bytes.resize(static_cast<size_t>(dv.size_in_bytes));
    out = DeletionVector::Deserialize(bytes);
  } else if (dv.storage_type == 'u' || dv.storage_type == 'p') {
    ASSIGN_OR_RETURN(io::RandomAccessFilePtr file, open(dv));
    out = ReadDeletionVectorFile(*file, dv);
  } else {
    return Status::NotSupported(std::string("deletion vector storage type '") + dv.storage_type +
                                "' is not supported");
  }
  if (!out.ok()) return out;
  if (static_cast<int64_t>(out->cardinality()) != dv.cardinality) {
    return Status::Corruption("deletion vector holds " + std::to_string(out->cardinality()) +
                              " rows but its descriptor says " + std::to_string(dv.cardinality));
  }
  return out;
}

}  // namespace ds::delta
