#include "http/uri.h"

namespace ds::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Offset of the first malformed escape in `text`, or npos.
size_t BadEscapeOffset(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') continue;
    if (i + 2 >= text.size()) return i;
    if (HexValue(text[i + 1]) < 0 || HexValue(text[i + 2]) < 0) return i;
    i += 2;
  }
  return std::string_view::npos;
}

}  // namespace

bool IsDecodedForm(std::string_view text, DecodeOptions options) {
  if (text.find('%') != std::string_view::npos) return false;
  return !options.plus_as_space || text.find('+') == std::string_view::npos;
}

bool PercentDecodeTo(std::string_view text, DecodeOptions options, std::string* out) {
  out->reserve(out->size() + text.size());
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const char* special = p;
    while (special < end && *special != '%' && !(options.plus_as_space && *special == '+')) {
      ++special;
    }
    out->append(p, special);
    if (special == end) break;
    if (*special == '+') {
      out->push_back(' ');
      p = special + 1;
      continue;
    }
    if (end - special < 3) return false;
    int hi = HexValue(special[1]);
    int lo = HexValue(special[2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    p = special + 3;
  }
  return true;
}

Result<std::string> PercentDecode(std::string_view text, DecodeOptions options) {
  std::string out;
  if (!PercentDecodeTo(text, options, &out)) {
    size_t at = BadEscapeOffset(text);
    return Status::InvalidArgument("malformed percent-escape at offset " + std::to_string(at) +
                                   " (a '%' must be followed by two hex digits)");
  }
  return out;
}

std::string PercentEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<RequestTarget> SplitTarget(std::string_view target) {
  for (size_t i = 0; i < target.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(target[i]);
    if (c <= 0x20 || c == 0x7f) {
      return Status::InvalidArgument("request-target has a control character or space at offset " +
                                     std::to_string(i));
    }
    if (c == '#') return Status::InvalidArgument("request-target must not contain a fragment");
  }
  std::string_view rest = target;
  if (rest.empty() || rest.front() != '/') {
    // absolute-form: scheme "://" authority [path] ["?" query]
    size_t scheme_end = rest.find("://");
    bool scheme_ok = scheme_end != std::string_view::npos && scheme_end > 0;
    for (size_t i = 0; scheme_ok && i < scheme_end; ++i) {
      char c = rest[i];
      scheme_ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    }
    if (!scheme_ok) {
      return Status::InvalidArgument("request-target must start with '/' or be an absolute URL");
    }
    rest.remove_prefix(scheme_end + 3);
    size_t path_start = rest.find_first_of("/?");
    if (path_start == 0) return Status::InvalidArgument("absolute request-target has no host");
    rest = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  }
  RequestTarget out;
  size_t q = rest.find('?');
  out.path = rest.substr(0, q);
  if (out.path.empty()) out.path = "/";
  if (q != std::string_view::npos) {
    out.has_query = true;
    out.query = rest.substr(q + 1);
  }
  return out;
}

void SplitPathSegments(std::string_view path, std::vector<std::string_view>* segments) {
  segments->clear();
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    segments->push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return;
    path.remove_prefix(slash + 1);
  }
}

std::optional<std::string_view> QueryParams::Get(std::string_view name) const {
  for (const auto& [n, v] : params_) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> QueryParams::GetAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : params_) {
    if (n == name) out.emplace_back(v);
  }
  return out;
}

Result<QueryParams> ParseQuery(std::string_view query) {
  QueryParams params;
  constexpr DecodeOptions kForm{.plus_as_space = true};
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    std::string name, value;
    if (!PercentDecodeTo(raw_name, kForm, &name) || !PercentDecodeTo(raw_value, kForm, &value)) {
      std::string shown(raw_name.substr(0, 64));
      return Status::InvalidArgument("malformed percent-escape in query parameter '" + shown +
                                     "' (a '%' must be followed by two hex digits)");
    }
    params.Add(std::move(name), std::move(value));
  }
  return params;
}

}  // namespace ds::http
