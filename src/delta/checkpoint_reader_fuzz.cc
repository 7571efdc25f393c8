// libFuzzer target: a Parquet checkpoint from untrusted bytes. Every action must be handed
// out or the reader must return an error; crashes and sanitizer reports are bugs.
#include <cstddef>
#include <cstdint>

#include "delta/checkpoint_reader.h"

namespace {

class Sink final : public ds::delta::ActionHandler {
 public:
  ds::Status OnFileAction(const ds::delta::FileActionView& a) override {
    (void)a.ToOwned();
    return ds::Status::OK();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = ds::io::MemoryFile(std::string_view(reinterpret_cast<const char*>(data), size),
                                 "fuzz.checkpoint.parquet");
  Sink sink;
  (void)ds::delta::ReadParquetCheckpoint(file, "fuzz.checkpoint.parquet", {}, &sink);
  return 0;
}
