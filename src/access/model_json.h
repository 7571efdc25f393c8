// JSON forms of the access model, for `deltashare admin … --json` and the admin REST API.
//
// Output: one compact object per value, camelCase keys, times as ISO 8601 UTC strings
// ("2026-12-01T18:00:00.000000Z"). Credential hashes are never written.
// Input (the bodies of admin API create/update calls): strict — an unknown key, a wrong
// type or a missing required key is InvalidArgument naming it. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "access/model.h"
#include "util/json.h"
#include "util/result.h"

namespace ds::access {

void WriteJson(const Share& share, JsonWriter* w);  // with schemas and tables when present
void WriteJson(const Table& table, JsonWriter* w);
void WriteJson(const Recipient& recipient, JsonWriter* w);
void WriteJson(const Grant& grant, JsonWriter* w);
// `now_ms` decides the "state" field (active, in-grace, expired, revoked).
void WriteJson(const TokenRecord& token, int64_t now_ms, JsonWriter* w);
void WriteJson(const OAuthClient& client, JsonWriter* w);
void WriteJson(const ActivationLink& link, JsonWriter* w);
void WriteJson(const AuditRecord& record, JsonWriter* w);
void WriteJson(const KeyVersion& version, JsonWriter* w);

// The ISO 8601 UTC text of a time in ms since the epoch.
std::string FormatTimeMs(int64_t ms);

// {"name", "comment"?, "properties"?: {k: v}}
Result<Share> ShareFromJson(std::string_view text);
// {"name", "location", "comment"?, "historyShared"?, "startVersion"?, "id"?}
Result<Table> TableFromJson(std::string_view text);
// {"name", "comment"?, "tokenLifetimeSeconds"?, "ipAllowList"?: [cidr], "rateLimitPerMinute"?,
//  "properties"?}
Result<Recipient> RecipientFromJson(std::string_view text);
// {"partitionFilter"?: "region = 'EU'" | null}
Result<std::optional<std::string>> PartitionFilterFromJson(std::string_view text);

}  // namespace ds::access
