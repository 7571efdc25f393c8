// Shredding: the inverse of record assembly. Splits nested columnar arrays into one
// LeafBatch per leaf column (repetition/definition levels plus dense non-null values), using
// the same AssemblyNode plan the reader uses (parquet.md §2.3).
#pragma once

#include <vector>

#include "columnar/array.h"
#include "parquet/assembly.h"
#include "parquet/leaf_batch.h"

namespace ds::parquet {

// Appends the entries of rows [begin, end) of top-level field `node` to the leaf batches
// (indexed by AssemblyNode::leaf; every leaf below `node` must have a batch).
// InvalidArgument if a non-nullable field holds a null in a present parent.
Status ShredArray(const AssemblyNode& node, bool nullable, const columnar::Array& array,
                  int64_t begin, int64_t end, const std::vector<LeafBatch*>& leaves);

}  // namespace ds::parquet
