#include "sharing/service/local_files.h"

#include <cstdlib>
#include <filesystem>

#include "crypto/crypto.h"
#include "http/file_response.h"
#include "io/file.h"
#include "objstore/object_store.h"
#include "sharing/protocol/errors.h"
#include "util/uri.h"

namespace ds::sharing::service {
namespace {

constexpr int64_t kMaxLifetimeSeconds = 7 * 86400;

http::Response Error(int status, std::string_view code, std::string_view message) {
  protocol::ApiError e{status, std::string(code), std::string(message)};
  return http::Response::Json(status, protocol::ErrorBody(e));
}

class LocalSigner final : public objstore::UrlSigner {
 public:
  LocalSigner(const LocalFileUrls* urls, std::string base, std::string tenant, std::string dir)
      : urls_(urls), base_(std::move(base)), tenant_(std::move(tenant)), dir_(std::move(dir)) {}
  Status PresignAt(std::string_view key, int64_t lifetime_seconds, int64_t now_ms,
                   objstore::PresignedUrl* out) const override {
    return urls_->Sign(base_, tenant_, dir_, key, lifetime_seconds, now_ms, out);
  }
  int64_t max_lifetime_seconds() const override { return kMaxLifetimeSeconds; }

 private:
  const LocalFileUrls* urls_;
  std::string base_, tenant_, dir_;
};

// Real path of `path`, or empty if it does not exist.
std::string RealPath(const std::string& path) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return {};
  std::string out(resolved);
  std::free(resolved);
  return out;
}

}  // namespace

LocalFileUrls::LocalFileUrls(std::shared_ptr<const access::MacTokenCodec> codec,
                             const access::KeyRing* keys)
    : codec_(std::move(codec)), keys_(keys) {}

Result<std::string> LocalFileUrls::PayloadKey(std::string_view tenant, int64_t version) const {
  ASSIGN_OR_RETURN(std::string key, keys_->Key(access::KeyPurpose::kUrlSigning, tenant, version));
  return crypto::HmacSha256(key, "deltashare local-file URL payload encryption");
}

Status LocalFileUrls::Sign(std::string_view base_url, std::string_view tenant,
                           std::string_view table_dir, std::string_view key,
                           int64_t lifetime_seconds, int64_t now_ms,
                           objstore::PresignedUrl* out) const {
  RETURN_NOT_OK(objstore::ValidateKey(key));
  RETURN_NOT_OK(objstore::CheckLifetime(lifetime_seconds, kMaxLifetimeSeconds));
  std::string plain(table_dir);
  plain.push_back('\0');
  plain.append(key);
  // The MAC token is minted at the current key version; seal the payload with that version.
  ASSIGN_OR_RETURN(std::string aes_key, PayloadKey(tenant, keys_->current_version()));
  ASSIGN_OR_RETURN(std::string sealed, crypto::AesGcmEncrypt(aes_key, plain, tenant));
  const int64_t expires = now_ms + lifetime_seconds * 1000;
  ASSIGN_OR_RETURN(std::string token,
                   codec_->Encode(access::KeyPurpose::kUrlSigning, tenant, sealed, expires));
  out->url.clear();
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  out->url.reserve(base_url.size() + tenant.size() + token.size() + 64);
  out->url += base_url;
  out->url += "/files/";
  out->url += PercentEncode(tenant);
  out->url += '/';
  out->url += token;
  out->url += '/';
  out->url += PercentEncode(objstore::BaseName(key));
  out->expiration_ms = expires;
  return Status::OK();
}

objstore::UrlSignerPtr LocalFileUrls::SignerFor(std::string base_url, std::string tenant,
                                                std::string table_dir) const {
  return std::make_shared<LocalSigner>(this, std::move(base_url), std::move(tenant),
                                       std::move(table_dir));
}

http::Response LocalFileUrls::Serve(const http::Request& request, std::string_view rest,
                                    int64_t now_ms) const {
  // <tenant>/<token>/<name>
  const size_t s1 = rest.find('/');
  const size_t s2 = s1 == std::string_view::npos ? s1 : rest.find('/', s1 + 1);
  if (s2 == std::string_view::npos) {
    return Error(403, "PERMISSION_DENIED", "invalid file URL");
  }
  auto tenant = PercentDecode(rest.substr(0, s1));
  if (!tenant.ok()) return Error(403, "PERMISSION_DENIED", "invalid file URL");
  auto contents = codec_->Decode(access::KeyPurpose::kUrlSigning, *tenant,
                                 rest.substr(s1 + 1, s2 - s1 - 1), now_ms);
  if (!contents.ok()) {
    return Error(403, "PERMISSION_DENIED",
                 "the file URL is invalid or has expired; query the table again for new URLs");
  }
  auto aes_key = PayloadKey(*tenant, contents->key_version);
  if (!aes_key.ok()) return Error(403, "PERMISSION_DENIED", "invalid file URL");
  auto opened = crypto::AesGcmDecrypt(*aes_key, contents->payload, *tenant);
  if (!opened.ok()) return Error(403, "PERMISSION_DENIED", "invalid file URL");
  const std::string& payload = *opened;
  const size_t nul = payload.find('\0');
  if (nul == std::string::npos) return Error(403, "PERMISSION_DENIED", "invalid file URL");
  const std::string dir = payload.substr(0, nul);
  const std::string key = payload.substr(nul + 1);
  if (!objstore::ValidateKey(key).ok()) return Error(403, "PERMISSION_DENIED", "invalid file URL");
  const std::string real_root = RealPath(dir);
  const std::string real = RealPath(dir + "/" + key);
  if (real_root.empty() || real.empty()) {
    return Error(404, "RESOURCE_DOES_NOT_EXIST", "the file no longer exists");
  }
  if (real.compare(0, real_root.size(), real_root) != 0 || real.size() <= real_root.size() ||
      real[real_root.size()] != '/') {
    return Error(403, "PERMISSION_DENIED", "invalid file URL");
  }
  auto file = io::OpenLocalFile(real);
  if (!file.ok()) {
    if (file.status().IsNotFound()) {
      return Error(404, "RESOURCE_DOES_NOT_EXIST", "the file no longer exists");
    }
    return Error(500, "INTERNAL_ERROR", "the file cannot be read");
  }
  return http::FileResponse(request, std::move(file).value());
}

}  // namespace ds::sharing::service
