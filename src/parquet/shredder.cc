#include "parquet/shredder.h"

#include <cstring>

namespace ds::parquet {
namespace {

using columnar::Array;
using columnar::TypeId;

class Shredder {
 public:
  explicit Shredder(const std::vector<LeafBatch*>& leaves) : leaves_(leaves) {}

  Status Slot(const AssemblyNode& n, bool nullable, const Array& a, int64_t i, int16_t r,
              int16_t d_parent) {
    if (a.IsNull(i)) {
      if (!nullable && n.type->id != TypeId::kNull)
        return Status::InvalidArgument("null value in non-nullable field of type " +
                                       n.type->ToString());
      EmitEmpty(n, r, d_parent);
      return Status::OK();
    }
    const int16_t d = n.def_level;
    switch (n.kind) {
      case AssemblyNode::Kind::kLeaf:
        EmitValue(n, a, i, r, d);
        return Status::OK();
      case AssemblyNode::Kind::kStruct:
        for (size_t c = 0; c < n.children.size(); ++c) {
          RETURN_NOT_OK(Slot(n.children[c], n.type->fields[c].nullable, *a.children[c], i, r, d));
        }
        return Status::OK();
      case AssemblyNode::Kind::kList:
      case AssemblyNode::Kind::kMap: {
        int64_t b = a.ListBegin(i), e = a.ListEnd(i);
        if (b == e) {
          EmitEmpty(n, r, d);
          return Status::OK();
        }
        for (int64_t k = b; k < e; ++k) {
          int16_t rk = k == b ? r : n.repeated_rep_level;
          for (size_t c = 0; c < n.children.size(); ++c) {
            RETURN_NOT_OK(Slot(n.children[c], n.type->fields[c].nullable, *a.children[c], k, rk,
                               n.repeated_def_level));
          }
        }
        return Status::OK();
      }
    }
    return Status::Internal("bad node");
  }

 private:
  void Levels(LeafBatch* b, const AssemblyNode& leaf, int16_t r, int16_t d) {
    if (leaf.max_def_level > 0) b->def_levels.AppendValue<int16_t>(d);
    if (leaf.max_rep_level > 0) b->rep_levels.AppendValue<int16_t>(r);
    ++b->num_entries;
    if (r == 0) ++b->num_records;
  }

  // Emits (r, d) to every leaf below n: n is null or an empty list.
  void EmitEmpty(const AssemblyNode& n, int16_t r, int16_t d) {
    if (n.kind == AssemblyNode::Kind::kLeaf) {
      Levels(leaves_[n.leaf], n, r, d);
      return;
    }
    for (const AssemblyNode& c : n.children) EmitEmpty(c, r, d);
  }

  void EmitValue(const AssemblyNode& n, const Array& a, int64_t i, int16_t r, int16_t d) {
    LeafBatch* b = leaves_[n.leaf];
    Levels(b, n, r, d);
    ++b->num_values;
    const TypeId id = n.type->id;
    if (columnar::IsVarBinary(id)) {
      if (b->offsets.empty()) b->offsets.AppendValue<int64_t>(0);
      b->values.Append(a.View(i));
      b->offsets.AppendValue<int64_t>(static_cast<int64_t>(b->values.size()));
    } else if (id == TypeId::kBool) {
      b->values.PushByte(a.BoolValue(i) ? 1 : 0);
    } else if (id != TypeId::kNull) {
      size_t w = static_cast<size_t>(columnar::FixedWidth(*n.type));
      b->values.Append(a.values->data() + w * static_cast<size_t>(i), w);
    }
  }

  const std::vector<LeafBatch*>& leaves_;
};

// Fast path: a top-level leaf column.
void ShredFlat(const AssemblyNode& n, const Array& a, int64_t begin, int64_t end, LeafBatch* b) {
  const int64_t len = end - begin;
  const TypeId id = n.type->id;
  if (n.max_def_level > 0) {
    size_t pos = b->def_levels.size();
    b->def_levels.Resize(pos + static_cast<size_t>(len) * 2);
    int16_t* d = reinterpret_cast<int16_t*>(b->def_levels.data() + pos);
    for (int64_t i = 0; i < len; ++i) d[i] = a.IsValid(begin + i) ? n.max_def_level : 0;
  }
  b->num_entries += len;
  b->num_records += len;
  int64_t valid = 0;
  if (columnar::IsVarBinary(id)) {
    if (b->offsets.empty()) b->offsets.AppendValue<int64_t>(0);
    for (int64_t i = begin; i < end; ++i) {
      if (a.IsNull(i)) continue;
      b->values.Append(a.View(i));
      b->offsets.AppendValue<int64_t>(static_cast<int64_t>(b->values.size()));
      ++valid;
    }
  } else if (id == TypeId::kBool) {
    for (int64_t i = begin; i < end; ++i) {
      if (a.IsNull(i)) continue;
      b->values.PushByte(a.BoolValue(i) ? 1 : 0);
      ++valid;
    }
  } else if (id != TypeId::kNull) {
    size_t w = static_cast<size_t>(columnar::FixedWidth(*n.type));
    if (a.null_count == 0) {
      b->values.Append(a.values->data() + w * static_cast<size_t>(begin),
                       w * static_cast<size_t>(len));
      valid = len;
    } else {
      for (int64_t i = begin; i < end; ++i) {
        if (a.IsNull(i)) continue;
        b->values.Append(a.values->data() + w * static_cast<size_t>(i), w);
        ++valid;
      }
    }
  }
  b->num_values += valid;
}

}  // namespace

Status ShredArray(const AssemblyNode& node, bool nullable, const Array& array, int64_t begin,
                  int64_t end, const std::vector<LeafBatch*>& leaves) {
  if (node.kind == AssemblyNode::Kind::kLeaf && node.max_rep_level == 0) {
    if (!nullable && array.null_count > 0 && node.type->id != TypeId::kNull)
      return Status::InvalidArgument("null value in non-nullable column of type " +
                                     node.type->ToString());
    ShredFlat(node, array, begin, end, leaves[node.leaf]);
    return Status::OK();
  }
  Shredder s(leaves);
  for (int64_t i = begin; i < end; ++i) RETURN_NOT_OK(s.Slot(node, nullable, array, i, 0, 0));
  return Status::OK();
}

}  // namespace ds::parquet
