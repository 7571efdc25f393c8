#include "client/arrow_c.h"

#include <cerrno>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace ds::client {
namespace {

// Stands in for buffers of empty arrays (offsets need one zero).
alignas(64) const int64_t kZeros[8] = {};

// ---- schemas --------------------------------------------------------------------------

struct ExportedSchema {
  std::string format, name, metadata;
  std::vector<ArrowSchema> children;
  std::vector<ArrowSchema*> child_ptrs;
};

void ReleaseSchema(ArrowSchema* schema) {
  if (schema == nullptr || schema->release == nullptr) return;
  auto* p = static_cast<ExportedSchema*>(schema->private_data);
  for (ArrowSchema& c : p->children) {
    if (c.release != nullptr) c.release(&c);
  }
  delete p;
  schema->release = nullptr;
}

void AppendInt32(int32_t v, std::string* out) { out->append(reinterpret_cast<char*>(&v), 4); }

// The binary metadata encoding of the C interface: int32 count, then length-prefixed pairs.
std::string Metadata(std::string_view key, std::string_view value) {
  std::string m;
  AppendInt32(1, &m);
  AppendInt32(static_cast<int32_t>(key.size()), &m);
  m.append(key);
  AppendInt32(static_cast<int32_t>(value.size()), &m);
  m.append(value);
  return m;
}

char UnitChar(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis:
      return 'm';
    case TimeUnit::kMicros:
      return 'u';
    case TimeUnit::kNanos:
      return 'n';
  }
  return 'u';
}

Status FillSchema(std::string name, const columnar::TypePtr& type, bool nullable, ArrowSchema* out);

Status FillChildren(const std::vector<columnar::Field>& fields, ExportedSchema* p) {
  p->children.resize(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    Status st = FillSchema(fields[i].name, fields[i].type, fields[i].nullable, &p->children[i]);
    if (!st.ok()) {
      for (size_t j = 0; j < i; ++j) ReleaseSchema(&p->children[j]);
      p->children.clear();
      return st;
    }
  }
  for (ArrowSchema& c : p->children) p->child_ptrs.push_back(&c);
  return Status::OK();
}

Status FillSchema(std::string name, const columnar::TypePtr& type, bool nullable,
                  ArrowSchema* out) {
  using columnar::TypeId;
  auto p = std::make_unique<ExportedSchema>();
  p->name = std::move(name);
  int64_t flags = nullable ? ARROW_FLAG_NULLABLE : 0;
  switch (type->id) {
    case TypeId::kNull:
      p->format = "n";
      break;
    case TypeId::kBool:
      p->format = "b";
      break;
    case TypeId::kInt8:
      p->format = "c";
      break;
    case TypeId::kInt16:
      p->format = "s";
      break;
    case TypeId::kInt32:
      p->format = "i";
      break;
    case TypeId::kInt64:
      p->format = "l";
      break;
    case TypeId::kUInt8:
      p->format = "C";
      break;
    case TypeId::kUInt16:
      p->format = "S";
      break;
    case TypeId::kUInt32:
      p->format = "I";
      break;
    case TypeId::kUInt64:
      p->format = "L";
      break;
    case TypeId::kFloat32:
      p->format = "f";
      break;
    case TypeId::kFloat64:
      p->format = "g";
      break;
    case TypeId::kString:
      p->format = "U";
      break;
    case TypeId::kBinary:
      p->format = "Z";
      break;
    case TypeId::kFixedBinary:
      p->format = "w:" + std::to_string(type->byte_width);
      break;
    case TypeId::kUuid:
      p->format = "w:16";
      p->metadata = Metadata("ARROW:extension:name", "arrow.uuid");
      break;
    case TypeId::kDecimal:
      p->format = "d:" + std::to_string(type->precision) + "," + std::to_string(type->scale);
      break;
    case TypeId::kDate:
      p->format = "tdD";
      break;
    case TypeId::kTime:
      p->format = std::string("tt") + UnitChar(type->unit);
      break;
    case TypeId::kTimestamp:
      p->format = std::string("ts") + UnitChar(type->unit) + ":" + (type->utc ? "UTC" : "");
      break;
    case TypeId::kStruct:
      p->format = "+s";
      RETURN_NOT_OK(FillChildren(type->fields, p.get()));
      break;
    case TypeId::kList:
      p->format = "+L";
      RETURN_NOT_OK(FillChildren(type->fields, p.get()));
      break;
    case TypeId::kMap: {
      p->format = "+m";
      columnar::Field key = type->fields[0];
      key.nullable = false;
      columnar::Field entries("entries", columnar::Struct({key, type->fields[1]}), false);
      RETURN_NOT_OK(FillChildren({entries}, p.get()));
      break;
    }
  }
  out->format = p->format.c_str();
  out->name = p->name.c_str();
  out->metadata = p->metadata.empty() ? nullptr : p->metadata.data();
  out->flags = flags;
  out->n_children = static_cast<int64_t>(p->children.size());
  out->children = p->child_ptrs.empty() ? nullptr : p->child_ptrs.data();
  out->dictionary = nullptr;
  out->release = ReleaseSchema;
  out->private_data = p.release();
  return Status::OK();
}

// ---- arrays ---------------------------------------------------------------------------

struct ExportedArray {
  columnar::ArrayPtr keep;  // owns the buffers
  std::vector<const void*> buffers;
  std::vector<ArrowArray> children;
  std::vector<ArrowArray*> child_ptrs;
  std::vector<int32_t> offsets32;  // maps
};

void ReleaseArray(ArrowArray* array) {
  if (array == nullptr || array->release == nullptr) return;
  auto* p = static_cast<ExportedArray*>(array->private_data);
  for (ArrowArray& c : p->children) {
    if (c.release != nullptr) c.release(&c);
  }
  delete p;
  array->release = nullptr;
}

const void* Data(const BufferPtr& buffer) {
  return buffer != nullptr && buffer->data() != nullptr ? buffer->data()
                                                        : static_cast<const void*>(kZeros);
}

void Finish(std::unique_ptr<ExportedArray> p, int64_t length, int64_t null_count, ArrowArray* out) {
  for (ArrowArray& c : p->children) p->child_ptrs.push_back(&c);
  out->length = length;
  out->null_count = null_count;
  out->offset = 0;
  out->n_buffers = static_cast<int64_t>(p->buffers.size());
  out->n_children = static_cast<int64_t>(p->children.size());
  out->buffers = p->buffers.empty() ? nullptr : p->buffers.data();
  out->children = p->child_ptrs.empty() ? nullptr : p->child_ptrs.data();
  out->dictionary = nullptr;
  out->release = ReleaseArray;
  out->private_data = p.release();
}

Status ExportChildren(const std::vector<columnar::ArrayPtr>& arrays, ExportedArray* p) {
  p->children.resize(arrays.size());
  for (size_t i = 0; i < arrays.size(); ++i) {
    Status st = ExportArray(arrays[i], &p->children[i]);
    if (!st.ok()) {
      for (size_t j = 0; j < i; ++j) ReleaseArray(&p->children[j]);
      p->children.clear();
      return st;
    }
  }
  return Status::OK();
}

}  // namespace

Status ExportField(const columnar::Field& field, ArrowSchema* out) {
  return FillSchema(field.name, field.type, field.nullable, out);
}

Status ExportSchema(const columnar::Schema& schema, ArrowSchema* out) {
  return FillSchema("", columnar::Struct(schema.fields), false, out);
}

Status ExportArray(const columnar::ArrayPtr& array, ArrowArray* out) {
  using columnar::TypeId;
  auto p = std::make_unique<ExportedArray>();
  p->keep = array;
  const columnar::Array& a = *array;
  const void* validity = a.null_count > 0 && a.validity != nullptr ? a.validity->data() : nullptr;
  switch (a.type->id) {
    case TypeId::kNull:
      Finish(std::move(p), a.length, a.length, out);
      return Status::OK();
    case TypeId::kString:
    case TypeId::kBinary:
      p->buffers = {validity, Data(a.offsets), Data(a.values)};
      break;
    case TypeId::kStruct:
      p->buffers = {validity};
      RETURN_NOT_OK(ExportChildren(a.children, p.get()));
      break;
    case TypeId::kList:
      p->buffers = {validity, Data(a.offsets)};
      RETURN_NOT_OK(ExportChildren(a.children, p.get()));
      break;
    case TypeId::kMap: {
      // Arrow maps: 32-bit offsets and one non-null "entries" struct of keys and values.
      const int64_t* offsets = a.length > 0 ? a.offsets_data() : kZeros;
      const int64_t entries = offsets[a.length];
      if (entries > std::numeric_limits<int32_t>::max()) {
        return Status::InvalidArgument("a map column of " + std::to_string(entries) +
                                       " entries exceeds Arrow's 32-bit map offsets");
      }
      p->offsets32.resize(static_cast<size_t>(a.length) + 1);
      for (int64_t i = 0; i <= a.length; ++i) {
        p->offsets32[static_cast<size_t>(i)] = static_cast<int32_t>(offsets[i]);
      }
      p->buffers = {validity, p->offsets32.data()};
      auto entries_array = std::make_unique<ExportedArray>();
      entries_array->buffers = {nullptr};
      RETURN_NOT_OK(ExportChildren(a.children, entries_array.get()));
      p->children.resize(1);
      Finish(std::move(entries_array), entries, 0, &p->children[0]);
      break;
    }
    default:
      p->buffers = {validity, Data(a.values)};
      break;
  }
  Finish(std::move(p), a.length, a.null_count, out);
  return Status::OK();
}

Status ExportRecordBatch(const columnar::RecordBatch& batch, ArrowArray* out) {
  auto p = std::make_unique<ExportedArray>();
  p->buffers = {nullptr};
  RETURN_NOT_OK(ExportChildren(batch.columns, p.get()));
  Finish(std::move(p), batch.num_rows, 0, out);
  return Status::OK();
}

namespace {

struct StreamState {
  std::unique_ptr<BatchReader> reader;
  std::string last_error;
};

StreamState* State(ArrowArrayStream* stream) {
  return static_cast<StreamState*>(stream->private_data);
}

int StreamGetSchema(ArrowArrayStream* stream, ArrowSchema* out) {
  StreamState* s = State(stream);
  Status st = ExportSchema(*s->reader->schema(), out);
  if (st.ok()) return 0;
  s->last_error = st.ToString();
  return EINVAL;
}

int StreamGetNext(ArrowArrayStream* stream, ArrowArray* out) {
  StreamState* s = State(stream);
  auto batch = s->reader->Next();
  if (!batch.ok()) {
    s->last_error = batch.status().ToString();
    return EIO;
  }
  if (!*batch) {
    std::memset(out, 0, sizeof(*out));  // released: the end of the stream
    return 0;
  }
  Status st = ExportRecordBatch(**batch, out);
  if (st.ok()) return 0;
  s->last_error = st.ToString();
  return EINVAL;
}

const char* StreamLastError(ArrowArrayStream* stream) {
  StreamState* s = State(stream);
  return s->last_error.empty() ? nullptr : s->last_error.c_str();
}

void StreamRelease(ArrowArrayStream* stream) {
  if (stream == nullptr || stream->release == nullptr) return;
  delete State(stream);
  stream->release = nullptr;
}

}  // namespace

void ExportBatchReader(std::unique_ptr<BatchReader> reader, ArrowArrayStream* out) {
  out->get_schema = StreamGetSchema;
  out->get_next = StreamGetNext;
  out->get_last_error = StreamLastError;
  out->release = StreamRelease;
  out->private_data = new StreamState{std::move(reader), {}};
}

}  // namespace ds::client
