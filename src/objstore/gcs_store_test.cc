// GCS V4 signed URLs against @google-cloud/storage's getSignedUrl, and GcsStore against a
// local fake XML API that verifies signatures on its own (test/objstore/fake_gcs.cjs). No
// GCS emulator checks signatures, so the store's requests are proven only against that fake.
#include "objstore/gcs_store.h"

#include <cstdlib>
#include <fstream>

#include "httpclient/curl_client.h"
#include "objstore/store_conformance.h"
#include "test/objstore/child_process.h"
#include "test/testing/testing.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::objstore {
namespace {

using httpclient::HttpRequest;
using httpclient::HttpResponse;

constexpr char kEmail[] = "sharing-signer@deltashare-test.iam.gserviceaccount.com";
constexpr int64_t kJan1_2030 = 1893456000000;

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

// A throw-away service account key (RSA 2048 from the openssl CLI), as a key file's JSON.
class ServiceAccount {
 public:
  ServiceAccount() {
    const std::string pem_path = dir_.Join("key.pem");
    ok_ = std::system(("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " +
                       pem_path + " 2>/dev/null")
                          .c_str()) == 0;
    if (!ok_) return;
    const std::string pem = io::ReadFileToString(pem_path).ValueOr("");
    JsonWriter w(&json_);
    w.BeginObject();
    w.Key("type");
    w.String("service_account");
    w.Key("client_email");
    w.String(kEmail);
    w.Key("private_key");
    w.String(pem);
    w.EndObject();
    ok_ = io::WriteStringToFile(path(), json_).ok();
  }
  bool ok() const { return ok_; }
  const std::string& json() const { return json_; }
  std::string path() const { return dir_.Join("sa.json"); }

 private:
  testing::TempDir dir_;
  std::string json_;
  bool ok_ = false;
};

TEST(GcsKeyTest, ParsesKeyFiles) {
  ASSERT_OK_AND_ASSIGN(GcsServiceAccountKey key,
                       ParseGcsServiceAccountKey(R"({"type":"service_account","client_email":"a@b",
                                                    "private_key":"PEM","project_id":"p"})"));
  EXPECT_EQ(key.client_email, "a@b");
  EXPECT_EQ(key.private_key_pem, "PEM");
  ASSERT_RAISES(kInvalidArgument, ParseGcsServiceAccountKey("not json"));
  ASSERT_RAISES(kInvalidArgument, ParseGcsServiceAccountKey(R"({"client_email":"a@b"})"));
  ASSERT_RAISES(kInvalidArgument,
                ParseGcsServiceAccountKey(R"({"type":"authorized_user","client_email":"a",
                                             "private_key":"k"})"));
  GcsStoreOptions o;
  o.bucket = "b";
  o.service_account_json = R"({"client_email":"a@b","private_key":"not a pem"})";
  ASSERT_RAISES(kInvalidArgument, GcsStore::Make(o, Client()));
  o.service_account_json.clear();
  ASSERT_RAISES(kInvalidArgument, GcsStore::Make(o, Client()));  // no credentials
  o.hmac_access_id = "GOOG1EXAMPLE";
  ASSERT_RAISES(kInvalidArgument, GcsStore::Make(o, Client()));  // no secret
  o.hmac_secret = "secret";
  o.bucket = "Bad_Bucket";
  ASSERT_RAISES(kInvalidArgument, GcsStore::Make(o, Client()));
}

TEST(GcsSignerTest, UrlsEqualGoogleCloudStorageLibrary) {
  if (!testing::HasNodePackage("@google-cloud/storage")) {
    GTEST_SKIP() << "@google-cloud/storage not installed (run scripts/install-oracles.sh)";
  }
  ServiceAccount sa;
  if (!sa.ok()) GTEST_SKIP() << "openssl CLI not available";
  testing::TempDir dir;
  std::string input;
  JsonWriter w(&input);
  w.BeginObject();
  w.Key("key");
  {
    auto key = ParseGcsServiceAccountKey(sa.json()).ValueOrDie();
    w.BeginObject();
    w.Key("client_email");
    w.String(key.client_email);
    w.Key("private_key");
    w.String(key.private_key_pem);
    w.EndObject();
  }
  w.Key("bucket");
  w.String("delta-lake-bucket");
  w.Key("names");
  w.BeginArray();
  for (const auto& k : kOddKeys) w.String("tables/t1/" + k);
  w.EndArray();
  w.Key("accessibleAtMs");
  w.Int(kJan1_2030);
  w.Key("expiresSeconds");
  w.Int(3600);
  w.EndObject();
  ASSERT_OK(io::WriteStringToFile(dir.Join("in.json"), input));
  const std::string cmd = "/usr/bin/node " +
                          (testing::RepoDir() / "test/objstore/gcs_sign.cjs").string() + " < " +
                          dir.Join("in.json") + " > " + dir.Join("out.txt");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream f(dir.Join("out.txt"));
  std::vector<std::string> expected;
  for (std::string line; std::getline(f, line);) expected.push_back(line);
  ASSERT_EQ(expected.size(), kOddKeys.size());

  GcsStoreOptions o;
  o.bucket = "delta-lake-bucket";
  o.service_account_json = sa.json();
  auto store = GcsStore::Make(o, Client()).ValueOrDie();
  ASSERT_OK_AND_ASSIGN(UrlSignerPtr signer, store->MakeUrlSigner("tables/t1/"));
  for (size_t i = 0; i < kOddKeys.size(); ++i) {
    PresignedUrl ours;
    ASSERT_OK(signer->PresignAt(kOddKeys[i], 3600, kJan1_2030 + 456, &ours));
    EXPECT_EQ(ours.url, expected[i]) << kOddKeys[i];
    EXPECT_EQ(ours.expiration_ms, kJan1_2030 + 3600 * 1000);
  }
}

class FakeGcsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sa_ = new ServiceAccount();
    if (!sa_->ok()) return;
    auto started = testing::StartLocalServer(
        {"/usr/bin/node", (testing::RepoDir() / "test/objstore/fake_gcs.cjs").string(),
         "--key-file", sa_->path(), "--hmac", "GOOG1EHMACKEYEXAMPLE:hmac/secret+key", "bucket"});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = new testing::LocalServer(std::move(started).value());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete sa_;
    sa_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr) GTEST_SKIP() << "openssl CLI not available for a test key";
  }
  static GcsStoreOptions Options(bool hmac = false) {
    GcsStoreOptions o;
    o.bucket = "bucket";
    o.endpoint = "http://127.0.0.1:" + std::to_string(server_->port);
    if (hmac) {
      o.hmac_access_id = "GOOG1EHMACKEYEXAMPLE";
      o.hmac_secret = "hmac/secret+key";
    } else {
      o.service_account_json = sa_->json();
    }
    return o;
  }
  static std::shared_ptr<GcsStore> Store(GcsStoreOptions o) {
    return GcsStore::Make(std::move(o), Client()).ValueOrDie();
  }
  static Result<HttpResponse> Download(const std::string& url) {
    HttpRequest req;
    req.url = url;
    return Client(1)->Send(req);
  }

  static ServiceAccount* sa_;
  static testing::LocalServer* server_;
};
ServiceAccount* FakeGcsTest::sa_ = nullptr;
testing::LocalServer* FakeGcsTest::server_ = nullptr;

TEST_F(FakeGcsTest, ConformanceWithServiceAccountAndHmacKeys) {
  conformance::CheckConformance(Store(Options()).get(), "rsa/");
  conformance::CheckConformance(Store(Options(/*hmac=*/true)).get(), "hmac/");
}

TEST_F(FakeGcsTest, OddKeysAndPagination) {
  GcsStoreOptions o = Options(true);
  o.list_page_size = 3;
  auto store = Store(o);
  for (const auto& key : kOddKeys) ASSERT_OK(store->Put("odd/" + key, key));
  for (const auto& key : kOddKeys) EXPECT_EQ(store->Get("odd/" + key).ValueOr(""), key);
  ListOptions rec;
  rec.recursive = true;
  ASSERT_OK_AND_ASSIGN(auto listed, store->List("odd/", rec));
  std::vector<std::string> expected;
  for (const auto& key : kOddKeys) expected.push_back("odd/" + key);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(conformance::Keys(listed), expected);
  ListOptions after;
  after.recursive = true;
  after.start_after = expected[3];
  ASSERT_OK_AND_ASSIGN(auto tail, store->List("odd/", after));
  EXPECT_EQ(tail.size(), expected.size() - 4);
  for (const auto& key : kOddKeys) ASSERT_OK(store->Delete("odd/" + key));
}

TEST_F(FakeGcsTest, SignedUrlsAreAcceptedAndTamperingIsRejected) {
  for (bool hmac : {false, true}) {
    auto store = Store(Options(hmac));
    ASSERT_OK(store->Put("t/part-0.parquet", "parquet bytes"));
    ASSERT_OK(store->Put("t/secret.parquet", "other bytes"));
    ASSERT_OK_AND_ASSIGN(UrlSignerPtr signer, store->MakeUrlSigner("t/"));
    for (const auto& key : kOddKeys) {
      ASSERT_OK(store->Put("t/" + key, "odd:" + key));
      ASSERT_OK_AND_ASSIGN(PresignedUrl odd, signer->Presign(key, 600));
      ASSERT_OK_AND_ASSIGN(HttpResponse r, Download(odd.url));
      EXPECT_EQ(r.status, 200) << key << ": " << r.body;
      EXPECT_EQ(r.body, "odd:" + key);
    }
    ASSERT_OK_AND_ASSIGN(PresignedUrl url, signer->Presign("part-0.parquet", 600));
    ASSERT_OK_AND_ASSIGN(HttpResponse ok, Download(url.url));
    EXPECT_EQ(ok.body, "parquet bytes");
    auto expect_refused = [&](const std::string& tampered, int status, const std::string& code) {
      ASSERT_OK_AND_ASSIGN(HttpResponse r, Download(tampered));
      EXPECT_EQ(r.status, status) << tampered;
      EXPECT_NE(r.body.find(code), std::string::npos) << r.body;
    };
    std::string other = url.url;
    other.replace(other.find("part-0.parquet"), 14, "secret.parquet");
    expect_refused(other, 403, "SignatureDoesNotMatch");
    std::string longer = url.url;
    longer.replace(longer.find("X-Goog-Expires=600"), 18, "X-Goog-Expires=900");
    expect_refused(longer, 403, "SignatureDoesNotMatch");
    std::string bad_sig = url.url;
    bad_sig.back() = bad_sig.back() == '0' ? '1' : '0';
    expect_refused(bad_sig, 403, "SignatureDoesNotMatch");
    PresignedUrl expired;
    ASSERT_OK(signer->PresignAt("part-0.parquet", 60, SystemClockMs() - 3600 * 1000, &expired));
    expect_refused(expired.url, 400, "ExpiredToken");
  }
}

TEST_F(FakeGcsTest, ErrorsAndRanges) {
  GcsStoreOptions wrong = Options(true);
  wrong.hmac_secret = "not-the-secret";
  ASSERT_RAISES(kPermissionDenied, Store(wrong)->Get("x"));
  GcsStoreOptions missing = Options(true);
  missing.bucket = "no-such-bucket";
  ASSERT_RAISES(kNotFound, Store(missing)->List(""));
  auto store = Store(Options());
  std::string data(70000, 'z');
  data[69999] = 'e';
  ASSERT_OK(store->Put("r/blob", data));
  ASSERT_OK_AND_ASSIGN(io::RandomAccessFilePtr file, store->OpenRead("r/blob"));
  for (int i = 0; i < 3; ++i) {  // reuses one signed URL
    ASSERT_OK_AND_ASSIGN(Buffer tail, file->ReadAt(69990, 10));
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(tail.data()), 10), "zzzzzzzzze");
  }
  ASSERT_RAISES(kOutOfRange, store->GetRange("r/blob", 69995, 10));
  ASSERT_RAISES(kNotFound, store->GetRange("r/none", 0, 1));
  ASSERT_OK(store->Delete("r/blob"));
}

}  // namespace
}  // namespace ds::objstore
