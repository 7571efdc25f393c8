#include "parquet/row_group_filter.h"

#include <cmath>
#include <memory>

namespace ds::parquet {
namespace {

using columnar::Scalar;
using columnar::TypeId;

bool IsNaN(const Scalar& s) {
  return s.rep() == Scalar::Rep::kDouble && std::isnan(s.double_value());
}

bool IsFloat(const Scalar& s) {
  return s.type()->id == TypeId::kFloat32 || s.type()->id == TypeId::kFloat64;
}

// CompareScalars, except where rounding could make it wrong: a double against a decimal too
// wide for long double's 64-bit mantissa.
std::optional<int> SafeCompare(const Scalar& a, const Scalar& b) {
  auto wide_decimal = [](const Scalar& s) {
    return s.rep() == Scalar::Rep::kDecimal && s.type()->precision > 18;
  };
  if ((a.rep() == Scalar::Rep::kDouble && wide_decimal(b)) ||
      (b.rep() == Scalar::Rep::kDouble && wide_decimal(a)))
    return std::nullopt;
  return columnar::CompareScalars(a, b);
}

// The leaf column index of a top-level, non-nested field named `name`, or -1.
int FindFlatColumn(const FileSchema& schema, const std::string& name) {
  const int field = schema.schema()->FieldIndex(name);
  if (field < 0) return -1;
  std::vector<int> leaves = schema.ColumnsOfField(field);
  if (leaves.size() != 1) return -1;
  const ColumnDescriptor& c = schema.column(leaves[0]);
  if (c.path.size() != 1 || c.max_rep_level != 0 || columnar::IsNested(c.type->id)) return -1;
  return leaves[0];
}

const char* OpText(ColumnPredicate::Op op) {
  switch (op) {
    case ColumnPredicate::kEq:
      return "=";
    case ColumnPredicate::kNe:
      return "!=";
    case ColumnPredicate::kLt:
      return "<";
    case ColumnPredicate::kLe:
      return "<=";
    case ColumnPredicate::kGt:
      return ">";
    case ColumnPredicate::kGe:
      return ">=";
    case ColumnPredicate::kIsNull:
      return "IS NULL";
    case ColumnPredicate::kIsNotNull:
      return "IS NOT NULL";
  }
  return "?";
}

}  // namespace

std::string ColumnPredicate::ToString() const {
  std::string s = column + " " + OpText(op);
  if (op != kIsNull && op != kIsNotNull) s += " " + value.ToJson();
  return s;
}

bool PredicateMayMatch(const ColumnPredicate& p, const ColumnChunkStats& s) {
  if (p.op == ColumnPredicate::kIsNull) return !(s.null_count && *s.null_count == 0);
  if (p.op == ColumnPredicate::kIsNotNull) return !s.all_null();
  if (p.value.is_null() || IsNaN(p.value)) return true;
  if (s.all_null()) return false;  // null compares to nothing
  // Bounds of a float column say nothing about NaN values.
  const bool float_column = (s.has_min() && IsFloat(s.min)) || (s.has_max() && IsFloat(s.max));
  const bool no_nan = !float_column || (s.nan_count && *s.nan_count == 0);
  // Comparisons of the literal with the bounds (plain ints: GCC 12 misreads optionals here).
  const std::optional<int> cmp_min = s.has_min() ? SafeCompare(p.value, s.min) : std::nullopt;
  const std::optional<int> cmp_max = s.has_max() ? SafeCompare(p.value, s.max) : std::nullopt;
  const bool has_min = cmp_min.has_value(), has_max = cmp_max.has_value();
  const int vs_min = cmp_min.value_or(0), vs_max = cmp_max.value_or(0);
  switch (p.op) {
    case ColumnPredicate::kEq:
      return !((has_min && vs_min < 0) || (has_max && vs_max > 0));
    case ColumnPredicate::kNe:
      // Prunes only when every non-null value provably equals the literal.
      return !(no_nan && s.min_exact && s.max_exact && has_min && vs_min == 0 && has_max &&
               vs_max == 0);
    case ColumnPredicate::kLt:
      return !(has_min && vs_min <= 0);  // value <= min
    case ColumnPredicate::kLe:
      return !(has_min && vs_min < 0);  // value < min
    case ColumnPredicate::kGt:
      return !(no_nan && has_max && vs_max >= 0);  // value >= max
    case ColumnPredicate::kGe:
      return !(no_nan && has_max && vs_max > 0);  // value > max
    default:
      return true;
  }
}

bool RowGroupMayMatch(const FileReader& reader, int row_group,
                      const std::vector<ColumnPredicate>& predicates) {
  for (const ColumnPredicate& p : predicates) {
    const int column = FindFlatColumn(reader.file_schema(), p.column);
    if (column < 0) continue;
    auto stats = DecodeChunkStatistics(reader, row_group, column);
    if (!stats.ok()) continue;
    // A flat column has one value per row; otherwise the footer is inconsistent.
    const int64_t rows = reader.metadata().row_groups[static_cast<size_t>(row_group)].num_rows;
    if (stats->num_values != rows) continue;
    // A required column has no nulls whatever the statistics say.
    if (reader.file_schema().column(column).max_def_level == 0) stats->null_count = 0;
    if (!PredicateMayMatch(p, *stats)) return false;
  }
  return true;
}

RowGroupFilter MakeRowGroupFilter(std::vector<ColumnPredicate> predicates) {
  auto shared = std::make_shared<const std::vector<ColumnPredicate>>(std::move(predicates));
  return [shared](const FileReader& reader, int row_group) {
    return RowGroupMayMatch(reader, row_group, *shared);
  };
}

}  // namespace ds::parquet
