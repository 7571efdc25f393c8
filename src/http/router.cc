#include "http/router.h"

#include "http/uri.h"
#include "util/string_util.h"

namespace ds::http {
namespace {

using Segment = Route::Segment;

Result<std::vector<Segment>> ParsePattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    return Status::InvalidArgument("route pattern must start with '/': '" + std::string(pattern) +
                                   "'");
  }
  std::vector<std::string_view> raw;
  SplitPathSegments(pattern, &raw);
  std::vector<Segment> out;
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string_view s = raw[i];
    if (s.size() >= 2 && s.front() == '{' && s.back() == '}') {
      std::string_view name = s.substr(1, s.size() - 2);
      Segment::Kind kind = Segment::Kind::kParam;
      if (!name.empty() && name.front() == '*') {
        if (i + 1 != raw.size()) {
          return Status::InvalidArgument("route pattern '" + std::string(pattern) +
                                         "': a {*tail} must be the last segment");
        }
        kind = Segment::Kind::kTail;
        name.remove_prefix(1);
      }
      if (name.empty() || name.find_first_of("{}/") != std::string_view::npos) {
        return Status::InvalidArgument("route pattern '" + std::string(pattern) +
                                       "' has an empty or malformed parameter name");
      }
      for (const Segment& prev : out) {
        if (prev.kind != Segment::Kind::kLiteral && prev.text == name) {
          return Status::InvalidArgument("route pattern '" + std::string(pattern) +
                                         "' names parameter '" + std::string(name) + "' twice");
        }
      }
      out.push_back({kind, std::string(name)});
      continue;
    }
    if (s.find_first_of("{}") != std::string_view::npos) {
      return Status::InvalidArgument("route pattern '" + std::string(pattern) +
                                     "': a parameter must be a whole segment ('{name}')");
    }
    out.push_back({Segment::Kind::kLiteral, std::string(s)});
  }
  return out;
}

// The request path's segments, decoded on demand.
class PathSegments {
 public:
  explicit PathSegments(std::string_view path) { SplitPathSegments(path, &raw_); }

  size_t size() const { return raw_.size(); }
  std::string_view raw(size_t i) const { return raw_[i]; }

  // REQUIRES: Valid() returned true.
  std::string Decoded(size_t i, bool plus_as_space) const {
    std::string out;
    PercentDecodeTo(raw_[i], DecodeOptions{.plus_as_space = plus_as_space}, &out);
    return out;
  }
  bool LiteralEquals(size_t i, std::string_view literal, bool case_insensitive) const {
    std::string_view s = raw_[i];
    std::string decoded;
    if (s.find('%') != std::string_view::npos) {
      PercentDecodeTo(s, DecodeOptions{}, &decoded);
      s = decoded;
    }
    return case_insensitive ? EqualsIgnoreCase(s, literal) : s == literal;
  }
  // Empty if every escape is well-formed, else a message.
  std::string Validate() const {
    std::string scratch;
    for (std::string_view s : raw_) {
      scratch.clear();
      if (s.find('%') != std::string_view::npos && !PercentDecodeTo(s, DecodeOptions{}, &scratch)) {
        return "malformed percent-escape in path segment '" + std::string(s.substr(0, 64)) + "'";
      }
    }
    return {};
  }

 private:
  std::vector<std::string_view> raw_;
};

// Whether `route`'s pattern matches; fills `params` when it does.
bool MatchPath(const Route& route, const PathSegments& path,
               std::vector<std::pair<std::string_view, std::string>>* params) {
  const auto& segs = route.segments;
  bool has_tail = !segs.empty() && segs.back().kind == Segment::Kind::kTail;
  size_t fixed = has_tail ? segs.size() - 1 : segs.size();
  // A tail matches zero or more segments after the fixed ones ("/files/" gives ""), but the
  // separating '/' must be there ("/files" does not match "/files/{*rest}").
  if (has_tail ? path.size() < segs.size() : path.size() != segs.size()) return false;
  for (size_t i = 0; i < fixed; ++i) {
    const Segment& seg = segs[i];
    if (seg.kind == Segment::Kind::kLiteral) {
      if (!path.LiteralEquals(i, seg.text, route.options.case_insensitive)) return false;
    } else if (path.raw(i).empty()) {
      return false;
    }
  }
  if (params == nullptr) return true;
  params->clear();
  for (size_t i = 0; i < fixed; ++i) {
    if (segs[i].kind == Segment::Kind::kParam) {
      params->emplace_back(segs[i].text, path.Decoded(i, route.options.plus_as_space));
    }
  }
  if (has_tail) {
    std::string tail;
    for (size_t i = fixed; i < path.size(); ++i) {
      if (i > fixed) tail.push_back('/');
      tail.append(path.raw(i));
    }
    params->emplace_back(segs.back().text, std::move(tail));
  }
  return true;
}

void AppendAllowed(Method m, std::string* allow) {
  std::string_view name = MethodName(m);
  // Keep the list free of duplicates (a HEAD route next to a GET route).
  size_t pos = 0;
  while ((pos = allow->find(name, pos)) != std::string::npos) {
    bool start = pos == 0 || (*allow)[pos - 1] == ' ';
    bool end = pos + name.size() == allow->size() || (*allow)[pos + name.size()] == ',';
    if (start && end) return;
    pos += name.size();
  }
  if (!allow->empty()) allow->append(", ");
  allow->append(name);
}

}  // namespace

Status Router::Add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  if (method == Method::kOther) {
    return Status::InvalidArgument("route for '" + std::string(pattern) +
                                   "' needs a standard method");
  }
  ASSIGN_OR_RETURN(std::vector<Segment> segments, ParsePattern(pattern));
  for (const auto& r : routes_) {
    if (r->method == method && r->pattern == pattern) {
      return Status::InvalidArgument("route " + std::string(MethodName(method)) + " " +
                                     std::string(pattern) + " is already registered");
    }
  }
  auto route = std::make_unique<Route>();
  route->method = method;
  route->pattern = std::string(pattern);
  route->handler = std::move(handler);
  route->options = options;
  route->index = routes_.size();
  route->segments = std::move(segments);
  routes_.push_back(std::move(route));
  return Status::OK();
}

Router::Match Router::Find(Method method, std::string_view path) const {
  Match m;
  PathSegments segments(path);
  if (std::string error = segments.Validate(); !error.empty()) {
    m.kind = Match::Kind::kBadPath;
    m.error = std::move(error);
    return m;
  }
  const Route* get_fallback = nullptr;
  std::string allow;
  for (const auto& r : routes_) {
    if (!MatchPath(*r, segments, nullptr)) continue;
    if (r->method == method) {
      m.kind = Match::Kind::kFound;
      m.route = r.get();
      MatchPath(*r, segments, &m.params);
      return m;
    }
    if (method == Method::kHead && r->method == Method::kGet && get_fallback == nullptr) {
      get_fallback = r.get();
    }
    AppendAllowed(r->method, &allow);
    if (r->method == Method::kGet) AppendAllowed(Method::kHead, &allow);
  }
  if (get_fallback != nullptr) {
    m.kind = Match::Kind::kFound;
    m.route = get_fallback;
    MatchPath(*get_fallback, segments, &m.params);
    return m;
  }
  if (!allow.empty()) {
    m.kind = Match::Kind::kMethodNotAllowed;
    m.allow = std::move(allow);
  }
  return m;
}

}  // namespace ds::http
