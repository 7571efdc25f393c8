// Fuzzes request-target handling: target splitting, query parsing, percent-decoding (both
// '+' modes, with an encode/decode round trip) and routing with parameters and a tail.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/router.h"
#include "http/uri.h"

namespace {

ds::http::Router MakeRouter() {
  ds::http::Router r;
  auto ok = [](const ds::http::Request&) { return ds::http::Response::Empty(204); };
  ds::http::RouteOptions ci;
  ci.case_insensitive = true;
  ci.plus_as_space = true;
  r.Add(ds::http::Method::kGet, "/shares/{share}/schemas/{schema}/tables", ok, ci).Abort();
  r.Add(ds::http::Method::kPost, "/shares/{share}/schemas/{schema}/tables/{table}/query", ok)
      .Abort();
  r.Add(ds::http::Method::kGet, "/files/{*rest}", ok).Abort();
  return r;
}

const ds::http::Router& FuzzRouter() {
  static const ds::http::Router router = MakeRouter();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (bool plus : {false, true}) {
    auto decoded = ds::http::PercentDecode(input, {.plus_as_space = plus});
    (void)decoded;
  }
  std::string encoded = ds::http::PercentEncode(input);
  auto back = ds::http::PercentDecode(encoded);
  if (!back.ok() || *back != input) std::abort();  // encoding must round-trip every byte

  auto target = ds::http::SplitTarget(input);
  if (!target.ok()) return 0;
  if (target->path.empty() || target->path.front() != '/') std::abort();
  auto query = ds::http::ParseQuery(target->query);
  (void)query;
  for (ds::http::Method m :
       {ds::http::Method::kGet, ds::http::Method::kHead, ds::http::Method::kPost}) {
    ds::http::Router::Match match = FuzzRouter().Find(m, target->path);
    if (match.kind == ds::http::Router::Match::Kind::kFound && match.route == nullptr) {
      std::abort();
    }
  }
  return 0;
}
