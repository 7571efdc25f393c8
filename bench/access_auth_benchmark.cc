// Per-request cost of the access layer: a warm Authenticate + Authorize against the physical
// floor of one HMAC-SHA256 of the token, with and without an IP allow-list, and the cost of
// auditing (queueing a record, and the background writer's throughput into SQLite).
// Figures: docs/benchmarks.md (Access).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "access/access_service.h"
#include "access/memory_store.h"
#include "access/token_service.h"
#include "crypto/crypto.h"

namespace ds::access {
namespace {

const char* kMasterHex = "6e1a9c3f7b5d2e8a4c0f6b1d9e3a7c5f2b8d4e0a6c1f9b3d7e5a2c8f4b0d6e1a";

std::shared_ptr<KeyRing> Keys() {
  return std::make_shared<KeyRing>(MasterKey::FromText(kMasterHex, "bench").ValueOrDie());
}

// A store with one recipient granted one share of `tables` tables, and a service over it.
struct Setup {
  AccessStorePtr store;
  std::unique_ptr<AccessService> service;
  std::string header;
  std::string token;

  explicit Setup(AccessStorePtr s, bool audit, std::vector<std::string> ip_allow = {},
                 int tables = 100)
      : store(std::move(s)) {
    Recipient r;
    r.name = "acme";
    r.ip_allow = std::move(ip_allow);
    r = store->CreateRecipient(r).ValueOrDie();
    Share share;
    share.name = "sales";
    (void)store->CreateShare(share).ValueOrDie();
    for (int i = 0; i < tables; ++i) {
      Table t;
      t.name = "table_" + std::to_string(i);
      t.location = "s3://bucket/" + t.name;
      (void)store->AddTable("sales", "default", t).ValueOrDie();
    }
    (void)store->PutGrant("acme", "sales", std::string("region = 'EU'")).ValueOrDie();
    TokenService tokens(store, Keys());
    token = tokens.Issue(r).ValueOrDie().token;
    header = "Bearer " + token;
    AccessServiceOptions options;
    options.audit = audit;
    service = AccessService::Make(store, Keys(), {}, options).ValueOrDie();
  }
};

void BM_HmacSha256OfToken(benchmark::State& state) {
  std::string key(32, 'k');
  Setup setup(std::make_shared<MemoryAccessStore>(), false, {}, 1);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::HmacSha256(key, setup.token));
}
BENCHMARK(BM_HmacSha256OfToken);

void AuthAndAuthorize(benchmark::State& state, Setup& setup, const char* address) {
  for (auto _ : state) {
    auto principal = setup.service->Authenticate(setup.header, address);
    if (!principal.ok()) state.SkipWithError(principal.status().ToString().c_str());
    auto table = setup.service->AuthorizeTable(*principal, "sales", "default", "table_42");
    if (!table.ok()) state.SkipWithError(table.status().ToString().c_str());
    benchmark::DoNotOptimize(table->table);
  }
}

void BM_AuthenticateAuthorize(benchmark::State& state) {
  static Setup* setup = new Setup(std::make_shared<MemoryAccessStore>(), false);
  AuthAndAuthorize(state, *setup, "10.1.2.3");
}
BENCHMARK(BM_AuthenticateAuthorize)->Threads(1)->Threads(2);

void BM_AuthenticateAuthorizeSqlite(benchmark::State& state) {
  static Setup* setup = [] {
    std::string path = std::filesystem::temp_directory_path() / "ds-access-bench.db";
    std::filesystem::remove(path);
    return new Setup(OpenAccessStore("sqlite:" + path).ValueOrDie(), false);
  }();
  AuthAndAuthorize(state, *setup, "10.1.2.3");
}
BENCHMARK(BM_AuthenticateAuthorizeSqlite)->Threads(1)->Threads(2);

void BM_AuthenticateAuthorizeIpAllowList(benchmark::State& state) {
  static Setup* setup =
      new Setup(std::make_shared<MemoryAccessStore>(), false, {"192.168.0.0/16", "10.0.0.0/8"});
  AuthAndAuthorize(state, *setup, "10.1.2.3");
}
BENCHMARK(BM_AuthenticateAuthorizeIpAllowList);

AuditRecord Record(const Principal& p) {
  AuditRecord r;
  r.time_ms = SystemNowMs();
  r.recipient = p.recipient_name();
  r.recipient_id = p.recipient_id();
  r.token_id = p.token_id();
  r.operation = "queryTable";
  r.share = "sales";
  r.schema = "default";
  r.table = "table_42";
  r.version = 7;
  r.files = 12;
  r.status = 200;
  r.client_address = "10.1.2.3";
  r.user_agent = "Delta-Sharing-Python/1.1.0 pandas/2.1.4 PyArrow/14.0.2 Python/3.11.7";
  r.duration_us = 850;
  return r;
}

// Authenticate + Authorize + one audit record queued; the background writer drains the
// queue into the store (memory here, so the sink never falls behind and the figure is the
// request path's own cost; BM_AuditBatchInto* measure the databases' ceilings).
void BM_AuthenticateAuthorizeAudited(benchmark::State& state) {
  static Setup* setup = new Setup(std::make_shared<MemoryAccessStore>(), true);
  for (auto _ : state) {
    auto principal = setup->service->Authenticate(setup->header, "10.1.2.3");
    auto table = setup->service->AuthorizeTable(*principal, "sales", "default", "table_42");
    benchmark::DoNotOptimize(table->table);
    if (!setup->service->audit()->Append(Record(*principal)).ok()) {
      state.SkipWithError("audit queue full");
    }
  }
  state.counters["written"] = static_cast<double>(setup->service->audit()->stats().written);
}
BENCHMARK(BM_AuthenticateAuthorizeAudited)->Threads(1)->Threads(2);

// How fast a store takes batches of audit records (the background writer's ceiling).
void AuditBatchInto(benchmark::State& state, AccessStorePtr store) {
  Setup setup(std::make_shared<MemoryAccessStore>(), false, {}, 1);
  auto principal = setup.service->Authenticate(setup.header, "").ValueOrDie();
  std::vector<AuditRecord> batch(static_cast<size_t>(state.range(0)), Record(principal));
  for (auto _ : state) {
    if (!store->AppendAudit(batch).ok()) state.SkipWithError("append failed");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_AuditBatchIntoSqlite(benchmark::State& state) {
  std::string path = std::filesystem::temp_directory_path() / "ds-access-bench-batch.db";
  std::filesystem::remove(path);
  AuditBatchInto(state, OpenAccessStore("sqlite:" + path).ValueOrDie());
}
BENCHMARK(BM_AuditBatchIntoSqlite)->Arg(1)->Arg(100)->Arg(1000)->UseRealTime();

// Needs $DS_TEST_POSTGRES_URL (test/access/with_postgres.sh sets it).
void BM_AuditBatchIntoPostgres(benchmark::State& state) {
  const char* url = std::getenv("DS_TEST_POSTGRES_URL");
  if (url == nullptr) {
    state.SkipWithError("set DS_TEST_POSTGRES_URL (run under test/access/with_postgres.sh)");
    return;
  }
  AuditBatchInto(state, OpenAccessStore(url).ValueOrDie());
}
BENCHMARK(BM_AuditBatchIntoPostgres)->Arg(1)->Arg(100)->Arg(1000)->UseRealTime();

}  // namespace
}  // namespace ds::access

BENCHMARK_MAIN();
