// Recipient profile files (`config.share`, protocol.md §12): what the provider hands out and
// the client reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ds::sharing::protocol {

enum class ProfileType {
  kBearer,                  // version 1 (or 2 with type bearer_token)
  kOAuthClientCredentials,  // version 2, type oauth_client_credentials
  kBasic,                   // version 2, type basic
};

struct Profile {
  int32_t share_credentials_version = 1;
  ProfileType type = ProfileType::kBearer;
  std::string endpoint;  // without a trailing '/'
  // kBearer
  std::string bearer_token;
  std::optional<int64_t> expiration_ms;  // expirationTime; none = never expires
  // kOAuthClientCredentials
  std::string token_endpoint, client_id, client_secret, scope;
  // kBasic
  std::string username, password;
};

// Parses a profile. InvalidArgument naming the problem: not JSON, shareCredentialsVersion
// missing or > 2, no endpoint, a missing credential field, a bad expirationTime.
Result<Profile> ParseProfile(std::string_view text);

// The JSON text of a profile (pretty enough for people: one key per line).
std::string ProfileToJson(const Profile& profile);

// "2021-11-12T00:12:29.000Z" for ms since the epoch.
std::string FormatIsoMillis(int64_t ms);

}  // namespace ds::sharing::protocol
