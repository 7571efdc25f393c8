// libFuzzer target: Delta log JSON from untrusted bytes, as a commit (every action applied to
// a file table and materialized) and as a _last_checkpoint hint. Crashes, leaks, hangs and
// sanitizer reports are bugs; errors are fine.
#include <cstddef>
#include <cstdint>

#include "delta/commit_parser.h"
#include "delta/file_table.h"
#include "delta/last_checkpoint.h"

namespace {

class Sink final : public ds::delta::ActionHandler {
 public:
  ds::Status OnFileAction(const ds::delta::FileActionView& a) override {
    ds::delta::FileAction owned = a.ToOwned();
    (void)owned.Key();
    if (a.kind == ds::delta::FileActionKind::kCdc) return ds::Status::OK();
    return files.Apply(a);
  }
  ds::delta::FileTableBuilder files;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)ds::delta::ParseLastCheckpoint(text);
  Sink sink;
  ds::delta::CommitParser parser;
  (void)parser.Parse(&text, "fuzz.json", &sink);
  ds::delta::FileTable table = sink.files.Finish();
  std::string json;
  for (size_t i = 0; i < table.num_files(); ++i) table.file(i).AppendJson({}, &json);
  return 0;
}
