#include "httpclient/url.h"

#include <array>

#include "util/string_util.h"

namespace ds::httpclient {
namespace {

constexpr std::array<bool, 256> MakeUnreserved() {
  std::array<bool, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  t['-'] = t['.'] = t['_'] = t['~'] = true;
  return t;
}
constexpr std::array<bool, 256> kUnreserved = MakeUnreserved();
constexpr char kHexUpper[] = "0123456789ABCDEF";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void AppendUriEncoded(std::string_view s, bool encode_slash, std::string* out) {
  // Reserve for the common case (few escapes) to keep growth to one step.
  out->reserve(out->size() + s.size() + 16);
  size_t run = 0;  // start of the current run of bytes copied verbatim
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (kUnreserved[c] || (c == '/' && !encode_slash)) continue;
    out->append(s.data() + run, i - run);
    const char esc[3] = {'%', kHexUpper[c >> 4], kHexUpper[c & 15]};
    out->append(esc, 3);
    run = i + 1;
  }
  out->append(s.data() + run, s.size() - run);
}

std::string UriEncode(std::string_view s, bool encode_slash) {
  std::string out;
  AppendUriEncoded(s, encode_slash, &out);
  return out;
}

Result<std::string> UriDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) {
        return Status::InvalidArgument("url: truncated percent escape in '" + std::string(s) + "'");
      }
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) {
        return Status::InvalidArgument("url: bad percent escape in '" + std::string(s) + "'");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

int Url::EffectivePort() const {
  if (port != 0) return port;
  return scheme == "https" ? 443 : 80;
}

std::string Url::Authority() const {
  const int default_port = scheme == "https" ? 443 : 80;
  if (port == 0 || port == default_port) return host;
  return host + ":" + std::to_string(port);
}

std::string Url::Origin() const { return scheme + "://" + Authority(); }

Result<Url> ParseUrl(std::string_view text) {
  Url url;
  const size_t colon = text.find("://");
  if (colon == std::string_view::npos) {
    return Status::InvalidArgument("url: '" + RedactUrl(text) + "' is not an absolute URL");
  }
  url.scheme = ToLower(text.substr(0, colon));
  if (url.scheme != "http" && url.scheme != "https") {
    return Status::InvalidArgument("url: scheme '" + url.scheme + "' is not http or https");
  }
  std::string_view rest = text.substr(colon + 3);
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const size_t auth_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, auth_end);
  std::string_view tail = auth_end == std::string_view::npos ? "" : rest.substr(auth_end);
  if (authority.find('@') != std::string_view::npos) {
    return Status::InvalidArgument("url: user info in URLs is not supported");
  }
  std::string_view host = authority;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return Status::InvalidArgument("url: unterminated IPv6 literal in '" + RedactUrl(text) + "'");
    }
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return Status::InvalidArgument("url: junk after IPv6 literal in '" + RedactUrl(text) + "'");
      }
      port_text = after.substr(1);
    }
  } else if (size_t pc = authority.rfind(':'); pc != std::string_view::npos) {
    host = authority.substr(0, pc);
    port_text = authority.substr(pc + 1);
  }
  if (host.empty()) return Status::InvalidArgument("url: empty host in '" + RedactUrl(text) + "'");
  for (char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '/' || c == '\\' || c == '%') {
      return Status::InvalidArgument("url: invalid character in host of '" + RedactUrl(text) + "'");
    }
  }
  url.host = ToLower(host);
  if (!port_text.empty()) {
    auto port = ParseInt64(port_text);
    if (!port || *port <= 0 || *port > 65535 || port_text.front() == '+' ||
        port_text.front() == '-') {
      return Status::InvalidArgument("url: bad port '" + std::string(port_text) + "'");
    }
    url.port = static_cast<int>(*port);
  }
  const size_t q = tail.find('?');
  url.path = std::string(tail.substr(0, q));
  if (q != std::string_view::npos) url.query = std::string(tail.substr(q + 1));
  return url;
}

std::string RedactUrl(std::string_view url) {
  std::string_view out = url.substr(0, url.find_first_of("?#"));
  const size_t scheme_end = out.find("://");
  if (scheme_end != std::string_view::npos) {
    const size_t host_start = scheme_end + 3;
    const size_t path_start = out.find('/', host_start);
    const size_t at = out.substr(0, path_start).find('@', host_start);
    if (at != std::string_view::npos) {
      return std::string(out.substr(0, host_start)) + std::string(out.substr(at + 1));
    }
  }
  return std::string(out);
}

}  // namespace ds::httpclient
