#include "delta/stats_collector.h"

#include <cmath>

#include "delta/array_ops.h"

#include "util/civil_time.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

using columnar::Array;
using columnar::TypeId;

// Byte length of the UTF-8 sequence starting with `lead` (1 for stray bytes).
size_t SequenceLength(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

uint32_t DecodeAt(std::string_view s, size_t pos, size_t len) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[pos + i])); };
  switch (len) {
    case 1:
      return b(0);
    case 2:
      return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3:
      return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default:
      return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

// Byte offsets of the first `n` code points' ends, plus the code points themselves.
struct CodePoints {
  std::vector<size_t> ends;
  std::vector<uint32_t> values;
};

CodePoints Decode(std::string_view s, size_t limit) {
  CodePoints out;
  size_t pos = 0;
  while (pos < s.size() && out.values.size() < limit) {
    size_t len = std::min(SequenceLength(static_cast<unsigned char>(s[pos])), s.size() - pos);
    out.values.push_back(DecodeAt(s, pos, len));
    pos += len;
    out.ends.push_back(pos);
  }
  return out;
}

bool MatchesStatsColumn(const std::string& dotted, const std::vector<std::string>& columns) {
  for (const std::string& c : columns) {
    if (EqualsIgnoreCase(dotted, c)) return true;
    if (dotted.size() > c.size() && dotted[c.size()] == '.' &&
        EqualsIgnoreCase(std::string_view(dotted).substr(0, c.size()), c)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<int64_t> StatsNumRecords(std::string_view stats) {
  Result<JsonValue> parsed = ParseJson(stats);
  if (!parsed.ok()) return std::nullopt;
  const JsonValue* n = parsed->Find("numRecords");
  if (n == nullptr || !n->is_number()) return std::nullopt;
  Result<int64_t> v = n->GetInt64();
  if (!v.ok() || *v < 0) return std::nullopt;
  return *v;
}

Result<StatsOptions> StatsOptionsFromMetadata(const Metadata& metadata) {
  StatsOptions options;
  if (auto n = metadata.Property("delta.dataSkippingNumIndexedCols")) {
    std::optional<int64_t> v = ParseInt64(Trim(*n));
    if (!v || *v < -1 || *v > INT32_MAX) {
      return Status::InvalidArgument("table property delta.dataSkippingNumIndexedCols: '" +
                                     std::string(*n) + "' is not an integer >= -1");
    }
    options.num_indexed_cols = static_cast<int32_t>(*v);
  }
  if (auto cols = metadata.Property("delta.dataSkippingStatsColumns")) {
    for (std::string_view part : Split(*cols, ',')) {
      std::string name;
      for (char c : Trim(part)) {
        if (c != '`') name.push_back(c);
      }
      if (!name.empty()) options.stats_columns.push_back(std::move(name));
    }
  }
  return options;
}

std::string TruncateMinString(std::string_view min, int32_t prefix_length) {
  CodePoints cps = Decode(min, static_cast<size_t>(std::max(prefix_length, 0)));
  if (cps.ends.size() < static_cast<size_t>(prefix_length)) return std::string(min);
  return std::string(min.substr(0, cps.ends.empty() ? 0 : cps.ends.back()));
}

std::optional<std::string> TruncateMaxString(std::string_view max, int32_t prefix_length) {
  const size_t prefix = static_cast<size_t>(std::max(prefix_length, 0));
  CodePoints cps = Decode(max, 2 * prefix + 1);
  if (cps.values.size() <= prefix) return std::string(max);  // the whole value fits
  // Cut before code point i and append a tie-breaker greater than it, so the bound stays
  // above the value in UTF-8 byte order.
  for (size_t i = prefix; i < cps.values.size() && i < 2 * prefix; ++i) {
    uint32_t c = cps.values[i];
    size_t cut = i == 0 ? 0 : cps.ends[i - 1];
    if (c < 0x7F) return std::string(max.substr(0, cut)) + "\x7F";
    if (c < 0x10FFFF) return std::string(max.substr(0, cut)) + "\xF4\x8F\xBF\xBF";
  }
  return std::nullopt;
}

Result<StatsCollector> StatsCollector::Make(const std::vector<columnar::Field>& logical,
                                            const std::vector<columnar::Field>& physical,
                                            const StatsOptions& options) {
  if (logical.size() != physical.size()) {
    return Status::Internal("stats: logical and physical schemas differ in size");
  }
  StatsCollector c;
  c.options_ = options;
  for (size_t i = 0; i < logical.size(); ++i) {
    Node node;
    RETURN_NOT_OK(c.Build(logical[i], physical[i], {static_cast<int>(i)}, logical[i].name, &node));
    c.root_.children.push_back(std::move(node));
  }
  return c;
}

Status StatsCollector::Build(const columnar::Field& logical, const columnar::Field& physical,
                             std::vector<int> path, const std::string& dotted, Node* node) {
  node->name = physical.name;
  const columnar::DataType& type = *physical.type;
  if (type.id == TypeId::kStruct) {
    if (logical.type->fields.size() != type.fields.size()) {
      return Status::Internal("stats: struct " + dotted + " differs between schemas");
    }
    for (size_t i = 0; i < type.fields.size(); ++i) {
      Node child;
      std::vector<int> child_path = path;
      child_path.push_back(static_cast<int>(i));
      RETURN_NOT_OK(Build(logical.type->fields[i], type.fields[i], std::move(child_path),
                          dotted + "." + logical.type->fields[i].name, &child));
      node->children.push_back(std::move(child));
    }
    return Status::OK();
  }
  Leaf leaf;
  leaf.path = std::move(path);
  leaf.type = physical.type;
  switch (type.id) {
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      leaf.kind = Kind::kInt;
      break;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      leaf.kind = Kind::kFloat;
      break;
    case TypeId::kDecimal:
      leaf.kind = Kind::kDecimal;
      break;
    case TypeId::kString:
      leaf.kind = Kind::kString;
      break;
    case TypeId::kDate:
      leaf.kind = Kind::kDate;
      break;
    case TypeId::kTimestamp:
      leaf.kind = Kind::kTimestamp;
      break;
    default:
      leaf.kind = Kind::kCountOnly;
  }
  if (options_.stats_columns.empty()) {
    leaf.indexed = options_.num_indexed_cols < 0 || indexed_so_far_ < options_.num_indexed_cols;
  } else {
    leaf.indexed = MatchesStatsColumn(dotted, options_.stats_columns);
  }
  ++indexed_so_far_;
  node->leaf = static_cast<int>(leaves_.size());
  leaves_.push_back(std::move(leaf));
  return Status::OK();
}

void StatsCollector::Add(const std::vector<columnar::ArrayPtr>& columns, int64_t rows) {
  num_records_ += rows;
  for (Leaf& leaf : leaves_) {
    if (leaf.indexed) AddLeaf(&leaf, columns, rows);
  }
}

void StatsCollector::AddLeaf(Leaf* leaf, const std::vector<columnar::ArrayPtr>& columns,
                             int64_t rows) {
  std::vector<const Array*> chain;
  chain.push_back(columns[static_cast<size_t>(leaf->path[0])].get());
  for (size_t k = 1; k < leaf->path.size(); ++k) {
    chain.push_back(chain.back()->children[static_cast<size_t>(leaf->path[k])].get());
  }
  const Array& a = *chain.back();
  const bool check_ancestors = chain.size() > 1;
  const bool may_be_null = a.type->id == TypeId::kNull || a.null_count > 0 || check_ancestors;
  auto is_null = [&](int64_t r) {
    if (a.IsNull(r)) return true;
    if (check_ancestors) {
      for (size_t k = 0; k + 1 < chain.size(); ++k) {
        if (chain[k]->IsNull(r)) return true;
      }
    }
    return false;
  };
  auto for_each_valid = [&](auto&& fn) {
    for (int64_t r = 0; r < rows; ++r) {
      if (may_be_null && is_null(r)) {
        ++leaf->null_count;
        continue;
      }
      fn(r);
    }
  };
  switch (leaf->kind) {
    case Kind::kCountOnly:
      for_each_valid([](int64_t) {});
      break;
    case Kind::kInt:
    case Kind::kDate:
    case Kind::kTimestamp:
      for_each_valid([&](int64_t r) {
        int64_t v = IntAt(a, r);
        if (!leaf->has_value) {
          leaf->min_i = leaf->max_i = v;
          leaf->has_value = true;
        } else {
          leaf->min_i = std::min(leaf->min_i, v);
          leaf->max_i = std::max(leaf->max_i, v);
        }
      });
      break;
    case Kind::kFloat:
      for_each_valid([&](int64_t r) {
        double v = a.type->id == TypeId::kFloat32 ? a.Value<float>(r) : a.Value<double>(r);
        if (std::isnan(v)) {
          leaf->has_nan = true;
          return;
        }
        if (!leaf->has_value) {
          leaf->min_d = leaf->max_d = v;
          leaf->has_value = true;
        } else {
          leaf->min_d = std::min(leaf->min_d, v);
          leaf->max_d = std::max(leaf->max_d, v);
        }
      });
      break;
    case Kind::kDecimal:
      for_each_valid([&](int64_t r) {
        int128_t v = a.DecimalValue(r);
        if (!leaf->has_value) {
          leaf->min_dec = leaf->max_dec = v;
          leaf->has_value = true;
        } else {
          leaf->min_dec = std::min(leaf->min_dec, v);
          leaf->max_dec = std::max(leaf->max_dec, v);
        }
      });
      break;
    case Kind::kString: {
      // Track the extremes as views into this batch; copy once per batch.
      bool found = false;
      std::string_view lo, hi;
      for_each_valid([&](int64_t r) {
        std::string_view v = a.View(r);
        if (!found) {
          lo = hi = v;
          found = true;
        } else if (v < lo) {
          lo = v;
        } else if (v > hi) {
          hi = v;
        }
      });
      if (found) {
        if (!leaf->has_value || lo < leaf->min_s) leaf->min_s.assign(lo);
        if (!leaf->has_value || hi > leaf->max_s) leaf->max_s.assign(hi);
        leaf->has_value = true;
      }
      break;
    }
  }
}

bool StatsCollector::AppendValue(const Leaf& leaf, Part part, std::string* out) const {
  if (part == Part::kNullCount) {
    AppendJsonInt(leaf.null_count, out);
    return true;
  }
  if (!leaf.has_value || leaf.has_nan || leaf.kind == Kind::kCountOnly) return false;
  const bool min = part == Part::kMin;
  switch (leaf.kind) {
    case Kind::kInt:
      AppendJsonInt(min ? leaf.min_i : leaf.max_i, out);
      return true;
    case Kind::kDate:
      out->push_back('"');
      AppendDate(min ? leaf.min_i : leaf.max_i, out);
      out->push_back('"');
      return true;
    case Kind::kTimestamp: {
      int64_t v = min ? leaf.min_i : leaf.max_i;
      int64_t per_ms = UnitsPerSecond(leaf.type->unit) / 1000;
      int64_t ms = v / per_ms - ((v % per_ms) < 0 ? 1 : 0);
      // "yyyy-MM-ddTHH:mm:ss.SSS" (+ "Z"): the microsecond form minus its last 3 digits.
      out->push_back('"');
      AppendTimestamp(ms * 1000, TimeUnit::kMicros, false, out);
      out->resize(out->size() - 3);
      if (leaf.type->utc) out->push_back('Z');
      out->push_back('"');
      return true;
    }
    case Kind::kFloat: {
      double v = min ? leaf.min_d : leaf.max_d;
      if (std::isinf(v)) return false;
      AppendJsonDouble(v, out);
      return true;
    }
    case Kind::kDecimal:
      AppendDecimal(min ? leaf.min_dec : leaf.max_dec, leaf.type->scale, out);
      return true;
    case Kind::kString: {
      if (min) {
        std::string v = TruncateMinString(leaf.min_s, options_.string_prefix_length);
        if (!IsValidUtf8(v)) return false;
        AppendJsonString(v, out);
        return true;
      }
      std::optional<std::string> v = TruncateMaxString(leaf.max_s, options_.string_prefix_length);
      if (!v || !IsValidUtf8(*v)) return false;
      AppendJsonString(*v, out);
      return true;
    }
    case Kind::kCountOnly:
      break;
  }
  return false;
}

bool StatsCollector::AppendPart(const Node& node, Part part, std::string* out) const {
  size_t start = out->size();
  out->push_back('{');
  bool any = false;
  for (const Node& child : node.children) {
    size_t before = out->size();
    if (any) out->push_back(',');
    AppendJsonString(child.name, out);
    out->push_back(':');
    bool wrote = child.leaf >= 0
                     ? (leaves_[static_cast<size_t>(child.leaf)].indexed &&
                        AppendValue(leaves_[static_cast<size_t>(child.leaf)], part, out))
                     : AppendPart(child, part, out);
    if (wrote) {
      any = true;
    } else {
      out->resize(before);
    }
  }
  out->push_back('}');
  if (!any) out->resize(start);
  return any;
}

std::string StatsCollector::ToJson() const {
  std::string out = "{\"numRecords\":";
  AppendJsonInt(num_records_, &out);
  static constexpr std::pair<std::string_view, Part> kParts[] = {
      {"minValues", Part::kMin}, {"maxValues", Part::kMax}, {"nullCount", Part::kNullCount}};
  for (const auto& [name, part] : kParts) {
    std::string body;
    if (!AppendPart(root_, part, &body)) body = "{}";
    out += ",\"";
    out += name;
    out += "\":";
    out += body;
  }
  out.push_back('}');
  return out;
}

}  // namespace ds::delta
