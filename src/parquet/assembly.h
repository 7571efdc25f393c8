// Record assembly: turns the level-annotated leaf values of a batch of records into nested
// columnar arrays (structs, lists, maps with nulls at every level).
//
// The plan is a tree of AssemblyNodes mirroring the logical (Arrow-like) schema, each
// annotated with the Parquet levels that decide its slots and validity:
//   * an entry is a slot of a node when def >= ctx_def and rep <= ctx_rep, where ctx_* are
//     the levels of the repeated node of the nearest enclosing list (0, 0 at the top);
//   * a slot is valid when def >= node.def_level;
//   * a list/map slot holds the entries with def >= repeated_def_level whose rep is
//     repeated_rep_level (continuations) plus the slot entry itself when it is non-empty.
// Every node reads the levels of its first leaf; all leaves below agree on those levels in a
// valid file, and any disagreement (different slot counts) is reported as Corruption.
#pragma once

#include <vector>

#include "columnar/array.h"
#include "parquet/leaf_batch.h"

namespace ds::parquet {

struct AssemblyNode {
  enum class Kind { kLeaf, kStruct, kList, kMap };
  Kind kind = Kind::kLeaf;
  columnar::TypePtr type;
  int16_t def_level = 0;           // slot valid iff def >= def_level
  int16_t repeated_def_level = 0;  // kList/kMap: def level of the repeated node
  int16_t repeated_rep_level = 0;  // kList/kMap: rep level of the repeated node
  int16_t max_def_level = 0;       // kLeaf: max definition level of the column
  int16_t max_rep_level = 0;       // of the first leaf below (0 means no rep levels stored)
  int leaf = -1;                   // index of the (first) leaf column below, in `leaves`
  std::vector<AssemblyNode> children;
};

// Builds the array for `node` from the leaf batches (indexed by AssemblyNode::leaf).
// Corruption if the levels are inconsistent.
Result<columnar::ArrayPtr> AssembleArray(const AssemblyNode& node,
                                         const std::vector<LeafBatch*>& leaves);

}  // namespace ds::parquet
