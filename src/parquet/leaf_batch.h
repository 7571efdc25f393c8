// LeafBatch: what a column reader hands to record assembly for one leaf column and a range
// of whole records: the repetition/definition level of every entry plus the non-null values
// in their final in-memory form (see columnar/type.h), densely packed.
#pragma once

#include <cstdint>

#include "util/buffer.h"

namespace ds::parquet {

struct LeafBatch {
  int64_t num_entries = 0;  // level entries (values, nulls and empty-list markers)
  int64_t num_records = 0;  // entries with repetition level 0
  Buffer def_levels;        // int16 per entry; empty when max_def_level == 0
  Buffer rep_levels;        // int16 per entry; empty when max_rep_level == 0
  int64_t num_values = 0;   // entries with def == max_def_level
  // Dense values. Fixed width: num_values * width bytes. Bool: one byte (0/1) per value.
  // Strings and binary: `offsets` holds num_values + 1 int64 offsets into `values`.
  Buffer values;
  Buffer offsets;

  const int16_t* defs() const { return def_levels.data_as<int16_t>(); }
  const int16_t* reps() const { return rep_levels.data_as<int16_t>(); }
};

}  // namespace ds::parquet
