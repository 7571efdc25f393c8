// Test helper: a real Delta Sharing server (sharing/server, the code behind `deltashare
// serve`) on a loopback ephemeral port, serving chosen table folders, plus the profile a
// recipient uses to reach it. The server can be stopped and restarted on the same port with
// the same master key (URLs and tokens stay valid), to test clients across restarts.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sharing/protocol/profile.h"
#include "sharing/server/sharing_server.h"

namespace ds::client::testing {

struct ServedTable {
  std::string share = "share";
  std::string schema = "default";
  std::string name;
  std::string location;  // a folder holding _delta_log
  bool history_shared = true;
};

struct ServerSetup {
  std::vector<ServedTable> tables;
  int64_t url_lifetime_seconds = 3600;
  int64_t page_size_limit = 10000;
  std::string bearer_token = "client-test-token";
};

class TestSharingServer {
 public:
  // Writes the config (and a master key) into a fresh folder and starts the server.
  static Result<std::unique_ptr<TestSharingServer>> Start(ServerSetup setup);
  ~TestSharingServer();

  // Stops the server (in-flight requests get `grace_ms`).
  void Stop(int64_t grace_ms = 0);
  // Starts it again on the same port with the same configuration.
  Status Restart();

  int port() const { return port_; }
  // http://127.0.0.1:<port>/delta-sharing
  std::string endpoint() const;
  sharing::protocol::Profile profile() const;
  // A profile file in the server's folder.
  const std::string& profile_path() const { return profile_path_; }
  const std::string& config_path() const { return config_path_; }
  sharing::server::SharingServer* server() { return server_.get(); }

 private:
  TestSharingServer() = default;
  std::filesystem::path dir_;
  ServerSetup setup_;
  std::string config_path_, profile_path_;
  sharing::server::Config config_;
  std::unique_ptr<sharing::server::SharingServer> server_;
  int port_ = 0;
};

// YAML for a setup (exposed for tests that run the `deltashare serve` binary).
std::string ConfigYaml(const ServerSetup& setup, const std::string& master_key_file, int port);

}  // namespace ds::client::testing
