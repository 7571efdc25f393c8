// deltashare: Delta Sharing server, client and Delta Lake / Parquet tools in one binary.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "apps/deltashare/commands.h"
#include "util/memory.h"

namespace ds::cli {

Stdout::Stdout() { buf_.reserve(1 << 20); }
Stdout::~Stdout() { (void)Flush(); }

void Stdout::Write(std::string_view s) {
  buf_.append(s);
  if (buf_.size() >= (1 << 20)) (void)Flush();
}

Status Stdout::Flush() {
  if (buf_.empty()) return Status::OK();
  size_t n = std::fwrite(buf_.data(), 1, buf_.size(), stdout);
  bool ok = n == buf_.size() && std::fflush(stdout) == 0;
  buf_.clear();
  return ok ? Status::OK() : Status::IOError("cannot write to standard output");
}

namespace {
std::vector<std::pair<int, RegisterFn>>& Groups() {
  static std::vector<std::pair<int, RegisterFn>> groups;
  return groups;
}
}  // namespace

bool AddCommandGroup(int order, RegisterFn fn) {
  Groups().emplace_back(order, fn);
  return true;
}

void RegisterAllCommandGroups(CLI::App* app, Action* action) {
  auto groups = Groups();
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [order, fn] : groups) fn(app, action);
}

}  // namespace ds::cli

int main(int argc, char** argv) {
  ds::TuneAllocator();
  CLI::App app{"deltashare: share live Delta Lake tables with the open Delta Sharing protocol"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "deltashare 0.1.0");
  ds::cli::Action action;
  ds::cli::RegisterAllCommandGroups(&app, &action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help or the usage error
    return code == 0 ? 0 : 2;
  }
  if (!action) return 2;
  ds::Status st = action();
  if (!st.ok()) {
    std::fprintf(stderr, "error: %s\n", st.message().c_str());
    return 1;
  }
  return 0;
}
