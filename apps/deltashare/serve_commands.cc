// `deltashare serve`: run the Delta Sharing server.
#include <cstdio>

#include "apps/deltashare/commands.h"
#include "http/signals.h"
#include "sharing/server/sharing_server.h"

namespace ds::cli {
namespace {

Status Serve(const std::string& config_path, int port_override) {
  ASSIGN_OR_RETURN(sharing::server::Config config, sharing::server::LoadConfig(config_path));
  if (port_override >= 0) config.port = port_override;
  http::TerminationSignals signals;  // before any thread starts
  ASSIGN_OR_RETURN(auto server, sharing::server::SharingServer::Start(config));
  for (const std::string& w : server->warnings()) std::fprintf(stderr, "warning: %s\n", w.c_str());
  std::fprintf(stderr, "deltashare: serving Delta Sharing at %s (Ctrl-C to stop)\n",
               server->endpoint_url().c_str());
  const int sig = signals.Wait();
  std::fprintf(stderr, "deltashare: signal %d, stopping (in-flight requests get 10 s)\n", sig);
  server->Stop(std::chrono::seconds(10));
  return Status::OK();
}

void RegisterServeCommands(CLI::App* app, Action* action) {
  CLI::App* cmd = app->add_subcommand("serve", "Run the Delta Sharing server");
  auto config = std::make_shared<std::string>();
  auto port = std::make_shared<int>(-1);
  cmd->add_option("-c,--config", *config, "Server configuration (YAML)")->required();
  cmd->add_option("--port", *port, "Listen on this port instead of the config's")
      ->check(CLI::Range(0, 65535));
  cmd->callback([=] { *action = [=] { return Serve(*config, *port); }; });
}

}  // namespace

DS_COMMAND_GROUP(30, RegisterServeCommands);

}  // namespace ds::cli
