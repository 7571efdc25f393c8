// Location parsing, credentials from the environment, the store registry, and rooted
// stores (against s3rver and Azurite when installed).
#include "objstore/location.h"

#include <map>

#include "httpclient/curl_client.h"
#include "objstore/azure_store.h"
#include "objstore/memory_store.h"
#include "objstore/prefix_store.h"
#include "objstore/store_conformance.h"
#include "test/objstore/child_process.h"
#include "test/testing/testing.h"
#include "util/string_util.h"

namespace ds::objstore {
namespace {

TEST(ParseLocationTest, CloudSchemes) {
  struct Case {
    const char* uri;
    LocationScheme scheme;
    const char* bucket;
    const char* root;
    const char* canonical;
  };
  const Case cases[] = {
      {"s3://bucket/tables/t1", LocationScheme::kS3, "bucket", "tables/t1/",
       "s3://bucket/tables/t1"},
      {"s3a://bucket/tables//t1/", LocationScheme::kS3, "bucket", "tables/t1/",
       "s3://bucket/tables/t1"},
      {"s3n://bucket", LocationScheme::kS3, "bucket", "", "s3://bucket"},
      {"S3A://bucket/", LocationScheme::kS3, "bucket", "", "s3://bucket"},
      {"gs://gbucket/a/date=2024-01-01/x y", LocationScheme::kGcs, "gbucket",
       "a/date=2024-01-01/x y/", "gs://gbucket/a/date=2024-01-01/x y"},
      {"s3://b/a%20b", LocationScheme::kS3, "b", "a%20b/", "s3://b/a%20b"},
      {"abfss://lake@acct.dfs.core.windows.net/t/x", LocationScheme::kAzure, "lake", "t/x/",
       "abfss://lake@acct.dfs.core.windows.net/t/x"},
      {"abfs://lake@ACCT.dfs.core.windows.net/t", LocationScheme::kAzure, "lake", "t/",
       "abfss://lake@acct.dfs.core.windows.net/t"},
      {"wasbs://lake@acct.blob.core.windows.net/t", LocationScheme::kAzure, "lake", "t/",
       "wasbs://lake@acct.blob.core.windows.net/t"},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(ParsedLocation loc, ParseLocation(c.uri));
    EXPECT_EQ(loc.scheme, c.scheme) << c.uri;
    EXPECT_EQ(loc.bucket, c.bucket) << c.uri;
    EXPECT_EQ(loc.root, c.root) << c.uri;
    EXPECT_EQ(loc.canonical_uri, c.canonical) << c.uri;
  }
  ASSERT_OK_AND_ASSIGN(ParsedLocation adls, ParseLocation("abfss://c@acct.dfs.core.windows.net"));
  EXPECT_EQ(adls.account, "acct");
  EXPECT_EQ(adls.blob_host, "acct.blob.core.windows.net");
  ASSERT_OK_AND_ASSIGN(ParsedLocation china,
                       ParseLocation("abfss://c@acct.dfs.core.chinacloudapi.cn/t"));
  EXPECT_EQ(china.blob_host, "acct.blob.core.chinacloudapi.cn");
}

TEST(ParseLocationTest, LocalPaths) {
  for (const char* uri :
       {"/data/tables/t1", "/data/tables/t1/", "file:///data/tables/t1", "file:/data/tables/t1",
        "file://localhost/data/tables/t1", "/data/./tables/x/../t1"}) {
    ASSERT_OK_AND_ASSIGN(ParsedLocation loc, ParseLocation(uri));
    EXPECT_EQ(loc.scheme, LocationScheme::kLocal) << uri;
    EXPECT_EQ(loc.root, "/data/tables/t1") << uri;
    EXPECT_EQ(loc.canonical_uri, "file:///data/tables/t1") << uri;
  }
  ASSERT_OK_AND_ASSIGN(ParsedLocation rel, ParseLocation("relative/t1"));
  EXPECT_EQ(rel.root, (std::filesystem::current_path() / "relative/t1").string());
}

TEST(ParseLocationTest, RejectsMalformedOrEscapingLocations) {
  for (const char* bad :
       {"", "   s3://b/x", "ftp://host/x", "s3://", "s3:///path", "s3://b/../other", "s3://b/a/./c",
        "gs://b/x/..", "s3://user@b/x", "s3://b:9000/x", "abfss://acct.dfs.core.windows.net/x",
        "abfss://@acct.dfs.core.windows.net/x", "abfss://c@nodot/x", "file://otherhost/x",
        "http://example.com/t", "mailto:x"}) {
    EXPECT_EQ(ParseLocation(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ParseLocation(std::string("s3://b/a\0b", 10)).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(CredentialsTest, FromTheEnvironment) {
  std::map<std::string, std::string> env = {
      {"AWS_ACCESS_KEY_ID", "AKID"},
      {"AWS_SECRET_ACCESS_KEY", "SECRET"},
      {"AWS_SESSION_TOKEN", "TOKEN"},
      {"AWS_DEFAULT_REGION", "eu-west-1"},
      {"AWS_ENDPOINT_URL", "http://minio:9000"},
      {"AZURE_STORAGE_CONNECTION_STRING",
       "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;"
       "EndpointSuffix=core.usgovcloudapi.net"},
      {"AZURE_STORAGE_ACCOUNT", "second"},
      {"AZURE_STORAGE_KEY", "c2Vjb25k"},
      {"GOOGLE_APPLICATION_CREDENTIALS", "/keys/sa.json"},
  };
  auto getenv = [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  StorageCredentials creds;
  creds.s3.region = "us-west-2";  // configured values win
  ASSERT_OK(creds.FillFromEnvironment(getenv));
  EXPECT_EQ(creds.s3.access_key_id, "AKID");
  EXPECT_EQ(creds.s3.secret_access_key, "SECRET");
  EXPECT_EQ(creds.s3.session_token, "TOKEN");
  EXPECT_EQ(creds.s3.region, "us-west-2");
  EXPECT_EQ(creds.s3.endpoint, "http://minio:9000");
  EXPECT_EQ(creds.azure.accounts["acct"].key, "a2V5");
  EXPECT_EQ(creds.azure.accounts["acct"].endpoint, "https://acct.blob.core.usgovcloudapi.net");
  EXPECT_EQ(creds.azure.accounts["second"].key, "c2Vjb25k");
  EXPECT_EQ(creds.gcs.service_account_key_file, "/keys/sa.json");

  env = {{"AZURE_STORAGE_CONNECTION_STRING", "garbage"}};
  StorageCredentials bad;
  ASSERT_RAISES(kInvalidArgument, bad.FillFromEnvironment(getenv));
  ASSERT_OK_AND_ASSIGN(auto dev, ParseAzureConnectionString("UseDevelopmentStorage=true"));
  EXPECT_EQ(dev.first, "devstoreaccount1");
  EXPECT_EQ(dev.second.endpoint, "http://127.0.0.1:10000/devstoreaccount1");
  ASSERT_RAISES(kInvalidArgument, ParseAzureConnectionString("AccountKey=x"));
  EXPECT_EQ(ParseS3AddressingStyle("PATH").ValueOr(S3AddressingStyle::kAuto),
            S3AddressingStyle::kPath);
  ASSERT_RAISES(kInvalidArgument, ParseS3AddressingStyle("sideways"));
}

TEST(PrefixStoreTest, ConformanceAndNoEscape) {
  auto inner = std::make_shared<MemoryStore>();
  ASSERT_OK(inner->Put("tables/t0/x", "neighbour"));
  ASSERT_OK_AND_ASSIGN(auto rooted, PrefixStore::Make(inner, "tables/t1"));
  conformance::CheckConformance(rooted.get(), "");
  conformance::CheckConformance(rooted.get(), "sub/");
  ASSERT_OK(rooted->Put("_delta_log/0.json", "{}"));
  EXPECT_TRUE(inner->Head("tables/t1/_delta_log/0.json").ok());
  ASSERT_RAISES(kInvalidArgument, rooted->Get("../t0/x"));
  ASSERT_RAISES(kInvalidArgument, rooted->List("../"));
  EXPECT_EQ(rooted->Uri("a"), inner->Uri("tables/t1/a"));
  ListOptions after;
  after.start_after = "_delta_log/";
  ASSERT_OK_AND_ASSIGN(auto listed, rooted->List("_delta_log/", after));
  EXPECT_EQ(conformance::Keys(listed), std::vector<std::string>{"_delta_log/0.json"});
  ASSERT_RAISES(kInvalidArgument, PrefixStore::Make(inner, "../x/"));
}

TEST(StoreRegistryTest, SharesBucketStores) {
  StorageCredentials creds;
  creds.s3.access_key_id = "AKID";
  creds.s3.secret_access_key = "SECRET";
  creds.azure.accounts["acct"].key = "a2V5";
  ASSERT_OK_AND_ASSIGN(auto registry, StoreRegistry::Make(creds));
  ASSERT_OK_AND_ASSIGN(Location a, registry->Resolve("s3://bucket/t/a"));
  ASSERT_OK_AND_ASSIGN(Location b, registry->Resolve("s3a://bucket/t/b"));
  ASSERT_OK_AND_ASSIGN(Location c, registry->Resolve("s3://other/t"));
  EXPECT_EQ(a.bucket_store, b.bucket_store);
  EXPECT_NE(a.bucket_store, c.bucket_store);
  ASSERT_OK_AND_ASSIGN(Location z, registry->Resolve("abfss://lake@acct.dfs.core.windows.net/t"));
  ASSERT_OK_AND_ASSIGN(Location w, registry->Resolve("wasbs://lake@acct.blob.core.windows.net/u"));
  EXPECT_EQ(z.bucket_store, w.bucket_store);  // the same container through either endpoint
  EXPECT_EQ(registry->bucket_store_count(), 3u);
  EXPECT_EQ(a.store->Uri("_delta_log/0.json"), "s3://bucket/t/a/_delta_log/0.json");
  ASSERT_NE(a.signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PresignedUrl url, a.signer->Presign("part-0.parquet", 60));
  EXPECT_TRUE(StartsWith(url.url, "https://bucket.s3.amazonaws.com/t/a/part-0.parquet?"));
  ASSERT_NE(z.signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PresignedUrl sas, z.signer->Presign("p.parquet", 60));
  EXPECT_TRUE(StartsWith(sas.url, "https://acct.blob.core.windows.net/lake/t/p.parquet?sv="));
  // No key for that Azure account: anonymous store, no signer. No GCS credentials: refused.
  ASSERT_OK_AND_ASSIGN(Location anon, registry->Resolve("abfss://pub@open.dfs.core.windows.net/t"));
  EXPECT_EQ(anon.signer, nullptr);
  ASSERT_RAISES(kFailedPrecondition, registry->Resolve("gs://bucket/t"));

  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(Location local, registry->Resolve("file://" + dir.Join("table")));
  EXPECT_EQ(local.bucket_store, nullptr);
  EXPECT_EQ(local.signer, nullptr);
  conformance::CheckConformance(local.store.get(), "");
  ASSERT_RAISES(kInvalidArgument, local.store->Get("../escape"));

  StorageCredentials missing_key_file;
  missing_key_file.gcs.service_account_key_file = dir.Join("nope.json");
  ASSERT_RAISES(kInvalidArgument, StoreRegistry::Make(missing_key_file));
}

TEST(StoreRegistryTest, RootedStoresAgainstEmulators) {
  const bool s3 = testing::HasNodePackage("@20minutes/s3rver");
  const bool azure = testing::HasNodePackage("azurite");
  if (!s3 && !azure) GTEST_SKIP() << "no emulator installed (run scripts/install-oracles.sh)";
  auto http = httpclient::CurlHttpClient::Make().ValueOrDie();
  auto download = [&](const std::string& url) {
    httpclient::HttpRequest req;
    req.url = url;
    return http->Send(req);
  };
  if (s3) {
    auto server = testing::StartLocalServer(
        {"/usr/bin/node", (testing::RepoDir() / "test/objstore/start_s3rver.cjs").string(),
         "lake"});
    ASSERT_TRUE(server.ok()) << server.status();
    StorageCredentials creds;
    creds.s3.access_key_id = creds.s3.secret_access_key = "S3RVER";
    creds.s3.endpoint = "http://127.0.0.1:" + std::to_string(server->port);
    ASSERT_OK_AND_ASSIGN(auto registry, StoreRegistry::Make(creds, http));
    ASSERT_OK_AND_ASSIGN(Location loc, registry->Resolve("s3a://lake/warehouse/sales"));
    conformance::CheckConformance(loc.store.get(), "");
    ASSERT_OK(loc.store->Put("part-0.parquet", "rooted"));
    ASSERT_OK(loc.bucket_store->Head("warehouse/sales/part-0.parquet").status());
    ASSERT_OK_AND_ASSIGN(PresignedUrl url, loc.signer->Presign("part-0.parquet", 60));
    ASSERT_OK_AND_ASSIGN(httpclient::HttpResponse r, download(url.url));
    EXPECT_EQ(r.body, "rooted");
    ASSERT_RAISES(kInvalidArgument, loc.signer->Presign("../secret", 60));
  }
  if (azure) {
    auto server = testing::StartLocalServer(
        {"/usr/bin/node", (testing::RepoDir() / "test/objstore/start_azurite.cjs").string()});
    ASSERT_TRUE(server.ok()) << server.status();
    const std::string endpoint =
        "http://127.0.0.1:" + std::to_string(server->port) + "/devstoreaccount1";
    StorageCredentials creds;
    const std::string cs = "UseDevelopmentStorage=true;BlobEndpoint=" + endpoint;
    ASSERT_OK(creds.FillFromEnvironment([&](const char* name) -> const char* {
      return std::string_view(name) == "AZURE_STORAGE_CONNECTION_STRING" ? cs.c_str() : nullptr;
    }));
    auto key =
        AzureSharedKey::Make("devstoreaccount1", creds.azure.accounts["devstoreaccount1"].key)
            .ValueOrDie();
    httpclient::HttpRequest create;
    create.method = httpclient::HttpMethod::kPut;
    create.url = endpoint + "/lake?restype=container";
    ASSERT_OK(key->SignRequest(&create, SystemClockMs()));
    ASSERT_OK_AND_ASSIGN(httpclient::HttpResponse made, http->Send(create));
    ASSERT_EQ(made.status, 201) << made.body;
    ASSERT_OK_AND_ASSIGN(auto registry, StoreRegistry::Make(creds, http));
    ASSERT_OK_AND_ASSIGN(
        Location loc, registry->Resolve("abfss://lake@devstoreaccount1.dfs.core.windows.net/w/t"));
    conformance::CheckConformance(loc.store.get(), "");
    ASSERT_OK(loc.store->Put("part-0.parquet", "rooted"));
    ASSERT_OK_AND_ASSIGN(PresignedUrl url, loc.signer->Presign("part-0.parquet", 60));
    ASSERT_OK_AND_ASSIGN(httpclient::HttpResponse r, download(url.url));
    EXPECT_EQ(r.body, "rooted");
  }
}

}  // namespace
}  // namespace ds::objstore
