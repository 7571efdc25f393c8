// The low-level SHA256_* functions are deprecated in OpenSSL 3 in favour of EVP, whose
// per-call provider machinery is ~10x slower for the short messages of request signing.
// They remain supported (and assembly-accelerated); this file is their only user.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "objstore/signing_util.h"

#include <openssl/sha.h>

#include <cstring>

#include "util/civil_time.h"

namespace ds::objstore {
namespace {

static_assert(sizeof(SHA256_CTX) <= 128, "Sha256 state too small for SHA256_CTX");

SHA256_CTX* Ctx(unsigned char* state) { return reinterpret_cast<SHA256_CTX*>(state); }

constexpr char kHex[] = "0123456789abcdef";

void TwoDigits(int v, char* out) {
  out[0] = static_cast<char>('0' + v / 10);
  out[1] = static_cast<char>('0' + v % 10);
}

void FourDigits(int64_t v, char* out) {
  out[0] = static_cast<char>('0' + v / 1000 % 10);
  out[1] = static_cast<char>('0' + v / 100 % 10);
  out[2] = static_cast<char>('0' + v / 10 % 10);
  out[3] = static_cast<char>('0' + v % 10);
}

struct Parts {
  int64_t year;
  int month, day, hour, minute, second;
};

Parts Split(int64_t epoch_seconds) {
  int64_t days = epoch_seconds / 86400;
  int64_t sod = epoch_seconds % 86400;
  if (sod < 0) {
    sod += 86400;
    --days;
  }
  const CivilDate d = CivilFromDays(days);
  return {d.year,
          d.month,
          d.day,
          static_cast<int>(sod / 3600),
          static_cast<int>(sod / 60 % 60),
          static_cast<int>(sod % 60)};
}

}  // namespace

Sha256::Sha256() { SHA256_Init(Ctx(state_)); }

void Sha256::Update(std::string_view data) { SHA256_Update(Ctx(state_), data.data(), data.size()); }

void Sha256::Final(uint8_t out[kSize]) { SHA256_Final(out, Ctx(state_)); }

HmacSha256Key::HmacSha256Key(std::string_view key) {
  unsigned char block[SHA256_CBLOCK] = {};
  if (key.size() > SHA256_CBLOCK) {
    Sha256 h;
    h.Update(key);
    h.Final(block);
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  unsigned char pad[SHA256_CBLOCK];
  for (size_t i = 0; i < SHA256_CBLOCK; ++i) pad[i] = block[i] ^ 0x36;
  inner_.Update(std::string_view(reinterpret_cast<char*>(pad), sizeof(pad)));
  for (size_t i = 0; i < SHA256_CBLOCK; ++i) pad[i] = block[i] ^ 0x5c;
  outer_.Update(std::string_view(reinterpret_cast<char*>(pad), sizeof(pad)));
}

void HmacSha256Key::Finish(Sha256* inner, uint8_t out[Sha256::kSize]) const {
  uint8_t digest[Sha256::kSize];
  inner->Final(digest);
  Sha256 outer = outer_;
  outer.Update(std::string_view(reinterpret_cast<char*>(digest), sizeof(digest)));
  outer.Final(out);
}

void HmacSha256Key::Sign(std::string_view data, uint8_t out[Sha256::kSize]) const {
  Sha256 inner = inner_;
  inner.Update(data);
  Finish(&inner, out);
}

void AppendHex(const uint8_t* bytes, size_t n, std::string* out) {
  const size_t start = out->size();
  out->resize(start + 2 * n);
  char* p = out->data() + start;
  for (size_t i = 0; i < n; ++i) {
    p[2 * i] = kHex[bytes[i] >> 4];
    p[2 * i + 1] = kHex[bytes[i] & 15];
  }
}

std::string Sha256Hex(std::string_view data) {
  Sha256 h;
  h.Update(data);
  uint8_t digest[Sha256::kSize];
  h.Final(digest);
  std::string out;
  AppendHex(digest, sizeof(digest), &out);
  return out;
}

void FormatBasicDateTime(int64_t epoch_seconds, char out[16]) {
  const Parts p = Split(epoch_seconds);
  FourDigits(p.year, out);
  TwoDigits(p.month, out + 4);
  TwoDigits(p.day, out + 6);
  out[8] = 'T';
  TwoDigits(p.hour, out + 9);
  TwoDigits(p.minute, out + 11);
  TwoDigits(p.second, out + 13);
  out[15] = 'Z';
}

void FormatBasicDate(int64_t epoch_seconds, char out[8]) {
  char full[16];
  FormatBasicDateTime(epoch_seconds, full);
  std::memcpy(out, full, 8);
}

void FormatIsoDateTime(int64_t epoch_seconds, char out[20]) {
  const Parts p = Split(epoch_seconds);
  FourDigits(p.year, out);
  out[4] = '-';
  TwoDigits(p.month, out + 5);
  out[7] = '-';
  TwoDigits(p.day, out + 8);
  out[10] = 'T';
  TwoDigits(p.hour, out + 11);
  out[13] = ':';
  TwoDigits(p.minute, out + 14);
  out[16] = ':';
  TwoDigits(p.second, out + 17);
  out[19] = 'Z';
}

}  // namespace ds::objstore
