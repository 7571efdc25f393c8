#include "expr/file_skipping.h"

#include <algorithm>
#include <cmath>

#include "expr/binding.h"
#include "expr/value.h"
#include "util/civil_time.h"

namespace ds::expr {

using internal::SkipInterval;

struct FileSkipper::Plan {
  struct Slot {
    ColumnClass column_class;
    Domain domain = Domain::kInt;
    bool is_partition = false;
    std::string partition_key;  // physical top-level name
    int stats_leaf = -1;        // data columns: id in `paths`
    bool use_bounds = true;     // min/max carry information for this type
    bool exact_type = false;    // min == max means every value is equal
  };

  columnar::SchemaPtr schema;  // keeps bound.columns[].fields valid
  BoundPlan bound;
  std::vector<Slot> slots;
  StatsPaths paths;
  std::vector<SkipInterval> literal_intervals;
  int string_prefix_length = 32;
  bool needs_stats = false;
  bool partition_only = false;
};

namespace {

using Slot = FileSkipper::Plan::Slot;

bool ParseCount(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || v > (INT64_MAX - 9) / 10) return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// Decodes one stats bound. `upper` selects the max-side handling (timestamp widening).
bool DecodeBound(const Slot& slot, const StatsToken& t, bool upper, int128_t* i, double* d,
                 std::string_view* s) {
  using Kind = StatsToken::Kind;
  const ColumnClass& c = slot.column_class;
  switch (c.value_class) {
    case ValueClass::kInteger:
    case ValueClass::kDecimal: {
      if (t.kind != Kind::kNumber && t.kind != Kind::kString) return false;
      auto v = ParseExactAtScale(t.text, c.value_class == ValueClass::kDecimal ? c.scale : 0);
      if (!v) return false;
      *i = *v;
      return true;
    }
    case ValueClass::kBool:
      if (t.kind != Kind::kTrue && t.kind != Kind::kFalse) return false;
      *i = t.kind == Kind::kTrue;
      return true;
    case ValueClass::kFloat32:
    case ValueClass::kFloat64: {
      if (t.kind != Kind::kNumber && t.kind != Kind::kString) return false;
      auto v = ParseFloating(t.text, c.value_class == ValueClass::kFloat32);
      if (!v || std::isnan(*v)) return false;
      *d = *v;
      return true;
    }
    case ValueClass::kDate:
    case ValueClass::kTimestamp: {
      if (t.kind != Kind::kString) return false;
      const std::string_view text = t.text;
      if (c.value_class == ValueClass::kDate) {
        auto days = ParseDate(text);
        if (!days.ok()) return false;
        *i = *days;
        return true;
      }
      auto micros = ParseTimestampMicros(text);
      if (!micros.ok()) return false;
      // Stats are truncated to milliseconds: the true max may be up to 999 us larger.
      *i = upper ? MicrosToUnitCeil(static_cast<int128_t>(*micros) + 999, c.unit)
                 : MicrosToUnitFloor(*micros, c.unit);
      return true;
    }
    case ValueClass::kString:
      if (t.kind != Kind::kString) return false;
      *s = t.text;
      return true;
    default:
      return false;
  }
}

// Parses a partition value into a point; false if it does not parse.
bool ParsePartitionPoint(const Slot& slot, std::string_view text, SkipInterval* iv) {
  const ColumnClass& c = slot.column_class;
  switch (c.value_class) {
    case ValueClass::kInteger:
    case ValueClass::kDecimal: {
      auto v = ParseExactAtScale(text, c.value_class == ValueClass::kDecimal ? c.scale : 0);
      if (!v) return false;
      iv->lo_i = iv->hi_i = *v;
      return true;
    }
    case ValueClass::kBool: {
      auto b = ParseBoolText(text);
      if (!b) return false;
      iv->lo_i = iv->hi_i = *b;
      return true;
    }
    case ValueClass::kFloat32:
    case ValueClass::kFloat64: {
      auto v = ParseFloating(text, c.value_class == ValueClass::kFloat32);
      if (!v) return false;
      iv->lo_d = iv->hi_d = *v;
      iv->nan_point = std::isnan(*v);
      return true;
    }
    case ValueClass::kDate: {
      auto days = ParseDate(text);
      if (!days.ok()) return false;
      iv->lo_i = iv->hi_i = *days;
      return true;
    }
    case ValueClass::kTimestamp: {
      auto micros = ParseTimestampMicros(text);
      if (!micros.ok()) return false;
      int128_t lo = MicrosToUnitFloor(*micros, c.unit);
      int128_t hi = MicrosToUnitCeil(*micros, c.unit);
      iv->lo_i = lo;
      iv->hi_i = hi;
      return lo == hi;
    }
    case ValueClass::kString:
    case ValueClass::kBinary:
      iv->lo_s = iv->hi_s = text;
      return true;
    case ValueClass::kUnsupported:
      break;
  }
  return false;
}

bool BoundsInverted(Domain d, const SkipInterval& iv) {
  switch (d) {
    case Domain::kInt:
      return iv.lo_i > iv.hi_i;
    case Domain::kDouble:
      return iv.lo_d > iv.hi_d;
    case Domain::kBytes:
      return !iv.hi_prefix && iv.lo_s > iv.hi_s;
  }
  return false;
}

// True if some value of x may be below (strict) or at-or-below some value of y:
// x.lo < y.hi (strict) or x.lo <= y.hi. Missing bounds mean "may".
bool LoBelowHi(Domain d, const SkipInterval& x, const SkipInterval& y, bool strict) {
  if (!x.has_lo || !y.has_hi) return true;
  int c = 0;
  switch (d) {
    case Domain::kInt:
      c = CompareScaled(x.lo_i, x.frac, y.hi_i, y.frac);
      break;
    case Domain::kDouble:
      c = x.lo_d < y.hi_d ? -1 : (x.lo_d > y.hi_d ? 1 : 0);
      break;
    case Domain::kBytes:
      if (y.hi_prefix && x.lo_s.substr(0, y.hi_s.size()) == y.hi_s) return true;
      c = x.lo_s.compare(y.hi_s);
      break;
  }
  return strict ? c < 0 : c <= 0;
}

bool PointsEqual(Domain d, const SkipInterval& x, const SkipInterval& y) {
  switch (d) {
    case Domain::kInt:
      return x.lo_i == y.lo_i && x.frac == y.frac;
    case Domain::kDouble:
      return x.lo_d == y.lo_d;
    case Domain::kBytes:
      return x.lo_s == y.lo_s;
  }
  return false;
}

uint8_t CompareMask(Domain d, CmpOp cmp, const SkipInterval& a, const SkipInterval& b) {
  if (!a.may_nonnull || !b.may_nonnull) return kMaskNull;
  const uint8_t nulls = (a.may_null || b.may_null) ? kMaskNull : 0;
  bool may_true, may_false;
  switch (cmp) {
    case CmpOp::kLt:
      may_true = LoBelowHi(d, a, b, true);
      may_false = LoBelowHi(d, b, a, false);
      break;
    case CmpOp::kLe:
      may_true = LoBelowHi(d, a, b, false);
      may_false = LoBelowHi(d, b, a, true);
      break;
    case CmpOp::kEq:
    default:
      may_true = LoBelowHi(d, a, b, false) && LoBelowHi(d, b, a, false);
      may_false = !(a.exact && b.exact && PointsEqual(d, a, b));
      break;
  }
  if (d == Domain::kDouble) {
    if (a.nan_point || b.nan_point) {
      may_true = false;
      may_false = true;
    } else if (a.maybe_nan || b.maybe_nan) {
      may_false = true;
    }
  }
  return static_cast<uint8_t>((may_true ? kMaskTrue : 0) | (may_false ? kMaskFalse : 0) | nulls);
}

SkipInterval LiteralInterval(Domain d, const BoundValue& v) {
  SkipInterval iv;
  iv.may_null = false;
  iv.may_nonnull = true;
  iv.has_lo = iv.has_hi = iv.exact = true;
  iv.lo_i = iv.hi_i = v.i;
  iv.frac = v.frac;
  iv.lo_d = iv.hi_d = v.d;
  iv.nan_point = d == Domain::kDouble && std::isnan(v.d);
  iv.lo_s = iv.hi_s = v.bytes;
  return iv;
}

}  // namespace

Result<FileSkipper> FileSkipper::Make(const Expr& predicate, const SkippingTable& table,
                                      const SkippingOptions& options) {
  if (table.schema == nullptr) return Status::InvalidArgument("file skipping: no table schema");
  for (const std::string& p : table.partition_columns) {
    if (table.schema->FieldIndex(p) < 0) {
      return Status::InvalidArgument("file skipping: partition column '" + p +
                                     "' is not a top-level column of the schema");
    }
  }
  auto plan = std::make_shared<Plan>();
  plan->schema = table.schema;
  plan->bound = Bind(predicate, *table.schema);
  plan->string_prefix_length = options.string_prefix_length;
  auto physical = [&](const columnar::Field& f) {
    return table.physical_name ? table.physical_name(f) : f.name;
  };
  // Stats keys come in schema order: looking them up in that order is one forward pass.
  std::vector<size_t> by_schema_order(plan->bound.columns.size());
  for (size_t i = 0; i < by_schema_order.size(); ++i) by_schema_order[i] = i;
  std::sort(by_schema_order.begin(), by_schema_order.end(), [&](size_t a, size_t b) {
    return plan->bound.columns[a].field_path < plan->bound.columns[b].field_path;
  });
  plan->slots.resize(plan->bound.columns.size());
  for (size_t column : by_schema_order) {
    const BoundColumn& bc = plan->bound.columns[column];
    Slot& slot = plan->slots[column];
    slot.column_class = bc.column_class;
    slot.domain = DomainOf(bc.column_class.value_class);
    const ValueClass vc = bc.column_class.value_class;
    slot.exact_type = vc == ValueClass::kInteger || vc == ValueClass::kDecimal ||
                      vc == ValueClass::kDate || vc == ValueClass::kBool;
    slot.use_bounds = vc != ValueClass::kBinary;
    const std::string& top = bc.fields.front()->name;
    slot.is_partition = bc.fields.size() == 1 &&
                        std::find(table.partition_columns.begin(), table.partition_columns.end(),
                                  top) != table.partition_columns.end();
    if (slot.is_partition) {
      slot.partition_key = physical(*bc.fields.front());
    } else {
      std::vector<std::string> path;
      for (const columnar::Field* f : bc.fields) path.push_back(physical(*f));
      slot.stats_leaf = plan->paths.Add(path);
      plan->needs_stats = true;
    }
  }
  plan->literal_intervals.resize(plan->bound.literals.size());
  for (const PlanNode& n : plan->bound.nodes) {
    if (n.kind != PlanNode::Kind::kCompare) continue;
    for (const Operand& o : {n.a, n.b}) {
      if (o.kind == Operand::Kind::kLiteral) {
        plan->literal_intervals[o.index] = LiteralInterval(n.domain, plan->bound.literals[o.index]);
      }
    }
  }
  plan->partition_only = plan->bound.exact() && !plan->needs_stats;
  return FileSkipper(std::move(plan));
}

FileSkipper::FileSkipper(std::shared_ptr<const Plan> plan) : plan_(std::move(plan)) {
  intervals_ = plan_->literal_intervals;
  intervals_.resize(plan_->literal_intervals.size() + plan_->slots.size());
  masks_.resize(plan_->bound.nodes.size());
}

const std::vector<std::string>& FileSkipper::notes() const { return plan_->bound.notes; }

bool FileSkipper::partition_only() const { return plan_->partition_only; }

Truth FileSkipper::Evaluate(const FileView& file) { return TruthOfMask(EvaluateMask(file)); }

void FileSkipper::EvaluateBatch(std::span<const FileView> files, std::span<Truth> out) {
  for (size_t i = 0; i < files.size(); ++i) out[i] = Evaluate(files[i]);
}

uint8_t FileSkipper::EvaluateMask(const FileView& file) {
  const Plan& p = *plan_;
  bool have_stats = false;
  if (p.needs_stats && file.stats && !file.stats->empty()) {
    have_stats = scanner_.Scan(*file.stats, p.paths, &scanned_, file.stats_padding);
    if (have_stats && scanned_.has_num_records && scanned_.num_records == 0) return 0;
  }
  const size_t first_slot = p.literal_intervals.size();
  for (size_t i = 0; i < p.slots.size(); ++i) {
    const Slot& slot = p.slots[i];
    SkipInterval& iv = intervals_[first_slot + i];
    iv = SkipInterval();
    if (slot.is_partition) {
      const PartitionValue* found = nullptr;
      for (const PartitionValue& pv : file.partition_values) {
        if (pv.name == slot.partition_key) {
          found = &pv;
          break;
        }
      }
      if (found == nullptr) continue;  // absent: anything
      if (!found->value || found->value->empty()) {
        iv.may_nonnull = false;  // NULL
        continue;
      }
      SkipInterval point;
      point.may_null = false;
      if (ParsePartitionPoint(slot, *found->value, &point)) {
        point.has_lo = point.has_hi = true;
        point.exact = true;
        iv = point;
      }
      continue;
    }
    if (!have_stats) continue;
    const int leaf = slot.stats_leaf;
    const StatsToken& nc = scanned_.null_count[leaf];
    int64_t nulls;
    if (nc.kind == StatsToken::Kind::kNumber && ParseCount(nc.text, &nulls)) {
      if (nulls == 0) {
        iv.may_null = false;
      } else if (scanned_.has_num_records && nulls == scanned_.num_records) {
        iv.may_nonnull = false;
        continue;
      }
    }
    iv.maybe_nan = slot.domain == Domain::kDouble;
    if (!slot.use_bounds) continue;
    iv.has_lo = DecodeBound(slot, scanned_.min_values[leaf], false, &iv.lo_i, &iv.lo_d, &iv.lo_s);
    iv.has_hi = DecodeBound(slot, scanned_.max_values[leaf], true, &iv.hi_i, &iv.hi_d, &iv.hi_s);
    if (iv.has_hi && slot.domain == Domain::kBytes) {
      iv.hi_prefix =
          CodePointCount(iv.hi_s) >= static_cast<size_t>(std::max(p.string_prefix_length, 0));
    }
    if (iv.has_lo && iv.has_hi) {
      if (BoundsInverted(slot.domain, iv)) {
        iv.has_lo = iv.has_hi = false;  // inconsistent stats carry no information
      } else if (slot.exact_type && iv.lo_i == iv.hi_i) {
        iv.exact = true;
      }
    }
  }
  const auto& nodes = p.bound.nodes;
  const auto& kids = p.bound.child_ids;
  const int32_t num_literals = static_cast<int32_t>(first_slot);
  auto operand = [&](const Operand& o) -> const SkipInterval& {
    return intervals_[o.kind == Operand::Kind::kLiteral ? o.index : num_literals + o.index];
  };
  for (size_t k = 0; k < nodes.size(); ++k) {
    const PlanNode& n = nodes[k];
    uint8_t m = kMaskAll;
    switch (n.kind) {
      case PlanNode::Kind::kConst:
        m = n.const_mask;
        break;
      case PlanNode::Kind::kCompare:
        m = CompareMask(n.domain, n.cmp, operand(n.a), operand(n.b));
        break;
      case PlanNode::Kind::kIsNull: {
        const SkipInterval& a = operand(n.a);
        m = static_cast<uint8_t>((a.may_null ? kMaskTrue : 0) | (a.may_nonnull ? kMaskFalse : 0));
        break;
      }
      case PlanNode::Kind::kAnd:
        m = masks_[kids[n.first_child]];
        for (int32_t c = 1; c < n.num_children; ++c) {
          m = AndMasks(m, masks_[kids[n.first_child + c]]);
        }
        break;
      case PlanNode::Kind::kOr:
        m = masks_[kids[n.first_child]];
        for (int32_t c = 1; c < n.num_children; ++c) {
          m = OrMasks(m, masks_[kids[n.first_child + c]]);
        }
        break;
      case PlanNode::Kind::kNot:
        m = NotMask(masks_[kids[n.first_child]]);
        break;
    }
    masks_[k] = m;
  }
  return masks_.back();
}

std::string_view TruthName(Truth t) {
  switch (t) {
    case Truth::kFalse:
      return "FALSE";
    case Truth::kTrue:
      return "TRUE";
    case Truth::kUnknown:
      break;
  }
  return "UNKNOWN";
}

}  // namespace ds::expr
