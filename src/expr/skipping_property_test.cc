// Soundness property test of the file skipper against the row evaluator.
//
// Random small "files" of rows (every skipping-relevant type, NULLs, NaNs, long strings,
// microsecond timestamps, partition columns) get stats computed the way Delta writers do
// (delta.md §9): min/max over non-NULL values, none for an all-NULL column, strings cut to
// 32 code points (Spark's tie-breaker max, or a naive cut), timestamps truncated to ms and
// written with offsets, decimals as JSON numbers (sometimes in exponent form), doubles with
// NaN either ignored or reported as the max, some columns not indexed, some files without
// or with broken stats, and deletion-vector files whose stats cover deleted rows
// (tightBounds=false). Random predicates (nested and/or/not, IN, BETWEEN, IS NULL, column
// vs column) are evaluated both ways; the skipper must never say FALSE for a file with a
// TRUE row, nor TRUE for a file with a non-TRUE row. A drop-rate floor for selective
// predicates keeps an evaluator that always answers UNKNOWN from passing.
//
// DS_EXPR_SEED=<n> runs another seed.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <random>

#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "expr/binding.h"
#include "expr/file_skipping.h"
#include "expr/json_predicate.h"
#include "expr/row_filter.h"
#include "expr/sql_predicate.h"
#include "test/testing/testing.h"
#include "util/civil_time.h"
#include "util/decimal.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::expr {
namespace {

constexpr const char* kSchema = R"json({"type":"struct","fields":[
  {"name":"i","type":"integer","nullable":true,"metadata":{}},
  {"name":"l","type":"long","nullable":true,"metadata":{}},
  {"name":"s","type":"string","nullable":true,"metadata":{}},
  {"name":"d","type":"date","nullable":true,"metadata":{}},
  {"name":"ts","type":"timestamp","nullable":true,"metadata":{}},
  {"name":"dec","type":"decimal(12,3)","nullable":true,"metadata":{}},
  {"name":"db","type":"double","nullable":true,"metadata":{}},
  {"name":"fl","type":"float","nullable":true,"metadata":{}},
  {"name":"b","type":"boolean","nullable":true,"metadata":{}},
  {"name":"st","type":{"type":"struct","fields":[
    {"name":"x","type":"long","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
  {"name":"p_s","type":"string","nullable":true,"metadata":{}},
  {"name":"p_i","type":"integer","nullable":true,"metadata":{}}]})json";

// One generated value; `null` wins over the rest.
struct Cell {
  bool null = true;
  int64_t i = 0;  // i, l, d (days), ts (micros), dec (unscaled, scale 3), st.x, p_i, b
  double f = 0;   // db, fl
  std::string s;  // s, p_s
};

constexpr int kI = 0, kL = 1, kS = 2, kD = 3, kTs = 4, kDec = 5, kDb = 6, kFl = 7, kB = 8, kStx = 9,
              kPs = 10, kPi = 11, kNumCols = 12;
const char* const kNames[] = {"i",  "l",  "s", "d",    "ts",  "dec",
                              "db", "fl", "b", "st.x", "p_s", "p_i"};

using Row = std::array<Cell, kNumCols>;

struct File {
  std::vector<Row> live;           // rows a reader sees
  std::vector<Row> physical;       // rows the stats describe (live + deleted ones)
  std::optional<std::string> p_s;  // partition values as written in the log
  std::optional<std::string> p_i;
  std::optional<std::string> stats;
  columnar::RecordBatch batch;
};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  int64_t Int(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int64_t>(v.size()) - 1))];
  }

  std::string RandomString(int64_t center) {
    static const std::vector<std::string> kBases = {"alpha", "beta", "gamma", "delta", "eps",
                                                    "zeta",  "eta",  "theta", "iota",  "kappa"};
    static const std::vector<std::string> kTails = {
        "", "a", "z", "\x7f", "\xC3\xA9", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", " ", "~", "0"};
    std::string s = kBases[static_cast<size_t>(center / 100) % kBases.size()];
    if (Chance(0.4)) {  // around the 32-character cut of string stats
      size_t length = static_cast<size_t>(Int(28, 45));
      while (s.size() < length) s += "x";
    }
    int tails = static_cast<int>(Int(0, 3));
    for (int t = 0; t < tails; ++t) s += Pick(kTails);
    return s;
  }

  Row RandomRow(int64_t center, const std::array<bool, kNumCols>& all_null) {
    Row r;
    for (int c = 0; c < kNumCols; ++c) {
      Cell& cell = r[c];
      cell.null = all_null[c] || Chance(0.12);
      if (cell.null) continue;
      switch (c) {
        case kI:
          cell.i = Chance(0.02) ? (Chance(0.5) ? INT32_MIN : INT32_MAX) : center + Int(0, 20);
          break;
        case kL:
          cell.i = center * 1000 + Int(-5000, 20000);
          break;
        case kS:
          cell.s = RandomString(center + Int(0, 150));
          break;
        case kD:
          cell.i = 18000 + center + Int(0, 30);
          break;
        case kTs:
          cell.i = 1'600'000'000'000'000LL + center * 1'000'000'000LL + Int(0, 5'000'000);
          break;
        case kDec:
          cell.i = center * 1000 + Int(-3000, 9000);
          break;
        case kDb:
          if (Chance(0.06)) {
            cell.f = std::nan("");
          } else if (Chance(0.03)) {
            cell.f = Chance(0.5) ? -0.0 : std::numeric_limits<double>::infinity();
          } else {
            cell.f = static_cast<double>(center) + static_cast<double>(Int(0, 80)) / 7.0;
          }
          break;
        case kFl:
          cell.f = static_cast<double>(
              static_cast<float>(static_cast<double>(center) +
                                 (Chance(0.5) ? 0.1 : static_cast<double>(Int(0, 40)) / 8.0)));
          break;
        case kB:
          cell.i = Chance(0.5);
          break;
        case kStx:
          cell.i = center + Int(-10, 10);
          break;
        default:
          break;
      }
    }
    return r;
  }

  File RandomFile() {
    File f;
    int64_t center = Int(0, 999);
    std::array<bool, kNumCols> all_null{};
    for (int c = 0; c < kNumCols; ++c) all_null[c] = Chance(0.07);
    int64_t rows = Chance(0.03) ? 0 : Int(1, 12);
    for (int64_t k = 0; k < rows; ++k) f.live.push_back(RandomRow(center, all_null));
    f.physical = f.live;
    bool dv = Chance(0.15);
    if (dv && !f.live.empty()) {
      // Deleted rows widen the stats; the reader sees fewer rows.
      int64_t deleted = Int(1, 3);
      for (int64_t k = 0; k < deleted; ++k)
        f.physical.push_back(RandomRow(center + Int(-50, 50), {}));
      if (Chance(0.5)) f.live.erase(f.live.begin());
    }
    // Partition values (same on every row).
    static const std::vector<std::string> kRegions = {"EU", "US", "APAC", "LATAM"};
    int pick = static_cast<int>(Int(0, 9));
    if (pick == 0) {
      f.p_s = std::nullopt;
    } else if (pick == 1) {
      f.p_s = std::string();
    } else {
      f.p_s = kRegions[static_cast<size_t>((center / 250 + pick) % 4)];
    }
    f.p_i = Chance(0.1) ? std::nullopt : std::optional<std::string>(std::to_string(center / 100));
    for (std::vector<Row>* set : {&f.live, &f.physical}) {
      for (Row& r : *set) {
        r[kPs].null = !f.p_s || f.p_s->empty();
        r[kPs].s = f.p_s.value_or("");
        r[kPi].null = !f.p_i;
        r[kPi].i = f.p_i ? std::stoll(*f.p_i) : 0;
      }
    }
    double roll = static_cast<double>(Int(0, 999)) / 1000.0;
    if (roll < 0.04) {
      f.stats = std::nullopt;
    } else if (roll < 0.06) {
      f.stats = R"({"numRecords":3,"minValues":{"i":)";  // broken
    } else {
      f.stats = WriteStats(f.physical, dv);
    }
    return f;
  }

  // Stats as Spark/Delta writers produce them.
  std::string WriteStats(const std::vector<Row>& rows, bool dv) {
    bool spark_nan = Chance(0.5);  // NaN reported as max vs ignored (Parquet style)
    bool naive_cut = Chance(0.3);  // string max cut without the tie-breaker
    std::array<bool, kNumCols> indexed{};
    for (int c = 0; c < kNumCols; ++c) indexed[c] = c < kPs && !Chance(0.08);
    std::string mins, maxs, nulls;
    JsonWriter wmin(&mins), wmax(&maxs), wnull(&nulls);
    wmin.BeginObject();
    wmax.BeginObject();
    wnull.BeginObject();
    for (int c = 0; c < kPs; ++c) {
      if (!indexed[c]) continue;
      std::string key = c == kStx ? "x" : kNames[c];
      if (c == kStx) {
        wmin.Key("st");
        wmin.BeginObject();
        wmax.Key("st");
        wmax.BeginObject();
        wnull.Key("st");
        wnull.BeginObject();
      }
      int64_t null_count = 0;
      std::vector<const Cell*> values;
      bool has_nan = false;
      for (const Row& r : rows) {
        if (r[c].null) {
          ++null_count;
        } else if ((c == kDb || c == kFl) && std::isnan(r[c].f)) {
          has_nan = true;
        } else {
          values.push_back(&r[c]);
        }
      }
      wnull.FieldInt(key, null_count);
      if (c != kB && (!values.empty() || has_nan)) {
        WriteMinMax(c, key, values, has_nan && spark_nan, naive_cut, &wmin, &wmax);
      }
      if (c == kStx) {
        wmin.EndObject();
        wmax.EndObject();
        wnull.EndObject();
      }
    }
    wmin.EndObject();
    wmax.EndObject();
    wnull.EndObject();
    std::string out = "{\"numRecords\":" + std::to_string(rows.size()) + ",\"minValues\":" + mins +
                      ",\"maxValues\":" + maxs + ",\"nullCount\":" + nulls;
    if (dv) out += ",\"tightBounds\":false";
    return out + "}";
  }

 private:
  static std::string CutPrefix(const std::string& s, size_t code_points, size_t* cut_at) {
    size_t n = 0, i = 0;
    while (i < s.size() && n < code_points) {
      ++i;
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
      ++n;
    }
    *cut_at = i;
    return s.substr(0, i);
  }

  void WriteMinMax(int c, const std::string& key, const std::vector<const Cell*>& values,
                   bool nan_max, bool naive_cut, JsonWriter* wmin, JsonWriter* wmax) {
    if (values.empty()) {  // only NaNs
      if (nan_max) {
        wmin->Key(key);
        wmin->String("NaN");
        wmax->Key(key);
        wmax->String("NaN");
      }
      return;
    }
    auto less = [&](const Cell* a, const Cell* b) {
      if (c == kS) return a->s < b->s;
      if (c == kDb || c == kFl) return a->f < b->f;
      return a->i < b->i;
    };
    const Cell* lo = *std::min_element(values.begin(), values.end(), less);
    const Cell* hi = *std::max_element(values.begin(), values.end(), less);
    wmin->Key(key);
    wmax->Key(key);
    switch (c) {
      case kI:
      case kL:
      case kStx:
        wmin->Int(lo->i);
        wmax->Int(hi->i);
        break;
      case kS: {
        size_t cut;
        std::string min = CutPrefix(lo->s, 32, &cut);
        wmin->String(min);
        std::string max = CutPrefix(hi->s, 32, &cut);
        if (cut < hi->s.size() && !naive_cut) {
          // Spark's tie-breaker: U+007F if the first dropped character is below it.
          max += static_cast<unsigned char>(hi->s[cut]) < 0x7F ? "\x7f" : "\xF4\x8F\xBF\xBF";
        }
        wmax->String(max);
        break;
      }
      case kD: {
        std::string a, b;
        AppendDate(lo->i, &a);
        AppendDate(hi->i, &b);
        wmin->String(a);
        wmax->String(b);
        break;
      }
      case kTs:
        wmin->String(TimestampStat(lo->i));
        wmax->String(TimestampStat(hi->i));
        break;
      case kDec:
        wmin->Raw(DecimalStat(lo->i));
        wmax->Raw(DecimalStat(hi->i));
        break;
      case kDb:
      case kFl:
        wmin->Raw(FloatStat(lo->f, c == kFl));
        if (nan_max) {
          wmax->String("NaN");
        } else {
          wmax->Raw(FloatStat(hi->f, c == kFl));
        }
        break;
      default:
        break;
    }
  }

  // Truncated to milliseconds, in UTC or with a fixed offset as Spark writes them.
  std::string TimestampStat(int64_t micros) {
    int64_t ms = micros >= 0 ? micros / 1000 : (micros - 999) / 1000;
    std::string s;
    int offset_hours = static_cast<int>(Int(-1, 1)) * 8;
    AppendTimestamp(ms + static_cast<int64_t>(offset_hours) * 3'600'000, TimeUnit::kMillis,
                    offset_hours == 0, &s);
    if (offset_hours > 0) s += "+08:00";
    if (offset_hours < 0) s += "-08:00";
    return s;
  }

  std::string DecimalStat(int64_t unscaled) {
    std::string s;
    if (Chance(0.2)) {  // exponent form: digits E-3
      s = std::to_string(unscaled) + "E-3";
    } else {
      AppendDecimal(unscaled, 3, &s);
    }
    return s;
  }

  static std::string FloatStat(double v, bool as_float) {
    if (std::isinf(v)) return v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    char buf[64];
    auto r = as_float ? std::to_chars(buf, buf + sizeof(buf), static_cast<float>(v))
                      : std::to_chars(buf, buf + sizeof(buf), v);
    std::string s(buf, r.ptr);
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    return s;
  }

  std::mt19937_64 rng_;
};

// A JSON Lines row for the batch (logical values of the live rows).
std::string RowJson(const Row& r) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  for (int c = 0; c < kNumCols; ++c) {
    if (c == kStx) {
      w.Key("st");
      if (r[c].null) {
        w.BeginObject();
        w.Key("x");
        w.Null();
        w.EndObject();
      } else {
        w.BeginObject();
        w.FieldInt("x", r[c].i);
        w.EndObject();
      }
      continue;
    }
    w.Key(kNames[c]);
    const Cell& cell = r[c];
    if (cell.null) {
      w.Null();
      continue;
    }
    switch (c) {
      case kI:
      case kL:
      case kPi:
        w.Int(cell.i);
        break;
      case kS:
      case kPs:
        w.String(cell.s);
        break;
      case kD: {
        std::string s;
        AppendDate(cell.i, &s);
        w.String(s);
        break;
      }
      case kTs: {
        std::string s;
        AppendTimestamp(cell.i, TimeUnit::kMicros, true, &s);
        w.String(s);
        break;
      }
      case kDec: {
        std::string s;
        AppendDecimal(cell.i, 3, &s);
        w.String(s);
        break;
      }
      case kDb:
      case kFl:
        w.Double(cell.f);
        break;
      case kB:
        w.Bool(cell.i != 0);
        break;
      default:
        break;
    }
  }
  w.EndObject();
  return out;
}

std::string SqlString(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  return out + "'";
}

// A literal for column `c`, near a value some file holds.
std::string Literal(Generator& g, int c, const std::vector<File>& files) {
  const Cell* seen = nullptr;
  const bool extreme = g.Chance(0.3);  // a file's min or max: where off-by-one bugs live
  const bool want_max = g.Chance(0.5);
  auto less = [c](const Cell* a, const Cell* b) {
    if (c == kS || c == kPs) return a->s < b->s;
    if (c == kDb || c == kFl) return a->f < b->f;
    return a->i < b->i;
  };
  for (int tries = 0; tries < 8 && seen == nullptr; ++tries) {
    const File& f = g.Pick(files);
    if (f.live.empty()) continue;
    if (extreme) {
      for (const Row& r : f.live) {
        if (r[c].null) continue;
        if (seen == nullptr || (want_max ? less(seen, &r[c]) : less(&r[c], seen))) seen = &r[c];
      }
      continue;
    }
    const Row& r = f.live[static_cast<size_t>(g.Int(0, static_cast<int64_t>(f.live.size()) - 1))];
    if (!r[c].null) seen = &r[c];
  }
  Cell base;
  if (seen) base = *seen;
  int64_t delta = g.Chance(0.5) ? 0 : g.Int(-3, 3);
  switch (c) {
    case kI:
    case kL:
    case kStx:
    case kPi:
      if (g.Chance(0.1)) return std::to_string(base.i + delta) + ".5";
      return std::to_string(base.i + delta);
    case kS:
    case kPs: {
      std::string s = base.s;
      int how = static_cast<int>(g.Int(0, 4));
      if (how == 1 && s.size() > 3)
        s = s.substr(0, static_cast<size_t>(g.Int(1, static_cast<int64_t>(s.size()))));
      if (how == 2) s += g.Chance(0.5) ? "a" : "\xF4\x8F\xBF\xBF";
      if (how == 3) s = s.substr(0, std::min<size_t>(s.size(), 32)) + "\x7f";
      if (!IsValidUtf8(s)) s = base.s;
      return SqlString(s);
    }
    case kD: {
      std::string s;
      AppendDate(base.i + delta, &s);
      return "DATE" + SqlString(s);
    }
    case kTs: {
      std::string s;
      int64_t jitter = g.Chance(0.5) ? 0 : g.Int(-1500, 1500);
      AppendTimestamp(base.i + jitter, TimeUnit::kMicros, true, &s);
      return "TIMESTAMP" + SqlString(s);
    }
    case kDec: {
      std::string s;
      AppendDecimal(base.i + delta, 3, &s);
      if (g.Chance(0.2)) s += "5";  // a fourth decimal place
      return s;
    }
    case kDb:
    case kFl: {
      if (g.Chance(0.05)) return "CAST('NaN' AS DOUBLE)";
      double v = std::isnan(base.f) || std::isinf(base.f) ? 1.0 : base.f;
      char buf[64];
      auto r = c == kFl && g.Chance(0.5) ? std::to_chars(buf, buf + 64, static_cast<float>(v))
                                         : std::to_chars(buf, buf + 64, v + delta / 4.0);
      std::string s(buf, r.ptr);
      if (s.find_first_of(".e") == std::string::npos) s += ".0";
      return c == kFl && g.Chance(0.3) ? "CAST(" + s + " AS FLOAT)" : s;
    }
    case kB:
      return g.Chance(0.5) ? "TRUE" : "FALSE";
    default:
      return "0";
  }
}

std::string RandomLeaf(Generator& g, const std::vector<File>& files) {
  static const std::vector<std::string> kOps = {"=", "<", "<=", ">", ">=", "<>"};
  int c = static_cast<int>(g.Int(0, kNumCols - 1));
  std::string col = kNames[c];
  int kind = static_cast<int>(g.Int(0, 9));
  if (c == kB && kind < 5) return g.Chance(0.5) ? "b" : "NOT b";
  if (kind == 0) return col + (g.Chance(0.5) ? " IS NULL" : " IS NOT NULL");
  if (kind == 1) {
    std::string in = col + (g.Chance(0.3) ? " NOT IN (" : " IN (");
    int n = static_cast<int>(g.Int(1, 3));
    for (int k = 0; k < n; ++k) in += (k ? ", " : "") + Literal(g, c, files);
    return in + ")";
  }
  if (kind == 2 && c != kB) {
    return col + " BETWEEN " + Literal(g, c, files) + " AND " + Literal(g, c, files);
  }
  if (kind == 3) {
    static const std::vector<std::pair<std::string, std::string>> kPairs = {
        {"i", "st.x"}, {"p_i", "i"}, {"l", "st.x"}, {"db", "fl"}, {"s", "p_s"}};
    const auto& [a, b] = g.Pick(kPairs);
    return a + " " + g.Pick(kOps) + " " + b;
  }
  std::string lit = Literal(g, c, files);
  if (g.Chance(0.3)) return lit + " " + g.Pick(kOps) + " " + col;
  return col + " " + g.Pick(kOps) + " " + lit;
}

std::string RandomPredicate(Generator& g, const std::vector<File>& files, int depth) {
  if (depth == 0 || g.Chance(0.35)) return RandomLeaf(g, files);
  int kind = static_cast<int>(g.Int(0, 2));
  if (kind == 2) return "NOT (" + RandomPredicate(g, files, depth - 1) + ")";
  std::string op = kind == 0 ? " AND " : " OR ";
  int n = static_cast<int>(g.Int(2, 3));
  std::string out = "(";
  for (int k = 0; k < n; ++k) out += (k ? op : "") + RandomPredicate(g, files, depth - 1);
  return out + ")";
}

uint64_t Seed() {
  const char* env = std::getenv("DS_EXPR_SEED");
  return env ? std::strtoull(env, nullptr, 10) : 20240611;
}

class SkippingPropertyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(schema_, columnar::SchemaFromJson(kSchema));
    table_.schema = schema_;
    table_.partition_columns = {"p_s", "p_i"};
    Generator g(Seed());
    for (int k = 0; k < 300; ++k) {
      File f = g.RandomFile();
      std::string lines;
      for (const Row& r : f.live) lines += RowJson(r) + "\n";
      auto batch = columnar::ParseJsonLines(lines, schema_);
      ASSERT_OK(batch);
      f.batch = std::move(batch).value();
      files_.push_back(std::move(f));
    }
  }

  struct Outcome {
    int files_without_match = 0;
    int dropped = 0;
    int certain = 0;
  };

  // Checks both soundness properties for one predicate over every file.
  void Check(const Expr& predicate, const std::string& text, Outcome* outcome) {
    ASSERT_OK_AND_ASSIGN(FileSkipper skipper, FileSkipper::Make(predicate, table_));
    ASSERT_TRUE(skipper.notes().empty()) << text << ": " << skipper.notes()[0];
    ASSERT_OK_AND_ASSIGN(RowFilter filter, RowFilter::Make(predicate, schema_));
    std::vector<Truth> rows;
    for (size_t k = 0; k < files_.size(); ++k) {
      const File& f = files_[k];
      std::vector<PartitionValue> pv;
      if (f.p_s || k % 2 == 0) pv.push_back({"p_s", f.p_s});
      pv.push_back({"p_i", f.p_i});
      Truth t = skipper.Evaluate({pv, f.stats});
      ASSERT_OK(filter.Evaluate(f.batch, &rows));
      bool any_true = std::find(rows.begin(), rows.end(), Truth::kTrue) != rows.end();
      bool all_true =
          std::all_of(rows.begin(), rows.end(), [](Truth r) { return r == Truth::kTrue; });
      if (any_true) {
        ASSERT_NE(t, Truth::kFalse) << "dropped a matching file\npredicate: " << text
                                    << "\nstats: " << f.stats.value_or("(none)")
                                    << "\nrows: " << RowsText(f) << "seed " << Seed();
      } else {
        ++outcome->files_without_match;
        if (t == Truth::kFalse) ++outcome->dropped;
      }
      if (t == Truth::kTrue) {
        ++outcome->certain;
        ASSERT_TRUE(all_true) << "claimed every row matches\npredicate: " << text
                              << "\nstats: " << f.stats.value_or("(none)")
                              << "\nrows: " << RowsText(f) << "seed " << Seed();
      }
    }
  }

  static std::string RowsText(const File& f) {
    std::string out;
    for (const Row& r : f.live) out += RowJson(r) + "\n";
    return out;
  }

  columnar::SchemaPtr schema_;
  SkippingTable table_;
  std::vector<File> files_;
};

TEST_F(SkippingPropertyTest, NeverDropsAMatchingFileNorOverclaims) {
  Generator g(Seed() + 1);
  Outcome total;
  int via_json = 0;
  for (int k = 0; k < 400; ++k) {
    std::string sql = RandomPredicate(g, files_, 3);
    ASSERT_OK_AND_ASSIGN(ExprPtr e, ParseSqlPredicate(sql));
    Check(*e, sql, &total);
    if (HasFatalFailure()) return;
    // The same predicate through the JSON form must behave the same.
    if (k % 4 == 0) {
      auto typed = ResolveTypes(*e, *schema_);
      ASSERT_OK(typed);
      ASSERT_OK_AND_ASSIGN(std::string json, ToJsonPredicate(**typed));
      ASSERT_OK_AND_ASSIGN(ExprPtr back, ParseJsonPredicate(json));
      Outcome again;
      Check(*back, json, &again);
      if (HasFatalFailure()) return;
      ++via_json;
    }
  }
  EXPECT_GT(via_json, 50);
  // Some files are dropped and some are certain matches: the evaluator is not trivial.
  EXPECT_GT(total.dropped, total.files_without_match / 4)
      << total.dropped << " of " << total.files_without_match;
  EXPECT_GT(total.certain, 100);
}

TEST_F(SkippingPropertyTest, SelectivePredicatesDropMostNonMatchingFiles) {
  // Point and narrow range predicates on clustered columns: the bread and butter of skipping.
  Generator g(Seed() + 2);
  Outcome total;
  for (int k = 0; k < 200; ++k) {
    static const std::vector<int> kCols = {kI, kL, kS, kD, kTs, kDec, kDb, kStx, kPs, kPi};
    int c = g.Pick(kCols);
    std::string lit = Literal(g, c, files_);
    std::string sql = std::string(kNames[c]) + (g.Chance(0.5) ? " = " : " < ") + lit;
    ASSERT_OK_AND_ASSIGN(ExprPtr e, ParseSqlPredicate(sql));
    Check(*e, sql, &total);
    if (HasFatalFailure()) return;
  }
  double rate = static_cast<double>(total.dropped) / total.files_without_match;
  std::printf("selective predicates: %d of %d non-matching files dropped (%.0f%%)\n", total.dropped,
              total.files_without_match, 100 * rate);
  EXPECT_GT(rate, 0.70);
}

}  // namespace
}  // namespace ds::expr
