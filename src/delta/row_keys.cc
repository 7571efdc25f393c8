#include "delta/row_keys.h"

#include <cstring>

#include "columnar/json_rows.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

using columnar::Array;
using columnar::TypeId;

void AppendFixed(const Array& a, int64_t row, std::string* out) {
  int width = columnar::FixedWidth(*a.type);
  const char* p = reinterpret_cast<const char*>(a.values->data()) + row * width;
  out->append(p, static_cast<size_t>(width));
}

}  // namespace

Result<KeyEncoder> KeyEncoder::Make(const columnar::Schema& schema,
                                    const std::vector<std::string>& keys) {
  if (keys.empty()) return Status::InvalidArgument("merge needs at least one key column");
  KeyEncoder e;
  for (const std::string& name : keys) {
    int index = schema.FieldIndex(name);
    if (index < 0) {
      for (size_t i = 0; i < schema.fields.size(); ++i) {
        if (EqualsIgnoreCase(schema.fields[i].name, name)) index = static_cast<int>(i);
      }
    }
    if (index < 0) return Status::InvalidArgument("key column '" + name + "' is not in the table");
    if (columnar::IsNested(schema.fields[static_cast<size_t>(index)].type->id)) {
      return Status::InvalidArgument("key column '" + name + "' is not of a primitive type");
    }
    for (int c : e.columns_) {
      if (c == index) return Status::InvalidArgument("key column '" + name + "' is listed twice");
    }
    e.columns_.push_back(index);
  }
  return e;
}

bool KeyEncoder::Encode(const columnar::RecordBatch& batch, int64_t row, std::string* out) const {
  out->clear();
  for (int c : columns_) {
    const Array& a = *batch.columns[static_cast<size_t>(c)];
    if (a.IsNull(row)) return false;
    if (a.type->id == TypeId::kBool) {
      out->push_back(a.BoolValue(row) ? '\1' : '\0');
    } else if (columnar::IsVarBinary(a.type->id)) {
      std::string_view v = a.View(row);
      uint32_t len = static_cast<uint32_t>(v.size());
      out->append(reinterpret_cast<const char*>(&len), 4);
      out->append(v);
    } else {
      AppendFixed(a, row, out);
    }
  }
  return true;
}

bool SlotsEqual(const Array& a, int64_t i, const Array& b, int64_t j) {
  bool a_null = a.IsNull(i), b_null = b.IsNull(j);
  if (a_null || b_null) return a_null == b_null;
  switch (a.type->id) {
    case TypeId::kNull:
      return true;
    case TypeId::kBool:
      return a.BoolValue(i) == b.BoolValue(j);
    case TypeId::kStruct:
      for (size_t c = 0; c < a.children.size(); ++c) {
        if (!SlotsEqual(*a.children[c], i, *b.children[c], j)) return false;
      }
      return true;
    case TypeId::kList:
    case TypeId::kMap: {
      int64_t n = a.ListEnd(i) - a.ListBegin(i);
      if (n != b.ListEnd(j) - b.ListBegin(j)) return false;
      for (int64_t k = 0; k < n; ++k) {
        for (size_t c = 0; c < a.children.size(); ++c) {
          if (!SlotsEqual(*a.children[c], a.ListBegin(i) + k, *b.children[c], b.ListBegin(j) + k)) {
            return false;
          }
        }
      }
      return true;
    }
    default:
      if (columnar::IsVarBinary(a.type->id)) return a.View(i) == b.View(j);
      {
        int width = columnar::FixedWidth(*a.type);
        return std::memcmp(a.values->data() + i * width, b.values->data() + j * width,
                           static_cast<size_t>(width)) == 0;
      }
  }
}

bool RowsEqual(const columnar::RecordBatch& a, int64_t i, const columnar::RecordBatch& b,
               int64_t j) {
  for (size_t c = 0; c < a.columns.size(); ++c) {
    if (!SlotsEqual(*a.columns[c], i, *b.columns[c], j)) return false;
  }
  return true;
}

std::string DescribeKey(const columnar::RecordBatch& batch, const KeyEncoder& keys, int64_t row) {
  std::string out = "{";
  for (size_t k = 0; k < keys.columns().size(); ++k) {
    int c = keys.columns()[k];
    if (k) out += ",";
    AppendJsonString(batch.schema->fields[static_cast<size_t>(c)].name, &out);
    out += ":";
    columnar::AppendValueJson(*batch.columns[static_cast<size_t>(c)], row, &out);
  }
  return out + "}";
}

}  // namespace ds::delta
