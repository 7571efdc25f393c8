// Credentials of a recipient profile (protocol.md §12): what goes into the Authorization
// header of every API request, and the profile file itself.
//
//   bearer (version 1, or 2 with type bearer_token): "Bearer <token>"; an expirationTime in
//     the past fails every request up front with Unauthenticated ("the profile's bearer token
//     expired at …"), before anything is sent.
//   oauth_client_credentials (version 2): an access token fetched from tokenEndpoint with
//     grant_type=client_credentials (HTTP Basic client authentication), cached and renewed
//     when less than min(600 s, half its lifetime) remain, and on demand after a 401.
//   basic (version 2): "Basic base64(username:password)".
//
// Thread-safety: every method of a Credentials may be called from many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "httpclient/http_client.h"
#include "sharing/protocol/profile.h"

namespace ds::client {

using sharing::protocol::Profile;

// Reads and parses a profile file. NotFound / IOError naming the path when it cannot be read;
// InvalidArgument naming the path and the problem when it is not a valid profile.
Result<Profile> LoadProfile(const std::string& path);

class Credentials {
 public:
  virtual ~Credentials() = default;
  // The Authorization header value for the next request. Unauthenticated when the
  // credentials have expired or the token endpoint refused them; the token endpoint's
  // transport errors as HttpClient returns them.
  virtual Result<std::string> Authorization() = 0;
  // Called after the server answered 401: a renewable credential forgets its cached token
  // (so the next Authorization fetches a new one) and returns true; others return false.
  virtual bool Invalidate() { return false; }
};

// The credentials a profile describes. `http` carries token-endpoint requests (OAuth) and
// must outlive the result; `now_ms` is the clock (tests inject one; null = system clock).
std::unique_ptr<Credentials> MakeCredentials(const Profile& profile, httpclient::HttpClient* http,
                                             std::function<int64_t()> now_ms = nullptr);

// Parses a token endpoint's answer: {"access_token":"…","expires_in":N|"N",…}. Returns the
// token and its lifetime in seconds (nullopt if the answer has none). InvalidArgument naming
// the problem for anything else.
struct AccessToken {
  std::string token;
  std::optional<int64_t> expires_in_seconds;
};
Result<AccessToken> ParseTokenResponse(std::string_view body);

}  // namespace ds::client
