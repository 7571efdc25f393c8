// AzureBlobStore and its SAS URLs against Azurite (which verifies Shared Key and SAS
// signatures).
#include "objstore/azure_store.h"

#include "httpclient/curl_client.h"
#include "objstore/store_conformance.h"
#include "test/objstore/child_process.h"
#include "test/testing/testing.h"
#include "util/string_util.h"

namespace ds::objstore {
namespace {

using httpclient::HttpRequest;
using httpclient::HttpResponse;

// Azurite's well-known development account.
constexpr char kAccount[] = "devstoreaccount1";
constexpr char kKey[] =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

const std::vector<std::string> kOddKeys = {
    "plain.parquet",
    "dir/with space/file name.parquet",
    "percent%25/100%.json",
    "plus+sign/a+b.parquet",
    "date=2024-01-01/hour=00/part-0.parquet",
    "tilde~/x~y.json",
    "unicode/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.parquet",
    "symbols/!$&'()*,;:@[]^`{|}.bin",
};

std::shared_ptr<httpclient::HttpClient> Client(int attempts = 2) {
  httpclient::HttpClientOptions o;
  o.retry.max_attempts = attempts;
  o.retry.initial_backoff_ms = 10;
  return httpclient::CurlHttpClient::Make(o).ValueOrDie();
}

TEST(AzureSasTest, UrlLayoutAndExpiry) {
  AzureStoreOptions o;
  o.account = "myaccount";
  o.container = "lake";
  o.account_key = kKey;
  auto store = AzureBlobStore::Make(o, Client()).ValueOrDie();
  ASSERT_OK_AND_ASSIGN(UrlSignerPtr signer, store->MakeUrlSigner("tables/t1"));
  PresignedUrl out;
  ASSERT_OK(signer->PresignAt("part=1/a b.parquet", 3600, 1718000000999, &out));
  EXPECT_TRUE(StartsWith(out.url,
                         "https://myaccount.blob.core.windows.net/lake/tables/t1/part%3D1/"
                         "a%20b.parquet?sv=2023-11-03&spr=https&se=2024-06-10T07%3A13%3A20Z&"
                         "sr=b&sp=r&sig="))
      << out.url;
  EXPECT_EQ(out.expiration_ms, 1718003600000);
  const std::string sig = out.url.substr(out.url.find("&sig=") + 5);
  EXPECT_EQ(sig.find_first_of("+/="), std::string::npos);  // base64 is URL-encoded
  ASSERT_RAISES(kInvalidArgument, signer->PresignAt("../x", 60, 0, &out));
  ASSERT_RAISES(kInvalidArgument, signer->PresignAt("x", 0, 0, &out));
  EXPECT_EQ(store->Uri("t/x"), "abfss://lake@myaccount.dfs.core.windows.net/t/x");

  AzureStoreOptions bad = o;
  bad.account_key = "not base64!";
  ASSERT_RAISES(kInvalidArgument, AzureBlobStore::Make(bad, Client()));
  bad = o;
  bad.container = "Upper";
  ASSERT_RAISES(kInvalidArgument, AzureBlobStore::Make(bad, Client()));
  bad = o;
  bad.account_key.clear();
  ASSERT_RAISES(kFailedPrecondition,
                AzureBlobStore::Make(bad, Client()).ValueOrDie()->MakeUrlSigner(""));
}

class AzuriteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::HasNodePackage("azurite")) return;
    auto started = testing::StartLocalServer(
        {"/usr/bin/node", (testing::RepoDir() / "test/objstore/start_azurite.cjs").string()});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = new testing::LocalServer(std::move(started).value());
    for (const char* container : {"lake", "other"}) ASSERT_OK(CreateContainer(container));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr)
      GTEST_SKIP() << "azurite not installed (run scripts/install-oracles.sh)";
  }
  static std::string Endpoint() {
    return "http://127.0.0.1:" + std::to_string(server_->port) + "/" + kAccount;
  }
  static Status CreateContainer(const std::string& name) {
    ASSIGN_OR_RETURN(auto key, AzureSharedKey::Make(kAccount, kKey));
    HttpRequest req;
    req.method = httpclient::HttpMethod::kPut;
    req.url = Endpoint() + "/" + name + "?restype=container";
    RETURN_NOT_OK(key->SignRequest(&req, SystemClockMs()));
    ASSIGN_OR_RETURN(HttpResponse resp, Client()->Send(req));
    if (resp.status != 201) return Status::IOError("create container: " + resp.body);
    return Status::OK();
  }
  static AzureStoreOptions Options(const std::string& container = "lake") {
    AzureStoreOptions o;
    o.account = kAccount;
    o.container = container;
    o.account_key = kKey;
    o.endpoint = Endpoint();
    return o;
  }
  static std::shared_ptr<AzureBlobStore> Store(AzureStoreOptions o = Options()) {
    return AzureBlobStore::Make(std::move(o), Client()).ValueOrDie();
  }
  static Result<HttpResponse> Download(const std::string& url) {
    HttpRequest req;
    req.url = url;
    return Client(1)->Send(req);
  }

  static testing::LocalServer* server_;
};
testing::LocalServer* AzuriteTest::server_ = nullptr;

TEST_F(AzuriteTest, Conformance) {
  auto store = Store();
  conformance::CheckConformance(store.get(), "conformance/");
  conformance::CheckConformance(store.get(), "");
}

TEST_F(AzuriteTest, OddKeysRoundTripAndList) {
  auto store = Store();
  for (const auto& key : kOddKeys) ASSERT_OK(store->Put("odd/" + key, key));
  for (const auto& key : kOddKeys) {
    ASSERT_OK_AND_ASSIGN(std::string got, store->Get("odd/" + key));
    EXPECT_EQ(got, key);
    ASSERT_OK_AND_ASSIGN(ObjectMeta meta, store->Head("odd/" + key));
    EXPECT_EQ(meta.size, static_cast<int64_t>(key.size()));
  }
  ListOptions rec;
  rec.recursive = true;
  ASSERT_OK_AND_ASSIGN(auto listed, store->List("odd/", rec));
  std::vector<std::string> expected;
  for (const auto& key : kOddKeys) expected.push_back("odd/" + key);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(conformance::Keys(listed), expected);
  for (const auto& key : kOddKeys) ASSERT_OK(store->Delete("odd/" + key));
}

TEST_F(AzuriteTest, ListingPaginates) {
  AzureStoreOptions o = Options();
  o.list_page_size = 2;
  auto store = Store(o);
  for (int i = 0; i < 7; ++i) ASSERT_OK(store->Put("pages/f" + std::to_string(i), "x"));
  ASSERT_OK(store->Put("pages/sub/deep", "x"));
  ASSERT_OK_AND_ASSIGN(auto all, store->List("pages"));
  EXPECT_EQ(all.size(), 7u);
  ListOptions after;
  after.start_after = "pages/f3";
  ASSERT_OK_AND_ASSIGN(auto tail, store->List("pages/", after));
  EXPECT_EQ(conformance::Keys(tail),
            (std::vector<std::string>{"pages/f4", "pages/f5", "pages/f6"}));
  ListOptions rec;
  rec.recursive = true;
  rec.limit = 5;
  ASSERT_OK_AND_ASSIGN(auto limited, store->List("pages/", rec));
  EXPECT_EQ(limited.size(), 5u);
  rec.limit = 0;
  ASSERT_OK_AND_ASSIGN(auto everything, store->List("pages/", rec));
  EXPECT_EQ(everything.size(), 8u);
  for (const auto& m : everything) ASSERT_OK(store->Delete(m.key));
}

TEST_F(AzuriteTest, SasUrlsAreAcceptedAndTamperingIsRejected) {
  auto store = Store();
  ASSERT_OK(store->Put("t/part-0.parquet", "parquet bytes"));
  ASSERT_OK(store->Put("t/secret.parquet", "other bytes"));
  for (const auto& key : kOddKeys) ASSERT_OK(store->Put("t/" + key, "odd:" + key));
  ASSERT_OK_AND_ASSIGN(UrlSignerPtr signer, store->MakeUrlSigner("t/"));

  ASSERT_OK_AND_ASSIGN(PresignedUrl url, signer->Presign("part-0.parquet", 600));
  ASSERT_OK_AND_ASSIGN(HttpResponse ok, Download(url.url));
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.body, "parquet bytes");
  for (const auto& key : kOddKeys) {
    ASSERT_OK_AND_ASSIGN(PresignedUrl odd, signer->Presign(key, 600));
    ASSERT_OK_AND_ASSIGN(HttpResponse r, Download(odd.url));
    EXPECT_EQ(r.status, 200) << key << ": " << r.body;
    EXPECT_EQ(r.body, "odd:" + key);
  }
  auto expect_refused = [&](const std::string& tampered) {
    ASSERT_OK_AND_ASSIGN(HttpResponse r, Download(tampered));
    EXPECT_EQ(r.status, 403) << tampered << ": " << r.body;
    // Azurite answers every refused SAS with AuthorizationFailure (real Azure: mostly
    // AuthenticationFailed).
    EXPECT_NE(r.body.find("Authorization"), std::string::npos) << r.body;
  };
  std::string other_key = url.url;
  other_key.replace(other_key.find("part-0.parquet"), 14, "secret.parquet");
  expect_refused(other_key);
  std::string later = url.url;
  const size_t se = later.find("&se=") + 4;
  later[se + 3] = later[se + 3] == '9' ? '8' : '9';  // another year
  expect_refused(later);
  std::string write = url.url;
  write.replace(write.find("sp=r"), 4, "sp=rw");
  expect_refused(write);
  std::string bad_sig = url.url;
  const size_t sig = bad_sig.find("&sig=") + 5;
  bad_sig[sig] = bad_sig[sig] == 'A' ? 'B' : 'A';
  expect_refused(bad_sig);
  PresignedUrl expired;
  ASSERT_OK(signer->PresignAt("part-0.parquet", 60, SystemClockMs() - 3600 * 1000, &expired));
  expect_refused(expired.url);
  // A SAS grants reads only.
  HttpRequest put;
  put.method = httpclient::HttpMethod::kPut;
  put.url = url.url;
  put.body = "overwrite";
  put.headers.Set("x-ms-blob-type", "BlockBlob");
  ASSERT_OK_AND_ASSIGN(HttpResponse refused_put, Client(1)->Send(put));
  EXPECT_EQ(refused_put.status, 403) << refused_put.body;
  EXPECT_EQ(store->Get("t/part-0.parquet").ValueOr(""), "parquet bytes");
}

TEST_F(AzuriteTest, ErrorsMapToStatusCodes) {
  AzureStoreOptions wrong = Options();
  wrong.account_key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  auto bad_key = Store(wrong);
  ASSERT_RAISES(kPermissionDenied, bad_key->Get("x"));
  ASSERT_RAISES(kPermissionDenied, bad_key->Put("x", "y"));
  auto missing = Store(Options("no-such-container"));
  auto listed = missing->List("");
  EXPECT_EQ(listed.status().code(), StatusCode::kNotFound) << listed.status();
  EXPECT_NE(listed.status().message().find("ContainerNotFound"), std::string::npos);
  ASSERT_RAISES(kNotFound, Store()->Head("missing/blob"));
  AzureStoreOptions down = Options();
  down.endpoint = "http://127.0.0.1:1/devstoreaccount1";
  ASSERT_RAISES(kUnavailable, Store(down)->Get("x"));
}

TEST_F(AzuriteTest, RangedReadsThroughOpenRead) {
  auto store = Store();
  std::string data;
  for (int i = 0; i < 100000; ++i) data.push_back(static_cast<char>('a' + i % 26));
  ASSERT_OK(store->Put("ranged/blob.bin", data));
  ASSERT_OK_AND_ASSIGN(io::RandomAccessFilePtr file, store->OpenRead("ranged/blob.bin"));
  EXPECT_EQ(file->size(), 100000);
  ASSERT_OK_AND_ASSIGN(Buffer buf, file->ReadAt(50000, 26));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf.data()), buf.size()),
            data.substr(50000, 26));
  ASSERT_RAISES(kOutOfRange, file->ReadAt(99995, 10));
  ASSERT_RAISES(kOutOfRange, store->GetRange("ranged/blob.bin", 100001, 0));
  ASSERT_RAISES(kNotFound, store->GetRange("ranged/missing.bin", 0, 5));
  ASSERT_OK(store->Delete("ranged/blob.bin"));
}

}  // namespace
}  // namespace ds::objstore
