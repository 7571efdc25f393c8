// Per-tenant keys derived from one master key.
//
// The master key (at least 32 random bytes, as hex or base64 text) comes from a file or the
// DELTASHARE_MASTER_KEY environment variable, never from the configuration, and is never
// printed: errors name where it came from, not what it is. Every working key is
// HKDF-SHA256(ikm = master, salt = "deltashare key ring v1",
//             info = "deltashare" 0x00 purpose 0x00 tenant 0x00 version), 32 bytes,
// so a key minted for one tenant (a recipient id, a share id, or "" for provider-wide keys)
// and purpose says nothing about any other.
//
// Key versions rotate the derived keys without downtime: material is minted with the current
// version (the newest one not retired) and material of older, not yet retired versions still
// verifies. The version list lives in the access store (KeyVersion); SetVersions installs it.
//
// Thread-safety: every const method may be called from many threads; SetVersions may run
// concurrently with them.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "access/model.h"
#include "util/result.h"

namespace ds::access {

enum class KeyPurpose : uint8_t {
  kUrlSigning = 1,    // signatures of local-file URLs (tenant: recipient id)
  kPageToken = 2,     // page tokens (tenant: recipient id)
  kRefreshToken = 3,  // refresh tokens (tenant: recipient id)
  kQueryId = 4,       // async query ids (tenant: recipient id)
  kActivation = 5,    // activation links (provider-wide: tenant "")
  kTokenPepper = 6,   // keyed hashes of tokens and client secrets (tenant: recipient id)
  kDataKey = 7,       // AES-256-GCM encryption at rest of local files (tenant: share id)
};
// "url-signing", "page-token", ... (the text that enters HKDF's info).
std::string_view KeyPurposeName(KeyPurpose purpose);

// The tenant of admin tokens' pepper.
inline constexpr std::string_view kAdminTenant = "admin";

class MasterKey {
 public:
  static constexpr size_t kMinBytes = 32;
  static constexpr const char* kEnvVar = "DELTASHARE_MASTER_KEY";

  // Parses hex (64+ digits) or base64/base64url text (43+ characters) of at least 32 bytes.
  // InvalidArgument naming `source` (never the text) if the text is neither, too short, or
  // visibly not random (too few distinct byte values).
  static Result<MasterKey> FromText(std::string_view text, std::string_view source);
  // Reads `path`. NotFound / IOError if unreadable; InvalidArgument if the file is writable by
  // group or others, or its content is not a key as above.
  static Result<MasterKey> FromFile(const std::string& path);
  // The key from `path` if it is not empty, else from $DELTASHARE_MASTER_KEY.
  // FailedPrecondition if neither is given.
  static Result<MasterKey> Load(const std::string& path);
  // A new random key as 64 hex digits (for `deltashare admin keys generate`).
  static Result<std::string> GenerateText();

  MasterKey(MasterKey&& other) noexcept;
  MasterKey& operator=(MasterKey&& other) noexcept;
  MasterKey(const MasterKey&) = delete;
  MasterKey& operator=(const MasterKey&) = delete;
  ~MasterKey();

  // 16 hex digits identifying the key (an HMAC of a constant), safe to print.
  std::string Fingerprint() const;
  const std::string& bytes() const { return bytes_; }

 private:
  explicit MasterKey(std::string bytes) : bytes_(std::move(bytes)) {}
  std::string bytes_;
};

class KeyRing {
 public:
  // Starts with the single version 1 (stores create it in their first migration).
  explicit KeyRing(MasterKey master);
  ~KeyRing();
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

  // Installs the versions from the store. InvalidArgument (and no change) if no version is
  // active.
  Status SetVersions(const std::vector<KeyVersion>& versions);

  // The newest active version.
  int64_t current_version() const;
  // True if `version` is known and not retired.
  bool IsActive(int64_t version) const;

  // The 32-byte key for (purpose, tenant, version). FailedPrecondition if the version is
  // unknown or retired; InvalidArgument for a tenant containing NUL. Derived keys are cached.
  Result<std::string> Key(KeyPurpose purpose, std::string_view tenant, int64_t version) const;
  // Key() at current_version(); *version receives it.
  Result<std::string> CurrentKey(KeyPurpose purpose, std::string_view tenant,
                                 int64_t* version) const;

  std::string Fingerprint() const { return master_.Fingerprint(); }

  // The derivation itself, without version checks or caching (for tests and tools).
  static std::string Derive(const MasterKey& master, KeyPurpose purpose, std::string_view tenant,
                            int64_t version);

 private:
  MasterKey master_;
  mutable std::shared_mutex mu_;
  std::vector<int64_t> active_;  // sorted ascending
  mutable std::unordered_map<std::string, std::string> cache_;
};

}  // namespace ds::access
