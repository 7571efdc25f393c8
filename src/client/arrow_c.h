// The Arrow C data interface and C stream interface (the ABI defined by the Apache Arrow
// specification "The Arrow C data interface" / "The Arrow C stream interface"), and the export
// of deltashare batches through it, so other engines (DuckDB, pyarrow, Polars, DataFusion…)
// consume the rows in-process without copies.
//
// Export shares memory: the columnar layouts of src/columnar are Arrow's, so an exported
// array points at the batch's own buffers and keeps them alive until its release callback
// runs. Types map to: bool b, int8..64 c s i l, uint8..64 C S I L, float f, double g, string
// U (large utf8: 64-bit offsets), binary Z (large binary), fixed binary w:N, uuid w:16 with
// the arrow.uuid extension, decimal d:P,S (128-bit), date tdD, time ttm/ttu/ttn, timestamp
// tsm:/tsu:/tsn: (":UTC" for instants), struct +s, list +L (large list), map +m, null n. Maps
// are the one copy: Arrow's map has 32-bit offsets, which are converted (InvalidArgument for
// a map of more than 2^31-1 entries).
//
// Thread-safety: exported structures follow the C interface's rules (a stream is used by one
// consumer thread; released structures may be released on any thread).
#pragma once

#include <cstdint>
#include <memory>

#include "client/batch_reader.h"
#include "columnar/array.h"

extern "C" {

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};

#endif  // ARROW_C_DATA_INTERFACE

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);
  void (*release)(struct ArrowArrayStream*);
  void* private_data;
};

#endif  // ARROW_C_STREAM_INTERFACE
}

namespace ds::client {

// Exports a schema as a struct ("+s") whose children are the fields. On success `*out` is
// owned by the caller (call out->release). NotSupported for a type Arrow cannot carry.
Status ExportSchema(const columnar::Schema& schema, ArrowSchema* out);
// Exports one field.
Status ExportField(const columnar::Field& field, ArrowSchema* out);

// Exports a batch as a struct array of its columns (sharing their buffers). On success
// `*out` is owned by the caller. InvalidArgument for a map too large for 32-bit offsets.
Status ExportRecordBatch(const columnar::RecordBatch& batch, ArrowArray* out);
// Exports one array.
Status ExportArray(const columnar::ArrayPtr& array, ArrowArray* out);

// Exports a reader as an ArrowArrayStream that owns it. get_next returns 0 with a released
// array at the end, EIO after a reader error (get_last_error gives its message), EINVAL for
// an export error.
void ExportBatchReader(std::unique_ptr<BatchReader> reader, ArrowArrayStream* out);

}  // namespace ds::client
