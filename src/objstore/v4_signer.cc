#include "objstore/v4_signer.h"

#include <algorithm>
#include <charconv>

#include "httpclient/url.h"
#include "util/string_util.h"

namespace ds::objstore {
namespace {

using httpclient::AppendUriEncoded;

constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

std::string_view View(const std::string& s, size_t begin, size_t end) {
  return std::string_view(s).substr(begin, end - begin);
}

// Header values are trimmed and inner runs of spaces collapse to one (SigV4 rules).
std::string CanonicalHeaderValue(std::string_view v) {
  v = Trim(v);
  std::string out;
  out.reserve(v.size());
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// Sorted "name=value" pieces of an encoded query string (a bare name gets "=").
std::vector<std::string> CanonicalQueryPieces(std::string_view query) {
  std::vector<std::string> pieces;
  for (std::string_view p : Split(query, '&')) {
    if (p.empty()) continue;
    std::string piece(p);
    if (piece.find('=') == std::string::npos) piece.push_back('=');
    pieces.push_back(std::move(piece));
  }
  std::sort(pieces.begin(), pieces.end(), [](const std::string& a, const std::string& b) {
    const std::string_view an = std::string_view(a).substr(0, a.find('='));
    const std::string_view bn = std::string_view(b).substr(0, b.find('='));
    return an != bn ? an < bn : a < b;
  });
  return pieces;
}

}  // namespace

V4Signer::V4Signer(V4SignerOptions options) : options_(std::move(options)) {}

Result<std::shared_ptr<const V4Signer>> V4Signer::Make(V4SignerOptions options) {
  const bool aws = options.dialect == V4Dialect::kAws;
  if (options.access_key_id.empty()) {
    return Status::InvalidArgument("v4 signer: the access key id (or client email) is empty");
  }
  if (options.region.empty()) return Status::InvalidArgument("v4 signer: the region is empty");
  if (options.secret_access_key.empty() == (options.rsa_key == nullptr)) {
    return Status::InvalidArgument("v4 signer: give exactly one of a secret key or an RSA key");
  }
  if (aws && options.rsa_key) {
    return Status::InvalidArgument("v4 signer: AWS signatures use a secret key, not RSA");
  }
  if (!aws && !options.session_token.empty()) {
    return Status::InvalidArgument("v4 signer: session tokens exist only for AWS");
  }
  if (options.service.empty()) options.service = aws ? "s3" : "storage";
  std::shared_ptr<V4Signer> s(new V4Signer(std::move(options)));
  s->algorithm_ =
      aws ? "AWS4-HMAC-SHA256" : (s->options_.rsa_key ? "GOOG4-RSA-SHA256" : "GOOG4-HMAC-SHA256");
  s->param_prefix_ = aws ? "X-Amz-" : "X-Goog-";
  s->header_prefix_ = aws ? "x-amz-" : "x-goog-";
  s->algorithm_param_ =
      s->param_prefix_ + "Algorithm=" + s->algorithm_ + "&" + s->param_prefix_ + "Credential=";
  AppendUriEncoded(s->options_.session_token, true, &s->encoded_token_);
  return std::shared_ptr<const V4Signer>(std::move(s));
}

V4PresignTarget V4Signer::MakeTarget(std::string_view origin, std::string_view authority,
                                     std::string_view encoded_path_prefix) {
  V4PresignTarget t;
  t.origin = std::string(origin);
  t.path_prefix = std::string(encoded_path_prefix);
  t.canonical_tail =
      "host:" + std::string(authority) + "\n\nhost\n" + std::string(kUnsignedPayload);
  return t;
}

const V4Signer::DayKey& V4Signer::KeyFor(int64_t epoch_seconds) const {
  const int64_t day = epoch_seconds >= 0 ? epoch_seconds / 86400 : (epoch_seconds - 86399) / 86400;
  const DayKey* cur = current_.load(std::memory_order_acquire);
  if (cur != nullptr && cur->day == day) return *cur;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& k : keys_) {
    if (k->day == day) {
      if (cur == nullptr || day > cur->day) current_.store(k.get(), std::memory_order_release);
      return *k;
    }
  }
  auto k = std::make_unique<DayKey>();
  k->day = day;
  char date[8];
  FormatBasicDate(day * 86400, date);
  const std::string_view date_view(date, 8);
  const bool aws = options_.dialect == V4Dialect::kAws;
  k->scope = std::string(date_view) + "/" + options_.region + "/" + options_.service + "/" +
             (aws ? "aws4_request" : "goog4_request");
  AppendUriEncoded(options_.access_key_id + "/" + k->scope, true, &k->credential_param);
  if (!options_.secret_access_key.empty()) {
    uint8_t mac[Sha256::kSize];
    const auto step = [&](std::string_view key, std::string_view data) {
      HmacSha256Key(key).Sign(data, mac);
      return std::string(reinterpret_cast<char*>(mac), sizeof(mac));
    };
    std::string key = step((aws ? "AWS4" : "GOOG4") + options_.secret_access_key, date_view);
    key = step(key, options_.region);
    key = step(key, options_.service);
    key = step(key, aws ? "aws4_request" : "goog4_request");
    k->key.emplace(key);
  }
  const DayKey* made = k.get();
  keys_.push_back(std::move(k));
  if (cur == nullptr || day > cur->day) current_.store(made, std::memory_order_release);
  return *made;
}

Status V4Signer::AppendSignature(const DayKey& key, std::string_view amz_date,
                                 const uint8_t canonical_hash[Sha256::kSize],
                                 std::string* out) const {
  char hash_hex[2 * Sha256::kSize];
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < Sha256::kSize; ++i) {
    hash_hex[2 * i] = kHex[canonical_hash[i] >> 4];
    hash_hex[2 * i + 1] = kHex[canonical_hash[i] & 15];
  }
  const std::string_view hash_view(hash_hex, sizeof(hash_hex));
  if (key.key) {
    Sha256 h = key.key->Begin();
    h.Update(algorithm_);
    h.Update("\n");
    h.Update(amz_date);
    h.Update("\n");
    h.Update(key.scope);
    h.Update("\n");
    h.Update(hash_view);
    uint8_t mac[Sha256::kSize];
    key.key->Finish(&h, mac);
    AppendHex(mac, sizeof(mac), out);
    return Status::OK();
  }
  std::string to_sign;
  to_sign.reserve(algorithm_.size() + amz_date.size() + key.scope.size() + hash_view.size() + 3);
  to_sign.append(algorithm_).append("\n").append(amz_date).append("\n").append(key.scope);
  to_sign.append("\n").append(hash_view);
  ASSIGN_OR_RETURN(std::string sig, options_.rsa_key->SignSha256(to_sign));
  AppendHex(reinterpret_cast<const uint8_t*>(sig.data()), sig.size(), out);
  return Status::OK();
}

Status V4Signer::PresignGet(const V4PresignTarget& target, std::string_view key,
                            int64_t lifetime_seconds, int64_t now_ms, std::string* url) const {
  const int64_t now_s = FloorSeconds(now_ms);
  const DayKey& day_key = KeyFor(now_s);
  char amz_date[16];
  FormatBasicDateTime(now_s, amz_date);
  const std::string_view date_view(amz_date, sizeof(amz_date));

  url->clear();
  url->reserve(target.origin.size() + target.path_prefix.size() + key.size() * 3 / 2 + 320 +
               encoded_token_.size() + (options_.rsa_key ? 512 : 64));
  url->append(target.origin);
  const size_t path_begin = url->size();
  url->append(target.path_prefix);
  AppendUriEncoded(key, /*encode_slash=*/false, url);
  const size_t path_end = url->size();
  url->push_back('?');
  const size_t query_begin = url->size();
  url->append(algorithm_param_);
  url->append(day_key.credential_param);
  url->push_back('&');
  url->append(param_prefix_).append("Date=").append(date_view);
  url->push_back('&');
  url->append(param_prefix_).append("Expires=");
  AppendInt(lifetime_seconds, url);
  const size_t expires_end = url->size();
  url->push_back('&');
  url->append(param_prefix_).append("SignedHeaders=host");
  const size_t signed_headers_end = url->size();
  if (!encoded_token_.empty()) {
    url->push_back('&');
    url->append(param_prefix_).append("Security-Token=").append(encoded_token_);
  }
  const size_t token_end = url->size();

  Sha256 h;
  h.Update("GET\n");
  h.Update(View(*url, path_begin, path_end));
  h.Update("\n");
  h.Update(View(*url, query_begin, expires_end));
  h.Update(View(*url, signed_headers_end, token_end));  // "&...Security-Token=..." or empty
  h.Update(View(*url, expires_end, signed_headers_end));
  h.Update("\n");
  h.Update(target.canonical_tail);
  uint8_t hash[Sha256::kSize];
  h.Final(hash);

  url->push_back('&');
  url->append(param_prefix_).append("Signature=");
  return AppendSignature(day_key, date_view, hash, url);
}

Result<std::string> V4Signer::PresignRequest(
    httpclient::HttpMethod method, std::string_view url,
    const std::vector<std::pair<std::string, std::string>>& headers, int64_t lifetime_seconds,
    int64_t now_ms) const {
  ASSIGN_OR_RETURN(httpclient::Url parsed, httpclient::ParseUrl(url));
  const int64_t now_s = FloorSeconds(now_ms);
  const DayKey& day_key = KeyFor(now_s);
  char amz_date[16];
  FormatBasicDateTime(now_s, amz_date);
  const std::string_view date_view(amz_date, sizeof(amz_date));

  std::vector<std::pair<std::string, std::string>> canon_headers;
  canon_headers.emplace_back("host", parsed.Authority());
  for (const auto& [name, value] : headers) {
    canon_headers.emplace_back(ToLower(name), CanonicalHeaderValue(value));
  }
  std::sort(canon_headers.begin(), canon_headers.end());
  std::string signed_names;
  std::string header_block;
  for (const auto& [name, value] : canon_headers) {
    if (!signed_names.empty()) signed_names.push_back(';');
    signed_names += name;
    header_block += name + ":" + value + "\n";
  }

  std::string query = parsed.query;
  auto add = [&](std::string_view name, std::string_view encoded_value) {
    if (!query.empty()) query.push_back('&');
    query.append(param_prefix_).append(name).append("=").append(encoded_value);
  };
  add("Algorithm", algorithm_);
  add("Credential", day_key.credential_param);
  add("Date", date_view);
  add("Expires", std::to_string(lifetime_seconds));
  add("SignedHeaders", httpclient::UriEncode(signed_names));
  if (!encoded_token_.empty()) add("Security-Token", encoded_token_);
  const std::string canonical_query = Join(CanonicalQueryPieces(query), "&");

  const std::string path = parsed.path.empty() ? "/" : parsed.path;
  std::string canonical;
  canonical.append(httpclient::MethodName(method)).append("\n").append(path).append("\n");
  canonical.append(canonical_query).append("\n").append(header_block).append("\n");
  canonical.append(signed_names).append("\n").append(kUnsignedPayload);
  Sha256 h;
  h.Update(canonical);
  uint8_t hash[Sha256::kSize];
  h.Final(hash);

  std::string out =
      parsed.Origin() + path + "?" + canonical_query + "&" + param_prefix_ + "Signature=";
  RETURN_NOT_OK(AppendSignature(day_key, date_view, hash, &out));
  return out;
}

Status V4Signer::SignHeaders(httpclient::HttpRequest* request, std::string_view payload_sha256_hex,
                             int64_t now_ms) const {
  ASSIGN_OR_RETURN(httpclient::Url parsed, httpclient::ParseUrl(request->url));
  const int64_t now_s = FloorSeconds(now_ms);
  const DayKey& day_key = KeyFor(now_s);
  char amz_date[16];
  FormatBasicDateTime(now_s, amz_date);
  const std::string_view date_view(amz_date, sizeof(amz_date));

  request->headers.Set(header_prefix_ + "date", std::string(date_view));
  request->headers.Set(header_prefix_ + "content-sha256", std::string(payload_sha256_hex));
  if (!options_.session_token.empty()) {
    request->headers.Set(header_prefix_ + "security-token", options_.session_token);
  }
  std::vector<std::pair<std::string, std::string>> canon_headers;
  canon_headers.emplace_back("host", parsed.Authority());
  for (const auto& [name, value] : request->headers) {
    std::string lower = ToLower(name);
    if (lower == "host" || lower == "authorization") continue;
    canon_headers.emplace_back(std::move(lower), CanonicalHeaderValue(value));
  }
  std::sort(canon_headers.begin(), canon_headers.end());
  std::string signed_names;
  std::string header_block;
  for (size_t i = 0; i < canon_headers.size(); ++i) {
    const auto& [name, value] = canon_headers[i];
    if (i > 0 && name == canon_headers[i - 1].first) {  // repeated header: comma-joined
      header_block.pop_back();
      header_block += "," + value + "\n";
      continue;
    }
    if (!signed_names.empty()) signed_names.push_back(';');
    signed_names += name;
    header_block += name + ":" + value + "\n";
  }
  const std::string path = parsed.path.empty() ? "/" : parsed.path;
  std::string canonical;
  canonical.append(httpclient::MethodName(request->method)).append("\n").append(path);
  canonical.append("\n").append(Join(CanonicalQueryPieces(parsed.query), "&")).append("\n");
  canonical.append(header_block).append("\n").append(signed_names).append("\n");
  canonical.append(payload_sha256_hex);
  Sha256 h;
  h.Update(canonical);
  uint8_t hash[Sha256::kSize];
  h.Final(hash);

  std::string auth = algorithm_ + " Credential=" + options_.access_key_id + "/" + day_key.scope +
                     ", SignedHeaders=" + signed_names + ", Signature=";
  RETURN_NOT_OK(AppendSignature(day_key, date_view, hash, &auth));
  request->headers.Set("Authorization", std::move(auth));
  return Status::OK();
}

}  // namespace ds::objstore
