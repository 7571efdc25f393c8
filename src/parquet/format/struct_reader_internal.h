// Internal to parquet/format: the building blocks of the struct decoders
// (parquet_types_read.cc, page_types_read.cc). Each struct decoder reads field headers until
// STOP, dispatching known ids whose wire type matches the IDL and skipping everything else;
// required fields are tracked in a bit set and checked at the end.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "parquet/format/compact_protocol.h"
#include "parquet/format/parquet_types.h"
#include "parquet/format/thrift_traits_internal.h"

namespace ds::parquet::format::internal {

using R = CompactReader;

// Struct decoders (defined in the two .cc files), declared up front so that the templates
// below find them.
Status Decode(R& r, LogicalType* out);
Status Decode(R& r, Statistics* out);
Status Decode(R& r, SchemaElement* out);
Status Decode(R& r, KeyValue* out);
Status Decode(R& r, ColumnOrder* out);
Status Decode(R& r, SortingColumn* out);
Status Decode(R& r, PageEncodingStats* out);
Status Decode(R& r, SizeStatistics* out);
Status Decode(R& r, BoundingBox* out);
Status Decode(R& r, GeospatialStatistics* out);
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
Status Decode(R& r, BloomFilterHeader* out);

inline Status Decode(R& r, int8_t* out) { return r.ReadI8(out); }
inline Status Decode(R& r, int16_t* out) { return r.ReadI16(out); }
inline Status Decode(R& r, int32_t* out) { return r.ReadI32(out); }
inline Status Decode(R& r, int64_t* out) { return r.ReadI64(out); }
inline Status Decode(R& r, double* out) { return r.ReadDouble(out); }
inline Status Decode(R& r, std::string* out) { return r.ReadBinary(out); }

template <typename E>
requires kIsThriftEnum<E> Status Decode(R& r, E* out) {
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

// Corruption naming the first required field (bit i of `seen` = the i-th name) not seen.
Status CheckRequired(uint32_t seen, const char* strct, std::initializer_list<const char*> names);

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

// Decodes a top-level T from `bytes`; *consumed (if given) receives its encoded length.
template <typename T>
Result<T> ReadTopLevel(ByteView bytes, size_t* consumed) {
  CompactReader r(bytes);
  T out;
  RETURN_NOT_OK(Decode(r, &out));
  if (consumed != nullptr) *consumed = r.position();
  return out;
}

}  // namespace ds::parquet::format::internal
