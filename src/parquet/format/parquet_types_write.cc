// Encoding of the Parquet metadata structs: required fields always, optional ones when set,
// in ascending id order.
#include <type_traits>

#include "parquet/format/compact_protocol.h"
#include "parquet/format/parquet_types.h"
#include "parquet/format/thrift_traits_internal.h"

namespace ds::parquet::format {
namespace {

using internal::kIsThriftEnum;
using internal::WireOf;
using W = CompactWriter;

void Encode(W& w, const LogicalType& v);
void Encode(W& w, const Statistics& v);
void Encode(W& w, const SchemaElement& v);
void Encode(W& w, const KeyValue& v);
void Encode(W& w, const ColumnOrder& v);
void Encode(W& w, const SortingColumn& v);
void Encode(W& w, const PageEncodingStats& v);
void Encode(W& w, const SizeStatistics& v);
void Encode(W& w, const BoundingBox& v);
void Encode(W& w, const GeospatialStatistics& v);
void Encode(W& w, const ColumnMetaData& v);
void Encode(W& w, const ColumnChunk& v);
void Encode(W& w, const RowGroup& v);
void Encode(W& w, const DataPageHeader& v);
void Encode(W& w, const DataPageHeaderV2& v);
void Encode(W& w, const DictionaryPageHeader& v);
void Encode(W& w, const PageLocation& v);

void Encode(W& w, int8_t v) { w.WriteI8(v); }
void Encode(W& w, int16_t v) { w.WriteI16(v); }
void Encode(W& w, int32_t v) { w.WriteI32(v); }
void Encode(W& w, int64_t v) { w.WriteI64(v); }
void Encode(W& w, double v) { w.WriteDouble(v); }
void Encode(W& w, const std::string& v) { w.WriteBinary(v); }

template <typename E>
requires kIsThriftEnum<E>
void Encode(W& w, E v) { w.WriteI32(static_cast<int32_t>(v)); }

template <typename T>
void Encode(W& w, const std::vector<T>& v) {
  w.WriteListHeader(WireOf<T>(), static_cast<uint32_t>(v.size()));
  for (const auto& e : v) {
    if constexpr (std::is_same_v<T, bool>) {
      w.WriteListBool(e);
    } else {
      Encode(w, e);
    }
  }
}

// Writes field `id` with value `v`.
template <typename T>
void Put(W& w, int16_t id, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    w.WriteBoolField(id, v);
  } else {
    w.WriteFieldHeader(id, WireOf<T>());
    Encode(w, v);
  }
}

// Writes field `id` if `v` is set.
template <typename T>
void Put(W& w, int16_t id, const std::optional<T>& v) {
  if (v) Put(w, id, *v);
}

// Writes field `id` as an empty struct (an empty union member).
void PutEmpty(W& w, int16_t id) {
  w.WriteFieldHeader(id, WireType::kStruct);
  w.BeginStruct();
  w.EndStruct();
}

// ---- LogicalType ----

void EncodeTime(W& w, const LogicalType& v) {
  w.BeginStruct();
  Put(w, 1, v.is_adjusted_to_utc);
  w.WriteFieldHeader(2, WireType::kStruct);
  w.BeginStruct();  // the TimeUnit union
  PutEmpty(w, static_cast<int16_t>(v.unit));
  w.EndStruct();
  w.EndStruct();
}

// REQUIRES: v.kind != kUnrecognized.
void Encode(W& w, const LogicalType& v) {
  using K = LogicalType::Kind;
  w.BeginStruct();
  const auto id = static_cast<int16_t>(v.kind);
  w.WriteFieldHeader(id, WireType::kStruct);
  switch (v.kind) {
    case K::kDecimal:
      w.BeginStruct();
      Put(w, 1, v.decimal_scale);
      Put(w, 2, v.decimal_precision);
      w.EndStruct();
      break;
    case K::kTime:
    case K::kTimestamp:
      EncodeTime(w, v);
      break;
    case K::kInteger:
      w.BeginStruct();
      Put(w, 1, v.bit_width);
      Put(w, 2, v.is_signed);
      w.EndStruct();
      break;
    case K::kVariant:
      w.BeginStruct();
      Put(w, 1, v.variant_specification_version);
      w.EndStruct();
      break;
    case K::kGeometry:
    case K::kGeography:
      w.BeginStruct();
      Put(w, 1, v.crs);
      if (v.kind == K::kGeography) Put(w, 2, v.edge_algorithm);
      w.EndStruct();
      break;
    default:  // members without fields
      w.BeginStruct();
      w.EndStruct();
      break;
  }
  w.EndStruct();
}

// ---- Schema and statistics ----

void Encode(W& w, const Statistics& v) {
  w.BeginStruct();
  Put(w, 1, v.max);
  Put(w, 2, v.min);
  Put(w, 3, v.null_count);
  Put(w, 4, v.distinct_count);
  Put(w, 5, v.max_value);
  Put(w, 6, v.min_value);
  Put(w, 7, v.is_max_value_exact);
  Put(w, 8, v.is_min_value_exact);
  Put(w, 9, v.nan_count);
  w.EndStruct();
}

void Encode(W& w, const SchemaElement& v) {
  w.BeginStruct();
  Put(w, 1, v.type);
  Put(w, 2, v.type_length);
  Put(w, 3, v.repetition_type);
  Put(w, 4, v.name);
  Put(w, 5, v.num_children);
  Put(w, 6, v.converted_type);
  Put(w, 7, v.scale);
  Put(w, 8, v.precision);
  Put(w, 9, v.field_id);
  if (v.logical_type && v.logical_type->kind != LogicalType::Kind::kUnrecognized) {
    Put(w, 10, *v.logical_type);
  }
  w.EndStruct();
}

void Encode(W& w, const KeyValue& v) {
  w.BeginStruct();
  Put(w, 1, v.key);
  Put(w, 2, v.value);
  w.EndStruct();
}

void Encode(W& w, const ColumnOrder& v) {
  w.BeginStruct();
  if (v.kind != ColumnOrder::Kind::kUnknown) {
    PutEmpty(w, static_cast<int16_t>(v.kind));
  } else if (v.unknown_id > 3) {
    PutEmpty(w, v.unknown_id);
  }
  w.EndStruct();
}

void Encode(W& w, const SortingColumn& v) {
  w.BeginStruct();
  Put(w, 1, v.column_idx);
  Put(w, 2, v.descending);
  Put(w, 3, v.nulls_first);
  w.EndStruct();
}

void Encode(W& w, const PageEncodingStats& v) {
  w.BeginStruct();
  Put(w, 1, v.page_type);
  Put(w, 2, v.encoding);
  Put(w, 3, v.count);
  w.EndStruct();
}

void Encode(W& w, const SizeStatistics& v) {
  w.BeginStruct();
  Put(w, 1, v.unencoded_byte_array_data_bytes);
  Put(w, 2, v.repetition_level_histogram);
  Put(w, 3, v.definition_level_histogram);
  w.EndStruct();
}

void Encode(W& w, const BoundingBox& v) {
  w.BeginStruct();
  Put(w, 1, v.xmin);
  Put(w, 2, v.xmax);
  Put(w, 3, v.ymin);
  Put(w, 4, v.ymax);
  Put(w, 5, v.zmin);
  Put(w, 6, v.zmax);
  Put(w, 7, v.mmin);
  Put(w, 8, v.mmax);
  w.EndStruct();
}

void Encode(W& w, const GeospatialStatistics& v) {
  w.BeginStruct();
  Put(w, 1, v.bbox);
  Put(w, 2, v.geospatial_types);
  w.EndStruct();
}

// ---- Footer ----

void Encode(W& w, const ColumnMetaData& v) {
  w.BeginStruct();
  Put(w, 1, v.type);
  Put(w, 2, v.encodings);
  Put(w, 3, v.path_in_schema);
  Put(w, 4, v.codec);
  Put(w, 5, v.num_values);
  Put(w, 6, v.total_uncompressed_size);
  Put(w, 7, v.total_compressed_size);
  Put(w, 8, v.key_value_metadata);
  Put(w, 9, v.data_page_offset);
  Put(w, 10, v.index_page_offset);
  Put(w, 11, v.dictionary_page_offset);
  Put(w, 12, v.statistics);
  Put(w, 13, v.encoding_stats);
  Put(w, 14, v.bloom_filter_offset);
  Put(w, 15, v.bloom_filter_length);
  Put(w, 16, v.size_statistics);
  Put(w, 17, v.geospatial_statistics);
  w.EndStruct();
}

void Encode(W& w, const ColumnChunk& v) {
  w.BeginStruct();
  Put(w, 1, v.file_path);
  Put(w, 2, v.file_offset);
  Put(w, 3, v.meta_data);
  Put(w, 4, v.offset_index_offset);
  Put(w, 5, v.offset_index_length);
  Put(w, 6, v.column_index_offset);
  Put(w, 7, v.column_index_length);
  w.EndStruct();
}

void Encode(W& w, const RowGroup& v) {
  w.BeginStruct();
  Put(w, 1, v.columns);
  Put(w, 2, v.total_byte_size);
  Put(w, 3, v.num_rows);
  Put(w, 4, v.sorting_columns);
  Put(w, 5, v.file_offset);
  Put(w, 6, v.total_compressed_size);
  Put(w, 7, v.ordinal);
  w.EndStruct();
}

// ---- Pages ----

void Encode(W& w, const DataPageHeader& v) {
  w.BeginStruct();
  Put(w, 1, v.num_values);
  Put(w, 2, v.encoding);
  Put(w, 3, v.definition_level_encoding);
  Put(w, 4, v.repetition_level_encoding);
  Put(w, 5, v.statistics);
  w.EndStruct();
}

void Encode(W& w, const DataPageHeaderV2& v) {
  w.BeginStruct();
  Put(w, 1, v.num_values);
  Put(w, 2, v.num_nulls);
  Put(w, 3, v.num_rows);
  Put(w, 4, v.encoding);
  Put(w, 5, v.definition_levels_byte_length);
  Put(w, 6, v.repetition_levels_byte_length);
  Put(w, 7, v.is_compressed);
  Put(w, 8, v.statistics);
  w.EndStruct();
}

void Encode(W& w, const DictionaryPageHeader& v) {
  w.BeginStruct();
  Put(w, 1, v.num_values);
  Put(w, 2, v.encoding);
  Put(w, 3, v.is_sorted);
  w.EndStruct();
}

void Encode(W& w, const PageLocation& v) {
  w.BeginStruct();
  Put(w, 1, v.offset);
  Put(w, 2, v.compressed_page_size);
  Put(w, 3, v.first_row_index);
  w.EndStruct();
}

}  // namespace

void Write(const FileMetaData& v, std::string* out) {
  W w(out);
  w.BeginStruct();
  Put(w, 1, v.version);
  Put(w, 2, v.schema);
  Put(w, 3, v.num_rows);
  Put(w, 4, v.row_groups);
  Put(w, 5, v.key_value_metadata);
  Put(w, 6, v.created_by);
  Put(w, 7, v.column_orders);
  w.EndStruct();
}

void Write(const PageHeader& v, std::string* out) {
  W w(out);
  w.BeginStruct();
  Put(w, 1, v.type);
  Put(w, 2, v.uncompressed_page_size);
  Put(w, 3, v.compressed_page_size);
  Put(w, 4, v.crc);
  Put(w, 5, v.data_page_header);
  if (v.has_index_page_header) PutEmpty(w, 6);
  Put(w, 7, v.dictionary_page_header);
  Put(w, 8, v.data_page_header_v2);
  w.EndStruct();
}

void Write(const OffsetIndex& v, std::string* out) {
  W w(out);
  w.BeginStruct();
  Put(w, 1, v.page_locations);
  Put(w, 2, v.unencoded_byte_array_data_bytes);
  w.EndStruct();
}

void Write(const ColumnIndex& v, std::string* out) {
  W w(out);
  w.BeginStruct();
  Put(w, 1, v.null_pages);
  Put(w, 2, v.min_values);
  Put(w, 3, v.max_values);
  Put(w, 4, v.boundary_order);
  Put(w, 5, v.null_counts);
  Put(w, 6, v.repetition_level_histograms);
  Put(w, 7, v.definition_level_histograms);
  Put(w, 8, v.nan_counts);
  w.EndStruct();
}

void Write(const BloomFilterHeader& v, std::string* out) {
  W w(out);
  w.BeginStruct();
  Put(w, 1, v.num_bytes);
  // Unknown members cannot be reproduced: write the only known one, or an empty union.
  const bool members[] = {v.algorithm == BloomFilterAlgorithm::kBlock,
                          v.hash == BloomFilterHash::kXxHash,
                          v.compression == BloomFilterCompression::kUncompressed};
  for (int i = 0; i < 3; ++i) {
    w.WriteFieldHeader(static_cast<int16_t>(i + 2), WireType::kStruct);
    w.BeginStruct();
    if (members[i]) PutEmpty(w, 1);
    w.EndStruct();
  }
  w.EndStruct();
}

}  // namespace ds::parquet::format
