#include "delta/key_skipping.h"

#include <algorithm>

#include "delta/file_filter.h"
#include "delta/partition_value.h"
#include "expr/value.h"
#include "util/civil_time.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

using columnar::Scalar;
using columnar::TypeId;

bool Less(const Scalar& a, const Scalar& b) { return CompareScalars(a, b).value_or(0) < 0; }

}  // namespace

Result<KeyFileSkipper> KeyFileSkipper::Make(const TableSchema& schema, const std::string& column,
                                            const columnar::Array& values) {
  const columnar::Schema& logical = *schema.logical();
  int index = logical.FieldIndex(column);
  if (index < 0) return Status::InvalidArgument("key column '" + column + "' is not in the table");
  KeyFileSkipper s;
  const columnar::Field& field = logical.fields[static_cast<size_t>(index)];
  s.type_ = field.type;
  for (int64_t i = 0; i < values.length; ++i) {
    if (values.IsValid(i)) s.values_.push_back(Scalar::FromArray(values, i));
  }
  std::sort(s.values_.begin(), s.values_.end(), Less);
  s.values_.erase(std::unique(s.values_.begin(), s.values_.end(),
                              [](const Scalar& a, const Scalar& b) {
                                return CompareScalars(a, b).value_or(1) == 0;
                              }),
                  s.values_.end());
  if (const PartitionColumn* pc = schema.PartitionColumnAt(index)) {
    s.partition_ = true;
    s.physical_name_ = pc->physical_name;
    return s;
  }
  switch (s.type_->id) {
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kString:
    case TypeId::kDecimal:
      s.usable_stats_ = true;
      break;
    default:
      break;
  }
  s.paths_.Add({PhysicalName(schema.physical()->fields[static_cast<size_t>(index)],
                             ColumnMappingMode::kNone)});
  return s;
}

std::optional<Scalar> KeyFileSkipper::Bound(const expr::StatsToken& token, bool max) const {
  using Kind = expr::StatsToken::Kind;
  switch (type_->id) {
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64: {
      if (token.kind != Kind::kNumber) return std::nullopt;
      std::optional<int64_t> v = ParseInt64(token.text);
      if (!v) return std::nullopt;
      return Scalar::MakeInt(type_, *v);
    }
    case TypeId::kDate: {
      if (token.kind != Kind::kString) return std::nullopt;
      Result<int32_t> v = ParseDate(token.text);
      if (!v.ok()) return std::nullopt;
      return Scalar::MakeInt(type_, *v);
    }
    case TypeId::kTimestamp: {
      if (token.kind != Kind::kString) return std::nullopt;
      Result<int64_t> micros = ParseTimestampMicros(token.text);
      if (!micros.ok()) return std::nullopt;
      int128_t v = max ? expr::MicrosToUnitCeil(static_cast<int128_t>(*micros) + 999, type_->unit)
                       : expr::MicrosToUnitFloor(*micros, type_->unit);
      if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
      return Scalar::MakeInt(type_, static_cast<int64_t>(v));
    }
    case TypeId::kString:
      if (token.kind != Kind::kString) return std::nullopt;
      return Scalar::MakeBytes(type_, std::string(token.text));
    case TypeId::kDecimal: {
      if (token.kind != Kind::kNumber) return std::nullopt;
      std::optional<int128_t> v = expr::ParseExactAtScale(token.text, type_->scale);
      if (!v) return std::nullopt;
      return Scalar::MakeDecimal(type_, *v);
    }
    default:
      return std::nullopt;
  }
}

bool KeyFileSkipper::AnyWithin(const std::optional<Scalar>& lo,
                               const std::optional<Scalar>& hi) const {
  auto it = lo ? std::lower_bound(values_.begin(), values_.end(), *lo, Less) : values_.begin();
  if (it == values_.end()) return false;
  return !hi || CompareScalars(*it, *hi).value_or(-1) <= 0;
}

bool KeyFileSkipper::MayContain(const FileView& file) {
  if (values_.empty()) return false;
  if (partition_) {
    std::optional<std::optional<std::string_view>> text = file.FindPartitionValue(physical_name_);
    if (!text) return true;  // malformed action: be safe
    Result<Scalar> value = ParsePartitionValue(*text, type_);
    if (!value.ok()) return true;
    if (value->is_null()) return false;
    return AnyWithin(*value, *value);
  }
  if (!usable_stats_) return true;
  std::optional<std::string_view> stats = file.stats();
  if (!stats || !scanner_.Scan(*stats, paths_, &scanned_)) return true;
  if (scanned_.has_num_records && scanned_.num_records == 0) return false;
  std::optional<int64_t> nulls;
  if (scanned_.null_count[0].kind == expr::StatsToken::Kind::kNumber) {
    nulls = ParseInt64(scanned_.null_count[0].text);
  }
  if (nulls && scanned_.has_num_records && *nulls == scanned_.num_records) return false;
  std::optional<Scalar> lo = Bound(scanned_.min_values[0], false);
  std::optional<Scalar> hi = Bound(scanned_.max_values[0], true);
  return AnyWithin(lo, hi);
}

}  // namespace ds::delta
