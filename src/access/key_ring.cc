#include "access/key_ring.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

#include "access/ids.h"
#include "crypto/crypto.h"
#include "io/file.h"
#include "util/base64.h"
#include "util/string_util.h"

namespace ds::access {

std::string_view KeyPurposeName(KeyPurpose purpose) {
  switch (purpose) {
    case KeyPurpose::kUrlSigning:
      return "url-signing";
    case KeyPurpose::kPageToken:
      return "page-token";
    case KeyPurpose::kRefreshToken:
      return "refresh-token";
    case KeyPurpose::kQueryId:
      return "query-id";
    case KeyPurpose::kActivation:
      return "activation";
    case KeyPurpose::kTokenPepper:
      return "token-pepper";
    case KeyPurpose::kDataKey:
      return "data-key";
  }
  return "unknown";
}

namespace {

void Wipe(std::string* s) {
  if (!s->empty()) OPENSSL_cleanse(s->data(), s->size());
  s->clear();
}

}  // namespace

Result<MasterKey> MasterKey::FromText(std::string_view text, std::string_view source) {
  text = Trim(text);
  std::string where(source);
  std::string bytes;
  if (auto hex = HexDecode(text)) {
    bytes = std::move(*hex);
  } else {
    auto decoded = Base64Decode(text);
    if (!decoded.ok()) {
      return Status::InvalidArgument(
          "master key from " + where +
          " is neither hex nor base64 (generate one with `deltashare admin keys generate`)");
    }
    bytes = std::move(decoded).value();
  }
  if (bytes.size() < kMinBytes) {
    size_t n = bytes.size();
    Wipe(&bytes);
    return Status::InvalidArgument("master key from " + where + " has " + std::to_string(n) +
                                   " bytes; at least " + std::to_string(kMinBytes) +
                                   " random bytes are required");
  }
  bool seen[256] = {};
  int distinct = 0;
  for (unsigned char c : bytes) {
    if (!seen[c]) ++distinct;
    seen[c] = true;
  }
  if (distinct < 16) {
    Wipe(&bytes);
    return Status::InvalidArgument("master key from " + where +
                                   " is not random (too few distinct bytes)");
  }
  return MasterKey(std::move(bytes));
}

Result<MasterKey> MasterKey::FromFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Status::NotFound("master key file '" + path + "' does not exist or is unreadable");
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument("master key file '" + path + "' is not a regular file");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Status::InvalidArgument("master key file '" + path +
                                   "' is writable by group or others; chmod 600 it");
  }
  ASSIGN_OR_RETURN(std::string text, io::ReadFileToString(path));
  auto key = FromText(text, "file '" + path + "'");
  Wipe(&text);
  return key;
}

Result<MasterKey> MasterKey::Load(const std::string& path) {
  if (!path.empty()) return FromFile(path);
  if (const char* env = std::getenv(kEnvVar); env != nullptr && *env != '\0') {
    return FromText(env, std::string("$") + kEnvVar);
  }
  return Status::FailedPrecondition(
      std::string("no master key: pass --master-key-file FILE or set ") + kEnvVar);
}

Result<std::string> MasterKey::GenerateText() {
  ASSIGN_OR_RETURN(std::string bytes, crypto::RandomBytes(kMinBytes));
  std::string text = HexEncode(bytes);
  Wipe(&bytes);
  return text;
}

MasterKey::MasterKey(MasterKey&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.bytes_.clear();
}

MasterKey& MasterKey::operator=(MasterKey&& other) noexcept {
  if (this != &other) {
    Wipe(&bytes_);
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

MasterKey::~MasterKey() { Wipe(&bytes_); }

std::string MasterKey::Fingerprint() const {
  return HexEncode(crypto::HmacSha256(bytes_, "deltashare master key fingerprint").substr(0, 8));
}

KeyRing::KeyRing(MasterKey master) : master_(std::move(master)), active_{1} {}

KeyRing::~KeyRing() {
  for (auto& [info, key] : cache_) Wipe(&key);
}

Status KeyRing::SetVersions(const std::vector<KeyVersion>& versions) {
  std::vector<int64_t> active;
  for (const auto& v : versions) {
    if (!v.retired_at_ms) active.push_back(v.version);
  }
  if (active.empty()) return Status::InvalidArgument("key ring: no active key version");
  std::sort(active.begin(), active.end());
  std::unique_lock lock(mu_);
  active_ = std::move(active);
  return Status::OK();
}

int64_t KeyRing::current_version() const {
  std::shared_lock lock(mu_);
  return active_.back();
}

bool KeyRing::IsActive(int64_t version) const {
  std::shared_lock lock(mu_);
  return std::binary_search(active_.begin(), active_.end(), version);
}

namespace {

std::string Info(KeyPurpose purpose, std::string_view tenant, int64_t version) {
  std::string info = "deltashare";
  info.push_back('\0');
  info.append(KeyPurposeName(purpose));
  info.push_back('\0');
  info.append(tenant);
  info.push_back('\0');
  info.append(std::to_string(version));
  return info;
}

constexpr size_t kMaxCachedKeys = 1 << 16;

}  // namespace

std::string KeyRing::Derive(const MasterKey& master, KeyPurpose purpose, std::string_view tenant,
                            int64_t version) {
  // HKDF of 32 bytes cannot fail (the length is within 1..8160).
  return crypto::HkdfSha256(master.bytes(), "deltashare key ring v1",
                            Info(purpose, tenant, version), 32)
      .ValueOrDie();
}

Result<std::string> KeyRing::Key(KeyPurpose purpose, std::string_view tenant,
                                 int64_t version) const {
  if (tenant.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("key ring: tenant id contains a NUL byte");
  }
  std::string info = Info(purpose, tenant, version);
  {
    std::shared_lock lock(mu_);
    if (!std::binary_search(active_.begin(), active_.end(), version)) {
      return Status::FailedPrecondition("key version " + std::to_string(version) +
                                        " is unknown or retired");
    }
    auto it = cache_.find(info);
    if (it != cache_.end()) return it->second;
  }
  std::string key = Derive(master_, purpose, tenant, version);
  std::unique_lock lock(mu_);
  if (cache_.size() >= kMaxCachedKeys) {
    for (auto& [i, k] : cache_) Wipe(&k);
    cache_.clear();
  }
  cache_.emplace(std::move(info), key);
  return key;
}

Result<std::string> KeyRing::CurrentKey(KeyPurpose purpose, std::string_view tenant,
                                        int64_t* version) const {
  int64_t v = current_version();
  if (version) *version = v;
  return Key(purpose, tenant, v);
}

}  // namespace ds::access
