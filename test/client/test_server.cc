#include "test/client/test_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "io/file.h"
#include "util/json.h"

namespace ds::client::testing {
namespace {

std::string Quoted(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);  // JSON strings are valid YAML double-quoted scalars
  return out;
}

}  // namespace

std::string ConfigYaml(const ServerSetup& setup, const std::string& master_key_file, int port) {
  std::string y;
  y += "version: 1\nhost: 127.0.0.1\nport: " + std::to_string(port) + "\n";
  y += "endpoint: /delta-sharing\n";
  y += "preSignedUrlTimeoutSeconds: " + std::to_string(setup.url_lifetime_seconds) + "\n";
  y += "queryTablePageSizeLimit: " + std::to_string(setup.page_size_limit) + "\n";
  y += "authorization:\n  bearerToken: " + Quoted(setup.bearer_token) + "\n";
  y += "masterKeyFile: " + Quoted(master_key_file) + "\n";
  y += "accessLog: \"off\"\n";
  y += "shares:\n";
  // Group by share, then schema, keeping first-seen order.
  std::vector<std::string> shares;
  for (const ServedTable& t : setup.tables) {
    if (std::find(shares.begin(), shares.end(), t.share) == shares.end()) shares.push_back(t.share);
  }
  for (const std::string& share : shares) {
    y += "- name: " + Quoted(share) + "\n  schemas:\n";
    std::vector<std::string> schemas;
    for (const ServedTable& t : setup.tables) {
      if (t.share == share &&
          std::find(schemas.begin(), schemas.end(), t.schema) == schemas.end()) {
        schemas.push_back(t.schema);
      }
    }
    for (const std::string& schema : schemas) {
      y += "  - name: " + Quoted(schema) + "\n    tables:\n";
      for (const ServedTable& t : setup.tables) {
        if (t.share != share || t.schema != schema) continue;
        y += "    - name: " + Quoted(t.name) + "\n      location: " + Quoted(t.location) + "\n";
        y += std::string("      historyShared: ") + (t.history_shared ? "true" : "false") + "\n";
      }
    }
  }
  return y;
}

Result<std::unique_ptr<TestSharingServer>> TestSharingServer::Start(ServerSetup setup) {
  std::unique_ptr<TestSharingServer> s(new TestSharingServer());
  std::random_device rd;
  s->dir_ = std::filesystem::temp_directory_path() /
            ("ds-client-server-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(s->dir_);
  s->setup_ = std::move(setup);
  const std::string key_path = (s->dir_ / "master.key").string();
  RETURN_NOT_OK(io::WriteStringToFile(
      key_path, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"));
  ::chmod(key_path.c_str(), 0600);
  s->config_path_ = (s->dir_ / "server.yaml").string();
  RETURN_NOT_OK(io::WriteStringToFile(s->config_path_, ConfigYaml(s->setup_, key_path, 0)));
  ASSIGN_OR_RETURN(s->config_, sharing::server::LoadConfig(s->config_path_));
  ASSIGN_OR_RETURN(s->server_, sharing::server::SharingServer::Start(s->config_));
  s->port_ = s->server_->port();
  s->config_.port = s->port_;
  s->profile_path_ = (s->dir_ / "profile.share").string();
  RETURN_NOT_OK(
      io::WriteStringToFile(s->profile_path_, sharing::protocol::ProfileToJson(s->profile())));
  return s;
}

TestSharingServer::~TestSharingServer() {
  Stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void TestSharingServer::Stop(int64_t grace_ms) {
  if (server_) server_->Stop(std::chrono::milliseconds(grace_ms));
  server_.reset();
}

Status TestSharingServer::Restart() {
  Stop();
  // The port may linger briefly; retry binding for a few seconds.
  Status last;
  for (int i = 0; i < 50; ++i) {
    auto started = sharing::server::SharingServer::Start(config_);
    if (started.ok()) {
      server_ = std::move(started).value();
      return Status::OK();
    }
    last = started.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return last;
}

std::string TestSharingServer::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/delta-sharing";
}

sharing::protocol::Profile TestSharingServer::profile() const {
  sharing::protocol::Profile p;
  p.endpoint = endpoint();
  p.bearer_token = setup_.bearer_token;
  return p;
}

}  // namespace ds::client::testing
