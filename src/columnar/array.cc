#include "columnar/array.h"

#include <cstring>

#include "columnar/builder.h"

namespace ds::columnar {

int128_t Array::DecimalValue(int64_t i) const {
  int128_t v;
  std::memcpy(&v, values->data() + i * 16, 16);
  return v;
}

std::string_view Array::View(int64_t i) const {
  if (IsVarBinary(type->id)) {
    const int64_t* o = offsets_data();
    return {reinterpret_cast<const char*>(values->data()) + o[i],
            static_cast<size_t>(o[i + 1] - o[i])};
  }
  int w = type->byte_width;
  return {reinterpret_cast<const char*>(values->data()) + i * w, static_cast<size_t>(w)};
}

ArrayPtr MakeNullArray(TypePtr type, int64_t length) {
  auto a = std::make_shared<Array>();
  a->type = type;
  a->length = length;
  a->null_count = length;
  if (type->id == TypeId::kNull) return a;
  auto validity = std::make_shared<Buffer>();
  validity->ResizeZeroed(static_cast<size_t>(bit::BytesForBits(length)));
  a->validity = validity;
  if (IsVarBinary(type->id) || type->id == TypeId::kList || type->id == TypeId::kMap) {
    auto offsets = std::make_shared<Buffer>();
    offsets->ResizeZeroed(static_cast<size_t>(length + 1) * sizeof(int64_t));
    a->offsets = offsets;
  }
  if (type->id == TypeId::kBool) {
    auto v = std::make_shared<Buffer>();
    v->ResizeZeroed(static_cast<size_t>(bit::BytesForBits(length)));
    a->values = v;
  } else if (IsVarBinary(type->id)) {
    a->values = std::make_shared<Buffer>();
  } else if (int w = FixedWidth(*type); w > 0) {
    auto v = std::make_shared<Buffer>();
    v->ResizeZeroed(static_cast<size_t>(length) * static_cast<size_t>(w));
    a->values = v;
  }
  if (type->id == TypeId::kStruct) {
    for (const Field& f : type->fields) a->children.push_back(MakeNullArray(f.type, length));
  } else if (type->id == TypeId::kList || type->id == TypeId::kMap) {
    for (const Field& f : type->fields) a->children.push_back(MakeNullArray(f.type, 0));
  }
  return a;
}

Status ValidateArray(const Array& a) {
  auto bad = [&](const std::string& what) {
    return Status::Internal("invalid " + a.type->ToString() + " array: " + what);
  };
  if (a.length < 0 || a.null_count < 0 || a.null_count > a.length)
    return bad("bad length/null_count");
  if (a.type->id == TypeId::kNull) {
    if (a.null_count != a.length) return bad("null array with valid slots");
    return Status::OK();
  }
  size_t bitmap_bytes = static_cast<size_t>(bit::BytesForBits(a.length));
  if (a.validity) {
    if (a.validity->size() < bitmap_bytes) return bad("validity too short");
    int64_t valid = bit::CountSetBits(a.validity->data(), 0, a.length);
    if (a.length - valid != a.null_count) return bad("null_count does not match validity");
  } else if (a.null_count != 0) {
    return bad("null_count without validity");
  }
  TypeId id = a.type->id;
  if (IsVarBinary(id) || id == TypeId::kList || id == TypeId::kMap) {
    if (!a.offsets || a.offsets->size() < static_cast<size_t>(a.length + 1) * 8)
      return bad("offsets too short");
    const int64_t* o = a.offsets_data();
    for (int64_t i = 0; i < a.length; ++i)
      if (o[i] > o[i + 1] || o[i] < 0) return bad("offsets not monotonic");
    int64_t end = o[a.length];
    if (IsVarBinary(id)) {
      if (!a.values || static_cast<int64_t>(a.values->size()) < end) return bad("data too short");
    } else {
      size_t want = id == TypeId::kMap ? 2 : 1;
      if (a.children.size() != want) return bad("wrong number of children");
      for (const auto& c : a.children) {
        if (c->length < end) return bad("child shorter than offsets");
        RETURN_NOT_OK(ValidateArray(*c));
      }
    }
  } else if (id == TypeId::kStruct) {
    if (a.children.size() != a.type->fields.size()) return bad("wrong number of children");
    for (const auto& c : a.children) {
      if (c->length != a.length) return bad("child length differs");
      RETURN_NOT_OK(ValidateArray(*c));
    }
  } else if (id == TypeId::kBool) {
    if (!a.values || a.values->size() < bitmap_bytes) return bad("bool values too short");
  } else {
    size_t w = static_cast<size_t>(FixedWidth(*a.type));
    if (!a.values || a.values->size() < w * static_cast<size_t>(a.length))
      return bad("values too short");
  }
  return Status::OK();
}

namespace {

// Appends slot i of `src` to `b` (same type), recursively.
void AppendSlot(const Array& src, int64_t i, ArrayBuilder* b) {
  if (src.IsNull(i)) {
    b->AppendNull();
    return;
  }
  switch (src.type->id) {
    case TypeId::kNull:
      b->AppendNull();
      return;
    case TypeId::kBool:
      b->As<BoolBuilder>()->Append(src.BoolValue(i));
      return;
    case TypeId::kString:
    case TypeId::kBinary:
      b->As<BinaryBuilder>()->Append(src.View(i));
      return;
    case TypeId::kStruct: {
      auto* sb = b->As<StructBuilder>();
      for (size_t c = 0; c < src.children.size(); ++c)
        AppendSlot(*src.children[c], i, sb->child(c));
      sb->AppendValid();
      return;
    }
    case TypeId::kList:
    case TypeId::kMap: {
      auto* lb = b->As<ListBuilder>();
      for (int64_t k = src.ListBegin(i); k < src.ListEnd(i); ++k) {
        for (size_t c = 0; c < src.children.size(); ++c)
          AppendSlot(*src.children[c], k, lb->child(c));
      }
      lb->CloseList();
      return;
    }
    default: {
      auto* fb = b->As<FixedBuilder>();
      fb->AppendBytes(src.values->data() + i * fb->width());
      return;
    }
  }
}

}  // namespace

Result<ArrayPtr> Concatenate(const std::vector<ArrayPtr>& arrays) {
  if (arrays.empty()) return Status::InvalidArgument("concatenate: no arrays");
  if (arrays.size() == 1) return arrays[0];
  auto b = MakeBuilder(arrays[0]->type);
  for (const auto& a : arrays) {
    if (!a->type->Equals(*arrays[0]->type))
      return Status::InvalidArgument("concatenate: type mismatch " + a->type->ToString());
    for (int64_t i = 0; i < a->length; ++i) AppendSlot(*a, i, b.get());
  }
  return b->Finish();
}

Result<RecordBatch> SliceBatch(const RecordBatch& batch, int64_t offset, int64_t length) {
  if (offset < 0 || length < 0 || offset + length > batch.num_rows)
    return Status::OutOfRange("slice outside the batch");
  RecordBatch out;
  out.schema = batch.schema;
  out.num_rows = length;
  for (const auto& col : batch.columns) {
    auto b = MakeBuilder(col->type);
    for (int64_t i = offset; i < offset + length; ++i) AppendSlot(*col, i, b.get());
    out.columns.push_back(b->Finish());
  }
  return out;
}

}  // namespace ds::columnar
