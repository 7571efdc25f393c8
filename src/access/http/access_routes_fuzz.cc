// Fuzzes the access endpoints as the server calls them: arbitrary methods, paths (activation
// codes, admin resource paths with escapes), Authorization and Content-Type headers and
// bodies, routed through AddAccessRoutes over a fresh memory store. Every request must get a
// well-formed answer: a 2xx only for credentials the fixture really issued, never a crash.
//
// Input: byte 0 picks the method and whether the fixture's admin token is sent; then
// '\n'-separated fields: the path below the prefix, the Authorization header (unless the
// admin token is sent), the Content-Type, and the body (the rest).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "access/http/access_routes.h"
#include "access/memory_store.h"

namespace {

using ds::http::Method;

std::string_view NextField(std::string_view* in) {
  size_t nl = in->find('\n');
  std::string_view field = in->substr(0, nl);
  in->remove_prefix(nl == std::string_view::npos ? in->size() : nl + 1);
  return field;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const Method kMethods[] = {Method::kGet, Method::kHead,   Method::kPost,
                                    Method::kPut, Method::kDelete, Method::kPatch};
  const Method method = kMethods[(data[0] & 0x7F) % 6];
  const bool as_admin = (data[0] & 0x80) != 0;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string path = "/delta-sharing/" + std::string(NextField(&in));
  std::string authorization(NextField(&in));
  const std::string_view content_type = NextField(&in);

  // A fresh store per input keeps runs independent of each other.
  auto store = std::make_shared<ds::access::MemoryAccessStore>();
  auto keys = std::make_shared<ds::access::KeyRing>(
      ds::access::MasterKey::FromText(
          "6a2c8e4b0d9f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c", "fuzz")
          .ValueOrDie());
  ds::access::AccessServiceOptions options;
  options.audit = false;
  std::shared_ptr<ds::access::AccessService> service =
      ds::access::AccessService::Make(store, keys, {}, options).ValueOrDie();
  ds::access::Recipient r;
  r.name = "fuzz";
  r = store->CreateRecipient(r).ValueOrDie();
  (void)service->tokens().CreateActivationLink(r, "https://x/ds", 3600).ValueOrDie();
  (void)service->tokens().CreateOAuthClient(r, 60).ValueOrDie();
  if (as_admin) authorization = "Bearer " + service->tokens().IssueAdmin().ValueOrDie().token;

  ds::http::Router router;
  if (!ds::access::AddAccessRoutes(&router, service, {}).ok()) __builtin_trap();
  ds::http::Headers headers;
  if (ds::http::IsValidHeaderValue(authorization)) headers.Add("Authorization", authorization);
  if (ds::http::IsValidHeaderValue(content_type)) headers.Add("Content-Type", content_type);
  auto request = ds::http::Request::Make(method, path, std::move(headers), std::string(in));
  if (!request.ok()) return 0;
  request->set_addresses("127.0.0.1", "127.0.0.1");
  ds::http::Router::Match m = router.Find(method, request->path());
  if (m.kind != ds::http::Router::Match::Kind::kFound) return 0;
  request->set_route(m.route->pattern, std::move(m.params));
  ds::http::Response response = m.route->handler(*request);
  if (response.status < 200 || response.status > 599) __builtin_trap();
  // Success needs a real credential; the input knows none but the admin token it may send
  // (the client secret and the activation code are random per run).
  const bool admin_route = m.route->pattern.find("/admin/") != std::string::npos;
  if (response.status < 300 && !(as_admin && admin_route)) __builtin_trap();
  return 0;
}
