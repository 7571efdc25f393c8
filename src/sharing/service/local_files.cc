#include "sharing/service/local_files.h"

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "access/sealed_store.h"
#include "crypto/crypto.h"
#include "http/file_response.h"
#include "io/file.h"
#include "objstore/local_store.h"
#include "objstore/object_store.h"
#include "sharing/protocol/errors.h"
#include "util/uri.h"

namespace ds::sharing::service {
namespace {

constexpr std::string_view kPayloadLabel = "deltashare local-file URL payload encryption";
constexpr std::string_view kMacLabel = "deltashare local-file URL MAC v2";
constexpr size_t kMacBytes = 16;
constexpr size_t kMacChars = 22;  // base64url of 16 bytes, unpadded

http::Response Error(int status, std::string_view code, std::string_view message) {
  protocol::ApiError e{status, std::string(code), std::string(message)};
  return http::Response::Json(status, protocol::ErrorBody(e));
}

http::Response Denied() { return Error(403, "PERMISSION_DENIED", "invalid file URL"); }

// Real path of `path`, or empty if it does not exist.
std::string RealPath(const std::string& path) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return {};
  std::string out(resolved);
  std::free(resolved);
  return out;
}

// Appends `key` percent-encoded, '/' kept: unreserved characters pass as they are.
void AppendEncodedKey(std::string_view key, std::string* out) {
  constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : key) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out->push_back(static_cast<char>(c));
    } else {
      out->push_back('%');
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
    }
  }
}

// base64url (no padding) of the first kMacBytes of `mac`.
void AppendMac(const uint8_t* mac, std::string* out) {
  constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  size_t i = 0;
  for (; i + 3 <= kMacBytes; i += 3) {
    const uint32_t v = (uint32_t{mac[i]} << 16) | (uint32_t{mac[i + 1]} << 8) | mac[i + 2];
    out->push_back(kAlphabet[(v >> 18) & 63]);
    out->push_back(kAlphabet[(v >> 12) & 63]);
    out->push_back(kAlphabet[(v >> 6) & 63]);
    out->push_back(kAlphabet[v & 63]);
  }
  const uint32_t v = uint32_t{mac[i]} << 16;  // kMacBytes % 3 == 1
  out->push_back(kAlphabet[(v >> 18) & 63]);
  out->push_back(kAlphabet[(v >> 12) & 63]);
}

void ComputeMac(const objstore::HmacSha256Key& key, std::string_view grant, std::string_view file,
                uint8_t out[objstore::Sha256::kSize]) {
  objstore::Sha256 inner = key.Begin();
  inner.Update(grant);
  inner.Update("\n");
  inner.Update(file);
  key.Finish(&inner, out);
}

// What a grant's payload names: the table's directory and, for a sealed table, its share.
struct GrantedTable {
  std::string dir;
  std::string sealed_for;  // "" = plain files
};

std::optional<GrantedTable> ParseGrantPayload(std::string_view payload) {
  GrantedTable out;
  if (!payload.empty() && payload.front() == '\0') {
    const size_t end = payload.find('\0', 1);
    if (end == std::string_view::npos || end == 1) return std::nullopt;
    out.sealed_for.assign(payload.substr(1, end - 1));
    payload.remove_prefix(end + 1);
  }
  if (payload.empty() || payload.front() != '/') return std::nullopt;
  out.dir.assign(payload);
  return out;
}

// The plaintext of a sealed table's file `key` (already checked to be a regular file inside
// the table), streamed with ranges.
http::Response ServeSealed(const access::KeyRing* keys, const http::Request& request,
                           const GrantedTable& granted, const std::string& key) {
  // The key ring outlives LocalFileUrls (its contract), so the store may borrow it.
  std::shared_ptr<const access::KeyRing> borrowed(std::shared_ptr<const void>(), keys);
  auto store = access::SealedStore::Make(std::make_shared<objstore::LocalStore>(granted.dir),
                                         std::move(borrowed), granted.sealed_for);
  if (!store.ok()) return Error(500, "INTERNAL_ERROR", "the file cannot be read");
  auto file = (*store)->OpenRead(key);
  if (!file.ok()) {
    if (file.status().IsNotFound()) {
      return Error(404, "RESOURCE_DOES_NOT_EXIST", "the file no longer exists");
    }
    // Not sealed, sealed for another share or name, a damaged header, a retired key: never
    // served (and not described to the recipient).
    return Error(500, "INTERNAL_ERROR", "the file cannot be read");
  }
  // Authenticating the first chunk before answering turns the common failures (another
  // share's key, a renamed file, a damaged start) into a 500 rather than a cut 200.
  uint8_t first;
  if ((*file)->size() > 0 && !(*file)->ReadAt(0, 1, &first).ok()) {
    return Error(500, "INTERNAL_ERROR", "the file cannot be read");
  }
  return http::FileResponse(request, std::move(file).value());
}

}  // namespace

Status LocalTableSigner::Sign(std::string_view key, objstore::PresignedUrl* out) const {
  RETURN_NOT_OK(objstore::ValidateKey(key));
  uint8_t mac[objstore::Sha256::kSize];
  ComputeMac(mac_key_, grant_, key, mac);
  out->url.clear();
  out->url.reserve(prefix_.size() + kMacChars + 1 + key.size() + 16);
  out->url.append(prefix_);
  AppendMac(mac, &out->url);
  out->url.push_back('/');
  AppendEncodedKey(key, &out->url);
  out->expiration_ms = expiration_ms_;
  return Status::OK();
}

LocalFileUrls::LocalFileUrls(std::shared_ptr<const access::MacTokenCodec> codec,
                             const access::KeyRing* keys)
    : codec_(std::move(codec)), keys_(keys) {}

Result<std::string> LocalFileUrls::DerivedKey(std::string_view tenant, int64_t version,
                                              std::string_view label) const {
  ASSIGN_OR_RETURN(std::string key, keys_->Key(access::KeyPurpose::kUrlSigning, tenant, version));
  return crypto::HmacSha256(key, label);
}

Result<LocalTableSigner> LocalFileUrls::NewSigner(std::string_view base_url,
                                                  std::string_view tenant,
                                                  std::string_view table_dir,
                                                  int64_t lifetime_seconds, int64_t now_ms,
                                                  std::string_view sealed_for) const {
  RETURN_NOT_OK(objstore::CheckLifetime(lifetime_seconds, kMaxLifetimeSeconds));
  const int64_t expires = now_ms + lifetime_seconds * 1000;
  // The grant is minted at the current key version; reading it back tells which version that
  // was, so that its payload and the URL MACs use the same one even during a key rotation.
  const int64_t version = keys_->current_version();
  ASSIGN_OR_RETURN(std::string aes_key, DerivedKey(tenant, version, kPayloadLabel));
  if (table_dir.empty() || table_dir.front() != '/') {
    return Status::InvalidArgument("a local table directory must be absolute");
  }
  std::string payload;
  if (!sealed_for.empty()) {
    if (sealed_for.find('\0') != std::string_view::npos) {
      return Status::InvalidArgument("a share id cannot contain NUL");
    }
    payload.push_back('\0');
    payload.append(sealed_for);
    payload.push_back('\0');
  }
  payload.append(table_dir);
  ASSIGN_OR_RETURN(std::string sealed, crypto::AesGcmEncrypt(aes_key, payload, tenant));
  ASSIGN_OR_RETURN(std::string grant,
                   codec_->Encode(access::KeyPurpose::kUrlSigning, tenant, sealed, expires));
  ASSIGN_OR_RETURN(access::MacTokenContents minted,
                   codec_->Decode(access::KeyPurpose::kUrlSigning, tenant, grant, now_ms));
  if (minted.key_version != version) {
    return Status::Unavailable("the URL signing key was rotated while signing; retry");
  }
  ASSIGN_OR_RETURN(std::string mac_key, DerivedKey(tenant, version, kMacLabel));
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  std::string prefix;
  prefix.reserve(base_url.size() + tenant.size() + grant.size() + 16);
  prefix.append(base_url);
  prefix.append("/files/");
  prefix.append(PercentEncode(tenant));
  prefix.push_back('/');
  prefix.append(grant);
  prefix.push_back('/');
  return LocalTableSigner(std::move(prefix), std::move(grant), mac_key, expires);
}

http::Response LocalFileUrls::Serve(const http::Request& request, std::string_view rest,
                                    int64_t now_ms) const {
  // <tenant>/<grant>/<mac>/<key...>
  std::string_view parts[3];
  for (std::string_view& part : parts) {
    const size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return Denied();
    part = rest.substr(0, slash);
    rest.remove_prefix(slash + 1);
  }
  auto tenant = PercentDecode(parts[0]);
  auto key = PercentDecode(rest);
  if (!tenant.ok() || !key.ok() || parts[2].size() != kMacChars) return Denied();
  auto grant = codec_->Decode(access::KeyPurpose::kUrlSigning, *tenant, parts[1], now_ms);
  if (!grant.ok()) {
    return Error(403, "PERMISSION_DENIED",
                 "the file URL is invalid or has expired; query the table again for new URLs");
  }
  auto mac_key = DerivedKey(*tenant, grant->key_version, kMacLabel);
  if (!mac_key.ok()) return Denied();
  uint8_t mac[objstore::Sha256::kSize];
  ComputeMac(objstore::HmacSha256Key(*mac_key), parts[1], *key, mac);
  std::string expected;
  AppendMac(mac, &expected);
  if (!crypto::ConstantTimeEquals(expected, parts[2])) return Denied();
  auto aes_key = DerivedKey(*tenant, grant->key_version, kPayloadLabel);
  if (!aes_key.ok()) return Denied();
  auto payload = crypto::AesGcmDecrypt(*aes_key, grant->payload, *tenant);
  if (!payload.ok() || !objstore::ValidateKey(*key).ok()) return Denied();
  std::optional<GrantedTable> granted = ParseGrantPayload(*payload);
  if (!granted) return Denied();
  const std::string* dir = &granted->dir;
  const std::string real_root = RealPath(*dir);
  const std::string real = RealPath(*dir + "/" + *key);
  if (real_root.empty() || real.empty()) {
    return Error(404, "RESOURCE_DOES_NOT_EXIST", "the file no longer exists");
  }
  if (real.compare(0, real_root.size(), real_root) != 0 || real.size() <= real_root.size() ||
      real[real_root.size()] != '/') {
    return Denied();
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(real, ec)) {
    return Error(404, "RESOURCE_DOES_NOT_EXIST", "the file no longer exists");
  }
  if (!granted->sealed_for.empty()) return ServeSealed(keys_, request, *granted, *key);
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
