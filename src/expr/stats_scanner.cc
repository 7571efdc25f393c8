#include "expr/stats_scanner.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <utility>

namespace ds::expr {

namespace {

namespace od = simdjson::ondemand;

static_assert(kStatsPadding == simdjson::SIMDJSON_PADDING, "kStatsPadding must match simdjson");

// The raw JSON form of a key, as Jackson and serde_json write it.
std::string RawJsonKey(std::string_view name) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : name) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  return out;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Captures a scalar value; objects, arrays and atoms simdjson cannot type become kOther.
// Returns false on malformed input.
bool Capture(od::value& v, StatsToken* t) {
  od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) {
    t->kind = StatsToken::Kind::kOther;
    return true;
  }
  switch (type) {
    case od::json_type::number:
      t->kind = StatsToken::Kind::kNumber;
      t->text = TrimRight(v.raw_json_token());
      return true;
    case od::json_type::string: {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return false;
      t->kind = StatsToken::Kind::kString;
      t->text = s;
      return true;
    }
    case od::json_type::boolean: {
      bool b;
      if (v.get_bool().get(b) != simdjson::SUCCESS) return false;
      t->kind = b ? StatsToken::Kind::kTrue : StatsToken::Kind::kFalse;
      return true;
    }
    case od::json_type::null:
      t->kind = StatsToken::Kind::kNull;
      return true;
    default:
      t->kind = StatsToken::Kind::kOther;
      return true;
  }
}

// True if the raw key at `raw` (inside a padded simdjson buffer, followed by its closing
// quote) is `name` (a raw key without unescaped quotes or NUL bytes).
inline bool RawKeyIs(const char* raw, std::string_view name) {
  const size_t n = name.size();
  if (n < kStatsPadding) {
    // raw[0..n] lies within the key, the rest of the input, or the padding.
    return raw[n] == '"' && (n == 0 || raw[n - 1] == name[n - 1]) &&
           std::memcmp(raw, name.data(), n) == 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (raw[i] != name[i]) return false;  // at the latest at the key's closing quote
  }
  return raw[n] == '"';
}

}  // namespace

StatsPaths::StatsPaths() { nodes_.emplace_back(); }

int StatsPaths::Add(const std::vector<std::string>& path) {
  int node = 0;
  for (const std::string& part : path) {
    int child = -1;
    for (int c : nodes_[node].children) {
      if (nodes_[c].name == part) child = c;
    }
    if (child < 0) {
      child = static_cast<int>(nodes_.size());
      nodes_.push_back(Node{part, RawJsonKey(part), -1, {}});
      nodes_[node].children.push_back(child);
    }
    node = child;
  }
  if (nodes_[node].leaf < 0) nodes_[node].leaf = num_leaves_++;
  return nodes_[node].leaf;
}

namespace {

// find_field with the key length known at compile time, so that the key comparisons inline
// (they dominate lookups otherwise).
template <size_t N>
simdjson::simdjson_result<od::value> FindFixed(od::object& object, const char* key) {
  return object.find_field(std::string_view(key, N));
}

template <size_t... N>
simdjson::simdjson_result<od::value> FindDispatch(od::object& object, std::string_view key,
                                                  std::index_sequence<N...>) {
  using Fn = simdjson::simdjson_result<od::value> (*)(od::object&, const char*);
  static constexpr Fn kTable[] = {&FindFixed<N>...};
  if (key.size() < sizeof...(N)) return kTable[key.size()](object, key.data());
  return object.find_field(key);
}

simdjson::simdjson_result<od::value> FindField(od::object& object, std::string_view key) {
  return FindDispatch(object, key, std::make_index_sequence<48>());
}

enum class PassResult : uint8_t { kOk, kMiss, kError };

}  // namespace

// Two ways to read a section. The fast pass looks the children up with simdjson's
// forward-only find_field in schema order, which is the order Spark and delta-rs write stats
// in; a key missing or out of order ends it with kMiss (the object is then exhausted). The
// full pass walks every field and matches keys itself: any order, any missing keys. A file
// gets the fast pass, and the full pass only after a miss. find_field_unordered is not used:
// its wrap-around pass assumes well-formed input.
struct StatsScanner::Impl {
  od::parser parser;
  std::string buffer;  // padded copy of the stats text
  const StatsPaths* paths = nullptr;

  bool StoreLeafOrRecurse(od::value& v, int child, bool full, std::vector<StatsToken>* out,
                          PassResult* result) {
    const StatsPaths::Node& c = paths->nodes_[child];
    if (c.leaf >= 0) {
      StatsToken& slot = (*out)[c.leaf];
      if (slot.kind != StatsToken::Kind::kAbsent) return true;  // first duplicate wins
      if (!Capture(v, &slot)) *result = PassResult::kError;
      return *result == PassResult::kOk;
    }
    od::object nested;
    simdjson::error_code err = v.get_object().get(nested);
    if (err == simdjson::INCORRECT_TYPE) return true;  // not a struct here: no stats for it
    if (err != simdjson::SUCCESS) {
      *result = PassResult::kError;
      return false;
    }
    *result = ScanObject(nested, child, full, out);
    return *result == PassResult::kOk;
  }

  PassResult ScanObject(od::object& object, int node, bool full, std::vector<StatsToken>* out) {
    const std::vector<int>& children = paths->nodes_[node].children;
    PassResult result = PassResult::kOk;
    if (!full) {
      for (int child : children) {
        od::value v;
        simdjson::error_code err = FindField(object, paths->nodes_[child].raw_name).get(v);
        if (err == simdjson::NO_SUCH_FIELD) return PassResult::kMiss;
        if (err != simdjson::SUCCESS) return PassResult::kError;
        if (!StoreLeafOrRecurse(v, child, full, out, &result)) return result;
      }
      return result;
    }
    size_t found = 0;
    for (auto item : object) {
      od::field field;
      if (std::move(item).get(field) != simdjson::SUCCESS) return PassResult::kError;
      const char* raw = field.key().raw();
      int child = -1;
      for (int c : children) {
        if (RawKeyIs(raw, paths->nodes_[c].raw_name)) {
          child = c;
          break;
        }
      }
      if (child < 0) continue;  // the value is skipped by the next step
      od::value v = field.value();
      if (!StoreLeafOrRecurse(v, child, full, out, &result)) return result;
      if (++found == children.size()) break;
    }
    return result;
  }

  bool Scan(std::string_view json, const StatsPaths& p, ScannedStats* out, size_t padding) {
    paths = &p;
    if (!Load(json, padding)) return false;
    PassResult r = ScanPass(out, /*full=*/false);
    if (r == PassResult::kMiss) {
      ResetTokens(out);
      doc.rewind();
      r = ScanPass(out, /*full=*/true);
    }
    return r == PassResult::kOk;
  }

  static void ResetTokens(ScannedStats* out) {
    out->has_num_records = false;
    for (auto* tokens : {&out->min_values, &out->max_values, &out->null_count}) {
      std::fill(tokens->begin(), tokens->end(), StatsToken());
    }
  }

  od::document doc;

  bool Load(std::string_view json, size_t padding) {
    simdjson::error_code err;
    if (padding >= kStatsPadding) {
      err = parser.iterate(json.data(), json.size(), json.size() + padding).get(doc);
    } else {
      buffer.reserve(json.size() + kStatsPadding);
      buffer.assign(json);
      err = parser.iterate(buffer.data(), buffer.size(), buffer.capacity()).get(doc);
    }
    return err == simdjson::SUCCESS;
  }

  // One pass over the top-level object (its few keys in any order).
  PassResult ScanPass(ScannedStats* out, bool full) {
    simdjson::error_code err;
    od::object top;
    if (doc.get_object().get(top) != simdjson::SUCCESS) return PassResult::kError;
    bool seen[4] = {};  // numRecords, minValues, maxValues, nullCount: first one wins
    for (auto item : top) {
      od::field field;
      if (std::move(item).get(field) != simdjson::SUCCESS) return PassResult::kError;
      const char* raw = field.key().raw();
      int which = RawKeyIs(raw, "numRecords")  ? 0
                  : RawKeyIs(raw, "minValues") ? 1
                  : RawKeyIs(raw, "maxValues") ? 2
                  : RawKeyIs(raw, "nullCount") ? 3
                                               : -1;
      if (which < 0 || seen[which]) continue;
      seen[which] = true;
      if (which == 0) {
        int64_t n;
        if (field.value().get_int64().get(n) == simdjson::SUCCESS && n >= 0) {
          out->has_num_records = true;
          out->num_records = n;
        }
        continue;
      }
      std::vector<StatsToken>* tokens = which == 1   ? &out->min_values
                                        : which == 2 ? &out->max_values
                                                     : &out->null_count;
      od::object section;
      err = field.value().get_object().get(section);
      if (err == simdjson::INCORRECT_TYPE) continue;
      if (err != simdjson::SUCCESS) return PassResult::kError;
      PassResult r = ScanObject(section, 0, full, tokens);
      if (r != PassResult::kOk) return r;
    }
    return PassResult::kOk;
  }
};

StatsScanner::StatsScanner() : impl_(std::make_unique<Impl>()) {}
StatsScanner::~StatsScanner() = default;
StatsScanner::StatsScanner(const StatsScanner&) : impl_(std::make_unique<Impl>()) {}
StatsScanner& StatsScanner::operator=(const StatsScanner& other) {
  if (this != &other) impl_ = std::make_unique<Impl>();
  return *this;
}
StatsScanner::StatsScanner(StatsScanner&&) noexcept = default;
StatsScanner& StatsScanner::operator=(StatsScanner&&) noexcept = default;

bool StatsScanner::Scan(std::string_view json, const StatsPaths& paths, ScannedStats* out,
                        size_t padding) {
  const size_t n = static_cast<size_t>(paths.num_leaves());
  auto reset = [&] {
    out->has_num_records = false;
    out->num_records = 0;
    out->min_values.assign(n, StatsToken());
    out->max_values.assign(n, StatsToken());
    out->null_count.assign(n, StatsToken());
  };
  reset();
  if (impl_ == nullptr) impl_ = std::make_unique<Impl>();  // moved from
  if (impl_->Scan(json, paths, out, padding)) return true;
  reset();
  return false;
}

}  // namespace ds::expr
