#include "sharing/server/sharing_server.h"

#include <cstdio>

#include "access/http/access_routes.h"
#include "crypto/crypto.h"
#include "http/ops_routes.h"
#include "objstore/location.h"
#include "sharing/server/storage_config.h"
#include "sharing/service/sealed_tables.h"
#include "util/string_util.h"

namespace ds::sharing::server {
namespace {

// A UUID-shaped id derived from a name, stable across restarts and replicas.
std::string DerivedId(std::string_view kind, std::string_view name) {
  const std::string h = crypto::Sha256Hex(std::string(kind) + ":" + ToLower(name));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

Result<access::MasterKey> LoadMasterKey(const Config& config, std::vector<std::string>* warnings) {
  auto key = access::MasterKey::Load(config.master_key_file);
  if (key.ok() || key.status().code() != StatusCode::kFailedPrecondition) return key;
  for (const ShareConfig& share : config.shares) {
    for (const SchemaConfig& schema : share.schemas) {
      for (const TableConfig& table : schema.tables) {
        if (table.encrypted) {
          return Status::FailedPrecondition(
              "table " + share.name + "." + schema.name + "." + table.name +
              " is encrypted: its data key derives from the master key it was written with; "
              "set masterKeyFile or $DELTASHARE_MASTER_KEY");
        }
      }
    }
  }
  warnings->push_back(
      "no master key (masterKeyFile or $DELTASHARE_MASTER_KEY): using an ephemeral one, so "
      "page tokens and local-file URLs stop working when the server restarts");
  ASSIGN_OR_RETURN(std::string text, access::MasterKey::GenerateText());
  return access::MasterKey::FromText(text, "an ephemeral key");
}

// Local paths are served by the server itself; cloud locations go through the registry,
// which shares one store per bucket and signs URLs with the bucket's credentials.
service::LocationResolver MakeResolver(std::shared_ptr<objstore::StoreRegistry> registry) {
  return [registry](const std::string& uri) -> Result<service::OpenedLocation> {
    ASSIGN_OR_RETURN(objstore::ParsedLocation parsed, objstore::ParseLocation(uri));
    if (parsed.scheme == objstore::LocationScheme::kLocal) {
      return service::OpenLocalLocation(parsed.canonical_uri);
    }
    ASSIGN_OR_RETURN(objstore::Location location, registry->Resolve(uri));
    if (!location.signer) {
      return Status::FailedPrecondition("no credentials to pre-sign URLs for " +
                                        parsed.canonical_uri);
    }
    service::OpenedLocation opened;
    opened.store = location.store;
    opened.signer = location.signer;
    return opened;
  };
}

// The API routes, one per endpoint so that /metrics counts requests and latency per
// endpoint (the service matches the path again itself), then catch-alls that let the service
// answer unknown paths and methods with its JSON errors (after authentication).
Status AddApiRoutes(http::Router* router, const std::string& prefix, service::SharingService* svc) {
  http::RouteOptions file_route;
  file_route.log_path = false;  // the path carries a signed token
  for (http::Method m : {http::Method::kGet, http::Method::kHead}) {
    RETURN_NOT_OK(router->Add(
        m, prefix + "/files/{*rest}",
        [svc](const http::Request& r) { return svc->ServeFile(r, r.param("rest").value_or("")); },
        file_route));
  }
  const size_t prefix_size = prefix.size();
  auto api = [svc, prefix_size](const http::Request& r) {
    return svc->Handle(r, r.path().substr(prefix_size));
  };
  http::RouteOptions named;
  named.case_insensitive = true;
  const std::string table = prefix + "/shares/{share}/schemas/{schema}/tables/{table}";
  const std::pair<http::Method, std::string> endpoints[] = {
      {http::Method::kGet, prefix + "/shares"},
      {http::Method::kGet, prefix + "/shares/{share}"},
      {http::Method::kGet, prefix + "/shares/{share}/schemas"},
      {http::Method::kGet, prefix + "/shares/{share}/all-tables"},
      {http::Method::kGet, prefix + "/shares/{share}/schemas/{schema}/tables"},
      {http::Method::kHead, table},
      {http::Method::kGet, table + "/version"},
      {http::Method::kGet, table + "/metadata"},
      {http::Method::kPost, table + "/query"},
      {http::Method::kGet, table + "/changes"},
      {http::Method::kPost, table + "/queries/{queryId}"},
      {http::Method::kPost, table + "/temporary-table-credentials"},
  };
  for (const auto& [method, pattern] : endpoints) {
    RETURN_NOT_OK(router->Add(method, pattern, api, named));
  }
  for (http::Method m : {http::Method::kGet, http::Method::kHead, http::Method::kPost}) {
    RETURN_NOT_OK(router->Add(m, prefix + "/{*rest}", api));
  }
  return Status::OK();
}

}  // namespace

access::StaticAccess StaticAccessOf(const Config& config) {
  access::StaticAccess statics;
  for (const ShareConfig& s : config.shares) {
    access::Share share;
    share.name = s.name;
    share.id = s.id.empty() ? DerivedId("share", s.name) : s.id;
    for (const SchemaConfig& sc : s.schemas) {
      access::Schema schema;
      schema.name = sc.name;
      for (const TableConfig& t : sc.tables) {
        access::Table table;
        table.name = t.name;
        table.id = t.id.empty() ? DerivedId("table", s.name + "." + sc.name + "." + t.name) : t.id;
        table.location = t.location;
        table.history_shared = t.history_shared;
        table.encrypted = t.encrypted;
        if (t.start_version > 0) table.start_version = t.start_version;
        schema.tables.push_back(std::move(table));
      }
      share.schemas.push_back(std::move(schema));
    }
    statics.shares.push_back(std::move(share));
  }
  if (config.bearer_token) {
    access::StaticToken token;
    token.token = *config.bearer_token;
    token.recipient = "config";
    statics.tokens.push_back(std::move(token));
  }
  return statics;
}

Result<std::unique_ptr<SharingServer>> SharingServer::Start(const Config& config) {
  std::unique_ptr<SharingServer> s(new SharingServer());
  s->config_ = config;
  ASSIGN_OR_RETURN(access::AccessStorePtr store,
                   access::OpenAccessStore(config.store.empty() ? "memory:" : config.store));
  ASSIGN_OR_RETURN(access::MasterKey master, LoadMasterKey(config, &s->warnings_));
  auto keys = std::make_shared<access::KeyRing>(std::move(master));
  ASSIGN_OR_RETURN(auto access_service,
                   access::AccessService::Make(store, keys, StaticAccessOf(config)));
  s->access_ = std::move(access_service);

  ASSIGN_OR_RETURN(objstore::StorageCredentials credentials, CredentialsOf(config));
  ASSIGN_OR_RETURN(auto registry, objstore::StoreRegistry::Make(std::move(credentials)));
  // One registry for the HTTP server, the service and the snapshot cache: /metrics shows all.
  auto metrics = std::make_shared<http::MetricsRegistry>();
  service::TableCacheOptions cache_options;
  cache_options.metrics = metrics;
  // Encrypted tables (config `encrypted: true` or the store's flag) open through a SealedStore
  // under their share's data key.
  s->tables_ = std::make_shared<service::TableCache>(
      service::WithSealedTables(MakeResolver(registry), keys), cache_options);

  service::ServiceOptions options;
  options.prefix = config.endpoint;
  options.public_url = config.public_url;
  options.presigned_url_timeout_seconds = config.presigned_url_timeout_seconds;
  options.page_size_limit = config.query_page_size_limit;
  options.page_token_ttl_ms = config.page_token_ttl_ms;
  options.refresh_token_ttl_ms = config.refresh_token_ttl_ms;
  options.evaluate_predicate_hints = config.evaluate_predicate_hints;
  options.evaluate_json_predicate_hints = config.evaluate_json_predicate_hints;
  options.metrics = metrics;
  if (config.error_log == "stderr") {
    options.error_log = [](std::string_view line) {
      std::string out(line);
      out.push_back('\n');
      std::fwrite(out.data(), 1, out.size(), stderr);
    };
  }
  s->service_ = std::make_unique<service::SharingService>(options, s->access_, s->tables_);

  http::ServerOptions http_options;
  http_options.host = config.host;
  http_options.port = static_cast<uint16_t>(config.port);
  if (config.tls()) {
    http_options.tls = http::TlsOptions{config.certificate_file, config.certificate_key_file};
  }
  const LimitsConfig& l = config.limits;
  http_options.max_header_bytes = static_cast<size_t>(l.max_header_bytes);
  http_options.max_body_bytes = static_cast<size_t>(l.max_body_bytes);
  http_options.max_connections = static_cast<int>(l.max_connections);
  http_options.idle_timeout = std::chrono::seconds(l.idle_timeout_seconds);
  http_options.header_timeout = std::chrono::seconds(l.header_timeout_seconds);
  http_options.body_timeout = std::chrono::seconds(l.request_timeout_seconds);
  http_options.write_timeout = std::chrono::seconds(l.write_stall_timeout_seconds);
  http_options.handler_timeout = std::chrono::seconds(l.request_timeout_seconds);
  if (l.io_threads > 0) http_options.io_threads = static_cast<int>(l.io_threads);
  if (l.worker_threads > 0) http_options.worker_threads = static_cast<int>(l.worker_threads);
  if (config.access_log == "stderr") {
    http_options.access_log = http::StderrAccessLog();
  } else if (config.access_log != "off") {
    ASSIGN_OR_RETURN(http_options.access_log, http::OpenFileAccessLog(config.access_log));
  }
  http_options.metrics = metrics;
  // Weak: the cache holds the metrics registry, so a strong capture would be a cycle that
  // keeps both (and every cached snapshot) alive after the server is destroyed.
  std::weak_ptr<service::TableCache> tables = s->tables_;
  metrics->AddCallbackGauge("deltashare_cached_tables", "Tables in the snapshot cache", [tables] {
    auto cache = tables.lock();
    return cache ? static_cast<double>(cache->size()) : 0.0;
  });

  http::Router router;
  RETURN_NOT_OK(http::AddOperationalRoutes(&router, metrics));
  // Access endpoints (OAuth token, activation links, admin API) before the API catch-all.
  RETURN_NOT_OK(access::AddAccessRoutes(
      &router, s->access_,
      access::AccessRoutesOptions{config.endpoint == "/" ? "" : config.endpoint,
                                  config.public_url}));
  RETURN_NOT_OK(
      AddApiRoutes(&router, config.endpoint == "/" ? "" : config.endpoint, s->service_.get()));
  ASSIGN_OR_RETURN(s->http_, http::Server::Start(std::move(http_options), std::move(router)));
  return s;
}

SharingServer::~SharingServer() {
  if (http_) http_->Stop(std::chrono::seconds(0));
}

std::string SharingServer::endpoint_url() const {
  if (!config_.public_url.empty()) return config_.public_url + config_.endpoint;
  std::string host = config_.host == "0.0.0.0" || config_.host == "::" ? "127.0.0.1" : config_.host;
  return std::string(config_.tls() ? "https" : "http") + "://" + host + ":" +
         std::to_string(port()) + config_.endpoint;
}

void SharingServer::Stop(std::chrono::milliseconds grace) {
  if (http_) http_->Stop(grace);
}

}  // namespace ds::sharing::server
