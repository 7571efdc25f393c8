// Router: maps (method, raw path) to a handler, with "{param}" segments.
//
// Patterns are '/'-separated. A segment is a literal ("shares"), a parameter ("{share}",
// matching one non-empty segment, percent-decoded), or, as the last segment only, a tail
// ("{*rest}", matching the remaining path, zero or more segments, kept raw so the handler
// decides how to decode it). Matching splits the raw path into segments before decoding,
// so "%2F" inside a parameter decodes to '/' in its value and never splits it.
//
// Routes are tried in the order they were added; the first match wins, so add literal routes
// before parameter routes that overlap them. A HEAD request falls back to the GET route of the
// same path (the server then drops the body). A path that matches only other methods yields
// kMethodNotAllowed with the Allow list (the server answers 405); no match yields kNotFound.
// A trailing slash is significant: "/shares/" does not match "/shares".
//
// Thread-safety: Add is not thread-safe; Find may be called from many threads once routes
// are added (the server owns the router and never modifies it after Start).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.h"
#include "http/response.h"
#include "util/status.h"

namespace ds::http {

// Runs on a worker thread (may block) unless the route says run_inline.
using Handler = std::function<Response(const Request&)>;

struct RouteOptions {
  // Literal segments compare ignoring ASCII case (Delta Sharing names are case-insensitive;
  // the values of parameters are passed as sent either way).
  bool case_insensitive = false;
  // '+' in parameter values decodes to a space (clients using Java's URLEncoder).
  bool plus_as_space = false;
  // Run the handler on the I/O thread, skipping the worker pool hop. Only for handlers that
  // never block and finish in microseconds (/healthz, /metrics); a streamed response from
  // such a handler still runs its producer on a worker.
  bool run_inline = false;
  // When false the access log shows the route pattern instead of the request path (for
  // routes whose path carries a token or signature).
  bool log_path = true;
};

struct Route {
  Method method;
  std::string pattern;
  Handler handler;
  RouteOptions options;
  size_t index;  // position in the router, for per-route metrics

  struct Segment {
    enum class Kind : uint8_t { kLiteral, kParam, kTail };
    Kind kind;
    std::string text;  // the literal, or the parameter name
  };
  std::vector<Segment> segments;
};

class Router {
 public:
  Router() = default;
  Router(Router&&) = default;
  Router& operator=(Router&&) = default;

  // Adds a route. InvalidArgument if the pattern does not start with '/', has an empty or
  // duplicate parameter name, a '{' or '}' inside a literal, a tail that is not last, a
  // method of kOther, or if the same method and pattern were added before.
  Status Add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});

  struct Match {
    enum class Kind : uint8_t { kFound, kNotFound, kMethodNotAllowed, kBadPath };
    Kind kind = Kind::kNotFound;
    const Route* route = nullptr;  // kFound
    // Decoded parameters (names point into the route, which lives as long as the router).
    std::vector<std::pair<std::string_view, std::string>> params;
    std::string allow;  // kMethodNotAllowed: "GET, HEAD, POST"
    std::string error;  // kBadPath: what is malformed
  };
  // Finds the route for `method` and the raw (percent-encoded) `path`, which must start with
  // '/'. kBadPath if a segment has a malformed percent-escape.
  Match Find(Method method, std::string_view path) const;

  size_t size() const { return routes_.size(); }
  const Route& route(size_t i) const { return *routes_[i]; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;  // stable addresses for Request::route_pattern
};

}  // namespace ds::http
