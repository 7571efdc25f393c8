// Fuzzes activation-link redemption (the unauthenticated endpoint a recipient downloads its
// profile from) over a memory store holding one real link: arbitrary codes must be refused
// with NotFound or FailedPrecondition, never crash or redeem.
#include <cstdint>
#include <memory>
#include <string_view>

#include "access/memory_store.h"
#include "access/token_service.h"

namespace {

struct Fixture {
  std::shared_ptr<ds::access::MemoryAccessStore> store =
      std::make_shared<ds::access::MemoryAccessStore>();
  std::unique_ptr<ds::access::TokenService> tokens;
  std::string valid_code;

  Fixture() {
    auto master = ds::access::MasterKey::FromText(
        "1b7e3c9a5f0d2e8b4a6c1f9d3e7b0a5c8f2d6e1b9a4c7f0e3d8b2a6c5f1e9d7b", "fuzz");
    auto keys = std::make_shared<ds::access::KeyRing>(std::move(master).ValueOrDie());
    tokens = std::make_unique<ds::access::TokenService>(store, keys, [] { return int64_t{1000}; });
    ds::access::Recipient r;
    r.name = "fuzz";
    auto created = store->CreateRecipient(r).ValueOrDie();
    valid_code = tokens->CreateActivationLink(created, "https://x/ds", 3600).ValueOrDie().code;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = new Fixture();
  std::string_view code(reinterpret_cast<const char*>(data), size);
  auto redeemed = fixture->tokens->RedeemActivationLink(code);
  if (redeemed.ok() && code != fixture->valid_code) __builtin_trap();
  if (!redeemed.ok() && !redeemed.status().IsNotFound() &&
      redeemed.status().code() != ds::StatusCode::kFailedPrecondition) {
    __builtin_trap();
  }
  return 0;
}
