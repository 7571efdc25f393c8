// A generated table covering every type deltashare writes to Parquet, with nulls at every
// nesting level, empty lists, NaN/infinities and extreme values. Shared by the writer tests
// and the oracle comparison.
#pragma once

#include <string>

#include "columnar/array.h"

namespace ds::testing {

columnar::SchemaPtr EveryTypeSchema();
// The rows as JSON Lines in deltashare's row encoding.
std::string SampleJsonLines(int rows);
Result<columnar::RecordBatch> SampleTable(int rows);

}  // namespace ds::testing
