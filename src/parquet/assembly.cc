#include "parquet/assembly.h"

#include <cstring>

#include "util/bit_util.h"

namespace ds::parquet {
namespace {

using columnar::Array;
using columnar::ArrayPtr;
using columnar::TypeId;

struct Ctx {
  int16_t def = 0;
  int16_t rep = 0;
};

struct Levels {
  const int16_t* def = nullptr;  // null: every entry has def 0
  const int16_t* rep = nullptr;  // null: every entry has rep 0
  int64_t n = 0;
  int16_t D(int64_t i) const { return def ? def[i] : 0; }
  int16_t R(int64_t i) const { return rep ? rep[i] : 0; }
};

Levels LevelsOf(const LeafBatch& b) {
  return {b.def_levels.empty() ? nullptr : b.defs(), b.rep_levels.empty() ? nullptr : b.reps(),
          b.num_entries};
}

Status Inconsistent(const AssemblyNode& n, const char* what) {
  return Status::Corruption("parquet: inconsistent levels while assembling " + n.type->ToString() +
                            ": " + what);
}

// Collects validity for slots; returns the bitmap (null if no nulls).
class ValidityBuilder {
 public:
  void Push(bool valid) {
    if ((length_ & 7) == 0) bits_.PushByte(0);
    if (valid)
      bit::SetBit(bits_.data(), length_);
    else
      ++nulls_;
    ++length_;
  }
  void Finish(Array* a) {
    a->length = length_;
    a->null_count = nulls_;
    if (nulls_ > 0) a->validity = std::make_shared<Buffer>(std::move(bits_));
  }
  int64_t length() const { return length_; }

 private:
  Buffer bits_;
  int64_t length_ = 0;
  int64_t nulls_ = 0;
};

Result<ArrayPtr> Build(const AssemblyNode& n, Ctx ctx, const std::vector<LeafBatch*>& leaves);

// Packs one byte per slot (0/1) into a validity bitmap.
BufferPtr PackValidity(const std::vector<uint8_t>& valid) {
  const int64_t n = static_cast<int64_t>(valid.size());
  auto bits = std::make_shared<Buffer>();
  bits->ResizeZeroed(static_cast<size_t>(bit::BytesForBits(n)));
  uint8_t* out = bits->data();
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint8_t* v = valid.data() + i;
    out[i >> 3] = static_cast<uint8_t>(v[0] | v[1] << 1 | v[2] << 2 | v[3] << 3 | v[4] << 4 |
                                       v[5] << 5 | v[6] << 6 | v[7] << 7);
  }
  for (; i < n; ++i)
    if (valid[i]) bit::SetBit(out, i);
  return bits;
}

struct Bytes16 {
  uint64_t lo, hi;
};

// Copies dense values to their slots; null slots get zeros.
template <typename T>
void Spread(const std::vector<uint8_t>& valid, const uint8_t* src_bytes, uint8_t* dst_bytes) {
  const T* src = reinterpret_cast<const T*>(src_bytes);
  T* dst = reinterpret_cast<T*>(dst_bytes);
  int64_t k = 0;
  const int64_t n = static_cast<int64_t>(valid.size());
  for (int64_t i = 0; i < n; ++i) {
    if (valid[i]) {
      std::memcpy(&dst[i], &src[k], sizeof(T));
      ++k;
    } else {
      std::memset(&dst[i], 0, sizeof(T));
    }
  }
}

Result<ArrayPtr> BuildLeaf(const AssemblyNode& n, Ctx ctx, LeafBatch* leaf) {
  Levels lv = LevelsOf(*leaf);
  auto a = std::make_shared<Array>();
  a->type = n.type;
  const int16_t max_def = n.max_def_level;
  const bool every_entry_is_slot =
      (lv.rep == nullptr || ctx.rep >= n.max_rep_level) && ctx.def == 0;
  const bool fast = every_entry_is_slot && lv.def == nullptr;  // no levels: every entry a value
  if (leaf->num_values > lv.n) return Inconsistent(n, "more values than entries");
  const TypeId id = n.type->id;

  if (id == TypeId::kNull) {
    int64_t slots = 0;
    for (int64_t i = 0; i < lv.n; ++i)
      if (every_entry_is_slot || (lv.R(i) <= ctx.rep && lv.D(i) >= ctx.def)) ++slots;
    return columnar::MakeNullArray(n.type, slots);
  }

  if (fast) {
    if (leaf->num_values != lv.n) return Inconsistent(n, "value count differs from entry count");
    a->length = lv.n;
    if (columnar::IsVarBinary(id) && leaf->offsets.empty()) leaf->offsets.AppendValue<int64_t>(0);
    if (id == TypeId::kBool) {
      auto bits = std::make_shared<Buffer>();
      bits->ResizeZeroed(static_cast<size_t>(bit::BytesForBits(lv.n)));
      const uint8_t* src = leaf->values.data();
      for (int64_t i = 0; i < lv.n; ++i)
        if (src[i]) bit::SetBit(bits->data(), i);
      a->values = bits;
    } else {
      a->values = std::make_shared<Buffer>(std::move(leaf->values));
      if (columnar::IsVarBinary(id))
        a->offsets = std::make_shared<Buffer>(std::move(leaf->offsets));
    }
    return ArrayPtr(a);
  }

  // Phase 1: which entries are slots of this leaf, and which slots hold a value.
  std::vector<uint8_t> valid;
  if (every_entry_is_slot) {
    valid.resize(static_cast<size_t>(lv.n));
    for (int64_t i = 0; i < lv.n; ++i) valid[i] = lv.def[i] == max_def;
  } else {
    valid.reserve(static_cast<size_t>(lv.n));
    for (int64_t i = 0; i < lv.n; ++i) {
      int16_t d = lv.D(i);
      if (lv.R(i) <= ctx.rep && d >= ctx.def) valid.push_back(d == max_def);
    }
  }
  const int64_t slots = static_cast<int64_t>(valid.size());
  int64_t present = 0;
  for (uint8_t v : valid) present += v;
  if (present != leaf->num_values) return Inconsistent(n, "values left over or missing");
  a->length = slots;
  a->null_count = slots - present;
  if (a->null_count > 0) a->validity = PackValidity(valid);

  // Phase 2: spread the dense values over the slots.
  if (columnar::IsVarBinary(id)) {
    if (leaf->offsets.empty()) leaf->offsets.AppendValue<int64_t>(0);
    const int64_t* src = leaf->offsets.data_as<int64_t>();
    auto offsets = std::make_shared<Buffer>(static_cast<size_t>(slots + 1) * 8);
    int64_t* dst = offsets->mutable_data_as<int64_t>();
    dst[0] = src[0];
    int64_t k = 0;
    for (int64_t i = 0; i < slots; ++i) {
      k += valid[i];
      dst[i + 1] = src[k];
    }
    a->offsets = offsets;
    a->values = std::make_shared<Buffer>(std::move(leaf->values));
  } else if (id == TypeId::kBool) {
    auto bits = std::make_shared<Buffer>();
    bits->ResizeZeroed(static_cast<size_t>(bit::BytesForBits(slots)));
    const uint8_t* src = leaf->values.data();
    for (int64_t i = 0, k = 0; i < slots; ++i) {
      if (valid[i] && src[k++]) bit::SetBit(bits->data(), i);
    }
    a->values = bits;
  } else {
    const int w = columnar::FixedWidth(*n.type);
    auto out = std::make_shared<Buffer>(static_cast<size_t>(w) * static_cast<size_t>(slots));
    const uint8_t* src = leaf->values.data();
    switch (w) {
      case 1:
        Spread<uint8_t>(valid, src, out->data());
        break;
      case 2:
        Spread<uint16_t>(valid, src, out->data());
        break;
      case 4:
        Spread<uint32_t>(valid, src, out->data());
        break;
      case 8:
        Spread<uint64_t>(valid, src, out->data());
        break;
      case 16:
        Spread<Bytes16>(valid, src, out->data());
        break;
      default:
        for (int64_t i = 0, k = 0; i < slots; ++i) {
          uint8_t* dst = out->data() + static_cast<size_t>(i) * w;
          if (valid[i])
            std::memcpy(dst, src + static_cast<size_t>(k++) * w, static_cast<size_t>(w));
          else
            std::memset(dst, 0, static_cast<size_t>(w));
        }
    }
    a->values = out;
  }
  return ArrayPtr(a);
}

Result<ArrayPtr> BuildStruct(const AssemblyNode& n, Ctx ctx,
                             const std::vector<LeafBatch*>& leaves) {
  Levels lv = LevelsOf(*leaves[n.leaf]);
  auto a = std::make_shared<Array>();
  a->type = n.type;
  ValidityBuilder validity;
  for (int64_t i = 0; i < lv.n; ++i) {
    int16_t d = lv.D(i);
    if (lv.R(i) <= ctx.rep && d >= ctx.def) validity.Push(d >= n.def_level);
  }
  validity.Finish(a.get());
  for (const AssemblyNode& child : n.children) {
    ASSIGN_OR_RETURN(ArrayPtr c, Build(child, ctx, leaves));
    if (c->length != a->length) return Inconsistent(n, "struct children differ in length");
    a->children.push_back(std::move(c));
  }
  return ArrayPtr(a);
}

Result<ArrayPtr> BuildList(const AssemblyNode& n, Ctx ctx, const std::vector<LeafBatch*>& leaves) {
  Levels lv = LevelsOf(*leaves[n.leaf]);
  auto a = std::make_shared<Array>();
  a->type = n.type;
  ValidityBuilder validity;
  auto offsets = std::make_shared<Buffer>();
  offsets->Reserve(static_cast<size_t>(lv.n + 1) * 8);
  offsets->AppendValue<int64_t>(0);
  int64_t count = 0;
  bool in_slot = false;
  for (int64_t i = 0; i < lv.n; ++i) {
    int16_t r = lv.R(i), d = lv.D(i);
    if (r <= ctx.rep) {
      if (d < ctx.def) continue;  // inside an empty or null ancestor
      if (in_slot) offsets->AppendValue<int64_t>(count);
      in_slot = true;
      validity.Push(d >= n.def_level);
      if (d >= n.repeated_def_level) ++count;
    } else if (r == n.repeated_rep_level) {
      if (!in_slot || d < n.repeated_def_level)
        return Inconsistent(n, "repeated entry without an element");
      ++count;
    }
  }
  if (in_slot) offsets->AppendValue<int64_t>(count);
  validity.Finish(a.get());
  a->offsets = offsets;
  Ctx inner{n.repeated_def_level, n.repeated_rep_level};
  for (const AssemblyNode& child : n.children) {
    ASSIGN_OR_RETURN(ArrayPtr c, Build(child, inner, leaves));
    if (c->length != count) return Inconsistent(n, "element count differs from the list offsets");
    a->children.push_back(std::move(c));
  }
  return ArrayPtr(a);
}

Result<ArrayPtr> Build(const AssemblyNode& n, Ctx ctx, const std::vector<LeafBatch*>& leaves) {
  switch (n.kind) {
    case AssemblyNode::Kind::kLeaf:
      return BuildLeaf(n, ctx, leaves[n.leaf]);
    case AssemblyNode::Kind::kStruct:
      return BuildStruct(n, ctx, leaves);
    case AssemblyNode::Kind::kList:
    case AssemblyNode::Kind::kMap:
      return BuildList(n, ctx, leaves);
  }
  return Status::Internal("bad assembly node");
}

}  // namespace

Result<ArrayPtr> AssembleArray(const AssemblyNode& node, const std::vector<LeafBatch*>& leaves) {
  return Build(node, Ctx{}, leaves);
}

}  // namespace ds::parquet
