// Pre-signed URLs per second for each signer, on 1 and 2 threads, against the physical
// limit of one raw MAC / RSA signature of the same size per URL.
//   signing_benchmark --benchmark_min_time=0.5
//
//   BM_S3Presign          SigV4 query signature (canonical hash + HMAC, cached day key)
//   BM_GcsHmacPresign     GOOG4-HMAC-SHA256 (same scheme, X-Goog- parameters)
//   BM_GcsRsaPresign      GOOG4-RSA-SHA256 (one RSA-2048 signature per URL)
//   BM_AzureSasPresign    Azure service SAS (one HMAC)
//   BM_LocalHmacBaseline  a minimal "path?exp&sig" HMAC URL: the floor for any signer
//   BM_RawHmacOneShot     OpenSSL one-shot HMAC() over a string-to-sign-sized message
//   BM_RawHmacPrecomputed HMAC with the key pads absorbed once (what the signers use)
//   BM_RawSha256          the canonical-request hash alone
//   BM_RawRsaSign         one RSA-2048 PKCS#1 v1.5 signature (crypto::RsaPrivateKey)
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <atomic>
#include <memory>
#include <string>

#include "crypto/crypto.h"
#include "httpclient/curl_client.h"
#include "objstore/azure_store.h"
#include "objstore/gcs_store.h"
#include "objstore/s3_store.h"
#include "objstore/signing_util.h"
#include "util/json.h"

namespace ds::objstore {
namespace {

constexpr int64_t kNow = 1718000000000;
// A typical data file key of a partitioned Delta table.
constexpr char kKey[] =
    "date=2024-06-10/part-00042-4d5e6f70-8192-4abc-9def-0123456789ab.c000.snappy.parquet";

httpclient::HttpClientPtr Client() {
  static auto client = httpclient::CurlHttpClient::Make().ValueOrDie();
  return client;
}

std::string RsaPem() {
  static const std::string pem = [] {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(n));
    BIO_free(bio);
    EVP_PKEY_free(key);
    return out;
  }();
  return pem;
}

UrlSignerPtr S3Signer() {
  static UrlSignerPtr signer = [] {
    S3StoreOptions o;
    o.bucket = "delta-share-bucket";
    o.region = "us-west-2";
    o.access_key_id = "AKIAIOSFODNN7EXAMPLE";
    o.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    return S3Store::Make(o, Client()).ValueOrDie()->MakeUrlSigner("warehouse/sales/").ValueOrDie();
  }();
  return signer;
}

UrlSignerPtr GcsSigner(bool rsa) {
  GcsStoreOptions o;
  o.bucket = "delta-share-bucket";
  if (rsa) {
    std::string json;
    JsonWriter w(&json);
    w.BeginObject();
    w.Key("client_email");
    w.String("signer@project.iam.gserviceaccount.com");
    w.Key("private_key");
    w.String(RsaPem());
    w.EndObject();
    o.service_account_json = json;
  } else {
    o.hmac_access_id = "GOOG1EXAMPLEHMACACCESSID";
    o.hmac_secret = "bGAaxAMPLEhmacSECRETkeyEXAMPLE";
  }
  return GcsStore::Make(o, Client()).ValueOrDie()->MakeUrlSigner("warehouse/sales/").ValueOrDie();
}

UrlSignerPtr AzureSigner() {
  static UrlSignerPtr signer = [] {
    AzureStoreOptions o;
    o.account = "deltashareacct";
    o.container = "lake";
    o.account_key =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    return AzureBlobStore::Make(o, Client())
        .ValueOrDie()
        ->MakeUrlSigner("warehouse/sales/")
        .ValueOrDie();
  }();
  return signer;
}

void RunSigner(benchmark::State& state, const UrlSigner& signer) {
  PresignedUrl out;  // reused: the steady state allocates nothing
  int64_t now = kNow;
  for (auto _ : state) {
    if (!signer.PresignAt(kKey, 3600, now++, &out).ok()) state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(out.url.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["url_bytes"] = static_cast<double>(out.url.size());
}

void BM_S3Presign(benchmark::State& state) { RunSigner(state, *S3Signer()); }
void BM_GcsHmacPresign(benchmark::State& state) {
  static UrlSignerPtr signer = GcsSigner(false);
  RunSigner(state, *signer);
}
void BM_GcsRsaPresign(benchmark::State& state) {
  static UrlSignerPtr signer = GcsSigner(true);
  RunSigner(state, *signer);
}
void BM_AzureSasPresign(benchmark::State& state) { RunSigner(state, *AzureSigner()); }

void BM_LocalHmacBaseline(benchmark::State& state) {
  static const HmacSha256Key key("a 32-byte server signing secret!");
  std::string url;
  int64_t now = kNow;
  for (auto _ : state) {
    url.assign("https://sharing.example.com/files/t/");
    url.append(kKey);
    url.append("?exp=");
    url.append(std::to_string(now++ / 1000 + 3600));
    uint8_t mac[Sha256::kSize];
    key.Sign(url, mac);
    url.append("&sig=");
    AppendHex(mac, sizeof(mac), &url);
    benchmark::DoNotOptimize(url.data());
  }
  state.SetItemsProcessed(state.iterations());
}

// ~the size of a SigV4 string-to-sign / canonical request.
const std::string kStringToSign(150, 's');
const std::string kCanonical(420, 'c');

void BM_RawHmacOneShot(benchmark::State& state) {
  const std::string key(32, 'k');
  for (auto _ : state) benchmark::DoNotOptimize(crypto::HmacSha256(key, kStringToSign));
  state.SetItemsProcessed(state.iterations());
}

void BM_RawHmacPrecomputed(benchmark::State& state) {
  static const HmacSha256Key key(std::string(32, 'k'));
  uint8_t mac[Sha256::kSize];
  for (auto _ : state) {
    key.Sign(kStringToSign, mac);
    benchmark::DoNotOptimize(mac);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RawSha256(benchmark::State& state) {
  uint8_t digest[Sha256::kSize];
  for (auto _ : state) {
    Sha256 h;
    h.Update(kCanonical);
    h.Final(digest);
    benchmark::DoNotOptimize(digest);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RawRsaSign(benchmark::State& state) {
  static auto key = crypto::RsaPrivateKey::FromPem(RsaPem()).ValueOrDie();
  for (auto _ : state) benchmark::DoNotOptimize(key->SignSha256(kStringToSign));
  state.SetItemsProcessed(state.iterations());
}

#define DS_SIGNING_BENCH(fn) BENCHMARK(fn)->Threads(1)->Threads(2)->UseRealTime()
DS_SIGNING_BENCH(BM_S3Presign);
DS_SIGNING_BENCH(BM_GcsHmacPresign);
DS_SIGNING_BENCH(BM_GcsRsaPresign);
DS_SIGNING_BENCH(BM_AzureSasPresign);
DS_SIGNING_BENCH(BM_LocalHmacBaseline);
DS_SIGNING_BENCH(BM_RawHmacOneShot);
DS_SIGNING_BENCH(BM_RawHmacPrecomputed);
DS_SIGNING_BENCH(BM_RawSha256);
DS_SIGNING_BENCH(BM_RawRsaSign);

}  // namespace
}  // namespace ds::objstore

BENCHMARK_MAIN();
