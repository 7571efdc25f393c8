// Decoding of the Parquet metadata structs. Each struct decoder reads field headers until
// STOP, dispatching known ids whose wire type matches the IDL and skipping everything else;
// required fields are tracked in a bit set and checked at the end.
#include <initializer_list>

#include "parquet/format/compact_protocol.h"
#include "parquet/format/parquet_types.h"
#include "parquet/format/thrift_traits_internal.h"

namespace ds::parquet::format {
namespace {

using internal::kIsThriftEnum;
using internal::kIsVector;
using internal::WireOf;
using R = CompactReader;

// Struct decoders, declared up front so the generic templates below find them.
Status Decode(R& r, LogicalType* out);
Status Decode(R& r, Statistics* out);
Status Decode(R& r, SchemaElement* out);
Status Decode(R& r, KeyValue* out);
Status Decode(R& r, ColumnOrder* out);
Status Decode(R& r, SortingColumn* out);
Status Decode(R& r, PageEncodingStats* out);
Status Decode(R& r, SizeStatistics* out);
Status Decode(R& r, ColumnMetaData* out);
Status Decode(R& r, ColumnChunk* out);
Status Decode(R& r, RowGroup* out);
Status Decode(R& r, FileMetaData* out);
Status Decode(R& r, DataPageHeader* out);
Status Decode(R& r, DataPageHeaderV2* out);
Status Decode(R& r, DictionaryPageHeader* out);
Status Decode(R& r, PageHeader* out);
Status Decode(R& r, PageLocation* out);
Status Decode(R& r, OffsetIndex* out);
Status Decode(R& r, ColumnIndex* out);

Status Decode(R& r, int8_t* out) { return r.ReadI8(out); }
Status Decode(R& r, int16_t* out) { return r.ReadI16(out); }
Status Decode(R& r, int32_t* out) { return r.ReadI32(out); }
Status Decode(R& r, int64_t* out) { return r.ReadI64(out); }
Status Decode(R& r, std::string* out) { return r.ReadBinary(out); }

template <typename E>
  requires kIsThriftEnum<E>
Status Decode(R& r, E* out) {
  int32_t v;
  RETURN_NOT_OK(r.ReadI32(&v));
  *out = static_cast<E>(v);
  return Status::OK();
}

// Reads the list value of a field whose wire type is kList. A list whose element type
// differs from T's is skipped and reported as unmatched.
template <typename T>
Status DecodeList(R& r, std::vector<T>* out, bool* matched) {
  ListHeader h;
  RETURN_NOT_OK(r.ReadListHeader(&h));
  if (h.size != 0 && h.elem_type != WireOf<T>()) {
    *matched = false;
    for (uint32_t i = 0; i < h.size; ++i) RETURN_NOT_OK(r.SkipElement(h.elem_type));
    return Status::OK();
  }
  *matched = true;
  out->clear();
  RETURN_NOT_OK(r.Charge(size_t{h.size} * sizeof(T)));
  out->reserve(h.size);
  for (uint32_t i = 0; i < h.size; ++i) {
    if constexpr (std::is_same_v<T, bool>) {
      bool b;
      RETURN_NOT_OK(r.ReadListBool(&b));
      out->push_back(b);
    } else {
      RETURN_NOT_OK(Decode(r, &out->emplace_back()));
    }
  }
  return Status::OK();
}

// Reads field `f` into *out when its wire type is T's; otherwise skips the value.
// *matched (if given) tells which happened.
template <typename T>
Status Field(R& r, const FieldHeader& f, T* out, bool* matched = nullptr) {
  bool dummy;
  if (matched == nullptr) matched = &dummy;
  if constexpr (std::is_same_v<T, bool>) {
    *matched = IsBool(f.type);
    if (*matched) *out = f.bool_value();
    return Status::OK();
  } else {
    if (f.type != WireOf<T>()) {
      *matched = false;
      return r.Skip(f.type);
    }
    if constexpr (kIsVector<T>) {
      return DecodeList(r, out, matched);
    } else {
      *matched = true;
      return Decode(r, out);
    }
  }
}

template <typename T>
Status Field(R& r, const FieldHeader& f, std::optional<T>* out, bool* matched = nullptr) {
  const bool type_ok = std::is_same_v<T, bool> ? IsBool(f.type) : f.type == WireOf<T>();
  if (!type_ok) {
    if (matched) *matched = false;
    return r.Skip(f.type);
  }
  bool m = true;
  RETURN_NOT_OK(Field(r, f, &out->emplace(), &m));
  if (!m) out->reset();
  if (matched) *matched = m;
  return Status::OK();
}

// Required-field bookkeeping: bit i of `seen` stands for the i-th name of the list.
template <typename T>
Status Required(R& r, const FieldHeader& f, T* out, uint32_t* seen, int bit) {
  bool m = false;
  RETURN_NOT_OK(Field(r, f, out, &m));
  if (m) *seen |= 1u << bit;
  return Status::OK();
}

Status CheckRequired(uint32_t seen, const char* strct, std::initializer_list<const char*> names) {
  int bit = 0;
  for (const char* name : names) {
    if ((seen & (1u << bit)) == 0) {
      return Status::Corruption(std::string("parquet: ") + strct + " missing required field '" +
                                name + "'");
    }
    ++bit;
  }
  return Status::OK();
}

// Reads a struct: calls on_field(header) for every field until STOP.
template <typename Fn>
Status ReadStruct(R& r, Fn&& on_field) {
  RETURN_NOT_OK(r.BeginStruct());
  FieldHeader f;
  while (true) {
    RETURN_NOT_OK(r.ReadFieldHeader(&f));
    if (f.is_stop()) break;
    RETURN_NOT_OK(on_field(f));
  }
  r.EndStruct();
  return Status::OK();
}

// ---- LogicalType and its members ----

// TimeUnit union: *known is false for an unrecognized (or no) member.
Status DecodeTimeUnit(R& r, TimeUnit* unit, bool* known) {
  *known = false;
  return ReadStruct(r, [&](const FieldHeader& f) -> Status {
    if (f.type == WireType::kStruct && f.id >= 1 && f.id <= 3) {
      *unit = static_cast<TimeUnit>(f.id);
      *known = true;
    }
    return r.Skip(f.type);
  });
}

Status DecodeTime(R& r, LogicalType* out, LogicalType::Kind kind) {
  uint32_t seen = 0;
  bool unit_known = false;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Required(r, f, &out->is_adjusted_to_utc, &seen, 0);
      case 2:
        if (f.type != WireType::kStruct) break;
        seen |= 2;
        return DecodeTimeUnit(r, &out->unit, &unit_known);
    }
    return r.Skip(f.type);
  }));
  const bool time = kind == LogicalType::Kind::kTime;
  RETURN_NOT_OK(
      CheckRequired(seen, time ? "TimeType" : "TimestampType", {"isAdjustedToUTC", "unit"}));
  out->kind = unit_known ? kind : LogicalType::Kind::kUnrecognized;
  return Status::OK();
}

Status DecodeDecimal(R& r, LogicalType* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->decimal_scale, &seen, 0);
      case 2: return Required(r, f, &out->decimal_precision, &seen, 1);
    }
    return r.Skip(f.type);
  }));
  RETURN_NOT_OK(CheckRequired(seen, "DecimalType", {"scale", "precision"}));
  out->kind = LogicalType::Kind::kDecimal;
  return Status::OK();
}

Status DecodeInteger(R& r, LogicalType* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->bit_width, &seen, 0);
      case 2: return Required(r, f, &out->is_signed, &seen, 1);
    }
    return r.Skip(f.type);
  }));
  RETURN_NOT_OK(CheckRequired(seen, "IntType", {"bitWidth", "isSigned"}));
  out->kind = LogicalType::Kind::kInteger;
  return Status::OK();
}

// VARIANT, GEOMETRY and GEOGRAPHY: all fields optional.
Status DecodeOptionalParams(R& r, LogicalType* out, LogicalType::Kind kind) {
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    if (kind == LogicalType::Kind::kVariant) {
      if (f.id == 1) return Field(r, f, &out->variant_specification_version);
    } else {
      if (f.id == 1) return Field(r, f, &out->crs);
      if (f.id == 2 && kind == LogicalType::Kind::kGeography) {
        return Field(r, f, &out->edge_algorithm);
      }
    }
    return r.Skip(f.type);
  }));
  out->kind = kind;
  return Status::OK();
}

Status Decode(R& r, LogicalType* out) {
  using K = LogicalType::Kind;
  out->kind = K::kUnrecognized;
  return ReadStruct(r, [&](const FieldHeader& f) -> Status {
    if (f.type != WireType::kStruct) return r.Skip(f.type);
    switch (f.id) {
      case 5: return DecodeDecimal(r, out);
      case 7: return DecodeTime(r, out, K::kTime);
      case 8: return DecodeTime(r, out, K::kTimestamp);
      case 10: return DecodeInteger(r, out);
      case 16: return DecodeOptionalParams(r, out, K::kVariant);
      case 17: return DecodeOptionalParams(r, out, K::kGeometry);
      case 18: return DecodeOptionalParams(r, out, K::kGeography);
      case 1: case 2: case 3: case 4: case 6: case 11: case 12: case 13: case 14: case 15:
        out->kind = static_cast<K>(f.id);  // empty member structs
        break;
      default:  // 9 (reserved INTERVAL), 19 (FILE) and future members: not understood
        break;
    }
    return r.Skip(f.type);
  });
}

// ---- Schema and statistics ----

Status Decode(R& r, Statistics* out) {
  return ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Field(r, f, &out->max);
      case 2: return Field(r, f, &out->min);
      case 3: return Field(r, f, &out->null_count);
      case 4: return Field(r, f, &out->distinct_count);
      case 5: return Field(r, f, &out->max_value);
      case 6: return Field(r, f, &out->min_value);
      case 7: return Field(r, f, &out->is_max_value_exact);
      case 8: return Field(r, f, &out->is_min_value_exact);
      case 9: return Field(r, f, &out->nan_count);
    }
    return r.Skip(f.type);
  });
}

Status Decode(R& r, SchemaElement* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Field(r, f, &out->type);
      case 2: return Field(r, f, &out->type_length);
      case 3: return Field(r, f, &out->repetition_type);
      case 4: return Required(r, f, &out->name, &seen, 0);
      case 5: return Field(r, f, &out->num_children);
      case 6: return Field(r, f, &out->converted_type);
      case 7: return Field(r, f, &out->scale);
      case 8: return Field(r, f, &out->precision);
      case 9: return Field(r, f, &out->field_id);
      case 10: return Field(r, f, &out->logical_type);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "SchemaElement", {"name"});
}

Status Decode(R& r, KeyValue* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->key, &seen, 0);
      case 2: return Field(r, f, &out->value);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "KeyValue", {"key"});
}

Status Decode(R& r, ColumnOrder* out) {
  using K = ColumnOrder::Kind;
  out->kind = K::kUnknown;
  out->unknown_id = 0;
  bool known = false;
  return ReadStruct(r, [&](const FieldHeader& f) -> Status {
    if (f.type == WireType::kStruct) {
      if (f.id >= 1 && f.id <= 3) {
        out->kind = static_cast<K>(f.id);
        out->unknown_id = 0;
        known = true;
      } else if (!known) {
        out->unknown_id = f.id;
      }
    }
    return r.Skip(f.type);
  });
}

Status Decode(R& r, SortingColumn* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->column_idx, &seen, 0);
      case 2: return Required(r, f, &out->descending, &seen, 1);
      case 3: return Required(r, f, &out->nulls_first, &seen, 2);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "SortingColumn", {"column_idx", "descending", "nulls_first"});
}

Status Decode(R& r, PageEncodingStats* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->page_type, &seen, 0);
      case 2: return Required(r, f, &out->encoding, &seen, 1);
      case 3: return Required(r, f, &out->count, &seen, 2);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "PageEncodingStats", {"page_type", "encoding", "count"});
}

Status Decode(R& r, SizeStatistics* out) {
  return ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Field(r, f, &out->unencoded_byte_array_data_bytes);
      case 2: return Field(r, f, &out->repetition_level_histogram);
      case 3: return Field(r, f, &out->definition_level_histogram);
    }
    return r.Skip(f.type);
  });
}

// ---- Footer ----

Status Decode(R& r, ColumnMetaData* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->type, &seen, 0);
      case 2: return Required(r, f, &out->encodings, &seen, 1);
      case 3: return Required(r, f, &out->path_in_schema, &seen, 2);
      case 4: return Required(r, f, &out->codec, &seen, 3);
      case 5: return Required(r, f, &out->num_values, &seen, 4);
      case 6: return Required(r, f, &out->total_uncompressed_size, &seen, 5);
      case 7: return Required(r, f, &out->total_compressed_size, &seen, 6);
      case 8: return Field(r, f, &out->key_value_metadata);
      case 9: return Required(r, f, &out->data_page_offset, &seen, 7);
      case 10: return Field(r, f, &out->index_page_offset);
      case 11: return Field(r, f, &out->dictionary_page_offset);
      case 12: return Field(r, f, &out->statistics);
      case 13: return Field(r, f, &out->encoding_stats);
      case 14: return Field(r, f, &out->bloom_filter_offset);
      case 15: return Field(r, f, &out->bloom_filter_length);
      case 16: return Field(r, f, &out->size_statistics);
      case 17:
        if (f.type == WireType::kStruct) out->has_geospatial_statistics = true;
        break;
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "ColumnMetaData",
                       {"type", "encodings", "path_in_schema", "codec", "num_values",
                        "total_uncompressed_size", "total_compressed_size", "data_page_offset"});
}

Status Decode(R& r, ColumnChunk* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Field(r, f, &out->file_path);
      case 2: return Required(r, f, &out->file_offset, &seen, 0);
      case 3: return Field(r, f, &out->meta_data);
      case 4: return Field(r, f, &out->offset_index_offset);
      case 5: return Field(r, f, &out->offset_index_length);
      case 6: return Field(r, f, &out->column_index_offset);
      case 7: return Field(r, f, &out->column_index_length);
      case 8:
        if (f.type == WireType::kStruct) out->has_crypto_metadata = true;
        break;
      case 9:
        if (f.type == WireType::kBinary) out->has_encrypted_column_metadata = true;
        break;
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "ColumnChunk", {"file_offset"});
}

Status Decode(R& r, RowGroup* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->columns, &seen, 0);
      case 2: return Required(r, f, &out->total_byte_size, &seen, 1);
      case 3: return Required(r, f, &out->num_rows, &seen, 2);
      case 4: return Field(r, f, &out->sorting_columns);
      case 5: return Field(r, f, &out->file_offset);
      case 6: return Field(r, f, &out->total_compressed_size);
      case 7: return Field(r, f, &out->ordinal);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "RowGroup", {"columns", "total_byte_size", "num_rows"});
}

Status Decode(R& r, FileMetaData* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->version, &seen, 0);
      case 2: return Required(r, f, &out->schema, &seen, 1);
      case 3: return Required(r, f, &out->num_rows, &seen, 2);
      case 4: return Required(r, f, &out->row_groups, &seen, 3);
      case 5: return Field(r, f, &out->key_value_metadata);
      case 6: return Field(r, f, &out->created_by);
      case 7: return Field(r, f, &out->column_orders);
      case 8:
        if (f.type == WireType::kStruct) out->has_encryption_algorithm = true;
        break;
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "FileMetaData", {"version", "schema", "num_rows", "row_groups"});
}

// ---- Pages ----

Status Decode(R& r, DataPageHeader* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->num_values, &seen, 0);
      case 2: return Required(r, f, &out->encoding, &seen, 1);
      case 3: return Required(r, f, &out->definition_level_encoding, &seen, 2);
      case 4: return Required(r, f, &out->repetition_level_encoding, &seen, 3);
      case 5: return Field(r, f, &out->statistics);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(
      seen, "DataPageHeader",
      {"num_values", "encoding", "definition_level_encoding", "repetition_level_encoding"});
}

Status Decode(R& r, DataPageHeaderV2* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->num_values, &seen, 0);
      case 2: return Required(r, f, &out->num_nulls, &seen, 1);
      case 3: return Required(r, f, &out->num_rows, &seen, 2);
      case 4: return Required(r, f, &out->encoding, &seen, 3);
      case 5: return Required(r, f, &out->definition_levels_byte_length, &seen, 4);
      case 6: return Required(r, f, &out->repetition_levels_byte_length, &seen, 5);
      case 7: return Field(r, f, &out->is_compressed);
      case 8: return Field(r, f, &out->statistics);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "DataPageHeaderV2",
                       {"num_values", "num_nulls", "num_rows", "encoding",
                        "definition_levels_byte_length", "repetition_levels_byte_length"});
}

Status Decode(R& r, DictionaryPageHeader* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->num_values, &seen, 0);
      case 2: return Required(r, f, &out->encoding, &seen, 1);
      case 3: return Field(r, f, &out->is_sorted);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "DictionaryPageHeader", {"num_values", "encoding"});
}

Status Decode(R& r, PageHeader* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->type, &seen, 0);
      case 2: return Required(r, f, &out->uncompressed_page_size, &seen, 1);
      case 3: return Required(r, f, &out->compressed_page_size, &seen, 2);
      case 4: return Field(r, f, &out->crc);
      case 5: return Field(r, f, &out->data_page_header);
      case 6:
        if (f.type == WireType::kStruct) out->has_index_page_header = true;
        break;
      case 7: return Field(r, f, &out->dictionary_page_header);
      case 8: return Field(r, f, &out->data_page_header_v2);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "PageHeader",
                       {"type", "uncompressed_page_size", "compressed_page_size"});
}

Status CheckNotNegative(int64_t v, const char* strct, const char* field) {
  if (v >= 0) return Status::OK();
  return Status::Corruption(std::string("parquet: ") + strct + " has negative " + field + " " +
                            std::to_string(v));
}

Status ValidatePageHeader(const PageHeader& h) {
  RETURN_NOT_OK(CheckNotNegative(h.uncompressed_page_size, "PageHeader", "uncompressed_page_size"));
  RETURN_NOT_OK(CheckNotNegative(h.compressed_page_size, "PageHeader", "compressed_page_size"));
  if (h.data_page_header) {
    RETURN_NOT_OK(CheckNotNegative(h.data_page_header->num_values, "DataPageHeader", "num_values"));
  }
  if (h.data_page_header_v2) {
    const DataPageHeaderV2& v2 = *h.data_page_header_v2;
    const char* s = "DataPageHeaderV2";
    RETURN_NOT_OK(CheckNotNegative(v2.num_values, s, "num_values"));
    RETURN_NOT_OK(CheckNotNegative(v2.num_nulls, s, "num_nulls"));
    RETURN_NOT_OK(CheckNotNegative(v2.num_rows, s, "num_rows"));
    RETURN_NOT_OK(CheckNotNegative(v2.definition_levels_byte_length, s,
                                   "definition_levels_byte_length"));
    RETURN_NOT_OK(CheckNotNegative(v2.repetition_levels_byte_length, s,
                                   "repetition_levels_byte_length"));
  }
  if (h.dictionary_page_header) {
    RETURN_NOT_OK(
        CheckNotNegative(h.dictionary_page_header->num_values, "DictionaryPageHeader", "num_values"));
  }
  return Status::OK();
}

// ---- Page index and bloom filter ----

Status Decode(R& r, PageLocation* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->offset, &seen, 0);
      case 2: return Required(r, f, &out->compressed_page_size, &seen, 1);
      case 3: return Required(r, f, &out->first_row_index, &seen, 2);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "PageLocation",
                       {"offset", "compressed_page_size", "first_row_index"});
}

Status Decode(R& r, OffsetIndex* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->page_locations, &seen, 0);
      case 2: return Field(r, f, &out->unencoded_byte_array_data_bytes);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "OffsetIndex", {"page_locations"});
}

Status Decode(R& r, ColumnIndex* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1: return Required(r, f, &out->null_pages, &seen, 0);
      case 2: return Required(r, f, &out->min_values, &seen, 1);
      case 3: return Required(r, f, &out->max_values, &seen, 2);
      case 4: return Required(r, f, &out->boundary_order, &seen, 3);
      case 5: return Field(r, f, &out->null_counts);
      case 6: return Field(r, f, &out->repetition_level_histograms);
      case 7: return Field(r, f, &out->definition_level_histograms);
      case 8: return Field(r, f, &out->nan_counts);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "ColumnIndex",
                       {"null_pages", "min_values", "max_values", "boundary_order"});
}

// A union with one known member (id 1, an empty struct): *known tells whether it was set.
Status DecodeSingleMemberUnion(R& r, bool* known) {
  *known = false;
  return ReadStruct(r, [&](const FieldHeader& f) -> Status {
    if (f.id == 1 && f.type == WireType::kStruct) *known = true;
    return r.Skip(f.type);
  });
}

Status Decode(R& r, BloomFilterHeader* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    if (f.id == 1) return Required(r, f, &out->num_bytes, &seen, 0);
    if (f.id < 2 || f.id > 4 || f.type != WireType::kStruct) return r.Skip(f.type);
    seen |= 1u << (f.id - 1);
    bool known;
    RETURN_NOT_OK(DecodeSingleMemberUnion(r, &known));
    if (f.id == 2) {
      out->algorithm = known ? BloomFilterAlgorithm::kBlock : BloomFilterAlgorithm::kUnknown;
    } else if (f.id == 3) {
      out->hash = known ? BloomFilterHash::kXxHash : BloomFilterHash::kUnknown;
    } else {
      out->compression =
          known ? BloomFilterCompression::kUncompressed : BloomFilterCompression::kUnknown;
    }
    return Status::OK();
  }));
  RETURN_NOT_OK(
      CheckRequired(seen, "BloomFilterHeader", {"numBytes", "algorithm", "hash", "compression"}));
  return CheckNotNegative(out->num_bytes, "BloomFilterHeader", "numBytes");
}

template <typename T>
Result<T> ReadTopLevel(ByteView bytes, size_t* consumed) {
  CompactReader r(bytes);
  T out;
  RETURN_NOT_OK(Decode(r, &out));
  if (consumed != nullptr) *consumed = r.position();
  return out;
}

}  // namespace

Result<FileMetaData> ReadFileMetaData(ByteView bytes, size_t* consumed) {
  return ReadTopLevel<FileMetaData>(bytes, consumed);
}

Result<PageHeader> ReadPageHeader(ByteView bytes, size_t* header_size) {
  ASSIGN_OR_RETURN(PageHeader h, ReadTopLevel<PageHeader>(bytes, header_size));
  RETURN_NOT_OK(ValidatePageHeader(h));
  return h;
}

Result<OffsetIndex> ReadOffsetIndex(ByteView bytes) {
  return ReadTopLevel<OffsetIndex>(bytes, nullptr);
}

Result<ColumnIndex> ReadColumnIndex(ByteView bytes) {
  return ReadTopLevel<ColumnIndex>(bytes, nullptr);
}

Result<BloomFilterHeader> ReadBloomFilterHeader(ByteView bytes, size_t* header_size) {
  return ReadTopLevel<BloomFilterHeader>(bytes, header_size);
}

}  // namespace ds::parquet::format
