// Decoding of Parquet min/max statistics into Scalars, with the rules that decide when the
// bytes in a file can be trusted (parquet.md §3.2).
//
// min/max come out in the representation the reader gives values (ColumnDescriptor::type):
// INT_8 -> int8, UINT_32 -> uint32, decimals -> int128 unscaled (big-endian sign-extended
// for FIXED_LEN_BYTE_ARRAY/BYTE_ARRAY), FLOAT16 -> float, strings -> bytes. Whenever a rule
// says the bounds may be wrong, they are dropped (null Scalars) and the reason recorded:
//   * min_value/max_value (fields 6/5) need FileMetaData.column_orders with a known order;
//   * legacy min/max (fields 2/1) were computed in signed order: used only for signed
//     orders (ints, dates, times, timestamps, decimals, booleans, FLOAT/DOUBLE) or when
//     min == max; binary ones are ignored from parquet-mr < 1.10, parquet-cpp < 1.3.0 or a
//     file without created_by;
//   * all statistics of parquet-mr < 1.8.0 (or without a version) are ignored (PARQUET-251);
//   * INT96, INTERVAL, GEOMETRY/GEOGRAPHY, UNKNOWN and unrecognized logical types have no
//     usable order;
//   * floats: NaN bounds are dropped (both, under TYPE_ORDER); a +0 min becomes -0 and a -0
//     max +0 (TYPE_ORDER lets writers drop the sign of zero bounds);
//   * values of the wrong size, outside their annotated range or precision, and min > max.
// Bounds that are truncated (is_*_value_exact = false) are still bounds: min <= every value
// <= max. Counts that are negative or exceed num_values are dropped. An absent null_count
// means unknown, never 0.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "columnar/scalar.h"
#include "parquet/format/parquet_types.h"
#include "parquet/schema.h"
#include "util/result.h"

namespace ds::parquet {

class FileReader;

struct ColumnChunkStats {
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<int64_t> nan_count;  // floating-point columns only
  columnar::Scalar min;              // null Scalar when absent or unusable
  columnar::Scalar max;
  // False when the bound may be truncated (binary values whose writer did not say).
  bool min_exact = true;
  bool max_exact = true;
  // Level entries of the chunk or page (nulls included; list entries for repeated columns).
  int64_t num_values = 0;
  // The chunk or page carries a Statistics struct at all.
  bool present = false;
  // Why min/max (or all statistics) were dropped, "; "-separated; empty if nothing was.
  std::string unusable_reason;

  bool has_min() const { return !min.is_null(); }
  bool has_max() const { return !max.is_null(); }
  // Every value is null (requires a known null_count).
  bool all_null() const { return null_count && *null_count == num_values; }
};

// The writer of a file, from FileMetaData.created_by ("parquet-mr version 1.10.1 (build x)").
struct WriterVersion {
  std::string app;  // "parquet-mr", "parquet-cpp-arrow", ...; empty if unparseable
  bool has_version = false;
  int major = 0;
  int minor = 0;
  int patch = 0;

  // True if the version parsed and is below major.minor.patch.
  bool Below(int major, int minor, int patch) const;
};
WriterVersion ParseCreatedBy(std::string_view created_by);

// Which bound a value is; truncated FIXED_LEN_BYTE_ARRAY bounds are padded towards it.
enum class StatBound { kMin, kMax };

// Decodes one statistics value (PLAIN bytes; BYTE_ARRAY without its length prefix) of
// `column`. A FIXED_LEN_BYTE_ARRAY binary value shorter than the width is a truncated bound:
// it is padded with 0x00 (min) or 0xFF (max) and *exact, if given, set to false.
// InvalidArgument with the reason if the bytes cannot be a value of the column.
Result<columnar::Scalar> DecodeStatValue(const ColumnDescriptor& column, std::string_view bytes,
                                         StatBound bound, bool* exact = nullptr);

// Applies the rules above to `stats` (a column chunk's or a data page header's; null for
// none) of `column` in a file with `metadata`. `num_values` is the chunk's or page's.
ColumnChunkStats DecodeStatistics(const format::FileMetaData& metadata,
                                  const ColumnDescriptor& column, const format::Statistics* stats,
                                  int64_t num_values);

// The statistics of one column chunk. NotSupported if the chunk has no plaintext metadata.
Result<ColumnChunkStats> DecodeChunkStatistics(const format::FileMetaData& metadata,
                                               const ColumnDescriptor& column,
                                               const format::ColumnChunk& chunk);
// Same, for leaf `column` of `row_group`; InvalidArgument if either is out of range.
Result<ColumnChunkStats> DecodeChunkStatistics(const FileReader& reader, int row_group, int column);

}  // namespace ds::parquet
