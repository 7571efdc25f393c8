#include "access/mac_token.h"

#include "crypto/crypto.h"
#include "util/base64.h"

namespace ds::access {
namespace {

constexpr uint8_t kFormat = 1;
constexpr size_t kHeaderBytes = 1 + 1 + 4 + 8;
constexpr size_t kMacBytes = 32;

void PutBigEndian(uint64_t v, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint64_t GetBigEndian(std::string_view s, size_t offset, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(s[offset + i]);
  return v;
}

bool IsBase64UrlText(std::string_view text) {
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<std::string> MacTokenCodec::Encode(KeyPurpose purpose, std::string_view tenant,
                                          std::string_view payload, int64_t expires_at_ms) const {
  if (payload.size() > kMaxPayloadBytes) {
    return Status::InvalidArgument("token payload of " + std::to_string(payload.size()) +
                                   " bytes exceeds " + std::to_string(kMaxPayloadBytes));
  }
  if (expires_at_ms < 0) return Status::InvalidArgument("token expiry is negative");
  int64_t version = 0;
  ASSIGN_OR_RETURN(std::string key, keys_->CurrentKey(purpose, tenant, &version));
  std::string raw;
  raw.reserve(kHeaderBytes + payload.size() + kMacBytes);
  raw.push_back(static_cast<char>(kFormat));
  raw.push_back(static_cast<char>(purpose));
  PutBigEndian(static_cast<uint64_t>(version), 4, &raw);
  PutBigEndian(static_cast<uint64_t>(expires_at_ms), 8, &raw);
  raw.append(payload);
  raw.append(crypto::HmacSha256(key, raw));
  return Base64UrlEncode(raw);
}

Result<MacTokenContents> MacTokenCodec::Decode(KeyPurpose purpose, std::string_view tenant,
                                               std::string_view text, int64_t now_ms) const {
  auto malformed = [] { return Status::InvalidArgument("malformed token"); };
  if (text.size() > kMaxTextBytes || !IsBase64UrlText(text)) return malformed();
  auto decoded = Base64Decode(text);
  if (!decoded.ok()) return malformed();
  const std::string& raw = *decoded;
  // Only the canonical encoding is accepted, so one token has exactly one text form.
  if (raw.size() < kHeaderBytes + kMacBytes || Base64UrlEncode(raw) != text) return malformed();
  if (static_cast<uint8_t>(raw[0]) != kFormat) {
    return Status::InvalidArgument("unsupported token format");
  }
  if (static_cast<uint8_t>(raw[1]) != static_cast<uint8_t>(purpose)) {
    return Status::InvalidArgument("token was issued for another purpose");
  }
  int64_t version = static_cast<int64_t>(GetBigEndian(raw, 2, 4));
  auto key = keys_->Key(purpose, tenant, version);
  if (!key.ok()) {
    return Status::InvalidArgument("token key version " + std::to_string(version) +
                                   " is unknown or retired");
  }
  std::string_view signed_part(raw.data(), raw.size() - kMacBytes);
  std::string_view mac(raw.data() + signed_part.size(), kMacBytes);
  if (!crypto::ConstantTimeEquals(crypto::HmacSha256(*key, signed_part), mac)) {
    return Status::InvalidArgument("token was not issued to this recipient or was altered");
  }
  MacTokenContents out;
  out.key_version = version;
  out.expires_at_ms = static_cast<int64_t>(GetBigEndian(raw, 6, 8));
  if (out.expires_at_ms < 0) return malformed();
  if (out.expires_at_ms != 0 && out.expires_at_ms <= now_ms) {
    return Status::InvalidArgument("token has expired");
  }
  out.payload.assign(raw, kHeaderBytes, raw.size() - kHeaderBytes - kMacBytes);
  return out;
}

}  // namespace ds::access
