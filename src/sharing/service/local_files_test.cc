// Signed URLs of local files and the endpoint serving them: nothing outside a table can be
// read, and a tampered, expired or foreign URL gets 403.
#include "sharing/service/local_files.h"

#include <unistd.h>

#include <fstream>

#include "access/key_ring.h"
#include "access/sealed_store.h"
#include "objstore/local_store.h"
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
  // A URL of the table sealed for `share`.
  std::string SignSealed(const std::string& key, std::string_view share,
                         std::string_view tenant = "alice") {
    auto signer = urls_->NewSigner(kBase, tenant, table_.string(), 60, kNow, share);
    EXPECT_TRUE(signer.ok()) << signer.status();
    objstore::PresignedUrl out;
    EXPECT_OK(signer->Sign(key, &out));
    return out.url;
  }
  // Writes `bytes` sealed for `share` at `key` of the table.
  void PutSealed(const std::string& key, const std::string& bytes, const std::string& share) {
    auto store = access::SealedStore::Make(std::make_shared<objstore::LocalStore>(table_.string()),
                                           keys_, share);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_OK((*store)->Put(key, bytes));
  }
  // The body a streamed response writes before it ends, and how it ended.
  static std::pair<std::string, Status> StreamedBody(http::Response r) {
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
    if (!r.stream) return {r.body, Status::OK()};
    Status st = r.stream(sink);
    return {sink.out, st};
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

// A sealed table's files are served decrypted: exact bytes, plaintext Content-Length, ranges
// across chunk boundaries; the file on disk is not the plaintext.
TEST_F(LocalFilesTest, SealedFilesAreServedDecryptedWithRanges) {
  std::string plain;
  for (int i = 0; plain.size() < 200'000; ++i) plain += "row " + std::to_string(i) + ";";
  PutSealed("part=a b/sealed.parquet", plain, "share-1");
  std::string on_disk;
  {
    std::ifstream in(table_ / "part=a b" / "sealed.parquet", std::ios::binary);
    on_disk.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(on_disk.size(), plain.size());
  EXPECT_EQ(on_disk.find("row 1;"), std::string::npos);

  const std::string url = SignSealed("part=a b/sealed.parquet", "share-1");
  http::Response get = Serve(url);
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(get.content_length.value_or(-1), static_cast<int64_t>(plain.size()));
  EXPECT_EQ(Body(std::move(get)), plain);
  http::Response head = Serve(url, kNow + 1000, http::Method::kHead);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.content_length.value_or(-1), static_cast<int64_t>(plain.size()));
  for (auto [range, offset, length] :
       {std::tuple<std::string, size_t, size_t>{"bytes=65530-131080", 65530, 65551},
        {"bytes=-7", plain.size() - 7, 7},
        {"bytes=199990-", 199990, plain.size() - 199990},
        {"bytes=0-0", 0, 1}}) {
    http::Response r = Serve(url, kNow + 1000, http::Method::kGet, range);
    EXPECT_EQ(r.status, 206) << range;
    EXPECT_EQ(r.content_length.value_or(-1), static_cast<int64_t>(length)) << range;
    EXPECT_EQ(Body(std::move(r)), plain.substr(offset, length)) << range;
  }
  EXPECT_EQ(Serve(url, kNow + 1000, http::Method::kGet, "bytes=999999-").status, 416);
  // The same file under a plain grant is the ciphertext (what the table's config says is
  // what is served; a plain table never holds sealed files).
  EXPECT_EQ(Body(Serve(Sign("part=a b/sealed.parquet"))), on_disk);
}

TEST_F(LocalFilesTest, SealedFilesNeverServeWrongBytes) {
  std::string plain(150'000, 'x');
  for (size_t i = 0; i < plain.size(); i += 7) plain[i] = static_cast<char>('a' + i % 26);
  PutSealed("f.parquet", plain, "share-1");
  // Another share's data key, a plain file, a sealed file renamed: 500 before any byte.
  EXPECT_EQ(Serve(SignSealed("f.parquet", "share-2")).status, 500);
  EXPECT_EQ(Serve(SignSealed("part=a b/f 1.parquet", "share-1")).status, 500);
  std::filesystem::copy_file(table_ / "f.parquet", table_ / "moved.parquet");
  EXPECT_EQ(Serve(SignSealed("moved.parquet", "share-1")).status, 500);
  EXPECT_EQ(Serve(SignSealed("missing.parquet", "share-1")).status, 404);
  // Another tenant's grant for the same file: 403 (URLs are per recipient).
  const std::string bob = SignSealed("f.parquet", "share-1", "bob");
  std::string swapped = bob;
  swapped.replace(swapped.find("/files/bob/") + 7, 3, "alice");
  EXPECT_EQ(Serve(swapped).status, 403);

  // One byte altered in the second chunk (64 KiB chunks after the 32-byte header).
  {
    std::fstream f(table_ / "f.parquet", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(32 + 65536 + 28 + 100);
    f.put('\x7f');
  }
  const std::string url = SignSealed("f.parquet", "share-1");
  // The first chunk still opens; a range inside it is served exactly.
  http::Response first = Serve(url, kNow + 1000, http::Method::kGet, "bytes=0-999");
  EXPECT_EQ(first.status, 206);
  EXPECT_EQ(Body(std::move(first)), plain.substr(0, 1000));
  // The whole file: the stream fails at the damaged chunk, having sent only good bytes.
  http::Response whole = Serve(url);
  ASSERT_EQ(whole.status, 200);
  auto [bytes, status] = StreamedBody(std::move(whole));
  EXPECT_FALSE(status.ok());
  EXPECT_LT(bytes.size(), plain.size());
  EXPECT_EQ(bytes, plain.substr(0, bytes.size()));
  auto [ranged, ranged_status] =
      StreamedBody(Serve(url, kNow + 1000, http::Method::kGet, "bytes=70000-70100"));
  EXPECT_FALSE(ranged_status.ok());
  EXPECT_TRUE(ranged.empty());
}

TEST_F(LocalFilesTest, LifetimesAreBounded) {
  EXPECT_FALSE(urls_->NewSigner(kBase, "alice", table_.string(), 0, kNow).ok());
  EXPECT_FALSE(urls_->NewSigner(kBase, "alice", table_.string(), 8 * 86400, kNow).ok());
  EXPECT_TRUE(urls_->NewSigner(kBase, "alice", table_.string(), 7 * 86400, kNow).ok());
}

}  // namespace
}  // namespace ds::sharing::service
