// The deltashare CLI: one binary, one command group per file (`<group>_commands.cc`). Each
// file registers its group with DS_COMMAND_GROUP(order, RegisterFn); RegisterFn adds the group
// to the app and stores the action to run in *action. Actions return a Status; main prints
// errors as "error: <message>" and exits 1 (usage errors exit 2).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <string_view>

#include "util/status.h"

namespace ds::cli {

using Action = std::function<Status()>;

using RegisterFn = void (*)(CLI::App* app, Action* action);

// Adds a command group to the registry; `order` sorts the groups in --help.
bool AddCommandGroup(int order, RegisterFn fn);
// Calls every registered group's RegisterFn, in order.
void RegisterAllCommandGroups(CLI::App* app, Action* action);

#define DS_COMMAND_GROUP(order, fn)                                 \
  [[maybe_unused]] static const bool ds_command_group_registered_ = \
      ::ds::cli::AddCommandGroup(order, fn)

// Buffered stdout for bulk output (JSON Lines, tables).
class Stdout {
 public:
  Stdout();
  ~Stdout();
  void Write(std::string_view s);
  // Flushes; IOError if stdout is closed or full.
  Status Flush();

 private:
  std::string buf_;
};

}  // namespace ds::cli
