// Deletion vectors (delta.md §5): z85 text, the `.bin` file framing, and the 64-bit
// RoaringBitmapArray portable format. The decoder is written against the format and checks
// every length, order and count before handing values to CRoaring, so hostile bytes yield a
// Corruption, never undefined behaviour.
//
// DeletionVector is move-only and immutable after construction; const methods are
// thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "delta/actions.h"
#include "io/file.h"

struct roaring_bitmap_s;

namespace ds::delta {

// The portable RoaringBitmapArray magic (u32 little-endian at the start of the bitmap).
constexpr uint32_t kDeletionVectorMagic = 1681511377;

// Z85 (ZeroMQ RFC 32) decoding; the length must be a multiple of 5 and every character in
// the alphabet (Corruption otherwise). Groups beyond 32 bits wrap, as Delta's decoder does.
Result<std::string> Z85Decode(std::string_view text);
std::string Z85Encode(std::string_view bytes);  // length must be a multiple of 4

class DeletionVector {
 public:
  DeletionVector() = default;
  ~DeletionVector();
  DeletionVector(DeletionVector&& other) noexcept;
  DeletionVector& operator=(DeletionVector&& other) noexcept;
  DeletionVector(const DeletionVector&) = delete;
  DeletionVector& operator=(const DeletionVector&) = delete;

  // Decodes magic + RoaringBitmapArray bytes: the portable layout, or Spark's native one
  // (big-endian magic 1681511376, as in the spec's inline example). Corruption naming the
  // flaw (bad magic, truncation, unsorted keys or values, a count that does not match).
  static Result<DeletionVector> Deserialize(std::string_view bytes);
  // A vector of the given sorted, distinct row indexes (tests, CDF set operations).
  static DeletionVector FromRows(const std::vector<uint64_t>& rows);

  uint64_t cardinality() const;
  bool empty() const { return cardinality() == 0; }
  bool Contains(uint64_t row) const;
  // Appends the rows in [begin, end) that are set, as offsets from `begin`, ascending.
  void RowsInRange(uint64_t begin, uint64_t end, std::vector<uint32_t>* out) const;
  // Rows in this vector and not in `other`.
  DeletionVector AndNot(const DeletionVector& other) const;
  // All rows, ascending (tests).
  std::vector<uint64_t> ToVector() const;

 private:
  struct Bucket {
    uint32_t key;  // the high 32 bits of the row index
    roaring_bitmap_s* bitmap;
  };
  void Clear();
  std::vector<Bucket> buckets_;
};

// The file of a 'u' descriptor relative to the table root
// ("ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin"). Corruption for a bad
// z85 UUID; InvalidArgument for other storage types.
Result<std::string> RelativeDeletionVectorPath(const DeletionVectorDescriptor& dv);

// Reads and checks one DV record of a `.bin` file: format version byte 1, big-endian size
// equal to sizeInBytes, the bitmap, and a big-endian CRC-32 of it.
Result<DeletionVector> ReadDeletionVectorFile(const io::RandomAccessFile& file,
                                              const DeletionVectorDescriptor& dv);

// Opens the file holding a 'u' or 'p' DV (the caller resolves the location).
using DeletionVectorFileOpener =
    std::function<Result<io::RandomAccessFilePtr>(const DeletionVectorDescriptor& dv)>;

// Loads any descriptor: inline ('i') from the descriptor itself, 'u'/'p' through `open`.
// Also checks that the decoded cardinality matches the descriptor. NotSupported for other
// storage types.
Result<DeletionVector> LoadDeletionVector(const DeletionVectorDescriptor& dv,
                                          const DeletionVectorFileOpener& open);

}  // namespace ds::delta
