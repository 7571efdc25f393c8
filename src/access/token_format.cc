#include "access/token_format.h"

#include "access/ids.h"
#include "util/base64.h"
#include "util/string_util.h"
#include "util/uri.h"

namespace ds::access {
namespace {

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool AllBase64Url(std::string_view s) {
  for (char c : s) {
    if (!IsBase64UrlChar(c)) return false;
  }
  return true;
}

// RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool IsToken68(std::string_view s) {
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (!(IsBase64UrlChar(c) || c == '.' || c == '~' || c == '+' || c == '/')) break;
  }
  if (i == 0) return false;
  for (; i < s.size(); ++i) {
    if (s[i] != '=') return false;
  }
  return true;
}

// Splits "<scheme> <credentials>" with the scheme compared case-insensitively.
bool SplitScheme(std::string_view header, std::string_view scheme, std::string_view* rest) {
  header = Trim(header);
  if (header.size() <= scheme.size() || !EqualsIgnoreCase(header.substr(0, scheme.size()), scheme))
    return false;
  if (header[scheme.size()] != ' ' && header[scheme.size()] != '\t') return false;
  *rest = Trim(header.substr(scheme.size() + 1));
  return true;
}

}  // namespace

Result<MintedToken> MintToken() {
  MintedToken t;
  ASSIGN_OR_RETURN(t.id, NewRandomId(12));
  ASSIGN_OR_RETURN(std::string secret, NewRandomId(32));
  t.text.reserve(kTokenChars);
  t.text.append(kTokenPrefix).append(t.id).append(".").append(secret);
  return t;
}

Result<std::string> MintClientId() {
  ASSIGN_OR_RETURN(std::string id, NewRandomId(12));
  return std::string(kClientIdPrefix) + id;
}

Result<std::string> MintClientSecret() {
  ASSIGN_OR_RETURN(std::string secret, NewRandomId(32));
  return std::string(kClientSecretPrefix) + secret;
}

Result<std::string_view> TokenIdOf(std::string_view text) {
  const size_t dot = kTokenPrefix.size() + kTokenIdChars;
  if (text.size() != kTokenChars || !StartsWith(text, kTokenPrefix) || text[dot] != '.') {
    return Status::InvalidArgument("not a deltashare token");
  }
  std::string_view id = text.substr(kTokenPrefix.size(), kTokenIdChars);
  if (!AllBase64Url(id) || !AllBase64Url(text.substr(dot + 1))) {
    return Status::InvalidArgument("not a deltashare token");
  }
  return id;
}

Result<std::string_view> ParseBearerHeader(std::string_view header) {
  if (Trim(header).empty()) return Status::Unauthenticated("missing bearer token");
  std::string_view token;
  if (!SplitScheme(header, "Bearer", &token)) {
    return Status::Unauthenticated("Authorization header is not 'Bearer <token>'");
  }
  if (token.size() > 4096 || !IsToken68(token)) {
    return Status::Unauthenticated("malformed bearer token");
  }
  return token;
}

Result<BasicCredentials> ParseBasicHeader(std::string_view header) {
  auto bad = [] { return Status::Unauthenticated("malformed Basic credentials"); };
  if (Trim(header).empty()) return Status::Unauthenticated("missing client credentials");
  std::string_view encoded;
  if (!SplitScheme(header, "Basic", &encoded)) {
    return Status::Unauthenticated("Authorization header is not 'Basic <credentials>'");
  }
  if (encoded.size() > 4096) return bad();
  for (char c : encoded) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || c == '=';
    if (!ok) return bad();
  }
  auto decoded = Base64Decode(encoded);
  if (!decoded.ok()) return bad();
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return bad();
  auto user = PercentDecode(std::string_view(*decoded).substr(0, colon), /*plus_as_space=*/true);
  auto password = PercentDecode(std::string_view(*decoded).substr(colon + 1), true);
  if (!user.ok() || !password.ok() || user->empty()) return bad();
  return BasicCredentials{std::move(user).value(), std::move(password).value()};
}

}  // namespace ds::access
