// `deltashare demo ...`: a ready-to-serve demo of the reference use case, a B2B SaaS CRM
// sharing each customer's data (accounts, contacts, opportunities, activities,
// conversations, cases) as Delta tables in a per-tenant share.
//
//   deltashare demo generate --out build/demo --tenants 3
//   deltashare demo serve --dir build/demo
//
// generate writes, under DIR (replaced when it holds an earlier demo; refused when it holds
// anything else):
//   source/schemas/<table>.schema.json      Delta schemas of the source exports
//   source/snapshot-<k>/<table>.jsonl        three full exports of every tenant's rows
//                                            (tenant_id column), each a step of CRM life:
//                                            new rows, edited rows, deleted rows
//   lake/<tenant>/<table>/                   the Delta tables, published from the three
//                                            exports with `publish` (versions 0..2 at most;
//                                            CDF on; activities partitioned by region)
//   access.db                                SQLite access store: share <tenant> (schema crm),
//                                            recipient <tenant> granted it
//   master.key                               the master key (mode 600; the config names the file)
//   server.yaml                              `deltashare serve -c DIR/server.yaml`
//   profiles/<tenant>.share                  each recipient's profile (bearer token, 30 days)
//
// The data is a pure function of --seed, --tenants and --accounts; tokens and ids are fresh.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "access/access_store.h"
#include "access/key_ring.h"
#include "access/secret_file.h"
#include "access/token_service.h"
#include "apps/deltashare/commands.h"
#include "columnar/schema_json.h"
#include "http/signals.h"
#include "io/file.h"
#include "publish/publisher.h"
#include "publish/share_register.h"
#include "publish/source.h"
#include "sharing/protocol/profile.h"
#include "sharing/server/sharing_server.h"
#include "util/civil_time.h"
#include "util/json.h"
#include "util/progress.h"
#include "util/string_util.h"

namespace ds::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMarker = ".deltashare-demo";
constexpr int kSnapshots = 3;

// --- Deterministic values ------------------------------------------------------------------

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(Mix(seed)) {}
  uint64_t Next() { return state_ = Mix(state_); }
  int64_t Uniform(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  int64_t Between(int64_t lo, int64_t hi) { return lo + Uniform(hi - lo + 1); }
  bool Chance(int percent) { return Uniform(100) < percent; }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Uniform(static_cast<int64_t>(N))];
  }

 private:
  uint64_t state_;
};

uint64_t HashOf(std::initializer_list<uint64_t> parts) {
  uint64_t h = 0x243f6a8885a308d3ULL;
  for (uint64_t p : parts) h = Mix(h ^ p);
  return h;
}

uint64_t HashText(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

const char* const kTenantNames[] = {"acme",  "globex", "initech", "umbrella", "hooli",
                                    "stark", "wayne",  "wonka",   "tyrell",   "cyberdyne"};
const char* const kRegions[] = {"EMEA", "NA", "LATAM", "APAC"};
const char* const kIndustries[] = {"Software", "Manufacturing", "Retail",  "Healthcare",
                                   "Finance",  "Logistics",     "Energy",  "Education"};
const char* const kCompanyA[] = {"Blue", "North", "Bright", "Iron",  "Silver", "Green",
                                 "Rapid", "Clear", "Summit", "Delta", "Coral",  "Pine"};
const char* const kCompanyB[] = {"Systems", "Labs",   "Works",    "Holdings", "Partners",
                                 "Foods",   "Motors", "Networks", "Health",   "Analytics"};
const char* const kFirst[] = {"Ada",  "Ben",   "Chloe", "Diego", "Elena", "Farid", "Grace",
                              "Hiro", "Irene", "Jonas", "Keiko", "Liam",  "Maya",  "Noor",
                              "Omar", "Priya", "Quinn", "Rosa",  "Sven",  "Tara"};
const char* const kLast[] = {"Ito",    "Novak",  "Silva",  "Okafor", "Muller", "Khan",
                             "Larsen", "Garcia", "Rossi",  "Chen",   "Dubois", "Nakamura",
                             "Smith",  "Kowalski", "Haddad", "Moreau"};
const char* const kTitles[] = {"CTO", "VP Sales", "Buyer", "Head of Data", "CFO", "Engineer",
                               "Procurement Lead", "COO"};
const char* const kCities[][2] = {{"Berlin", "DE"}, {"Lyon", "FR"},    {"Austin", "US"},
                                  {"Toronto", "CA"}, {"Osaka", "JP"},  {"Sydney", "AU"},
                                  {"Lima", "PE"},   {"Nairobi", "KE"}, {"Madrid", "ES"}};
const char* const kStreets[] = {"Main St", "Harbour Rd", "Market Sq", "Station Ave", "Mill Ln"};
const char* const kTags[] = {"enterprise", "smb", "partner", "churn-risk", "expansion", "vip"};
const char* const kStages[] = {"Prospecting", "Qualification", "Proposal", "Negotiation",
                               "Closed Won",  "Closed Lost"};
const int kStageProbability[] = {10, 25, 50, 75, 100, 0};
const char* const kActivityTypes[] = {"call", "email", "meeting", "task", "demo"};
const char* const kSubjects[] = {"Quarterly review", "Pricing question", "Onboarding",
                                 "Renewal",          "Integration help", "Contract terms",
                                 "Feature request",  "Security questionnaire"};
const char* const kChannels[] = {"email", "chat", "phone", "video"};
const char* const kPriorities[] = {"low", "medium", "high", "urgent"};
const char* const kCaseStatus[] = {"new", "open", "pending", "resolved", "closed"};

// 2024-01-01T00:00:00Z in ms, and a day.
constexpr int64_t kEpoch2024Ms = 1704067200000;
constexpr int64_t kDayMs = 86400000;

std::string Timestamp(int64_t ms) {
  std::string s;
  AppendTimestamp(ms, TimeUnit::kMillis, true, &s);
  return s;
}
std::string Date(int64_t days) {
  std::string s;
  AppendDate(days, &s);
  return s;
}
std::string Money(int64_t cents) {
  std::string s = std::to_string(cents / 100) + ".";
  const int64_t c = cents % 100;
  return s + (c < 10 ? "0" : "") + std::to_string(c);
}

// --- The six tables ------------------------------------------------------------------------

// What generates one row: stable fields from `fixed`, fields edited between snapshots from
// `edit` (seeded by the row's revision).
struct RowContext {
  Rng& fixed;
  Rng& edit;
  int64_t id;
  int revision;
  int64_t num_accounts;
  const std::string& tenant;
  JsonWriter& w;
};

struct TableDef {
  const char* name;
  const char* key;
  const char* partition_by;
  int rows_per_100_accounts;
  const char* schema;
  std::function<void(RowContext&)> row;
};

#define F(name, type, nullable) \
  "{\"name\":\"" name "\",\"type\":" type ",\"nullable\":" nullable ",\"metadata\":{}}"
#define SCHEMA(...) "{\"type\":\"struct\",\"fields\":[" __VA_ARGS__ "]}"

const std::vector<TableDef>& Tables() {
  static const std::vector<TableDef> tables = {
      {"accounts", "account_id", "", 100,
       SCHEMA(F("tenant_id", "\"string\"", "false") "," F("account_id", "\"long\"", "false") ","
              F("name", "\"string\"", "false") "," F("industry", "\"string\"", "true") ","
              F("region", "\"string\"", "false") "," F("annual_revenue", "\"decimal(18,2)\"",
                                                       "true") ","
              F("employees", "\"integer\"", "true") "," F("tags",
                                                          "{\"type\":\"array\",\"elementType\":"
                                                          "\"string\",\"containsNull\":false}",
                                                          "true") ","
              F("created_at", "\"timestamp\"", "false") "," F("updated_at", "\"timestamp\"",
                                                              "false")),
       [](RowContext& c) {
         const std::string part_a = c.fixed.Pick(kCompanyA);
         const std::string name = part_a + " " + c.fixed.Pick(kCompanyB) + " " +
                                  std::to_string(c.id);
         const int64_t created = kEpoch2024Ms + c.fixed.Uniform(300) * kDayMs;
         c.w.Field("name", name);
         c.w.Field("industry", c.fixed.Pick(kIndustries));
         c.w.Field("region", c.fixed.Pick(kRegions));
         c.w.Key("annual_revenue");
         if (c.edit.Chance(8)) {
           c.w.Null();
         } else {
           c.w.String(Money(c.edit.Between(50'000, 900'000'000) * 100 + c.edit.Uniform(100)));
         }
         c.w.Key("employees");
         if (c.fixed.Chance(5)) {
           c.w.Null();
         } else {
           c.w.Int(c.edit.Between(3, 25'000));
         }
         c.w.Key("tags");
         c.w.BeginArray();
         for (int64_t i = 0, n = c.edit.Uniform(3); i < n; ++i) c.w.String(c.edit.Pick(kTags));
         c.w.EndArray();
         c.w.Field("created_at", Timestamp(created));
         c.w.Field("updated_at", Timestamp(created + (c.revision * 30 + 1) * kDayMs));
       }},
      {"contacts", "contact_id", "", 300,
       SCHEMA(F("tenant_id", "\"string\"", "false") "," F("contact_id", "\"long\"", "false") ","
              F("account_id", "\"long\"", "false") "," F("first_name", "\"string\"", "false") ","
              F("last_name", "\"string\"", "false") "," F("email", "\"string\"", "true") ","
              F("phone", "\"string\"", "true") "," F("title", "\"string\"", "true") ","
              F("address",
                "{\"type\":\"struct\",\"fields\":[" F("street", "\"string\"", "true") ","
                F("city", "\"string\"", "true") "," F("postal_code", "\"string\"", "true") ","
                F("country", "\"string\"", "true") "]}",
                "true") "," F("created_at", "\"timestamp\"", "false")),
       [](RowContext& c) {
         const std::string first = c.fixed.Pick(kFirst);
         const std::string last = c.fixed.Pick(kLast);
         c.w.FieldInt("account_id", 1 + c.fixed.Uniform(c.num_accounts));
         c.w.Field("first_name", first);
         c.w.Field("last_name", last);
         c.w.Key("email");
         if (c.edit.Chance(4)) {
           c.w.Null();
         } else {
           std::string email = first + "." + last + std::to_string(c.id) + "@" + c.tenant +
                               "-customer.example";
           for (char& ch : email) ch = static_cast<char>(std::tolower(ch));
           c.w.String(email);
         }
         c.w.Key("phone");
         if (c.fixed.Chance(30)) {
           c.w.Null();
         } else {
           c.w.String("+1-555-" + std::to_string(1000 + c.fixed.Uniform(9000)));
         }
         c.w.Key("title");
         if (c.edit.Chance(10)) {
           c.w.Null();
         } else {
           c.w.String(c.edit.Pick(kTitles));
         }
         c.w.Key("address");
         if (c.fixed.Chance(15)) {
           c.w.Null();
         } else {
           const auto& city = c.edit.Pick(kCities);
           c.w.BeginObject();
           const std::string number = std::to_string(1 + c.edit.Uniform(200));
           c.w.Field("street", number + " " + c.edit.Pick(kStreets));
           c.w.Field("city", city[0]);
           c.w.Field("postal_code", std::to_string(10000 + c.edit.Uniform(89999)));
           c.w.Field("country", city[1]);
           c.w.EndObject();
         }
         c.w.Field("created_at", Timestamp(kEpoch2024Ms + c.fixed.Uniform(330 * kDayMs)));
       }},
      {"opportunities", "opportunity_id", "", 150,
       SCHEMA(F("tenant_id", "\"string\"", "false") "," F("opportunity_id", "\"long\"",
                                                          "false") ","
              F("account_id", "\"long\"", "false") "," F("name", "\"string\"", "false") ","
              F("stage", "\"string\"", "false") "," F("amount", "\"decimal(18,2)\"", "false") ","
              F("probability", "\"integer\"", "false") "," F("close_date", "\"date\"", "true") ","
              F("owner", "\"string\"", "false") "," F("created_at", "\"timestamp\"", "false")),
       [](RowContext& c) {
         c.w.FieldInt("account_id", 1 + c.fixed.Uniform(c.num_accounts));
         c.w.Field("name", std::string(c.fixed.Pick(kSubjects)) + " #" + std::to_string(c.id));
         // Deals move forward through the stages as the snapshots go by.
         const int64_t stage =
             std::min<int64_t>(c.fixed.Uniform(4) + c.revision + c.edit.Uniform(2), 5);
         c.w.Field("stage", kStages[stage]);
         c.w.Field("amount", Money(c.edit.Between(1'000, 2'500'000) * 100));
         c.w.FieldInt("probability", kStageProbability[stage]);
         const int64_t day0 = DaysFromCivil(2024, 1, 1);
         c.w.Key("close_date");
         if (stage < 4 && c.edit.Chance(20)) {
           c.w.Null();
         } else {
           c.w.String(Date(day0 + 60 + c.edit.Uniform(400)));
         }
         const std::string owner = c.fixed.Pick(kFirst);
         c.w.Field("owner", owner + " " + c.fixed.Pick(kLast));
         c.w.Field("created_at", Timestamp(kEpoch2024Ms + c.fixed.Uniform(300 * kDayMs)));
       }},
      {"activities", "activity_id", "region", 1000,
       SCHEMA(F("tenant_id", "\"string\"", "false") "," F("activity_id", "\"long\"", "false") ","
              F("region", "\"string\"", "false") "," F("account_id", "\"long\"", "false") ","
              F("contact_id", "\"long\"", "true") "," F("type", "\"string\"", "false") ","
              F("subject", "\"string\"", "false") "," F("activity_date", "\"date\"", "false") ","
              F("duration_minutes", "\"integer\"", "true") "," F("completed", "\"boolean\"",
                                                                 "false")),
       [](RowContext& c) {
         c.w.Field("region", c.fixed.Pick(kRegions));
         c.w.FieldInt("account_id", 1 + c.fixed.Uniform(c.num_accounts));
         c.w.Key("contact_id");
         if (c.fixed.Chance(20)) {
           c.w.Null();
         } else {
           c.w.Int(1 + c.fixed.Uniform(c.num_accounts * 3));
         }
         const char* type = c.fixed.Pick(kActivityTypes);
         c.w.Field("type", type);
         c.w.Field("subject", c.fixed.Pick(kSubjects));
         c.w.Field("activity_date", Date(DaysFromCivil(2024, 1, 1) + c.fixed.Uniform(366)));
         c.w.Key("duration_minutes");
         if (std::string_view(type) == "email" || std::string_view(type) == "task") {
           c.w.Null();
         } else {
           c.w.Int(5 * c.fixed.Between(1, 24));
         }
         c.w.FieldBool("completed", c.revision > 0 || c.edit.Chance(60));
       }},
      {"conversations", "conversation_id", "", 250,
       SCHEMA(F("tenant_id", "\"string\"", "false") "," F("conversation_id", "\"long\"",
                                                          "false") ","
              F("account_id", "\"long\"", "false") "," F("contact_id", "\"long\"", "true") ","
              F("channel", "\"string\"", "false") "," F("started_at", "\"timestamp\"", "false") ","
              F("message_count", "\"integer\"", "false") "," F("sentiment", "\"double\"", "true") ","
              F("participants",
                "{\"type\":\"array\",\"elementType\":\"string\",\"containsNull\":false}",
                "false")),
       [](RowContext& c) {
         c.w.FieldInt("account_id", 1 + c.fixed.Uniform(c.num_accounts));
         c.w.Key("contact_id");
         if (c.fixed.Chance(10)) {
           c.w.Null();
         } else {
           c.w.Int(1 + c.fixed.Uniform(c.num_accounts * 3));
         }
         c.w.Field("channel", c.fixed.Pick(kChannels));
         c.w.Field("started_at", Timestamp(kEpoch2024Ms + c.fixed.Uniform(360 * kDayMs)));
         c.w.FieldInt("message_count", c.fixed.Between(1, 20) + 3 * c.revision);
         c.w.Key("sentiment");
         if (c.edit.Chance(15)) {
           c.w.Null();
         } else {
           c.w.Double(static_cast<double>(c.edit.Between(-100, 100)) / 100.0);
         }
         c.w.Key("participants");
         c.w.BeginArray();
         for (int64_t i = 0, n = 1 + c.fixed.Uniform(3); i < n; ++i) {
           const std::string first = c.fixed.Pick(kFirst);
           c.w.String(first + " " + c.fixed.Pick(kLast));
         }
         c.w.EndArray();
       }},
      {"cases", "case_id", "", 150,
       SCHEMA(F("tenant_id", "\"string\"", "false") "," F("case_id", "\"long\"", "false") ","
              F("account_id", "\"long\"", "false") "," F("contact_id", "\"long\"", "true") ","
              F("subject", "\"string\"", "false") "," F("priority", "\"string\"", "false") ","
              F("status", "\"string\"", "false") "," F("opened_at", "\"timestamp\"", "false") ","
              F("closed_at", "\"timestamp\"", "true") "," F("sla_hours", "\"integer\"", "false")),
       [](RowContext& c) {
         c.w.FieldInt("account_id", 1 + c.fixed.Uniform(c.num_accounts));
         c.w.Key("contact_id");
         if (c.fixed.Chance(25)) {
           c.w.Null();
         } else {
           c.w.Int(1 + c.fixed.Uniform(c.num_accounts * 3));
         }
         c.w.Field("subject", c.fixed.Pick(kSubjects));
         const char* priority = c.fixed.Pick(kPriorities);
         c.w.Field("priority", priority);
         // Cases progress towards closed as the snapshots go by.
         const int64_t status = std::min<int64_t>(c.fixed.Uniform(3) + c.revision * 2, 4);
         c.w.Field("status", kCaseStatus[status]);
         const int64_t opened = kEpoch2024Ms + c.fixed.Uniform(360 * kDayMs);
         c.w.Field("opened_at", Timestamp(opened));
         c.w.Key("closed_at");
         if (status < 3) {
           c.w.Null();
         } else {
           c.w.String(Timestamp(opened + c.edit.Between(1, 240) * 3600000));
         }
         c.w.FieldInt("sla_hours", std::string_view(priority) == "urgent" ? 4 : 48);
       }},
  };
  return tables;
}

#undef F
#undef SCHEMA

// Row `id` of `table` in snapshot k (1-based): absent when not yet created or deleted;
// otherwise at revision 0, 1 or 2 (edited at snapshot 2 and/or 3).
struct RowLife {
  bool present;
  int revision;
};

RowLife LifeOf(uint64_t h, int64_t id, int64_t base_rows, int snapshot) {
  // New rows: ~6% more per snapshot.
  const int64_t created_in = id <= base_rows ? 1 : (id <= base_rows + base_rows / 16 ? 2 : 3);
  if (created_in > snapshot) return {false, 0};
  // Deletes: 2% at snapshot 2, 2% more at snapshot 3.
  const uint64_t d = h % 100;
  if ((d == 0 || d == 1) && snapshot >= 2 && created_in < 2) return {false, 0};
  if ((d == 2 || d == 3) && snapshot >= 3 && created_in < 3) return {false, 0};
  // Edits: 10% at snapshot 2, 10% at snapshot 3.
  const uint64_t e = (h >> 8) % 10;
  int revision = 0;
  if (e == 0 && snapshot >= 2 && created_in < 2) revision = 1;
  if (e == 1 && snapshot >= 3 && created_in < 3) revision = 2;
  return {true, revision};
}

struct GenerateArgs {
  std::string out;
  int tenants = 3;
  uint64_t seed = 42;
  int64_t accounts = 200;
  int port = 8080;
  std::string host = "127.0.0.1";
};

std::vector<std::string> TenantNames(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(i < 10 ? kTenantNames[i] : "tenant" + std::to_string(i + 1));
  }
  return out;
}

// Tenant i's share of the rows varies (10 x 1.0, 0.6, 1.4, ...), so tenants differ in size.
int64_t TenantAccounts(const GenerateArgs& a, int i) {
  static const int kPercent[] = {100, 60, 140, 80, 120};
  return std::max<int64_t>(1, a.accounts * kPercent[i % 5] / 100);
}

Status WriteSnapshotFiles(const GenerateArgs& a, const std::vector<std::string>& tenants,
                          const fs::path& source) {
  for (int k = 1; k <= kSnapshots; ++k) {
    const fs::path dir = source / ("snapshot-" + std::to_string(k));
    fs::create_directories(dir);
    for (const TableDef& t : Tables()) {
      std::string text;
      for (size_t ti = 0; ti < tenants.size(); ++ti) {
        const std::string& tenant = tenants[ti];
        const int64_t accounts = TenantAccounts(a, static_cast<int>(ti));
        const int64_t base = std::max<int64_t>(1, accounts * t.rows_per_100_accounts / 100);
        const int64_t max_id = base + 2 * (base / 16);
        for (int64_t id = 1; id <= max_id; ++id) {
          const uint64_t h = HashOf({a.seed, HashText(tenant), HashText(t.name),
                                     static_cast<uint64_t>(id)});
          RowLife life = LifeOf(h, id, base, k);
          if (!life.present) continue;
          Rng fixed(h);
          Rng edit(HashOf({h, static_cast<uint64_t>(life.revision)}));
          JsonWriter w(&text);
          w.BeginObject();
          w.Field("tenant_id", tenant);
          w.FieldInt(t.key, id);
          RowContext ctx{fixed, edit, id, life.revision, accounts, tenant, w};
          t.row(ctx);
          w.EndObject();
          text.push_back('\n');
        }
      }
      RETURN_NOT_OK(io::WriteStringToFile((dir / (std::string(t.name) + ".jsonl")).string(), text));
    }
  }
  return Status::OK();
}

// Refuses to delete a folder that is not an earlier demo.
Status PrepareOutDir(const fs::path& out) {
  std::error_code ec;
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec)) return Status::InvalidArgument(out.string() + " is not a folder");
    const bool empty = fs::is_empty(out, ec);
    if (!empty && !fs::exists(out / kMarker, ec)) {
      return Status::FailedPrecondition(out.string() +
                                        " is not empty and holds no earlier demo; choose another "
                                        "--out or remove it");
    }
    fs::remove_all(out, ec);
    if (ec) return Status::IOError("removing " + out.string() + ": " + ec.message());
  }
  fs::create_directories(out, ec);
  if (ec) return Status::IOError("creating " + out.string() + ": " + ec.message());
  return io::WriteStringToFile((out / kMarker).string(),
                               "made by `deltashare demo generate`; the folder is replaced on "
                               "the next run\n");
}

std::string ServerYaml(const GenerateArgs& a) {
  return "# The demo's Delta Sharing server: `deltashare serve -c server.yaml`.\n"
         "# Relative paths are relative to this file. The master key stays in its own file.\n"
         "version: 1\n"
         "host: " +
         a.host + "\nport: " + std::to_string(a.port) +
         "\n"
         "endpoint: /delta-sharing\n"
         "store: sqlite:access.db\n"
         "masterKeyFile: master.key\n"
         "preSignedUrlTimeoutSeconds: 900\n"
         "accessLog: stderr\n";
}

Status Generate(const GenerateArgs& a) {
  if (a.tenants < 1 || a.tenants > 100) return Status::InvalidArgument("--tenants must be 1..100");
  if (a.accounts < 1 || a.accounts > 1'000'000) {
    return Status::InvalidArgument("--accounts must be 1..1000000");
  }
  const fs::path out = fs::absolute(a.out).lexically_normal();
  RETURN_NOT_OK(PrepareOutDir(out));
  const std::vector<std::string> tenants = TenantNames(a.tenants);
  const fs::path source = out / "source";
  fs::create_directories(source / "schemas");
  for (const TableDef& t : Tables()) {
    RETURN_NOT_OK(io::WriteStringToFile(
        (source / "schemas" / (std::string(t.name) + ".schema.json")).string(),
        std::string(t.schema) + "\n"));
  }
  RETURN_NOT_OK(WriteSnapshotFiles(a, tenants, source));

  // Publish the three exports in order, as `deltashare publish snapshot` would.
  const std::string lake = (out / "lake").string();
  Progress progress("publish", kSnapshots * static_cast<int64_t>(Tables().size()), "tables");
  Stdout log;
  for (int k = 1; k <= kSnapshots; ++k) {
    for (const TableDef& t : Tables()) {
      ASSIGN_OR_RETURN(std::string schema_text,
                       io::ReadFileToString((source / "schemas" / (std::string(t.name) +
                                                                   ".schema.json"))
                                                .string()));
      ASSIGN_OR_RETURN(columnar::SchemaPtr schema, columnar::SchemaFromJson(schema_text));
      const fs::path file = source / ("snapshot-" + std::to_string(k)) / (std::string(t.name) + ".jsonl");
      ASSIGN_OR_RETURN(columnar::RecordBatch rows,
                       publish::ReadSnapshotSource(file.string(), schema));
      publish::PublishSpec spec;
      spec.keys = {t.key};
      if (*t.partition_by) spec.partition_by = {t.partition_by};
      ASSIGN_OR_RETURN(auto runs, publish::PublishSnapshot(lake, t.name, rows, spec, "tenant_id"));
      int64_t ins = 0, upd = 0, del = 0, commits = 0;
      for (const auto& run : runs) {
        if (!run.status.ok()) return run.status.WithContext(run.tenant + "/" + t.name);
        ins += run.result.inserted;
        upd += run.result.updated;
        del += run.result.deleted;
        commits += run.result.commit ? 1 : 0;
      }
      log.Write("snapshot " + std::to_string(k) + " " + t.name + ": " + std::to_string(commits) +
                " commit(s); +" + std::to_string(ins) + " ~" + std::to_string(upd) + " -" +
                std::to_string(del) + " rows\n");
      progress.Advance(1);
    }
  }
  progress.Done();

  // The access store: one share per tenant, its recipient, a grant and a profile.
  ASSIGN_OR_RETURN(std::string key_text, access::MasterKey::GenerateText());
  {
    ASSIGN_OR_RETURN(auto key_file,
                     access::SecretFile::Create((out / "master.key").string(), false));
    RETURN_NOT_OK(key_file.Write(key_text + "\n"));
  }
  ASSIGN_OR_RETURN(access::AccessStorePtr store,
                   access::OpenAccessStore("sqlite:" + (out / "access.db").string()));
  ASSIGN_OR_RETURN(access::MasterKey master,
                   access::MasterKey::FromFile((out / "master.key").string()));
  auto keys = std::make_shared<access::KeyRing>(std::move(master));
  ASSIGN_OR_RETURN(auto versions, store->ListKeyVersions());
  RETURN_NOT_OK(keys->SetVersions(versions));
  access::TokenService tokens(store, keys);
  const std::string endpoint =
      "http://" + a.host + ":" + std::to_string(a.port) + "/delta-sharing";
  fs::create_directories(out / "profiles");
  for (const std::string& tenant : tenants) {
    ASSIGN_OR_RETURN(auto tables, publish::FindLocalTables(lake + "/" + tenant));
    RETURN_NOT_OK(publish::RegisterTenantShare(*store, tenant, "crm", tables,
                                               "CRM data of " + tenant)
                      .status());
    access::Recipient r;
    r.name = tenant;
    r.comment = "the " + tenant + " tenant's data team";
    ASSIGN_OR_RETURN(r, store->CreateRecipient(r));
    RETURN_NOT_OK(store->PutGrant(tenant, tenant, std::nullopt).status());
    ASSIGN_OR_RETURN(access::IssuedToken issued, tokens.Issue(r, 30LL * 86400, "demo profile"));
    sharing::protocol::Profile p;
    p.share_credentials_version = 1;
    p.endpoint = endpoint;
    p.bearer_token = issued.token;
    p.expiration_ms = issued.record.expires_at_ms;
    ASSIGN_OR_RETURN(auto file, access::SecretFile::Create(
                                    (out / "profiles" / (tenant + ".share")).string(), false));
    RETURN_NOT_OK(file.Write(sharing::protocol::ProfileToJson(p)));
  }
  RETURN_NOT_OK(io::WriteStringToFile((out / "server.yaml").string(), ServerYaml(a)));
  log.Write("demo ready in " + out.string() + ": " + std::to_string(tenants.size()) +
            " tenants (" + Join(tenants, ", ") + "), " + std::to_string(Tables().size()) +
            " tables each; serve with: deltashare serve -c " + (out / "server.yaml").string() +
            "\n");
  return log.Flush();
}

Status Serve(const std::string& dir, int port) {
  const std::string path = (fs::path(dir) / "server.yaml").string();
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return Status::NotFound("no " + path + ": run `deltashare demo generate --out " + dir +
                            "` first");
  }
  ASSIGN_OR_RETURN(sharing::server::Config config, sharing::server::LoadConfig(path));
  if (port >= 0) config.port = port;
  http::TerminationSignals signals;
  ASSIGN_OR_RETURN(auto server, sharing::server::SharingServer::Start(config));
  for (const std::string& w : server->warnings()) std::fprintf(stderr, "warning: %s\n", w.c_str());
  std::fprintf(stderr, "deltashare: serving the demo at %s (Ctrl-C to stop)\n",
               server->endpoint_url().c_str());
  const int sig = signals.Wait();
  std::fprintf(stderr, "deltashare: signal %d, stopping\n", sig);
  server->Stop(std::chrono::seconds(10));
  return Status::OK();
}

void RegisterDemoCommands(CLI::App* app, Action* action) {
  CLI::App* group = app->add_subcommand(
      "demo", "A ready-to-serve CRM demo: per-tenant Delta tables, shares, recipients, profiles");
  group->require_subcommand(1);
  {
    auto* cmd = group->add_subcommand(
        "generate",
        "Generate CRM source exports for several tenants, publish them as Delta tables over "
        "three snapshots, and write an access store, master key, server config and profiles");
    auto a = std::make_shared<GenerateArgs>();
    cmd->add_option("--out", a->out, "Demo folder (replaced if it holds an earlier demo)")
        ->required();
    cmd->add_option("--tenants", a->tenants, "Number of tenants")
        ->capture_default_str()
        ->check(CLI::Range(1, 100));
    cmd->add_option("--seed", a->seed, "Seed of the generated data")->capture_default_str();
    cmd->add_option("--accounts", a->accounts,
                    "Accounts of the first tenant (other tables scale with it)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    cmd->add_option("--port", a->port, "Port the server config and profiles use")
        ->capture_default_str()
        ->check(CLI::Range(1, 65535));
    cmd->callback([=] { *action = [=] { return Generate(*a); }; });
  }
  {
    auto* cmd = group->add_subcommand("serve", "Serve a generated demo (DIR/server.yaml)");
    auto dir = std::make_shared<std::string>();
    auto port = std::make_shared<int>(-1);
    cmd->add_option("--dir", *dir, "The folder `demo generate` wrote")->required();
    cmd->add_option("--port", *port, "Listen on this port instead of the config's")
        ->check(CLI::Range(0, 65535));
    cmd->callback([=] { *action = [=] { return Serve(*dir, *port); }; });
  }
}

}  // namespace

DS_COMMAND_GROUP(90, RegisterDemoCommands);

}  // namespace ds::cli
