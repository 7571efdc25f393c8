// Human and JSON descriptions of a Parquet file for `deltashare parquet schema` and
// `deltashare parquet meta`.
//
// Text is for terminals: aligned labels, one compact block per column chunk, long or
// non-printable values escaped and shortened. JSON is one newline-terminated document with
// camelCase keys; optional footer fields are omitted when absent (a key/value entry without
// a value has "value": null, unlike ""). Statistics are decoded by statistics.h and printed
// in deltashare's JSON value encoding (Scalar::ToJson); dropped ones say why.
//
// Thread-safety: pure functions of the reader's footer; no I/O except the file-size fallback.
#pragma once

#include <cstdint>
#include <string>

#include "parquet/file_reader.h"

namespace ds::parquet {

// The Parquet schema tree, e.g.
//   message schema {
//     optional int32 id (INTEGER(32,signed)) = 1;
//     optional group tags (LIST) {
//       repeated group list {
//         optional binary element (STRING);
//       }
//     }
//   }
// (" = n" is the field id), then a blank line and the columnar schema ("id: int32").
std::string DescribeSchemaText(const FileReader& reader);

// {"name": root, "children": [element...], "fields": [{"name","type","nullable",
// "fieldId"?}]}; an element has name, repetition, physicalType, typeLength, logicalType
// (as text), convertedType, precision, scale, fieldId, the leaf's column index and levels,
// "columnarType" for top-level elements (the field's type) and leaves (the value type),
// and children.
std::string DescribeSchemaJson(const FileReader& reader);

// File, row group and column chunk metadata with decoded statistics. `file_size` < 0 means
// unknown: the size of the local file at reader.path() is used if there is one.
std::string DescribeMetaText(const FileReader& reader, int64_t file_size = -1);
std::string DescribeMetaJson(const FileReader& reader, int64_t file_size = -1);

}  // namespace ds::parquet
