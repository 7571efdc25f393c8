// The schema of a Parquet file: the tree of SchemaElements with definition and repetition
// levels, the leaf columns with their in-memory value types, and the assembly plan that
// turns leaf values into nested columnar arrays.
//
// Logical types follow parquet.md §3: a known logicalType wins, then the ConvertedType,
// then the physical type. Legacy list and map layouts (2-level lists, `array`/`_tuple`
// elements, MAP_KEY_VALUE, bare repeated fields) are normalised to list/map types. INT96 is
// read as a UTC timestamp in microseconds, FLOAT16 as float.
#pragma once

#include <string>
#include <vector>

#include "columnar/type.h"
#include "parquet/assembly.h"
#include "parquet/format/parquet_types.h"

namespace ds::parquet {

// One leaf column.
struct ColumnDescriptor {
  int index = 0;
  std::vector<std::string> path;  // names below the root
  format::Type physical_type = format::Type::BOOLEAN;
  int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY width
  int16_t max_def_level = 0;
  int16_t max_rep_level = 0;
  int32_t field_id = -1;
  columnar::TypePtr type;  // in-memory type of the values
  const format::SchemaElement* element = nullptr;

  std::string PathString() const;  // "a.b.c" (for messages only; names may contain dots)
};

// A node of the Parquet schema tree.
struct SchemaNode {
  std::string name;
  format::FieldRepetitionType repetition = format::FieldRepetitionType::REQUIRED;
  int16_t def_level = 0;  // D(n): optional/repeated nodes from the root down to n
  int16_t rep_level = 0;  // R(n): repeated nodes from the root down to n
  int column = -1;        // leaf column index, or -1 for groups
  const format::SchemaElement* element = nullptr;
  std::vector<SchemaNode> children;

  bool is_leaf() const { return column >= 0; }
  bool is_repeated() const { return repetition == format::FieldRepetitionType::REPEATED; }
  bool is_optional() const { return repetition == format::FieldRepetitionType::OPTIONAL; }
};

class FileSchema {
 public:
  // Builds the schema from the flattened element list (elements[0] is the root). The
  // elements must outlive the FileSchema. Corruption on a malformed tree or an annotation
  // that does not fit its physical type; NotSupported for types we cannot represent
  // (decimal precision > 38).
  static Result<FileSchema> Make(const std::vector<format::SchemaElement>& elements);

  const SchemaNode& root() const { return root_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  const ColumnDescriptor& column(int i) const { return columns_[i]; }
  // The logical schema of the top-level fields.
  const columnar::SchemaPtr& schema() const { return schema_; }
  // The assembly plan of top-level field i (leaf indices are column indices).
  const AssemblyNode& assembly(int i) const { return assembly_[i]; }
  // Leaf columns below top-level field i, in order.
  std::vector<int> ColumnsOfField(int i) const;

 private:
  SchemaNode root_;
  std::vector<ColumnDescriptor> columns_;
  columnar::SchemaPtr schema_;
  std::vector<AssemblyNode> assembly_;
};

// The in-memory type for a leaf element. Exposed for tests.
Result<columnar::TypePtr> LeafType(const format::SchemaElement& element);

}  // namespace ds::parquet
