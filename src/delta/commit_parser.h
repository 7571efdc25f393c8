// Parser of the NDJSON log files: commits, log compactions and V2 JSON checkpoints. One
// action per line; unknown actions and fields are ignored (delta.md §2). This is the hot
// path of log replay (simdjson On-Demand): strings are handed out as views into the
// parser's buffers, stats stay unparsed strings.
//
// Not thread-safe: use one parser per thread (they are cheap to keep and reuse).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "delta/actions.h"

namespace ds::delta {

class CommitParser {
 public:
  CommitParser();
  ~CommitParser();
  CommitParser(const CommitParser&) = delete;
  CommitParser& operator=(const CommitParser&) = delete;

  // Parses every line of `text` (the whole file; the parser may grow its capacity for
  // padding, not its contents) and calls `handler` for each action in order. Blank lines
  // are skipped. Corruption naming `file_name`, the line number and the field for malformed
  // JSON, a line that is not an object, or a required field that is missing or ill-typed;
  // a handler error is returned unchanged.
  Status Parse(std::string* text, std::string_view file_name, ActionHandler* handler);

 private:
  std::unique_ptr<class ParserBackend> backend_;
};

// Builds a CommitInfo from the raw JSON of a commitInfo object (lenient: fields of the wrong
// type are left unset). Corruption only if `json` is not a JSON object.
Result<CommitInfo> ParseCommitInfo(std::string_view json);

}  // namespace ds::delta
