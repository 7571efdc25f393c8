// Decoding of page headers, page indexes and bloom filter headers.
#include "parquet/format/struct_reader_internal.h"

namespace ds::parquet::format {
namespace internal {
namespace {

Status CheckNotNegative(int64_t v, const char* strct, const char* field) {
  if (v >= 0) return Status::OK();
  return Status::Corruption(std::string("parquet: ") + strct + " has negative " + field + " " +
                            std::to_string(v));
}

// A union with one known member (id 1, an empty struct): *known tells whether it was set.
Status DecodeSingleMemberUnion(R& r, bool* known) {
  *known = false;
  return ReadStruct(r, [&](const FieldHeader& f) -> Status {
    if (f.id == 1 && f.type == WireType::kStruct) *known = true;
    return r.Skip(f.type);
  });
}

}  // namespace

// ---- Pages ----

Status Decode(R& r, DataPageHeader* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Required(r, f, &out->num_values, &seen, 0);
      case 2:
        return Required(r, f, &out->encoding, &seen, 1);
      case 3:
        return Required(r, f, &out->definition_level_encoding, &seen, 2);
      case 4:
        return Required(r, f, &out->repetition_level_encoding, &seen, 3);
      case 5:
        return Field(r, f, &out->statistics);
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
      case 1:
        return Required(r, f, &out->num_values, &seen, 0);
      case 2:
        return Required(r, f, &out->num_nulls, &seen, 1);
      case 3:
        return Required(r, f, &out->num_rows, &seen, 2);
      case 4:
        return Required(r, f, &out->encoding, &seen, 3);
      case 5:
        return Required(r, f, &out->definition_levels_byte_length, &seen, 4);
      case 6:
        return Required(r, f, &out->repetition_levels_byte_length, &seen, 5);
      case 7:
        return Field(r, f, &out->is_compressed);
      case 8:
        return Field(r, f, &out->statistics);
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
      case 1:
        return Required(r, f, &out->num_values, &seen, 0);
      case 2:
        return Required(r, f, &out->encoding, &seen, 1);
      case 3:
        return Field(r, f, &out->is_sorted);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "DictionaryPageHeader", {"num_values", "encoding"});
}

Status Decode(R& r, PageHeader* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Required(r, f, &out->type, &seen, 0);
      case 2:
        return Required(r, f, &out->uncompressed_page_size, &seen, 1);
      case 3:
        return Required(r, f, &out->compressed_page_size, &seen, 2);
      case 4:
        return Field(r, f, &out->crc);
      case 5:
        return Field(r, f, &out->data_page_header);
      case 6:
        if (f.type == WireType::kStruct) out->has_index_page_header = true;
        break;
      case 7:
        return Field(r, f, &out->dictionary_page_header);
      case 8:
        return Field(r, f, &out->data_page_header_v2);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "PageHeader",
                       {"type", "uncompressed_page_size", "compressed_page_size"});
}

// ---- Page index and bloom filter ----

Status Decode(R& r, PageLocation* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Required(r, f, &out->offset, &seen, 0);
      case 2:
        return Required(r, f, &out->compressed_page_size, &seen, 1);
      case 3:
        return Required(r, f, &out->first_row_index, &seen, 2);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "PageLocation", {"offset", "compressed_page_size", "first_row_index"});
}

Status Decode(R& r, OffsetIndex* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Required(r, f, &out->page_locations, &seen, 0);
      case 2:
        return Field(r, f, &out->unencoded_byte_array_data_bytes);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "OffsetIndex", {"page_locations"});
}

Status Decode(R& r, ColumnIndex* out) {
  uint32_t seen = 0;
  RETURN_NOT_OK(ReadStruct(r, [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 1:
        return Required(r, f, &out->null_pages, &seen, 0);
      case 2:
        return Required(r, f, &out->min_values, &seen, 1);
      case 3:
        return Required(r, f, &out->max_values, &seen, 2);
      case 4:
        return Required(r, f, &out->boundary_order, &seen, 3);
      case 5:
        return Field(r, f, &out->null_counts);
      case 6:
        return Field(r, f, &out->repetition_level_histograms);
      case 7:
        return Field(r, f, &out->definition_level_histograms);
      case 8:
        return Field(r, f, &out->nan_counts);
    }
    return r.Skip(f.type);
  }));
  return CheckRequired(seen, "ColumnIndex",
                       {"null_pages", "min_values", "max_values", "boundary_order"});
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

}  // namespace internal

namespace {

Status ValidatePageHeader(const PageHeader& h) {
  RETURN_NOT_OK(
      internal::CheckNotNegative(h.uncompressed_page_size, "PageHeader", "uncompressed_page_size"));
  RETURN_NOT_OK(
      internal::CheckNotNegative(h.compressed_page_size, "PageHeader", "compressed_page_size"));
  if (h.data_page_header) {
    RETURN_NOT_OK(
        internal::CheckNotNegative(h.data_page_header->num_values, "DataPageHeader", "num_values"));
  }
  if (h.data_page_header_v2) {
    const DataPageHeaderV2& v2 = *h.data_page_header_v2;
    const char* s = "DataPageHeaderV2";
    RETURN_NOT_OK(internal::CheckNotNegative(v2.num_values, s, "num_values"));
    RETURN_NOT_OK(internal::CheckNotNegative(v2.num_nulls, s, "num_nulls"));
    RETURN_NOT_OK(internal::CheckNotNegative(v2.num_rows, s, "num_rows"));
    RETURN_NOT_OK(internal::CheckNotNegative(v2.definition_levels_byte_length, s,
                                             "definition_levels_byte_length"));
    RETURN_NOT_OK(internal::CheckNotNegative(v2.repetition_levels_byte_length, s,
                                             "repetition_levels_byte_length"));
  }
  if (h.dictionary_page_header) {
    RETURN_NOT_OK(internal::CheckNotNegative(h.dictionary_page_header->num_values,
                                             "DictionaryPageHeader", "num_values"));
  }
  return Status::OK();
}

}  // namespace

Result<PageHeader> ReadPageHeader(ByteView bytes, size_t* header_size) {
  ASSIGN_OR_RETURN(PageHeader h, internal::ReadTopLevel<PageHeader>(bytes, header_size));
  RETURN_NOT_OK(ValidatePageHeader(h));
  return h;
}

Result<OffsetIndex> ReadOffsetIndex(ByteView bytes) {
  return internal::ReadTopLevel<OffsetIndex>(bytes, nullptr);
}

Result<ColumnIndex> ReadColumnIndex(ByteView bytes) {
  return internal::ReadTopLevel<ColumnIndex>(bytes, nullptr);
}

Result<BloomFilterHeader> ReadBloomFilterHeader(ByteView bytes, size_t* header_size) {
  return internal::ReadTopLevel<BloomFilterHeader>(bytes, header_size);
}

}  // namespace ds::parquet::format
