// Builders: append values slot by slot, then Finish() into an immutable Array.
//
//   auto b = MakeBuilder(Int64());
//   b->As<FixedBuilder>()->Append<int64_t>(42);
//   b->AppendNull();
//   ArrayPtr a = b->Finish();
//
// Nested builders own their child builders: append the children's values first, then
// close the slot on the parent (StructBuilder::AppendValid, ListBuilder::CloseList).
// Not thread-safe.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "columnar/array.h"

namespace ds::columnar {

class ArrayBuilder {
 public:
  explicit ArrayBuilder(TypePtr type) : type_(std::move(type)) {}
  virtual ~ArrayBuilder() = default;
  ArrayBuilder(const ArrayBuilder&) = delete;
  ArrayBuilder& operator=(const ArrayBuilder&) = delete;

  const TypePtr& type() const { return type_; }
  int64_t length() const { return length_; }
  // Appends a null slot (nested builders also pad their children as needed).
  virtual void AppendNull() = 0;
  // Returns the array and resets the builder to empty.
  virtual ArrayPtr Finish() = 0;

  template <typename T>
  T* As() {
    return static_cast<T*>(this);
  }

 protected:
  // Marks the next slot valid or null.
  void PushValidity(bool valid);
  // Moves the validity bits into `out` (dropping them when nothing is null) and resets.
  void FinishCommon(Array* out);

  TypePtr type_;
  int64_t length_ = 0;
  int64_t null_count_ = 0;
  Buffer validity_;
};

// All fixed-width types: integers, floats, date, time, timestamp, decimal, fixed binary, uuid.
class FixedBuilder final : public ArrayBuilder {
 public:
  explicit FixedBuilder(TypePtr type);
  template <typename T>
  void Append(T v) {
    PushValidity(true);
    values_.AppendValue(v);
  }
  // Appends `width()` raw bytes.
  void AppendBytes(const void* p) {
    PushValidity(true);
    values_.Append(p, static_cast<size_t>(width_));
  }
  void AppendNull() override;
  ArrayPtr Finish() override;
  int width() const { return width_; }

 private:
  int width_;
  Buffer values_;
};

class BoolBuilder final : public ArrayBuilder {
 public:
  BoolBuilder() : ArrayBuilder(Bool()) {}
  void Append(bool v);
  void AppendNull() override { Append(false), MarkLastNull(); }
  ArrayPtr Finish() override;

 private:
  void MarkLastNull();
  Buffer bits_;
};

class BinaryBuilder final : public ArrayBuilder {
 public:
  explicit BinaryBuilder(TypePtr type);
  void Append(std::string_view v);
  void AppendNull() override;
  ArrayPtr Finish() override;

 private:
  Buffer offsets_;
  Buffer data_;
};

class StructBuilder final : public ArrayBuilder {
 public:
  explicit StructBuilder(TypePtr type);
  ArrayBuilder* child(size_t i) { return children_[i].get(); }
  size_t num_children() const { return children_.size(); }
  // Closes a valid slot; each child must have received exactly one value for it.
  void AppendValid() { PushValidity(true); }
  // Appends a null slot and a null to every child.
  void AppendNull() override;
  ArrayPtr Finish() override;

 private:
  std::vector<std::unique_ptr<ArrayBuilder>> children_;
};

// Lists and maps. For a map, child(0) holds keys and child(1) values.
class ListBuilder final : public ArrayBuilder {
 public:
  explicit ListBuilder(TypePtr type);
  ArrayBuilder* child(size_t i = 0) { return children_[i].get(); }
  // Closes a valid slot holding every child value appended since the previous slot.
  void CloseList();
  void AppendNull() override;
  ArrayPtr Finish() override;

 private:
  std::vector<std::unique_ptr<ArrayBuilder>> children_;
  Buffer offsets_;
};

class NullBuilder final : public ArrayBuilder {
 public:
  NullBuilder() : ArrayBuilder(Null()) {}
  void AppendNull() override { ++length_, ++null_count_; }
  ArrayPtr Finish() override;
};

std::unique_ptr<ArrayBuilder> MakeBuilder(const TypePtr& type);
// One builder per field of `schema`.
std::vector<std::unique_ptr<ArrayBuilder>> MakeBuilders(const Schema& schema);
// Finishes one builder per field into a batch of `rows` rows.
RecordBatch FinishBatch(const SchemaPtr& schema, int64_t rows,
                        std::vector<std::unique_ptr<ArrayBuilder>>* builders);

}  // namespace ds::columnar
