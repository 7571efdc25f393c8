#include "columnar/builder.h"

namespace ds::columnar {

void ArrayBuilder::PushValidity(bool valid) {
  int64_t i = length_++;
  if ((i & 7) == 0) validity_.PushByte(0);
  if (valid) {
    bit::SetBit(validity_.data(), i);
  } else {
    ++null_count_;
  }
}

void ArrayBuilder::FinishCommon(Array* out) {
  out->type = type_;
  out->length = length_;
  out->null_count = null_count_;
  if (null_count_ > 0) out->validity = std::make_shared<Buffer>(std::move(validity_));
  validity_ = Buffer();
  length_ = 0;
  null_count_ = 0;
}

FixedBuilder::FixedBuilder(TypePtr type) : ArrayBuilder(std::move(type)) {
  width_ = FixedWidth(*type_);
}

void FixedBuilder::AppendNull() {
  PushValidity(false);
  size_t old = values_.size();
  values_.ResizeZeroed(old + static_cast<size_t>(width_));
}

ArrayPtr FixedBuilder::Finish() {
  auto a = std::make_shared<Array>();
  FinishCommon(a.get());
  a->values = std::make_shared<Buffer>(std::move(values_));
  values_ = Buffer();
  return a;
}

void BoolBuilder::Append(bool v) {
  int64_t i = length_;
  PushValidity(true);
  if ((i & 7) == 0) bits_.PushByte(0);
  if (v) bit::SetBit(bits_.data(), i);
}

void BoolBuilder::MarkLastNull() {
  bit::ClearBit(validity_.data(), length_ - 1);
  ++null_count_;
}

ArrayPtr BoolBuilder::Finish() {
  auto a = std::make_shared<Array>();
  FinishCommon(a.get());
  a->values = std::make_shared<Buffer>(std::move(bits_));
  bits_ = Buffer();
  return a;
}

BinaryBuilder::BinaryBuilder(TypePtr type) : ArrayBuilder(std::move(type)) {
  offsets_.AppendValue<int64_t>(0);
}

void BinaryBuilder::Append(std::string_view v) {
  PushValidity(true);
  data_.Append(v);
  offsets_.AppendValue<int64_t>(static_cast<int64_t>(data_.size()));
}

void BinaryBuilder::AppendNull() {
  PushValidity(false);
  offsets_.AppendValue<int64_t>(static_cast<int64_t>(data_.size()));
}

ArrayPtr BinaryBuilder::Finish() {
  auto a = std::make_shared<Array>();
  FinishCommon(a.get());
  a->offsets = std::make_shared<Buffer>(std::move(offsets_));
  a->values = std::make_shared<Buffer>(std::move(data_));
  offsets_ = Buffer();
  data_ = Buffer();
  offsets_.AppendValue<int64_t>(0);
  return a;
}

StructBuilder::StructBuilder(TypePtr type) : ArrayBuilder(std::move(type)) {
  for (const Field& f : type_->fields) children_.push_back(MakeBuilder(f.type));
}

void StructBuilder::AppendNull() {
  PushValidity(false);
  for (auto& c : children_) c->AppendNull();
}

ArrayPtr StructBuilder::Finish() {
  auto a = std::make_shared<Array>();
  FinishCommon(a.get());
  for (auto& c : children_) a->children.push_back(c->Finish());
  return a;
}

ListBuilder::ListBuilder(TypePtr type) : ArrayBuilder(std::move(type)) {
  for (const Field& f : type_->fields) children_.push_back(MakeBuilder(f.type));
  offsets_.AppendValue<int64_t>(0);
}

void ListBuilder::CloseList() {
  PushValidity(true);
  offsets_.AppendValue<int64_t>(children_[0]->length());
}

void ListBuilder::AppendNull() {
  PushValidity(false);
  offsets_.AppendValue<int64_t>(children_[0]->length());
}

ArrayPtr ListBuilder::Finish() {
  auto a = std::make_shared<Array>();
  FinishCommon(a.get());
  a->offsets = std::make_shared<Buffer>(std::move(offsets_));
  offsets_ = Buffer();
  offsets_.AppendValue<int64_t>(0);
  for (auto& c : children_) a->children.push_back(c->Finish());
  return a;
}

ArrayPtr NullBuilder::Finish() {
  auto a = MakeNullArray(type_, length_);
  length_ = 0;
  null_count_ = 0;
  return a;
}

std::unique_ptr<ArrayBuilder> MakeBuilder(const TypePtr& type) {
  switch (type->id) {
    case TypeId::kNull:
      return std::make_unique<NullBuilder>();
    case TypeId::kBool:
      return std::make_unique<BoolBuilder>();
    case TypeId::kString:
    case TypeId::kBinary:
      return std::make_unique<BinaryBuilder>(type);
    case TypeId::kStruct:
      return std::make_unique<StructBuilder>(type);
    case TypeId::kList:
    case TypeId::kMap:
      return std::make_unique<ListBuilder>(type);
    default:
      return std::make_unique<FixedBuilder>(type);
  }
}

std::vector<std::unique_ptr<ArrayBuilder>> MakeBuilders(const Schema& schema) {
  std::vector<std::unique_ptr<ArrayBuilder>> out;
  for (const Field& f : schema.fields) out.push_back(MakeBuilder(f.type));
  return out;
}

RecordBatch FinishBatch(const SchemaPtr& schema, int64_t rows,
                        std::vector<std::unique_ptr<ArrayBuilder>>* builders) {
  RecordBatch batch;
  batch.schema = schema;
  batch.num_rows = rows;
  for (auto& b : *builders) batch.columns.push_back(b->Finish());
  return batch;
}

}  // namespace ds::columnar
