// Text forms of credentials, and the parsing of the headers that carry them.
//
//   bearer token   "dstk_" + id (16 base64url chars, 96 random bits) + "." + secret (43
//                  base64url chars, 256 random bits). The id is public (token listings, audit
//                  records) and lets a server find the stored hash without scanning; only
//                  the whole text proves possession.
//   OAuth client   id "dsoc_" + 16 base64url chars; secret "dsos_" + 43 base64url chars.
//
// Every parser here takes untrusted bytes and returns InvalidArgument or Unauthenticated,
// never crashes; all are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::access {

inline constexpr std::string_view kTokenPrefix = "dstk_";
inline constexpr std::string_view kClientIdPrefix = "dsoc_";
inline constexpr std::string_view kClientSecretPrefix = "dsos_";
inline constexpr size_t kTokenIdChars = 16;
inline constexpr size_t kSecretChars = 43;
inline constexpr size_t kTokenChars = kTokenPrefix.size() + kTokenIdChars + 1 + kSecretChars;

struct MintedToken {
  std::string id;
  std::string text;  // the bearer token: shown once, never stored
};

// A new random bearer token. Internal if the random generator fails.
Result<MintedToken> MintToken();
// A new random OAuth client id / secret.
Result<std::string> MintClientId();
Result<std::string> MintClientSecret();

// The id inside a bearer token, or InvalidArgument if `text` is not one (wrong prefix,
// length or alphabet). A view into `text`.
Result<std::string_view> TokenIdOf(std::string_view text);

// The token of an "Authorization: Bearer <token>" header value (scheme case-insensitive,
// RFC 6750 token68 syntax). Unauthenticated for an empty header ("missing bearer token") and
// for any other scheme or malformed value. A view into `header`.
Result<std::string_view> ParseBearerHeader(std::string_view header);

struct BasicCredentials {
  std::string user;
  std::string password;
};
// "Basic base64(user:password)" as OAuth clients send it (RFC 6749 §2.3.1: both parts
// form-urlencoded before base64). Unauthenticated if absent or malformed.
Result<BasicCredentials> ParseBasicHeader(std::string_view header);

}  // namespace ds::access
