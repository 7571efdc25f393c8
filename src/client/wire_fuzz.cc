// Fuzz target: the client's parsers of untrusted server bytes (list documents, NDJSON lines
// in both formats, the capabilities header, token responses).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "client/auth.h"
#include "client/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)ds::client::ParseSharesPage(text);
  (void)ds::client::ParseSchemasPage(text);
  (void)ds::client::ParseTablesPage(text);
  (void)ds::client::ParseShareDocument(text);
  (void)ds::client::ParseTokenResponse(text);
  (void)ds::client::ResponseFormatOf(text);
  ds::client::ResponseLine line;
  (void)ds::client::ParseResponseLine(text, ds::client::ResponseFormat::kParquet, &line);
  (void)ds::client::ParseResponseLine(text, ds::client::ResponseFormat::kDelta, &line);
  return 0;
}
