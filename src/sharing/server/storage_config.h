// The `storage:` section of the server config as object-store credentials.
//
//   storage:
//     s3:    { accessKeyId, secretAccessKey, sessionToken, region, endpoint,
//              addressing: auto|path|virtual }
//     azure: { accountName, accountKey, endpoint } or { connectionString }
//     gcs:   { serviceAccountKeyFile, hmacAccessId, hmacSecret, endpoint }
//
// Fields left empty are filled from the standard environment variables (AWS_ACCESS_KEY_ID,
// AZURE_STORAGE_CONNECTION_STRING, GOOGLE_APPLICATION_CREDENTIALS, … see
// objstore/credentials.h).
#pragma once

#include "objstore/credentials.h"
#include "sharing/server/config.h"

namespace ds::sharing::server {

// InvalidArgument naming the key for an unknown key or a bad value.
Result<objstore::StorageCredentials> CredentialsOf(const Config& config);

}  // namespace ds::sharing::server
