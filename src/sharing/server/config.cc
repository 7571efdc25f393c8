#include "sharing/server/config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

#include "io/file.h"
#include "sharing/protocol/routes.h"
#include "util/string_util.h"

namespace ds::sharing::server {
namespace {

Status Bad(const std::string& path, const std::string& problem) {
  return Status::InvalidArgument("config: " + path + ": " + problem);
}

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// Checks that a map node has only the allowed keys.
Status CheckKeys(const YAML::Node& node, const std::string& path,
                 const std::set<std::string>& allowed) {
  if (!node.IsMap()) return Bad(path.empty() ? "(top level)" : path, "must be a mapping");
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (!allowed.count(key)) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
      return Bad(Join(path, key), "unknown key (known keys: " + known + ")");
    }
  }
  return Status::OK();
}

Result<std::string> GetString(const YAML::Node& node, const std::string& path, bool required) {
  if (!node || node.IsNull()) {
    if (required) return Bad(path, "required");
    return std::string();
  }
  if (!node.IsScalar()) return Bad(path, "must be a string");
  return node.as<std::string>();
}

Result<int64_t> GetInt(const YAML::Node& node, const std::string& path, int64_t fallback,
                       int64_t min, int64_t max) {
  if (!node || node.IsNull()) return fallback;
  if (!node.IsScalar()) return Bad(path, "must be an integer");
  auto v = ParseInt64(node.as<std::string>());
  if (!v) return Bad(path, "must be an integer, got '" + node.as<std::string>() + "'");
  if (*v < min || *v > max) {
    return Bad(path, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return *v;
}

Result<bool> GetBool(const YAML::Node& node, const std::string& path, bool fallback) {
  if (!node || node.IsNull()) return fallback;
  const std::string v = node.IsScalar() ? ToLower(node.as<std::string>()) : "";
  if (v == "true" || v == "yes") return true;
  if (v == "false" || v == "no") return false;
  return Bad(path, "must be true or false");
}

std::string Resolve(const std::string& base_dir, const std::string& p) {
  if (p.empty() || p.find("://") != std::string::npos || p.front() == '/') return p;
  return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

// A path or a file: URI (what the server serves itself), not s3://, abfss://, gs://…
bool IsLocalLocation(const std::string& location) {
  return StartsWith(location, "file:") || location.find("://") == std::string::npos;
}

Status ParseTables(const YAML::Node& node, const std::string& path, const std::string& base_dir,
                   std::vector<TableConfig>* out) {
  if (!node.IsSequence()) return Bad(path, "must be a list");
  std::set<std::string> seen;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    const YAML::Node& t = node[i];
    RETURN_NOT_OK(
        CheckKeys(t, p, {"name", "location", "id", "historyShared", "startVersion", "cdfEnabled",
                               "encrypted"}));
    TableConfig table;
    ASSIGN_OR_RETURN(table.name, GetString(t["name"], p + ".name", true));
    RETURN_NOT_OK_CTX(protocol::ValidateName(protocol::NameKind::kTable, table.name),
                      "config: " + p + ".name");
    if (!seen.insert(protocol::NameKey(table.name)).second) {
      return Bad(p + ".name", "duplicate table '" + table.name + "'");
    }
    ASSIGN_OR_RETURN(std::string location, GetString(t["location"], p + ".location", true));
    table.location = Resolve(base_dir, location);
    ASSIGN_OR_RETURN(table.id, GetString(t["id"], p + ".id", false));
    ASSIGN_OR_RETURN(table.history_shared,
                     GetBool(t["historyShared"], p + ".historyShared", false));
    ASSIGN_OR_RETURN(bool cdf_enabled, GetBool(t["cdfEnabled"], p + ".cdfEnabled", false));
    table.history_shared = table.history_shared || cdf_enabled;
    ASSIGN_OR_RETURN(table.start_version,
                     GetInt(t["startVersion"], p + ".startVersion", 0, 0, INT64_MAX));
    ASSIGN_OR_RETURN(table.encrypted, GetBool(t["encrypted"], p + ".encrypted", false));
    if (table.encrypted && !IsLocalLocation(table.location)) {
      return Bad(p + ".encrypted",
                 "an encrypted table must be local (a path or file://): the server decrypts its "
                 "files itself, and pre-signed cloud URLs would hand out ciphertext");
    }
    out->push_back(std::move(table));
  }
  return Status::OK();
}

Status ParseShares(const YAML::Node& node, const std::string& base_dir,
                   std::vector<ShareConfig>* out) {
  if (!node) return Status::OK();
  if (!node.IsSequence()) return Bad("shares", "must be a list");
  std::set<std::string> seen_shares;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string p = "shares[" + std::to_string(i) + "]";
    const YAML::Node& s = node[i];
    RETURN_NOT_OK(CheckKeys(s, p, {"name", "id", "schemas"}));
    ShareConfig share;
    ASSIGN_OR_RETURN(share.name, GetString(s["name"], p + ".name", true));
    RETURN_NOT_OK_CTX(protocol::ValidateName(protocol::NameKind::kShare, share.name),
                      "config: " + p + ".name");
    if (!seen_shares.insert(protocol::NameKey(share.name)).second) {
      return Bad(p + ".name", "duplicate share '" + share.name + "'");
    }
    ASSIGN_OR_RETURN(share.id, GetString(s["id"], p + ".id", false));
    const YAML::Node& schemas = s["schemas"];
    if (schemas) {
      if (!schemas.IsSequence()) return Bad(p + ".schemas", "must be a list");
      std::set<std::string> seen_schemas;
      for (size_t j = 0; j < schemas.size(); ++j) {
        const std::string sp = p + ".schemas[" + std::to_string(j) + "]";
        RETURN_NOT_OK(CheckKeys(schemas[j], sp, {"name", "tables"}));
        SchemaConfig schema;
        ASSIGN_OR_RETURN(schema.name, GetString(schemas[j]["name"], sp + ".name", true));
        RETURN_NOT_OK_CTX(protocol::ValidateName(protocol::NameKind::kSchema, schema.name),
                          "config: " + sp + ".name");
        if (!seen_schemas.insert(protocol::NameKey(schema.name)).second) {
          return Bad(sp + ".name", "duplicate schema '" + schema.name + "'");
        }
        if (schemas[j]["tables"]) {
          RETURN_NOT_OK(
              ParseTables(schemas[j]["tables"], sp + ".tables", base_dir, &schema.tables));
        }
        share.schemas.push_back(std::move(schema));
      }
    }
    out->push_back(std::move(share));
  }
  return Status::OK();
}

Status ParseStorage(const YAML::Node& node, Config* c) {
  if (!node) return Status::OK();
  RETURN_NOT_OK(CheckKeys(node, "storage", {"s3", "azure", "gcs"}));
  for (const auto& kv : node) {
    const std::string scheme = kv.first.as<std::string>();
    const std::string p = "storage." + scheme;
    if (!kv.second.IsMap()) return Bad(p, "must be a mapping");
    for (const auto& entry : kv.second) {
      const std::string key = entry.first.as<std::string>();
      ASSIGN_OR_RETURN(std::string value, GetString(entry.second, p + "." + key, false));
      c->storage[scheme][key] = value;
    }
  }
  return Status::OK();
}

Status ParseLimits(const YAML::Node& node, LimitsConfig* l) {
  if (!node) return Status::OK();
  RETURN_NOT_OK(CheckKeys(node, "limits",
                          {"requestTimeoutSeconds", "maxHeaderBytes", "maxBodyBytes",
                           "maxConnections", "idleTimeoutSeconds", "headerTimeoutSeconds",
                           "writeStallTimeoutSeconds", "workerThreads", "ioThreads"}));
  ASSIGN_OR_RETURN(l->request_timeout_seconds,
                   GetInt(node["requestTimeoutSeconds"], "limits.requestTimeoutSeconds",
                          l->request_timeout_seconds, 0, 86400));
  ASSIGN_OR_RETURN(l->max_header_bytes, GetInt(node["maxHeaderBytes"], "limits.maxHeaderBytes",
                                               l->max_header_bytes, 1024, 1 << 20));
  ASSIGN_OR_RETURN(l->max_body_bytes, GetInt(node["maxBodyBytes"], "limits.maxBodyBytes",
                                             l->max_body_bytes, 1024, 64 << 20));
  ASSIGN_OR_RETURN(l->max_connections, GetInt(node["maxConnections"], "limits.maxConnections",
                                              l->max_connections, 1, 1000000));
  ASSIGN_OR_RETURN(l->idle_timeout_seconds,
                   GetInt(node["idleTimeoutSeconds"], "limits.idleTimeoutSeconds",
                          l->idle_timeout_seconds, 1, 86400));
  ASSIGN_OR_RETURN(l->header_timeout_seconds,
                   GetInt(node["headerTimeoutSeconds"], "limits.headerTimeoutSeconds",
                          l->header_timeout_seconds, 1, 3600));
  ASSIGN_OR_RETURN(l->write_stall_timeout_seconds,
                   GetInt(node["writeStallTimeoutSeconds"], "limits.writeStallTimeoutSeconds",
                          l->write_stall_timeout_seconds, 1, 3600));
  ASSIGN_OR_RETURN(l->worker_threads, GetInt(node["workerThreads"], "limits.workerThreads",
                                             l->worker_threads, 0, 1024));
  ASSIGN_OR_RETURN(l->io_threads,
                   GetInt(node["ioThreads"], "limits.ioThreads", l->io_threads, 0, 256));
  return Status::OK();
}

Result<Config> ParseRoot(const YAML::Node& root, const std::string& base_dir) {
  Config c;
  RETURN_NOT_OK(CheckKeys(root, "",
                          {"version",
                           "host",
                           "port",
                           "endpoint",
                           "publicUrl",
                           "preSignedUrlTimeoutSeconds",
                           "authorization",
                           "store",
                           "masterKeyFile",
                           "ssl",
                           "shares",
                           "storage",
                           "limits",
                           "queryTablePageSizeLimit",
                           "queryTablePageTokenTtlMs",
                           "refreshTokenTtlMs",
                           "evaluatePredicateHints",
                           "evaluateJsonPredicateHints",
                           "accessLog",
                           "errorLog"}));
  ASSIGN_OR_RETURN(int64_t version, GetInt(root["version"], "version", -1, 1, 1));
  if (version != 1) return Bad("version", "required (must be 1)");
  ASSIGN_OR_RETURN(c.host, GetString(root["host"], "host", false));
  if (c.host.empty()) c.host = "127.0.0.1";
  ASSIGN_OR_RETURN(int64_t port, GetInt(root["port"], "port", 8080, 0, 65535));
  c.port = static_cast<int>(port);
  ASSIGN_OR_RETURN(c.endpoint, GetString(root["endpoint"], "endpoint", false));
  if (c.endpoint.empty()) c.endpoint = "/delta-sharing";
  if (c.endpoint.front() != '/') return Bad("endpoint", "must start with '/'");
  while (c.endpoint.size() > 1 && c.endpoint.back() == '/') c.endpoint.pop_back();
  ASSIGN_OR_RETURN(c.public_url, GetString(root["publicUrl"], "publicUrl", false));
  while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
  if (!c.public_url.empty() && !StartsWith(c.public_url, "http://") &&
      !StartsWith(c.public_url, "https://")) {
    return Bad("publicUrl", "must be an http:// or https:// URL");
  }
  ASSIGN_OR_RETURN(
      c.presigned_url_timeout_seconds,
      GetInt(root["preSignedUrlTimeoutSeconds"], "preSignedUrlTimeoutSeconds", 3600, 1, 7 * 86400));
  if (const YAML::Node& auth = root["authorization"]) {
    RETURN_NOT_OK(CheckKeys(auth, "authorization", {"bearerToken"}));
    ASSIGN_OR_RETURN(std::string token,
                     GetString(auth["bearerToken"], "authorization.bearerToken", true));
    if (token.size() < 16) {
      return Bad("authorization.bearerToken", "must have at least 16 characters");
    }
    c.bearer_token = std::move(token);
  }
  ASSIGN_OR_RETURN(std::string store, GetString(root["store"], "store", false));
  if (StartsWith(store, "sqlite:")) store = "sqlite:" + Resolve(base_dir, store.substr(7));
  c.store = store;
  ASSIGN_OR_RETURN(std::string key_file, GetString(root["masterKeyFile"], "masterKeyFile", false));
  c.master_key_file = Resolve(base_dir, key_file);
  if (const YAML::Node& ssl = root["ssl"]) {
    RETURN_NOT_OK(CheckKeys(ssl, "ssl", {"certificateFile", "certificateKeyFile"}));
    ASSIGN_OR_RETURN(std::string cert,
                     GetString(ssl["certificateFile"], "ssl.certificateFile", true));
    ASSIGN_OR_RETURN(std::string key,
                     GetString(ssl["certificateKeyFile"], "ssl.certificateKeyFile", true));
    c.certificate_file = Resolve(base_dir, cert);
    c.certificate_key_file = Resolve(base_dir, key);
  }
  RETURN_NOT_OK(ParseShares(root["shares"], base_dir, &c.shares));
  RETURN_NOT_OK(ParseStorage(root["storage"], &c));
  RETURN_NOT_OK(ParseLimits(root["limits"], &c.limits));
  ASSIGN_OR_RETURN(c.query_page_size_limit, GetInt(root["queryTablePageSizeLimit"],
                                                   "queryTablePageSizeLimit", 10000, 1, 1000000));
  ASSIGN_OR_RETURN(c.page_token_ttl_ms,
                   GetInt(root["queryTablePageTokenTtlMs"], "queryTablePageTokenTtlMs",
                          c.page_token_ttl_ms, 1000, INT64_MAX / 2));
  ASSIGN_OR_RETURN(c.refresh_token_ttl_ms, GetInt(root["refreshTokenTtlMs"], "refreshTokenTtlMs",
                                                  c.refresh_token_ttl_ms, 1000, INT64_MAX / 2));
  ASSIGN_OR_RETURN(c.evaluate_predicate_hints,
                   GetBool(root["evaluatePredicateHints"], "evaluatePredicateHints", true));
  ASSIGN_OR_RETURN(c.evaluate_json_predicate_hints,
                   GetBool(root["evaluateJsonPredicateHints"], "evaluateJsonPredicateHints", true));
  ASSIGN_OR_RETURN(c.access_log, GetString(root["accessLog"], "accessLog", false));
  if (c.access_log.empty()) c.access_log = "stderr";
  ASSIGN_OR_RETURN(c.error_log, GetString(root["errorLog"], "errorLog", false));
  if (c.error_log.empty()) c.error_log = "stderr";
  if (c.error_log != "stderr" && c.error_log != "off") {
    return Bad("errorLog", "must be stderr or off");
  }
  if (c.access_log != "stderr" && c.access_log != "off") {
    c.access_log = Resolve(base_dir, c.access_log);
  }
  if (!c.bearer_token && c.store.empty()) {
    return Bad("authorization",
               "no way to authenticate recipients: set authorization.bearerToken or store");
  }
  return c;
}

}  // namespace

Result<Config> ParseConfig(const std::string& yaml_text, const std::string& base_dir) {
  try {
    YAML::Node root = YAML::Load(yaml_text);
    if (!root || root.IsNull()) return Status::InvalidArgument("config: the file is empty");
    return ParseRoot(root, base_dir);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("config: invalid YAML at line " +
                                   std::to_string(e.mark.line + 1) + ", column " +
                                   std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

Result<Config> LoadConfig(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, io::ReadFileToString(path));
  std::string base = std::filesystem::path(path).parent_path().string();
  ASSIGN_OR_RETURN(Config c, ParseConfig(text, base.empty() ? "." : base));
  c.source_path = path;
  return c;
}

}  // namespace ds::sharing::server
