// Fuzzes what admins (and the admin REST API) send: JSON bodies for shares, tables,
// recipients and grants, CIDR blocks, durations and names.
#include <cstdint>
#include <string_view>

#include "access/duration.h"
#include "access/ip_allow_list.h"
#include "access/model_json.h"
#include "access/names.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)ds::access::ShareFromJson(text);
  (void)ds::access::TableFromJson(text);
  (void)ds::access::RecipientFromJson(text);
  (void)ds::access::PartitionFilterFromJson(text);
  auto block = ds::access::CidrBlock::Parse(text);
  if (block.ok()) {
    // The canonical form parses to the same block.
    auto again = ds::access::CidrBlock::Parse(block->ToString());
    if (!again.ok() || again->ToString() != block->ToString()) __builtin_trap();
  }
  (void)ds::access::IpAddress::Parse(text);
  (void)ds::access::ParseDurationSeconds(text);
  (void)ds::access::ValidateName(ds::access::NameKind::kTable, text);
  return 0;
}
