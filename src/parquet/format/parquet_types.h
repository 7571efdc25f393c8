// Parquet metadata structs (parquet.thrift) and their compact-protocol codec.
//
// Plain structs that mirror the IDL (see /work/shared/docs/parquet.md §1.3-1.4): required
// fields are plain members, optional ones std::optional. Enums keep unknown wire values as
// their integer; the layers above decide what is an error. Unknown fields and union members
// are skipped; a missing required field is Corruption naming the struct and the field.
// Encryption structs are reduced to presence flags, which the writers never emit.
//
// Thread-safety: plain values; the functions are reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/buffer.h"
#include "util/result.h"

namespace ds::parquet::format {

// ---- Enums (parquet.md §1.4). Values outside the listed ones may occur. ----

enum class Type : int32_t {
  BOOLEAN = 0,
  INT32 = 1,
  INT64 = 2,
  INT96 = 3,
  FLOAT = 4,
  DOUBLE = 5,
  BYTE_ARRAY = 6,
  FIXED_LEN_BYTE_ARRAY = 7,
};

enum class FieldRepetitionType : int32_t { REQUIRED = 0, OPTIONAL = 1, REPEATED = 2 };

enum class ConvertedType : int32_t {
  UTF8 = 0,
  MAP = 1,
  MAP_KEY_VALUE = 2,
  LIST = 3,
  ENUM = 4,
  DECIMAL = 5,
  DATE = 6,
  TIME_MILLIS = 7,
  TIME_MICROS = 8,
  TIMESTAMP_MILLIS = 9,
  TIMESTAMP_MICROS = 10,
  UINT_8 = 11,
  UINT_16 = 12,
  UINT_32 = 13,
  UINT_64 = 14,
  INT_8 = 15,
  INT_16 = 16,
  INT_32 = 17,
  INT_64 = 18,
  JSON = 19,
  BSON = 20,
  INTERVAL = 21,
};

enum class Encoding : int32_t {
  PLAIN = 0,
  PLAIN_DICTIONARY = 2,
  RLE = 3,
  BIT_PACKED = 4,
  DELTA_BINARY_PACKED = 5,
  DELTA_LENGTH_BYTE_ARRAY = 6,
  DELTA_BYTE_ARRAY = 7,
  RLE_DICTIONARY = 8,
  BYTE_STREAM_SPLIT = 9,
  ALP = 10,  // preview
};

enum class CompressionCodec : int32_t {
  UNCOMPRESSED = 0,
  SNAPPY = 1,
  GZIP = 2,
  LZO = 3,
  BROTLI = 4,
  LZ4 = 5,  // deprecated Hadoop framing
  ZSTD = 6,
  LZ4_RAW = 7,
};

enum class PageType : int32_t {
  DATA_PAGE = 0,
  INDEX_PAGE = 1,
  DICTIONARY_PAGE = 2,
  DATA_PAGE_V2 = 3,
};

enum class BoundaryOrder : int32_t { UNORDERED = 0, ASCENDING = 1, DESCENDING = 2 };

enum class EdgeInterpolationAlgorithm : int32_t {
  SPHERICAL = 0,
  VINCENTY = 1,
  THOMAS = 2,
  ANDOYER = 3,
  KARNEY = 4,
};

// The TimeUnit union; the values are its member ids.
enum class TimeUnit : int32_t { kMillis = 1, kMicros = 2, kNanos = 3 };

// ---- Structs (parquet.md §1.3) ----

// The LogicalType union, flattened: `kind` names the member; only that member's fields
// are meaningful. An unknown member (or a TIME/TIMESTAMP with an unknown unit) reads as
// kUnrecognized, which writers omit.
struct LogicalType {
  enum class Kind {
    kString = 1,
    kMap = 2,
    kList = 3,
    kEnum = 4,
    kDecimal = 5,
    kDate = 6,
    kTime = 7,
    kTimestamp = 8,
    kInteger = 10,
    kUnknown = 11,  // the "always null" UNKNOWN member, not an unrecognized one
    kJson = 12,
    kBson = 13,
    kUuid = 14,
    kFloat16 = 15,
    kVariant = 16,
    kGeometry = 17,
    kGeography = 18,
    kUnrecognized = -1,
  };
  Kind kind = Kind::kUnrecognized;
  // kDecimal
  int32_t decimal_scale = 0;
  int32_t decimal_precision = 0;
  // kTime, kTimestamp
  bool is_adjusted_to_utc = false;
  TimeUnit unit = TimeUnit::kMillis;
  // kInteger
  int8_t bit_width = 0;
  bool is_signed = false;
  // kVariant
  std::optional<int8_t> variant_specification_version;
  // kGeometry, kGeography
  std::optional<std::string> crs;
  std::optional<EdgeInterpolationAlgorithm> edge_algorithm;  // kGeography only

  bool operator==(const LogicalType&) const = default;
};

struct Statistics {
  std::optional<std::string> max;  // deprecated, signed order
  std::optional<std::string> min;  // deprecated, signed order
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<std::string> max_value;
  std::optional<std::string> min_value;
  std::optional<bool> is_max_value_exact;
  std::optional<bool> is_min_value_exact;
  std::optional<int64_t> nan_count;

  bool operator==(const Statistics&) const = default;
};

struct SchemaElement {
  std::optional<Type> type;  // leaves only; may hold an invalid value (schema layer checks)
  std::optional<int32_t> type_length;
  std::optional<FieldRepetitionType> repetition_type;
  std::string name;  // required
  std::optional<int32_t> num_children;
  std::optional<ConvertedType> converted_type;
  std::optional<int32_t> scale;
  std::optional<int32_t> precision;
  std::optional<int32_t> field_id;
  std::optional<LogicalType> logical_type;

  bool operator==(const SchemaElement&) const = default;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;  // absent differs from ""

  bool operator==(const KeyValue&) const = default;
};

// The ColumnOrder union. kUnknown: min/max statistics must be ignored; `unknown_id` keeps
// the member id so that writers can reproduce it (as an empty struct).
struct ColumnOrder {
  enum class Kind { kTypeOrder = 1, kIeee754TotalOrder = 2, kInt96TimestampOrder = 3, kUnknown };
  Kind kind = Kind::kTypeOrder;
  int16_t unknown_id = 0;

  bool operator==(const ColumnOrder&) const = default;
};

struct SortingColumn {
  int32_t column_idx = 0;
  bool descending = false;
  bool nulls_first = false;

  bool operator==(const SortingColumn&) const = default;
};

struct PageEncodingStats {
  PageType page_type = PageType::DATA_PAGE;
  Encoding encoding = Encoding::PLAIN;
  int32_t count = 0;

  bool operator==(const PageEncodingStats&) const = default;
};

struct SizeStatistics {
  std::optional<int64_t> unencoded_byte_array_data_bytes;
  std::optional<std::vector<int64_t>> repetition_level_histogram;
  std::optional<std::vector<int64_t>> definition_level_histogram;

  bool operator==(const SizeStatistics&) const = default;
};

struct BoundingBox {
  double xmin = 0;
  double xmax = 0;
  double ymin = 0;
  double ymax = 0;
  std::optional<double> zmin;
  std::optional<double> zmax;
  std::optional<double> mmin;
  std::optional<double> mmax;

  bool operator==(const BoundingBox&) const = default;  // NaN bounds compare unequal
};

struct GeospatialStatistics {
  std::optional<BoundingBox> bbox;
  std::optional<std::vector<int32_t>> geospatial_types;  // WKB type codes

  bool operator==(const GeospatialStatistics&) const = default;
};

struct ColumnMetaData {
  Type type = Type::BOOLEAN;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  CompressionCodec codec = CompressionCodec::UNCOMPRESSED;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  std::optional<std::vector<KeyValue>> key_value_metadata;
  int64_t data_page_offset = 0;
  std::optional<int64_t> index_page_offset;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
  std::optional<std::vector<PageEncodingStats>> encoding_stats;
  std::optional<int64_t> bloom_filter_offset;
  std::optional<int32_t> bloom_filter_length;
  std::optional<SizeStatistics> size_statistics;
  std::optional<GeospatialStatistics> geospatial_statistics;

  bool operator==(const ColumnMetaData&) const = default;
};

struct ColumnChunk {
  std::optional<std::string> file_path;  // external data file
  int64_t file_offset = 0;               // deprecated: write 0, ignore
  std::optional<ColumnMetaData> meta_data;
  std::optional<int64_t> offset_index_offset;
  std::optional<int32_t> offset_index_length;
  std::optional<int64_t> column_index_offset;
  std::optional<int32_t> column_index_length;
  // Presence of ColumnCryptoMetaData (8) and encrypted_column_metadata (9). Never written.
  bool has_crypto_metadata = false;
  bool has_encrypted_column_metadata = false;

  bool operator==(const ColumnChunk&) const = default;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<std::vector<SortingColumn>> sorting_columns;
  std::optional<int64_t> file_offset;
  std::optional<int64_t> total_compressed_size;
  std::optional<int16_t> ordinal;

  bool operator==(const RowGroup&) const = default;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::optional<std::vector<KeyValue>> key_value_metadata;
  std::optional<std::string> created_by;
  std::optional<std::vector<ColumnOrder>> column_orders;
  // encryption_algorithm (8) present: a plaintext-footer encrypted file. Never written.
  bool has_encryption_algorithm = false;

  bool operator==(const FileMetaData&) const = default;
};

struct DataPageHeader {
  int32_t num_values = 0;  // level entries, nulls included
  Encoding encoding = Encoding::PLAIN;
  Encoding definition_level_encoding = Encoding::RLE;
  Encoding repetition_level_encoding = Encoding::RLE;
  std::optional<Statistics> statistics;

  bool operator==(const DataPageHeader&) const = default;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::PLAIN;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  std::optional<bool> is_compressed;  // absent means true
  std::optional<Statistics> statistics;

  bool operator==(const DataPageHeaderV2&) const = default;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::PLAIN;
  std::optional<bool> is_sorted;

  bool operator==(const DictionaryPageHeader&) const = default;
};

struct PageHeader {
  PageType type = PageType::DATA_PAGE;
  int32_t uncompressed_page_size = 0;  // bytes after the header, decompressed
  int32_t compressed_page_size = 0;    // bytes after the header, as stored
  std::optional<int32_t> crc;
  std::optional<DataPageHeader> data_page_header;
  bool has_index_page_header = false;  // IndexPageHeader is an empty struct
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;

  bool operator==(const PageHeader&) const = default;
};

struct PageLocation {
  int64_t offset = 0;
  int32_t compressed_page_size = 0;  // header included
  int64_t first_row_index = 0;       // relative to the row group

  bool operator==(const PageLocation&) const = default;
};

struct OffsetIndex {
  std::vector<PageLocation> page_locations;
  std::optional<std::vector<int64_t>> unencoded_byte_array_data_bytes;

  bool operator==(const OffsetIndex&) const = default;
};

struct ColumnIndex {
  std::vector<bool> null_pages;
  std::vector<std::string> min_values;
  std::vector<std::string> max_values;
  BoundaryOrder boundary_order = BoundaryOrder::UNORDERED;
  std::optional<std::vector<int64_t>> null_counts;
  std::optional<std::vector<int64_t>> repetition_level_histograms;
  std::optional<std::vector<int64_t>> definition_level_histograms;
  std::optional<std::vector<int64_t>> nan_counts;

  bool operator==(const ColumnIndex&) const = default;
};

// The three single-member unions of BloomFilterHeader; kUnknown = an unrecognized member.
enum class BloomFilterAlgorithm { kBlock, kUnknown };
enum class BloomFilterHash { kXxHash, kUnknown };
enum class BloomFilterCompression { kUncompressed, kUnknown };

struct BloomFilterHeader {
  int32_t num_bytes = 0;
  BloomFilterAlgorithm algorithm = BloomFilterAlgorithm::kBlock;
  BloomFilterHash hash = BloomFilterHash::kXxHash;
  BloomFilterCompression compression = BloomFilterCompression::kUncompressed;

  bool operator==(const BloomFilterHeader&) const = default;
};

// ---- Readers. All return Corruption for malformed bytes ("parquet: ColumnMetaData missing
// required field 'codec'", "parquet: thrift varint longer than 5 bytes at byte 17", ...) and
// never read past `bytes`; bytes after the struct are ignored. Decoded containers may take
// at most 64 * bytes.size() + 4 MiB of memory (more is Corruption), so small inputs cannot
// decode into huge structures. ----

// Decodes the footer struct: the bytes between the data and the 8-byte trailer (with
// plaintext-footer encryption a signature follows the struct). `consumed`, if given,
// receives the struct's length.
Result<FileMetaData> ReadFileMetaData(ByteView bytes, size_t* consumed = nullptr);

// Decodes a page header at the start of `bytes`; *header_size receives its length (the page
// body follows). Negative sizes and counts are Corruption here.
Result<PageHeader> ReadPageHeader(ByteView bytes, size_t* header_size);

Result<OffsetIndex> ReadOffsetIndex(ByteView bytes);
Result<ColumnIndex> ReadColumnIndex(ByteView bytes);

// Decodes a bloom filter header; *header_size receives its length (the bitset follows).
// A negative num_bytes is Corruption; unknown union members read as kUnknown.
Result<BloomFilterHeader> ReadBloomFilterHeader(ByteView bytes, size_t* header_size);

// ---- Writers: append the encoding to *out; every required field and every set optional
// field, ids ascending. Encryption flags, kUnrecognized logical types and unknown
// ColumnOrder members without an id are not written. ----

void Write(const FileMetaData& value, std::string* out);
void Write(const PageHeader& value, std::string* out);
void Write(const OffsetIndex& value, std::string* out);
void Write(const ColumnIndex& value, std::string* out);
void Write(const BloomFilterHeader& value, std::string* out);

// ---- Names for messages and `deltashare parquet meta`: the IDL spelling ("PLAIN",
// "SNAPPY"), or "UNKNOWN" for values outside the enum. ----

std::string_view TypeName(Type t);
std::string_view RepetitionName(FieldRepetitionType r);
std::string_view ConvertedTypeName(ConvertedType c);
std::string_view EncodingName(Encoding e);
std::string_view CodecName(CompressionCodec c);
std::string_view PageTypeName(PageType p);
std::string_view BoundaryOrderName(BoundaryOrder b);
std::string_view TimeUnitName(TimeUnit u);
// "STRING", "DECIMAL", ... ("UNRECOGNIZED" for kUnrecognized).
std::string_view LogicalTypeName(LogicalType::Kind k);
// The logical type with its parameters: "DECIMAL(10,2)", "TIMESTAMP(MICROS,utc)",
// "INTEGER(8,unsigned)".
std::string ToString(const LogicalType& t);
// "TYPE_ORDER", "IEEE_754_TOTAL_ORDER", "INT96_TIMESTAMP_ORDER" or "UNKNOWN".
std::string_view ColumnOrderName(ColumnOrder::Kind k);

}  // namespace ds::parquet::format
