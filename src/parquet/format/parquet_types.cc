// Names of the Parquet enums, for messages and metadata dumps.
#include "parquet/format/parquet_types.h"

namespace ds::parquet::format {
namespace {

constexpr std::string_view kUnknownName = "UNKNOWN";

// Looks `v` up in a table indexed by value.
template <typename E, size_t N>
std::string_view Lookup(E v, const std::string_view (&names)[N]) {
  const auto i = static_cast<int64_t>(v);
  if (i < 0 || i >= static_cast<int64_t>(N) || names[i].empty()) return kUnknownName;
  return names[i];
}

}  // namespace

std::string_view TypeName(Type t) {
  static constexpr std::string_view kNames[] = {
      "BOOLEAN", "INT32",  "INT64",      "INT96",
      "FLOAT",   "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
  return Lookup(t, kNames);
}

std::string_view RepetitionName(FieldRepetitionType r) {
  static constexpr std::string_view kNames[] = {"REQUIRED", "OPTIONAL", "REPEATED"};
  return Lookup(r, kNames);
}

std::string_view ConvertedTypeName(ConvertedType c) {
  static constexpr std::string_view kNames[] = {"UTF8",
                                                "MAP",
                                                "MAP_KEY_VALUE",
                                                "LIST",
                                                "ENUM",
                                                "DECIMAL",
                                                "DATE",
                                                "TIME_MILLIS",
                                                "TIME_MICROS",
                                                "TIMESTAMP_MILLIS",
                                                "TIMESTAMP_MICROS",
                                                "UINT_8",
                                                "UINT_16",
                                                "UINT_32",
                                                "UINT_64",
                                                "INT_8",
                                                "INT_16",
                                                "INT_32",
                                                "INT_64",
                                                "JSON",
                                                "BSON",
                                                "INTERVAL"};
  return Lookup(c, kNames);
}

std::string_view EncodingName(Encoding e) {
  static constexpr std::string_view kNames[] = {"PLAIN",
                                                "",
                                                "PLAIN_DICTIONARY",
                                                "RLE",
                                                "BIT_PACKED",
                                                "DELTA_BINARY_PACKED",
                                                "DELTA_LENGTH_BYTE_ARRAY",
                                                "DELTA_BYTE_ARRAY",
                                                "RLE_DICTIONARY",
                                                "BYTE_STREAM_SPLIT",
                                                "ALP"};
  return Lookup(e, kNames);
}

std::string_view CodecName(CompressionCodec c) {
  static constexpr std::string_view kNames[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                                "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
  return Lookup(c, kNames);
}

std::string_view PageTypeName(PageType p) {
  static constexpr std::string_view kNames[] = {"DATA_PAGE", "INDEX_PAGE", "DICTIONARY_PAGE",
                                                "DATA_PAGE_V2"};
  return Lookup(p, kNames);
}

std::string_view BoundaryOrderName(BoundaryOrder b) {
  static constexpr std::string_view kNames[] = {"UNORDERED", "ASCENDING", "DESCENDING"};
  return Lookup(b, kNames);
}

std::string_view TimeUnitName(TimeUnit u) {
  static constexpr std::string_view kNames[] = {"", "MILLIS", "MICROS", "NANOS"};
  return Lookup(u, kNames);
}

std::string_view LogicalTypeName(LogicalType::Kind k) {
  static constexpr std::string_view kNames[] = {
      "",     "STRING",    "MAP",     "LIST",     "ENUM",     "DECIMAL", "DATE",
      "TIME", "TIMESTAMP", "",        "INTEGER",  "UNKNOWN",  "JSON",    "BSON",
      "UUID", "FLOAT16",   "VARIANT", "GEOMETRY", "GEOGRAPHY"};
  if (k == LogicalType::Kind::kUnrecognized) return "UNRECOGNIZED";
  return Lookup(k, kNames);
}

std::string ToString(const LogicalType& t) {
  using K = LogicalType::Kind;
  std::string out(LogicalTypeName(t.kind));
  switch (t.kind) {
    case K::kDecimal:
      out +=
          "(" + std::to_string(t.decimal_precision) + "," + std::to_string(t.decimal_scale) + ")";
      break;
    case K::kTime:
    case K::kTimestamp:
      out += "(" + std::string(TimeUnitName(t.unit)) + (t.is_adjusted_to_utc ? ",utc)" : ",local)");
      break;
    case K::kInteger:
      out += "(" + std::to_string(t.bit_width) + (t.is_signed ? ",signed)" : ",unsigned)");
      break;
    case K::kVariant:
      if (t.variant_specification_version) {
        out += "(" + std::to_string(*t.variant_specification_version) + ")";
      }
      break;
    case K::kGeometry:
    case K::kGeography:
      if (t.crs) out += "(" + *t.crs + ")";
      break;
    default:
      break;
  }
  return out;
}

std::string_view ColumnOrderName(ColumnOrder::Kind k) {
  switch (k) {
    case ColumnOrder::Kind::kTypeOrder:
      return "TYPE_ORDER";
    case ColumnOrder::Kind::kIeee754TotalOrder:
      return "IEEE_754_TOTAL_ORDER";
    case ColumnOrder::Kind::kInt96TimestampOrder:
      return "INT96_TIMESTAMP_ORDER";
    case ColumnOrder::Kind::kUnknown:
      break;
  }
  return kUnknownName;
}

}  // namespace ds::parquet::format
