// The deltashare CLI: one binary, one command group per file. Each Register* function adds
// its group to the app and stores the action to run in *action. Actions return a Status;
// main prints errors as "error: <message>" and exits 1 (usage errors exit 2).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <string_view>

#include "util/status.h"

namespace ds::cli {

using Action = std::function<Status()>;

void RegisterParquetCommands(CLI::App* app, Action* action);

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
