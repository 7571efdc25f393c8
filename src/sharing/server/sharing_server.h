// SharingServer: `deltashare serve` — the configuration turned into a running server.
//
// Wires the access layer (the store named in the config, or memory; the master key from
// masterKeyFile or $DELTASHARE_MASTER_KEY, else an ephemeral key with a warning), the static
// shares and bearer token of the config, the snapshot cache (encrypted tables opened sealed
// under their share's data key: sharing/service/sealed_tables.h), the sharing service, and
// the HTTP server: the API under `endpoint`, local-file downloads under `endpoint`/files,
// /healthz and /metrics. A config with an encrypted table needs a real master key (an
// ephemeral one could open none of its files).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "access/access_service.h"
#include "http/server.h"
#include "sharing/server/config.h"
#include "sharing/service/sharing_service.h"

namespace ds::sharing::server {

class SharingServer {
 public:
  // Starts serving. Errors: the config's (InvalidArgument), the store's, the master key's,
  // or the HTTP server's (address in use, TLS files).
  static Result<std::unique_ptr<SharingServer>> Start(const Config& config);
  ~SharingServer();

  uint16_t port() const { return http_->port(); }
  // "http://127.0.0.1:8080/delta-sharing" (the endpoint a profile names).
  std::string endpoint_url() const;
  service::SharingService& service() { return *service_; }
  access::AccessService& access() { return *access_; }
  // Graceful stop (see http::Server::Stop).
  void Stop(std::chrono::milliseconds grace);
  // Warnings from startup (an ephemeral master key, ...).
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  SharingServer() = default;
  Config config_;
  std::shared_ptr<access::AccessService> access_;
  std::shared_ptr<service::TableCache> tables_;
  std::unique_ptr<service::SharingService> service_;
  std::unique_ptr<http::Server> http_;
  std::vector<std::string> warnings_;
};

// The access-layer view of the config's static shares, with stable derived ids where the
// config gives none.
access::StaticAccess StaticAccessOf(const Config& config);

}  // namespace ds::sharing::server
