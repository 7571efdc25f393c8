// Decoding of the footer structs (FileMetaData and everything below it).
#include "parquet/format/struct_reader_internal.h"

namespace ds::parquet::format {
namespace internal {
namespace {

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
      case 1:
        return Required(r, f, &out->decimal_scale, &seen, 0);
      case 2:
        return Required(r, f, &out->decimal_precision, &seen, 1);
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
      case 1:
        return Required(r, f, &out->bit_width, &seen, 0);
      case 2:
        return Required(r, f, &out->is_signed, &seen, 1);
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

}  // namespace

Status Decode(R& r, LogicalType* out) {
  using K = LogicalType::Kind;
  out->kind = K::kUnrecognized;
  return ReadStruct(r, [&](const FieldHeader& f) -> Status {
    if (f.type != WireType::kStruct) return r.Skip(f.type);
    switch (f.id) {
      case 5:
        return DecodeDecimal(r, out);
      case 7:
        return DecodeTime(r, out, K::kTime);
      case 8:
        return DecodeTime(r, out, K::kTimestamp);
      case 10:
        return DecodeInteger(r, out);
      case 16:
        return DecodeOptionalParams(r, out, K::kVariant);
      case 17:
        return DecodeOptionalParams(r, out, K::kGeometry);
      case 18:
        return DecodeOptionalParams(r, out, K::kGeography);
      case 1:
      case 2:
      case 3:
      case 4:
      case 6:
      case 11:
      case 12:
      case 13:
      case 14:
      case 15:
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
      case 1:
        return Field(r, f, &out->max);
      case 2:
        return Field(r, f, &out->min);
      case 3:
        return Field(r, f, &out->null_count);
      case 4:
        return Field(r, f, &out->distinct_count);
      case 5:
        return Field(r, f, &out->max_value);
      case 6:
        return Field(r, f, &out->min_value);
      case 7:
        return Field(r, f, &out->is_max_value_exact);
      case 8:
        return Field(r, f, &out->is_min_value_exact);
      case 9:
        return Field(r, f, &out->nan_count);
    }
    return r.Skip(f.type);
  });
}

Status Decode(R& r, SchemaElement* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Field(r, f, &out->type);
      case 2:
        return Field(r, f, &out->type_length);
      case 3:
        return Field(r, f, &out->repetition_type);
      case 4:
        return Required(r, f, &out->name, &seen, 0);
      case 5:
        return Field(r, f, &out->num_children);
      case 6:
        return Field(r, f, &out->converted_type);
      case 7:
        return Field(r, f, &out->scale);
      case 8:
        return Field(r, f, &out->precision);
      case 9:
        return Field(r, f, &out->field_id);
      case 10:
        return Field(r, f, &out->logical_type);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "SchemaElement", {"name"});
}

Status Decode(R& r, KeyValue* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Required(r, f, &out->key, &seen, 0);
      case 2:
        return Field(r, f, &out->value);
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
      case 1:
        return Required(r, f, &out->column_idx, &seen, 0);
      case 2:
        return Required(r, f, &out->descending, &seen, 1);
      case 3:
        return Required(r, f, &out->nulls_first, &seen, 2);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "SortingColumn", {"column_idx", "descending", "nulls_first"});
}

Status Decode(R& r, PageEncodingStats* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Required(r, f, &out->page_type, &seen, 0);
      case 2:
        return Required(r, f, &out->encoding, &seen, 1);
      case 3:
        return Required(r, f, &out->count, &seen, 2);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "PageEncodingStats", {"page_type", "encoding", "count"});
}

Status Decode(R& r, SizeStatistics* out) {
  return ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Field(r, f, &out->unencoded_byte_array_data_bytes);
      case 2:
        return Field(r, f, &out->repetition_level_histogram);
      case 3:
        return Field(r, f, &out->definition_level_histogram);
    }
    return r.Skip(f.type);
  });
}

Status Decode(R& r, BoundingBox* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Required(r, f, &out->xmin, &seen, 0);
      case 2:
        return Required(r, f, &out->xmax, &seen, 1);
      case 3:
        return Required(r, f, &out->ymin, &seen, 2);
      case 4:
        return Required(r, f, &out->ymax, &seen, 3);
      case 5:
        return Field(r, f, &out->zmin);
      case 6:
        return Field(r, f, &out->zmax);
      case 7:
        return Field(r, f, &out->mmin);
      case 8:
        return Field(r, f, &out->mmax);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "BoundingBox", {"xmin", "xmax", "ymin", "ymax"});
}

Status Decode(R& r, GeospatialStatistics* out) {
  return ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Field(r, f, &out->bbox);
      case 2:
        return Field(r, f, &out->geospatial_types);
    }
    return r.Skip(f.type);
  });
}

// ---- Footer ----

Status Decode(R& r, ColumnMetaData* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Required(r, f, &out->type, &seen, 0);
      case 2:
        return Required(r, f, &out->encodings, &seen, 1);
      case 3:
        return Required(r, f, &out->path_in_schema, &seen, 2);
      case 4:
        return Required(r, f, &out->codec, &seen, 3);
      case 5:
        return Required(r, f, &out->num_values, &seen, 4);
      case 6:
        return Required(r, f, &out->total_uncompressed_size, &seen, 5);
      case 7:
        return Required(r, f, &out->total_compressed_size, &seen, 6);
      case 8:
        return Field(r, f, &out->key_value_metadata);
      case 9:
        return Required(r, f, &out->data_page_offset, &seen, 7);
      case 10:
        return Field(r, f, &out->index_page_offset);
      case 11:
        return Field(r, f, &out->dictionary_page_offset);
      case 12:
        return Field(r, f, &out->statistics);
      case 13:
        return Field(r, f, &out->encoding_stats);
      case 14:
        return Field(r, f, &out->bloom_filter_offset);
      case 15:
        return Field(r, f, &out->bloom_filter_length);
      case 16:
        return Field(r, f, &out->size_statistics);
      case 17:
        return Field(r, f, &out->geospatial_statistics);
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
      case 1:
        return Field(r, f, &out->file_path);
      case 2:
        return Required(r, f, &out->file_offset, &seen, 0);
      case 3:
        return Field(r, f, &out->meta_data);
      case 4:
        return Field(r, f, &out->offset_index_offset);
      case 5:
        return Field(r, f, &out->offset_index_length);
      case 6:
        return Field(r, f, &out->column_index_offset);
      case 7:
        return Field(r, f, &out->column_index_length);
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
      case 1:
        return Required(r, f, &out->columns, &seen, 0);
      case 2:
        return Required(r, f, &out->total_byte_size, &seen, 1);
      case 3:
        return Required(r, f, &out->num_rows, &seen, 2);
      case 4:
        return Field(r, f, &out->sorting_columns);
      case 5:
        return Field(r, f, &out->file_offset);
      case 6:
        return Field(r, f, &out->total_compressed_size);
      case 7:
        return Field(r, f, &out->ordinal);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "RowGroup", {"columns", "total_byte_size", "num_rows"});
}

Status Decode(R& r, FileMetaData* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Required(r, f, &out->version, &seen, 0);
      case 2:
        return Required(r, f, &out->schema, &seen, 1);
      case 3:
        return Required(r, f, &out->num_rows, &seen, 2);
      case 4:
        return Required(r, f, &out->row_groups, &seen, 3);
      case 5:
        return Field(r, f, &out->key_value_metadata);
      case 6:
        return Field(r, f, &out->created_by);
      case 7:
        return Field(r, f, &out->column_orders);
      case 8:
        if (f.type == WireType::kStruct) out->has_encryption_algorithm = true;
        break;
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "FileMetaData", {"version", "schema", "num_rows", "row_groups"});
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

}  // namespace internal

Result<FileMetaData> ReadFileMetaData(ByteView bytes, size_t* consumed) {
  return internal::ReadTopLevel<FileMetaData>(bytes, consumed);
}

}  // namespace ds::parquet::format
