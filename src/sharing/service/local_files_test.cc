// Signed URLs of local files and the endpoint serving them: nothing outside a table can be
// read, and a tampered, expired or foreign URL gets 403.
#include "sharing/service/local_files.h"

#include <unistd.h>

#include <fstream>

#include "access/key_ring.h"
#include "test/testing/testing.h"

namespace ds::sharing::service {
namespace {

constexpr char kMasterKeyHex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr int64_t kNow = 1'700'000'000'000;
constexpr char kBase[] = "https://share.example/delta-sharing";

class LocalFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_ = std::make_shared<access::KeyRing>(
        access::MasterKey::FromText(kMasterKeyHex, "test").ValueOrDie());
    urls_ = std::make_unique<LocalFileUrls>(std::make_shared<access::MacTokenCodec>(keys_),
                                            keys_.get());
    table_ = dir_.path() / "table";
    std::filesystem::create_directories(table_ / "part=a b");
    Write(table_ / "part=a b" / "f 1.parquet", "0123456789");
    Write(dir_.path() / "secret.txt", "do not serve");
    std::filesystem::create_symlink(dir_.path() / "secret.txt", table_ / "link.parquet");
    std::filesystem::create_directories(table_ / "dir.parquet");
  }
  static void Write(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
  }
  std::string Sign(const std::string& key, std::string_view tenant = "alice", int64_t lifetime = 60,
                   int64_t now = kNow) {
    auto signer = urls_->NewSigner(kBase, tenant, table_.string(), lifetime, now);
    EXPECT_TRUE(signer.ok()) << signer.status();
    objstore::PresignedUrl out;
    EXPECT_OK(signer->Sign(key, &out));
    EXPECT_EQ(out.expiration_ms, now + lifetime * 1000);
    return out.url;
  }
  // Serves a URL signed above; `now` is the server's clock.
  http::Response Serve(const std::string& url, int64_t now = kNow + 1000,
                       http::Method method = http::Method::kGet, std::string range = "") {
    const std::string marker = "/delta-sharing/files/";
    const size_t at = url.find(marker);
    http::Headers headers;
    if (!range.empty()) headers.Set("Range", range);
    auto request = http::Request::Make(method, url.substr(url.find("/delta-sharing")), headers);
    EXPECT_TRUE(request.ok());
    return urls_->Serve(*request, url.substr(at + marker.size()), now);
  }
  static std::string Body(http::Response r) {
    if (!r.stream) return r.body;
    struct Sink : http::ResponseStream {
      std::string out;
      Status Write(std::string_view b) override {
        out.append(b);
        return Status::OK();
      }
      Status Flush() override { return Status::OK(); }
      void Abort(std::string_view) override {}
      int64_t bytes_written() const override { return static_cast<int64_t>(out.size()); }
    } sink;
    EXPECT_OK(r.stream(sink));
    return sink.out;
  }

  ds::testing::TempDir dir_;
  std::filesystem::path table_;
  std::shared_ptr<access::KeyRing> keys_;
  std::unique_ptr<LocalFileUrls> urls_;
};

TEST_F(LocalFilesTest, SignedUrlsServeTheFileWithRanges) {
  const std::string url = Sign("part=a b/f 1.parquet");
  EXPECT_EQ(url.rfind(std::string(kBase) + "/files/alice/", 0), 0u) << url;
  EXPECT_NE(url.find("/part%3Da%20b/f%201.parquet"), std::string::npos) << url;
  EXPECT_EQ(url.find(dir_.path().string()), std::string::npos) << "the location stays hidden";
  http::Response get = Serve(url);
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(Body(std::move(get)), "0123456789");
  http::Response range = Serve(url, kNow + 1000, http::Method::kGet, "bytes=2-4");
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(Body(std::move(range)), "234");
  http::Response head = Serve(url, kNow + 1000, http::Method::kHead);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.content_length.value_or(-1), 10);
}

TEST_F(LocalFilesTest, TamperedExpiredOrForeignUrlsAre403) {
  const std::string url = Sign("part=a b/f 1.parquet");
  EXPECT_EQ(Serve(url, kNow + 61'000).status, 403);  // expired
  // Every character of the tenant, grant and MAC matters.
  const size_t files = url.find("/files/") + 7;
  const size_t key_start = url.find("/part%3D");
  for (size_t i = files; i < key_start; ++i) {
    if (url[i] == '/') continue;
    std::string bad = url;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_EQ(Serve(bad).status, 403) << i << ": " << bad;
  }
  // Another file of the same table under the same grant.
  std::string other = url.substr(0, key_start) + "/link.parquet";
  EXPECT_EQ(Serve(other).status, 403);
  // A URL for another tenant does not verify under this one's name.
  const std::string bob = Sign("part=a b/f 1.parquet", "bob");
  std::string swapped = bob;
  swapped.replace(swapped.find("/files/bob/") + 7, 3, "alice");
  EXPECT_EQ(Serve(swapped).status, 403);
  for (const char* junk : {"", "alice", "alice/x", "alice/x/y", "%zz/a/b/c"}) {
    EXPECT_EQ(Serve(std::string(kBase) + "/files/" + junk).status, 403) << junk;
  }
}

TEST_F(LocalFilesTest, NothingOutsideTheTableIsServed) {
  // A symlink inside the table that points outside it.
  EXPECT_EQ(Serve(Sign("link.parquet")).status, 403);
  // Keys that climb out are refused at signing.
  auto signer = urls_->NewSigner(kBase, "alice", table_.string(), 60, kNow);
  ASSERT_TRUE(signer.ok());
  objstore::PresignedUrl out;
  for (const char* bad : {"../secret.txt", "/etc/passwd", "a/../../secret.txt", "", "a//b"}) {
    EXPECT_FALSE(signer->Sign(bad, &out).ok()) << bad;
  }
  // Directories and files that vanished: 404.
  EXPECT_EQ(Serve(Sign("dir.parquet")).status, 404);
  const std::string gone = Sign("part=a b/f 1.parquet");
  std::filesystem::remove(table_ / "part=a b" / "f 1.parquet");
  EXPECT_EQ(Serve(gone).status, 404);
}

TEST_F(LocalFilesTest, LifetimesAreBounded) {
  EXPECT_FALSE(urls_->NewSigner(kBase, "alice", table_.string(), 0, kNow).ok());
  EXPECT_FALSE(urls_->NewSigner(kBase, "alice", table_.string(), 8 * 86400, kNow).ok());
  EXPECT_TRUE(urls_->NewSigner(kBase, "alice", table_.string(), 7 * 86400, kNow).ok());
}

}  // namespace
}  // namespace ds::sharing::service
