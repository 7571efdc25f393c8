// File skipping against real tables written by Spark and delta-rs (../shared/testdata): the
// writers' own stats strings and partition values, checked against the rows of the data
// files (read with our Parquet reader). For every table, predicates built from the values
// actually present must never drop a file holding a matching row, nor call a file certain
// that holds a non-matching row; and some files must be dropped.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "expr/file_skipping.h"
#include "expr/row_filter.h"
#include "expr/sql_predicate.h"
#include "io/file.h"
#include "parquet/file_reader.h"
#include "test/testing/testing.h"
#include "util/json.h"

namespace ds::expr {
namespace {

namespace fs = std::filesystem;

struct AddFile {
  std::string path;
  std::vector<std::pair<std::string, std::optional<std::string>>> partition_values;
  std::optional<std::string> stats;
  columnar::RecordBatch rows;  // logical columns, partition columns included
};

struct Table {
  columnar::SchemaPtr schema;
  std::vector<std::string> partition_columns;
  std::vector<AddFile> files;
};

std::string PhysicalName(const columnar::Field& f) {
  if (f.metadata_json.empty()) return f.name;
  auto meta = ParseJson(f.metadata_json);
  if (!meta.ok()) return f.name;
  const JsonValue* p = meta->Find("delta.columnMapping.physicalName");
  return p && p->is_string() ? p->string_value() : f.name;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The table folder: plain folders as they are, archives extracted into `tmp`.
std::optional<fs::path> Locate(const fs::path& data, const std::string& rel, const fs::path& tmp) {
  fs::path plain = data / "delta" / rel;
  if (fs::is_directory(plain / "_delta_log")) return plain;
  if (fs::is_directory(plain / "delta" / "_delta_log")) return plain / "delta";
  fs::path archive = data / "delta" / (rel + ".tar.zst");
  if (!fs::exists(archive)) return std::nullopt;
  std::string cmd = "tar --zstd -xf '" + archive.string() + "' -C '" + tmp.string() + "'";
  if (std::system(cmd.c_str()) != 0) return std::nullopt;
  fs::path name = fs::path(rel).filename();
  for (fs::path p : {tmp / name / "delta", tmp / name}) {
    if (fs::is_directory(p / "_delta_log")) return p;
  }
  return std::nullopt;
}

// A constant column holding a partition value on every row.
Result<columnar::ArrayPtr> PartitionArray(const columnar::Field& field,
                                          const std::optional<std::string>& value, int64_t rows) {
  std::string cell = "null";
  if (value && !value->empty()) {
    switch (field.type->id) {
      case columnar::TypeId::kString:
      case columnar::TypeId::kDate:
      case columnar::TypeId::kTimestamp:
      case columnar::TypeId::kDecimal:
      case columnar::TypeId::kBinary:
        cell.clear();
        AppendJsonString(*value, &cell);
        break;
      default:
        cell = *value;  // numbers and booleans as JSON tokens
        break;
    }
  }
  std::string lines;
  for (int64_t i = 0; i < rows; ++i) lines += "{\"v\":" + cell + "}\n";
  auto schema = std::make_shared<columnar::Schema>();
  schema->fields.push_back(columnar::Field("v", field.type));
  ASSIGN_OR_RETURN(auto batch, columnar::ParseJsonLines(lines, schema));
  return batch.columns[0];
}

Result<Table> LoadTable(const fs::path& root) {
  Table t;
  std::vector<fs::path> commits;
  for (const auto& e : fs::directory_iterator(root / "_delta_log")) {
    if (e.path().extension() == ".json") commits.push_back(e.path());
  }
  std::sort(commits.begin(), commits.end());
  std::map<std::string, AddFile> live;
  for (const fs::path& commit : commits) {
    std::ifstream in(commit);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      ASSIGN_OR_RETURN(JsonValue action, ParseJson(line));
      if (const JsonValue* meta = action.Find("metaData")) {
        ASSIGN_OR_RETURN(t.schema,
                         columnar::SchemaFromJson(meta->Find("schemaString")->string_value()));
        t.partition_columns.clear();
        for (const JsonValue& p : meta->Find("partitionColumns")->items()) {
          t.partition_columns.push_back(p.string_value());
        }
      } else if (const JsonValue* add = action.Find("add")) {
        AddFile f;
        f.path = add->Find("path")->string_value();
        if (const JsonValue* pv = add->Find("partitionValues")) {
          for (size_t i = 0; i < pv->size(); ++i) {
            const JsonValue& v = pv->items()[i];
            f.partition_values.emplace_back(
                pv->keys()[i],
                v.is_null() ? std::nullopt : std::optional<std::string>(v.string_value()));
          }
        }
        const JsonValue* stats = add->Find("stats");
        if (stats && stats->is_string()) f.stats = stats->string_value();
        live[f.path] = std::move(f);
      } else if (const JsonValue* remove = action.Find("remove")) {
        live.erase(remove->Find("path")->string_value());
      }
    }
  }
  for (auto& [path, f] : live) {
    ASSIGN_OR_RETURN(auto file, io::OpenLocalFile((root / PercentDecode(path)).string()));
    ASSIGN_OR_RETURN(auto reader, parquet::FileReader::Open(file));
    ASSIGN_OR_RETURN(columnar::RecordBatch raw, reader->ReadAll());
    columnar::RecordBatch rows;
    rows.schema = t.schema;
    rows.num_rows = raw.num_rows;
    for (const columnar::Field& field : t.schema->fields) {
      std::string physical = PhysicalName(field);
      if (std::find(t.partition_columns.begin(), t.partition_columns.end(), field.name) !=
          t.partition_columns.end()) {
        std::optional<std::string> value;
        for (const auto& [k, v] : f.partition_values) {
          if (k == physical) value = v;
        }
        ASSIGN_OR_RETURN(auto array, PartitionArray(field, value, raw.num_rows));
        rows.columns.push_back(std::move(array));
        continue;
      }
      int idx = raw.schema->FieldIndex(physical);
      rows.columns.push_back(idx >= 0 ? raw.columns[idx]
                                      : columnar::MakeNullArray(field.type, raw.num_rows));
    }
    f.rows = std::move(rows);
    t.files.push_back(std::move(f));
  }
  return t;
}

std::string QuoteName(const std::string& name) {
  bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (plain) return name;
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

// SQL literals for the distinct values of a column, from the JSON row encoding.
std::string SqlLiteral(const columnar::DataType& type, const JsonValue& v) {
  auto quoted = [](const std::string& s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'') out += '\'';
      out += c;
    }
    return out + "'";
  };
  switch (type.id) {
    case columnar::TypeId::kString:
      return quoted(v.string_value());
    case columnar::TypeId::kDate:
      return "DATE" + quoted(v.string_value());
    case columnar::TypeId::kTimestamp:
      return "TIMESTAMP" + quoted(v.string_value());
    case columnar::TypeId::kDecimal:
      return v.string_value();
    case columnar::TypeId::kBool:
      return v.bool_value() ? "TRUE" : "FALSE";
    case columnar::TypeId::kFloat32:
    case columnar::TypeId::kFloat64:
      if (v.is_string()) return "CAST(" + quoted(v.string_value()) + " AS DOUBLE)";
      return v.number_text();
    default:
      return v.is_number() ? v.number_text() : "";
  }
}

struct Leaf {
  std::string sql_name;
  const columnar::DataType* type;
  std::vector<int> path;
};

void CollectLeaves(const std::vector<columnar::Field>& fields, const std::string& prefix,
                   std::vector<int> path, std::vector<Leaf>* out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    const columnar::Field& f = fields[i];
    std::vector<int> p = path;
    p.push_back(static_cast<int>(i));
    std::string name = prefix.empty() ? QuoteName(f.name) : prefix + "." + QuoteName(f.name);
    if (f.type->id == columnar::TypeId::kStruct) {
      CollectLeaves(f.type->fields, name, p, out);
    } else if (!columnar::IsNested(f.type->id) && f.type->id != columnar::TypeId::kBinary &&
               f.type->id != columnar::TypeId::kNull) {
      out->push_back({name, f.type.get(), p});
    }
  }
}

struct Counts {
  int checked = 0;
  int dropped = 0;
  int certain = 0;
};

void CheckPredicate(const Table& t, const std::string& sql, Counts* counts) {
  auto e = ParseSqlPredicate(sql);
  ASSERT_TRUE(e.ok()) << sql << ": " << e.status();
  SkippingTable table{t.schema, t.partition_columns, PhysicalName};
  ASSERT_OK_AND_ASSIGN(FileSkipper skipper, FileSkipper::Make(**e, table));
  ASSERT_TRUE(skipper.notes().empty()) << sql << ": " << skipper.notes()[0];
  ASSERT_OK_AND_ASSIGN(RowFilter filter, RowFilter::Make(**e, t.schema));
  std::vector<Truth> rows;
  for (const AddFile& f : t.files) {
    std::vector<PartitionValue> pv;
    for (const auto& [k, v] : f.partition_values) {
      pv.push_back({k, v ? std::optional<std::string_view>(*v) : std::nullopt});
    }
    Truth truth = skipper.Evaluate({pv, f.stats});
    ASSERT_OK(filter.Evaluate(f.rows, &rows));
    bool any = std::find(rows.begin(), rows.end(), Truth::kTrue) != rows.end();
    bool all = std::all_of(rows.begin(), rows.end(), [](Truth r) { return r == Truth::kTrue; });
    ++counts->checked;
    if (any) {
      EXPECT_NE(truth, Truth::kFalse)
          << sql << " dropped " << f.path << " stats " << f.stats.value_or("-");
    }
    if (truth == Truth::kTrue) {
      ++counts->certain;
      EXPECT_TRUE(all) << sql << " claimed all of " << f.path << " stats " << f.stats.value_or("-");
    }
    if (truth == Truth::kFalse) ++counts->dropped;
  }
}

class SkippingGoldenTest : public ::testing::TestWithParam<const char*> {};

TEST_P(SkippingGoldenTest, SoundOnRealStats) {
  DS_REQUIRE_TESTDATA(data);
  ds::testing::TempDir tmp;
  auto root = Locate(data, GetParam(), tmp.path());
  if (!root) GTEST_SKIP() << GetParam() << " not in the test data";
  ASSERT_OK_AND_ASSIGN(Table t, LoadTable(*root));
  ASSERT_FALSE(t.files.empty());
  std::vector<Leaf> leaves;
  CollectLeaves(t.schema->fields, "", {}, &leaves);
  Counts counts;
  std::vector<std::string> simple;
  static const char* const kOps[] = {"=", "<", "<=", ">", ">=", "<>"};
  for (const Leaf& leaf : leaves) {
    std::set<std::string> literals;
    for (const AddFile& f : t.files) {
      for (int64_t r = 0; r < f.rows.num_rows; ++r) {
        const columnar::Array* a = f.rows.columns[leaf.path[0]].get();
        bool valid = a->IsValid(r);
        for (size_t k = 1; k < leaf.path.size() && valid; ++k) {
          a = a->children[leaf.path[k]].get();
          valid = a->IsValid(r);
        }
        if (!valid) continue;
        std::string json;
        columnar::AppendValueJson(*a, r, &json);
        auto v = ParseJson(json);
        ASSERT_OK(v);
        std::string lit = SqlLiteral(*leaf.type, *v);
        if (!lit.empty()) literals.insert(lit);
      }
    }
    simple.push_back(leaf.sql_name + " IS NULL");
    simple.push_back(leaf.sql_name + " IS NOT NULL");
    for (const std::string& lit : literals) {
      for (const char* op : kOps) simple.push_back(leaf.sql_name + " " + op + " " + lit);
    }
  }
  for (const std::string& sql : simple) {
    CheckPredicate(t, sql, &counts);
    if (HasFailure()) return;
  }
  // Combinations, including negations of mixed results.
  for (size_t k = 0; k + 1 < simple.size(); k += 3) {
    const std::string& a = simple[k];
    const std::string& b = simple[(k * 7 + 1) % simple.size()];
    for (const std::string& sql :
         {"NOT (" + a + " AND " + b + ")", "(" + a + ") OR NOT (" + b + ")",
          "NOT (" + a + " OR " + b + ")"}) {
      CheckPredicate(t, sql, &counts);
      if (HasFailure()) return;
    }
  }
  std::printf("%s: %d files x predicates, %d dropped, %d certain\n", GetParam(), counts.checked,
              counts.dropped, counts.certain);
  EXPECT_GT(counts.dropped, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Tables, SkippingGoldenTest,
    ::testing::Values("golden/data-skipping-basic-stats-all-types",
                      "golden/data-skipping-basic-stats-all-types-columnmapping-name",
                      "golden/data-skipping-basic-stats-all-types-columnmapping-id",
                      "golden/data-skipping-partition-and-data-column",
                      "golden/data-skipping-change-stats-collected-across-versions",
                      "golden/data-reader-partition-values", "kernel/basic_partitioned",
                      "kernel/timestamp-truncation-stats", "kernel/stats-writing-all-types",
                      "kernel/mixed-nulls"),
    [](const ::testing::TestParamInfo<const char*>& info) {
      std::string name = fs::path(info.param).filename().string();
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(SkippingGoldenExpectations, PartitionFiltersAreExactOnSparkPartitionValues) {
  DS_REQUIRE_TESTDATA(data);
  ds::testing::TempDir tmp;
  auto root = Locate(data, "golden/data-reader-partition-values", tmp.path());
  if (!root) GTEST_SKIP() << "table not in the test data";
  ASSERT_OK_AND_ASSIGN(Table t, LoadTable(*root));
  SkippingTable table{t.schema, t.partition_columns, PhysicalName};
  auto verdicts = [&](const std::string& sql) {
    std::multiset<std::string> out;
    auto e = ParseSqlPredicate(sql);
    EXPECT_OK(e);
    auto skipper = FileSkipper::Make(**e, table);
    EXPECT_OK(skipper);
    EXPECT_TRUE(skipper->partition_only());
    for (const AddFile& f : t.files) {
      std::vector<PartitionValue> pv;
      for (const auto& [k, v] : f.partition_values) {
        pv.push_back({k, v ? std::optional<std::string_view>(*v) : std::nullopt});
      }
      out.insert(std::string(TruthName(skipper->Evaluate({pv, f.stats}))));
    }
    return out;
  };
  using S = std::multiset<std::string>;
  EXPECT_EQ(verdicts("as_int = 0"), (S{"TRUE", "FALSE", "FALSE"}));
  EXPECT_EQ(verdicts("as_int IS NULL"), (S{"TRUE", "FALSE", "FALSE"}));
  EXPECT_EQ(verdicts("as_timestamp = TIMESTAMP'2021-09-08 11:11:11'"),
            (S{"TRUE", "TRUE", "FALSE"}));
  EXPECT_EQ(verdicts("as_string_lit_null = 'null'"), (S{"TRUE", "TRUE", "FALSE"}));
  EXPECT_EQ(verdicts("as_boolean"), (S{"TRUE", "FALSE", "FALSE"}));
}

}  // namespace
}  // namespace ds::expr
