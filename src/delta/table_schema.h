// The schema of a table as readers need it: the logical schema (what users see), the
// physical schema (names and field ids in the data files under column mapping, delta.md §6),
// and the partition columns with their types.
//
// Variant columns (delta.md §7) are represented as struct<metadata: binary, value: binary>,
// the unshredded Parquet layout.
#pragma once

#include <string>
#include <vector>

#include "columnar/type.h"
#include "delta/actions.h"
#include "delta/table_features.h"

namespace ds::delta {

struct PartitionColumn {
  std::string name;           // logical name (as in metaData.partitionColumns)
  std::string physical_name;  // the key in add.partitionValues
  columnar::TypePtr type;
  int field_index = -1;  // in the logical schema
};

class TableSchema {
 public:
  TableSchema() = default;
  // Parses metaData.schemaString and applies the column mapping mode. Corruption naming the
  // column for an unparsable schema, a mapped column without a physical name (or, in id
  // mode, without an id), or a partition column missing from the schema; NotSupported for a
  // recorded type change (delta.typeChanges) that is not a supported widening.
  static Result<TableSchema> Make(const Metadata& metadata, ColumnMappingMode mode);

  // Field names are logical; field_id is the column mapping id (-1 without mapping).
  const columnar::SchemaPtr& logical() const { return logical_; }
  // The same tree with physical names (equal to `logical` when the mode is none).
  const columnar::SchemaPtr& physical() const { return physical_; }
  ColumnMappingMode mode() const { return mode_; }
  const std::vector<PartitionColumn>& partition_columns() const { return partition_columns_; }
  // The partition column at a logical top-level field index, or nullptr.
  const PartitionColumn* PartitionColumnAt(int field_index) const;

 private:
  columnar::SchemaPtr logical_ = std::make_shared<columnar::Schema>();
  columnar::SchemaPtr physical_ = logical_;
  ColumnMappingMode mode_ = ColumnMappingMode::kNone;
  std::vector<PartitionColumn> partition_columns_;
};

// True if values of `from` may be read as `to` under type widening (delta.md §7):
// byte->short->integer->long, float->double, byte/short/integer->double, date->timestamp_ntz,
// decimal(p,s)->decimal(p+k1,s+k2) with k1>=k2>=0, and an integer type to a decimal that
// keeps its digits (p-s >= 3 for byte, 5 short, 10 integer, 20 long; Delta 4 allows these).
bool IsSupportedWidening(const columnar::DataType& from, const columnar::DataType& to);

// The schemaString with every "variant" type replaced by its struct form (exposed for tests).
Result<std::string> ReplaceVariantTypes(std::string_view schema_json);

}  // namespace ds::delta
