// The server's YAML configuration, in the spirit of the reference server's (same key names
// where they exist), plus storage credentials, the access store and operational limits.
//
//   version: 1
//   host: 127.0.0.1
//   port: 8080
//   endpoint: /delta-sharing
//   publicUrl: https://sharing.example.com    # how recipients reach us (local-file URLs)
//   preSignedUrlTimeoutSeconds: 3600
//   authorization: { bearerToken: "…" }       # a static token that sees every static share
//   store: sqlite:access.db                   # recipients, grants, tokens (optional)
//   masterKeyFile: master.key                 # or $DELTASHARE_MASTER_KEY; never the key itself
//   ssl: { certificateFile: cert.pem, certificateKeyFile: key.pem }
//   shares:
//   - name: crm
//     schemas:
//     - name: tenant_a
//       tables:
//       - { name: accounts, location: /data/a/accounts, id: …, historyShared: true,
//           startVersion: 0 }                # cdfEnabled: the reference's older historyShared
//       - { name: contacts, location: /data/a/contacts, encrypted: true }
//                                              # sealed at rest under the share's data key
//   storage: { s3: {…}, azure: {…}, gcs: {…} }
//   limits: { requestTimeoutSeconds: 30, maxHeaderBytes: 16384, maxBodyBytes: 4194304, … }
//   accessLog: stderr                         # or off, or a file
//   errorLog: stderr                          # or off
//
// Unknown keys are errors (a typo must not silently disable a setting). Relative paths are
// resolved against the config file's folder.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/result.h"

namespace ds::sharing::server {

struct TableConfig {
  std::string name;
  std::string location;  // a path or a URI (file://, s3://, abfss://, gs://…)
  std::string id;        // stable table id; derived from share/schema/table when empty
  bool history_shared = false;
  int64_t start_version = 0;
  // Files (data and log) are sealed at rest (access/sealed_store.h) under the data key of the
  // share's id; the server decrypts them itself, so the location must be local.
  bool encrypted = false;
};

struct SchemaConfig {
  std::string name;
  std::vector<TableConfig> tables;
};

struct ShareConfig {
  std::string name;
  std::string id;  // derived when empty
  std::vector<SchemaConfig> schemas;
};

struct LimitsConfig {
  int64_t request_timeout_seconds = 30;
  int64_t max_header_bytes = 16 << 10;
  // Above the 1 MiB a jsonPredicateHints may have (such a hint is ignored, not refused).
  int64_t max_body_bytes = 4 << 20;
  int64_t max_connections = 10000;
  int64_t idle_timeout_seconds = 60;
  int64_t header_timeout_seconds = 10;
  int64_t write_stall_timeout_seconds = 30;
  int64_t worker_threads = 0;  // 0 = one per core (at least 4)
  int64_t io_threads = 0;      // 0 = one per core
};

struct Config {
  std::string source_path;  // the file it was read from ("" for text)
  int version = 1;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string endpoint = "/delta-sharing";
  std::string public_url;  // empty = http(s)://host:port
  int64_t presigned_url_timeout_seconds = 3600;
  std::optional<std::string> bearer_token;
  std::string store;            // "" = config only
  std::string master_key_file;  // "" = $DELTASHARE_MASTER_KEY
  std::string certificate_file, certificate_key_file;
  std::vector<ShareConfig> shares;
  // storage.<scheme>.<key> = value, validated by the object-store layer.
  std::map<std::string, std::map<std::string, std::string>> storage;
  LimitsConfig limits;
  int64_t query_page_size_limit = 10000;
  int64_t page_token_ttl_ms = 259'200'000;  // 3 days
  int64_t refresh_token_ttl_ms = 3'600'000;
  bool evaluate_predicate_hints = true;
  bool evaluate_json_predicate_hints = true;
  std::string access_log = "stderr";  // "stderr", "off", or a file path
  std::string error_log = "stderr";   // "stderr" or "off": server-side failures, one JSON line

  bool tls() const { return !certificate_file.empty(); }
};

// Parses YAML text. InvalidArgument naming the key path and the problem
// ("config: shares[0].schemas[1].tables[2].location: required").
Result<Config> ParseConfig(const std::string& yaml_text, const std::string& base_dir = ".");
// Reads and parses a file (relative paths inside resolve against its folder).
Result<Config> LoadConfig(const std::string& path);

}  // namespace ds::sharing::server
