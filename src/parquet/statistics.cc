#include "parquet/statistics.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "parquet/file_reader.h"
#include "parquet/physical.h"
#include "util/bytes.h"
#include "util/decimal.h"
#include "util/string_util.h"

namespace ds::parquet {
namespace {

using columnar::Scalar;
using columnar::TypeId;
using format::ColumnOrder;
using format::ConvertedType;
using format::LogicalType;
using format::Type;

// How a column's values are ordered by writers computing min/max.
enum class Order { kSigned, kUnsigned, kFloat, kNone };

bool IsBytesType(TypeId id) {
  return id == TypeId::kString || id == TypeId::kBinary || id == TypeId::kFixedBinary ||
         id == TypeId::kUuid;
}

bool IsFloatColumn(const ColumnDescriptor& c) {
  return c.type->id == TypeId::kFloat32 || c.type->id == TypeId::kFloat64;
}

// The sort order of `c`, or kNone with the reason in *why.
Order OrderOf(const ColumnDescriptor& c, std::string* why) {
  const format::SchemaElement& e = *c.element;
  if (c.physical_type == Type::INT96) {
    *why = "INT96 has no usable sort order";
    return Order::kNone;
  }
  if (e.logical_type) {
    switch (e.logical_type->kind) {
      case LogicalType::Kind::kUnrecognized:
        *why = "unrecognized logical type (sort order unknown)";
        return Order::kNone;
      case LogicalType::Kind::kGeometry:
      case LogicalType::Kind::kGeography:
      case LogicalType::Kind::kVariant:
        *why = std::string(format::LogicalTypeName(e.logical_type->kind)) + " has no sort order";
        return Order::kNone;
      default:
        break;
    }
  }
  if (e.converted_type && *e.converted_type == ConvertedType::INTERVAL) {
    *why = "INTERVAL has no sort order";
    return Order::kNone;
  }
  switch (c.type->id) {
    case TypeId::kBool:
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kDecimal:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
      return Order::kSigned;
    case TypeId::kUInt8:
    case TypeId::kUInt16:
    case TypeId::kUInt32:
    case TypeId::kUInt64:
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kFixedBinary:
    case TypeId::kUuid:
      return Order::kUnsigned;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      return Order::kFloat;
    default:
      *why = "no sort order for " + c.type->ToString();
      return Order::kNone;
  }
}

int CountLeaves(const std::vector<format::SchemaElement>& schema) {
  int n = 0;
  for (size_t i = 1; i < schema.size(); ++i) n += schema[i].num_children.value_or(0) == 0;
  return n;
}

Status Bad(const std::string& why) { return Status::InvalidArgument(why); }

Status WrongSize(std::string_view bytes, size_t want) {
  return Bad("value of " + std::to_string(bytes.size()) + " bytes where " + std::to_string(want) +
             " are expected");
}

Result<Scalar> MakeDecimalValue(const ColumnDescriptor& c, int128_t v) {
  if (v > MaxUnscaled(c.type->precision) || v < -MaxUnscaled(c.type->precision)) {
    return Bad("decimal value exceeds precision " + std::to_string(c.type->precision));
  }
  return Scalar::MakeDecimal(c.type, v);
}

Result<Scalar> DecodeInt32(const ColumnDescriptor& c, int32_t v) {
  const auto u = static_cast<uint32_t>(v);
  switch (c.type->id) {
    case TypeId::kInt32:
    case TypeId::kDate:
    case TypeId::kTime:
      return Scalar::MakeInt(c.type, v);
    case TypeId::kInt8:
      if (v < -128 || v > 127) return Bad("value " + std::to_string(v) + " outside int8");
      return Scalar::MakeInt(c.type, v);
    case TypeId::kInt16:
      if (v < -32768 || v > 32767) return Bad("value " + std::to_string(v) + " outside int16");
      return Scalar::MakeInt(c.type, v);
    case TypeId::kUInt8:
      if (u > 0xFF) return Bad("value " + std::to_string(u) + " outside uint8");
      return Scalar::MakeUInt(c.type, u);
    case TypeId::kUInt16:
      if (u > 0xFFFF) return Bad("value " + std::to_string(u) + " outside uint16");
      return Scalar::MakeUInt(c.type, u);
    case TypeId::kUInt32:
      return Scalar::MakeUInt(c.type, u);
    case TypeId::kDecimal:
      return MakeDecimalValue(c, v);
    default:
      return Bad("INT32 statistics for a " + c.type->ToString() + " column");
  }
}

Result<Scalar> DecodeInt64(const ColumnDescriptor& c, int64_t v) {
  switch (c.type->id) {
    case TypeId::kInt64:
    case TypeId::kTime:
    case TypeId::kTimestamp:
      return Scalar::MakeInt(c.type, v);
    case TypeId::kUInt64:
      return Scalar::MakeUInt(c.type, static_cast<uint64_t>(v));
    case TypeId::kDecimal:
      return MakeDecimalValue(c, v);
    default:
      return Bad("INT64 statistics for a " + c.type->ToString() + " column");
  }
}

Result<Scalar> DecodeFixed(const ColumnDescriptor& c, std::string_view b, StatBound bound,
                           bool* exact) {
  const auto width = static_cast<size_t>(c.type_length);
  switch (c.type->id) {
    case TypeId::kFloat32:  // FLOAT16
      if (b.size() != 2) return WrongSize(b, 2);
      return Scalar::MakeDouble(c.type, HalfToFloat(LoadLE<uint16_t>(b.data())));
    case TypeId::kDecimal: {
      if (b.size() != width) return WrongSize(b, width);
      int128_t v;
      if (!BigEndianToInt128(reinterpret_cast<const uint8_t*>(b.data()), b.size(), &v))
        return Bad("decimal value overflows 128 bits");
      return MakeDecimalValue(c, v);
    }
    case TypeId::kFixedBinary:
    case TypeId::kUuid: {
      if (b.size() > width) return WrongSize(b, width);
      std::string bytes(b);
      if (bytes.size() < width) {
        // A truncated bound: pad so that it still bounds every full-width value.
        bytes.resize(width, bound == StatBound::kMin ? '\0' : '\xFF');
        if (exact) *exact = false;
      }
      return Scalar::MakeBytes(c.type, std::move(bytes));
    }
    default:
      return Bad("FIXED_LEN_BYTE_ARRAY statistics for a " + c.type->ToString() + " column");
  }
}

// ---- Rules ----

bool IsBinaryPhysical(Type t) { return t == Type::BYTE_ARRAY || t == Type::FIXED_LEN_BYTE_ARRAY; }

void AddReason(ColumnChunkStats* s, std::string_view why) {
  if (!s->unusable_reason.empty()) s->unusable_reason += "; ";
  s->unusable_reason += why;
}

// Why the min_value/max_value fields cannot be used, or empty.
std::string NewFieldsProblem(const format::FileMetaData& md, const ColumnDescriptor& c, Order o) {
  if (!md.column_orders) return "min_value/max_value without column_orders";
  const int leaves = CountLeaves(md.schema);
  if (static_cast<int>(md.column_orders->size()) != leaves) {
    return "column_orders has " + std::to_string(md.column_orders->size()) + " entries for " +
           std::to_string(leaves) + " columns";
  }
  if (c.index < 0 || c.index >= leaves) return "column index outside column_orders";
  switch ((*md.column_orders)[static_cast<size_t>(c.index)].kind) {
    case ColumnOrder::Kind::kTypeOrder:
      return "";
    case ColumnOrder::Kind::kIeee754TotalOrder:
      return o == Order::kFloat ? "" : "IEEE_754_TOTAL_ORDER on a non-float column";
    case ColumnOrder::Kind::kInt96TimestampOrder:
      return "INT96_TIMESTAMP_ORDER is not supported";
    case ColumnOrder::Kind::kUnknown:
      return "unknown column order";
  }
  return "unknown column order";
}

// Why the legacy min/max fields cannot be used, or empty.
std::string LegacyProblem(const format::FileMetaData& md, const ColumnDescriptor& c, Order o,
                          const format::Statistics& st) {
  const bool equal = st.min && st.max && *st.min == *st.max;
  if (IsBinaryPhysical(c.physical_type)) {
    if (!md.created_by) return "legacy binary min/max in a file without created_by";
    WriterVersion w = ParseCreatedBy(*md.created_by);
    if ((w.app == "parquet-mr" && (!w.has_version || w.Below(1, 10, 0))) ||
        (w.app == "parquet-cpp" && (!w.has_version || w.Below(1, 3, 0)))) {
      return "legacy binary min/max from " + *md.created_by + " are unreliable";
    }
  }
  const bool signed_like =
      o == Order::kSigned || (o == Order::kFloat && c.physical_type != Type::FIXED_LEN_BYTE_ARRAY);
  if (!signed_like && !equal) return "legacy min/max use signed order; this column sorts unsigned";
  return "";
}

// Float-specific rules on decoded bounds.
void ApplyFloatRules(bool total_order, ColumnChunkStats* s) {
  const bool min_nan = s->has_min() && std::isnan(s->min.double_value());
  const bool max_nan = s->has_max() && std::isnan(s->max.double_value());
  if (!total_order) {
    if (min_nan || max_nan) {
      s->min = s->max = Scalar();
      AddReason(s, "NaN bound");
      return;
    }
  } else {
    // -NaN < -inf ... +inf < +NaN: a +NaN min or -NaN max means every value is NaN.
    const bool all_nan = (min_nan && !std::signbit(s->min.double_value())) ||
                         (max_nan && std::signbit(s->max.double_value()));
    if (all_nan || min_nan || max_nan) AddReason(s, "NaN bound");
    if (all_nan || min_nan) s->min = Scalar();
    if (all_nan || max_nan) s->max = Scalar();
    return;
  }
  // Writers may store zero bounds without their sign.
  if (s->has_min() && s->min.double_value() == 0 && !std::signbit(s->min.double_value())) {
    s->min = Scalar::MakeDouble(s->min.type(), -0.0);
  }
  if (s->has_max() && s->max.double_value() == 0 && std::signbit(s->max.double_value())) {
    s->max = Scalar::MakeDouble(s->max.type(), 0.0);
  }
}

// Decodes the chosen min/max bytes into *s.
void DecodeBounds(const ColumnDescriptor& c, const std::optional<std::string>& min,
                  const std::optional<std::string>& max, ColumnChunkStats* s) {
  if (min) {
    auto v = DecodeStatValue(c, *min, StatBound::kMin, &s->min_exact);
    if (v.ok()) {
      s->min = *v;
    } else {
      AddReason(s, "min: " + v.status().message());
    }
  }
  if (max) {
    auto v = DecodeStatValue(c, *max, StatBound::kMax, &s->max_exact);
    if (v.ok()) {
      s->max = *v;
    } else {
      AddReason(s, "max: " + v.status().message());
    }
  }
}

void DecodeMinMax(const format::FileMetaData& md, const ColumnDescriptor& c,
                  const format::Statistics& st, ColumnChunkStats* s) {
  const bool has_new = st.min_value || st.max_value;
  const bool has_legacy = st.min || st.max;
  if (!has_new && !has_legacy) return;
  std::string why;
  const Order order = OrderOf(c, &why);
  if (order == Order::kNone) return AddReason(s, why);

  bool total_order = false;
  bool use_legacy = !has_new;
  if (has_new) {
    std::string problem = NewFieldsProblem(md, c, order);
    if (problem.empty()) {
      total_order = (*md.column_orders)[static_cast<size_t>(c.index)].kind ==
                    ColumnOrder::Kind::kIeee754TotalOrder;
      // Binary bounds may be truncated unless the writer says otherwise.
      const bool default_exact = !IsBytesType(c.type->id);
      s->min_exact = st.is_min_value_exact.value_or(default_exact);
      s->max_exact = st.is_max_value_exact.value_or(default_exact);
      DecodeBounds(c, st.min_value, st.max_value, s);
    } else {
      use_legacy = has_legacy;
      AddReason(s, use_legacy ? problem + " (legacy min/max tried instead)" : problem);
    }
  }
  if (use_legacy) {
    std::string problem = LegacyProblem(md, c, order, st);
    if (!problem.empty()) return AddReason(s, problem);
    s->min_exact = s->max_exact = true;
    DecodeBounds(c, st.min, st.max, s);
  }
  if (order == Order::kFloat) ApplyFloatRules(total_order, s);
  if (s->has_min() && s->has_max()) {
    std::optional<int> cmp = columnar::CompareScalars(s->min, s->max);
    if (!cmp || *cmp > 0) {
      s->min = s->max = Scalar();
      AddReason(s, "min > max");
    }
  }
}

}  // namespace

bool WriterVersion::Below(int ma, int mi, int pa) const {
  if (!has_version) return false;
  if (major != ma) return major < ma;
  if (minor != mi) return minor < mi;
  return patch < pa;
}

WriterVersion ParseCreatedBy(std::string_view created_by) {
  WriterVersion w;
  std::string_view s = Trim(created_by);
  const std::string_view kSep = " version ";
  size_t pos = s.find(kSep);
  if (pos == std::string_view::npos) {
    w.app = ToLower(s.substr(0, s.find(' ')));
    return w;
  }
  w.app = ToLower(Trim(s.substr(0, pos)));
  std::string_view v = Trim(s.substr(pos + kSep.size()));
  int parts[3] = {0, 0, 0};
  int n = 0;
  size_t i = 0;
  while (n < 3) {
    size_t start = i;
    int64_t x = 0;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9' && x < 1000000) x = x * 10 + (v[i++] - '0');
    if (i == start) break;
    parts[n++] = static_cast<int>(x);
    if (i < v.size() && v[i] == '.') {
      ++i;
    } else {
      break;
    }
  }
  if (n >= 2) {
    w.has_version = true;
    w.major = parts[0];
    w.minor = parts[1];
    w.patch = parts[2];
  }
  return w;
}

Result<Scalar> DecodeStatValue(const ColumnDescriptor& c, std::string_view b, StatBound bound,
                               bool* exact) {
  switch (c.physical_type) {
    case Type::BOOLEAN:
      if (c.type->id != TypeId::kBool) break;
      if (b.size() != 1) return WrongSize(b, 1);
      if (static_cast<uint8_t>(b[0]) > 1) return Bad("boolean byte is neither 0 nor 1");
      return Scalar::MakeBool(b[0] == 1);
    case Type::INT32:
      if (b.size() != 4) return WrongSize(b, 4);
      return DecodeInt32(c, LoadLE<int32_t>(b.data()));
    case Type::INT64:
      if (b.size() != 8) return WrongSize(b, 8);
      return DecodeInt64(c, LoadLE<int64_t>(b.data()));
    case Type::FLOAT:
      if (c.type->id != TypeId::kFloat32) break;
      if (b.size() != 4) return WrongSize(b, 4);
      return Scalar::MakeDouble(c.type, LoadLE<float>(b.data()));
    case Type::DOUBLE:
      if (c.type->id != TypeId::kFloat64) break;
      if (b.size() != 8) return WrongSize(b, 8);
      return Scalar::MakeDouble(c.type, LoadLE<double>(b.data()));
    case Type::FIXED_LEN_BYTE_ARRAY:
      return DecodeFixed(c, b, bound, exact);
    case Type::BYTE_ARRAY:
      if (columnar::IsVarBinary(c.type->id)) return Scalar::MakeBytes(c.type, std::string(b));
      if (c.type->id == TypeId::kDecimal) {
        int128_t v;
        if (!BigEndianToInt128(reinterpret_cast<const uint8_t*>(b.data()), b.size(), &v))
          return Bad("decimal value overflows 128 bits");
        return MakeDecimalValue(c, v);
      }
      break;
    default:
      break;
  }
  return Bad(std::string(format::TypeName(c.physical_type)) + " statistics for a " +
             c.type->ToString() + " column");
}

ColumnChunkStats DecodeStatistics(const format::FileMetaData& md, const ColumnDescriptor& c,
                                  const format::Statistics* st, int64_t num_values) {
  ColumnChunkStats s;
  s.num_values = num_values;
  if (st == nullptr) return s;
  s.present = true;
  if (md.created_by) {
    WriterVersion w = ParseCreatedBy(*md.created_by);
    if (w.app == "parquet-mr" && (!w.has_version || w.Below(1, 8, 0))) {
      AddReason(&s, "written by " + *md.created_by + " (PARQUET-251)");
      return s;
    }
  }
  auto count = [&](const std::optional<int64_t>& v, const char* name) -> std::optional<int64_t> {
    if (!v) return std::nullopt;
    if (*v < 0 || (num_values >= 0 && *v > num_values)) {
      AddReason(&s, std::string(name) + " " + std::to_string(*v) + " is outside [0, " +
                        std::to_string(num_values) + "]");
      return std::nullopt;
    }
    return v;
  };
  s.null_count = count(st->null_count, "null_count");
  s.distinct_count = count(st->distinct_count, "distinct_count");
  if (IsFloatColumn(c)) s.nan_count = count(st->nan_count, "nan_count");
  DecodeMinMax(md, c, *st, &s);
  if (!s.has_min()) s.min_exact = true;
  if (!s.has_max()) s.max_exact = true;
  return s;
}

Result<ColumnChunkStats> DecodeChunkStatistics(const format::FileMetaData& md,
                                               const ColumnDescriptor& c,
                                               const format::ColumnChunk& chunk) {
  if (!chunk.meta_data) {
    return Status::NotSupported("column chunk '" + c.PathString() + "' has no plaintext metadata");
  }
  const format::ColumnMetaData& m = *chunk.meta_data;
  if (m.type != c.physical_type && m.statistics) {
    ColumnChunkStats s = DecodeStatistics(md, c, nullptr, m.num_values);
    s.present = true;
    AddReason(&s, "chunk type " + std::string(format::TypeName(m.type)) +
                      " differs from the schema's " +
                      std::string(format::TypeName(c.physical_type)));
    return s;
  }
  return DecodeStatistics(md, c, m.statistics ? &*m.statistics : nullptr, m.num_values);
}

Result<ColumnChunkStats> DecodeChunkStatistics(const FileReader& reader, int row_group,
                                               int column) {
  if (row_group < 0 || row_group >= reader.num_row_groups()) {
    return Status::InvalidArgument("row group " + std::to_string(row_group) + " out of range");
  }
  if (column < 0 || column >= reader.file_schema().num_columns()) {
    return Status::InvalidArgument("column " + std::to_string(column) + " out of range");
  }
  const format::RowGroup& rg = reader.metadata().row_groups[static_cast<size_t>(row_group)];
  if (static_cast<size_t>(column) >= rg.columns.size()) {
    return Status::Corruption("row group " + std::to_string(row_group) + " lacks column " +
                              std::to_string(column));
  }
  return DecodeChunkStatistics(reader.metadata(), reader.file_schema().column(column),
                               rg.columns[static_cast<size_t>(column)]);
}

}  // namespace ds::parquet
