#include "test/sharing/service_harness.h"

#include <map>

#include "access/access_store.h"
#include "access/key_ring.h"

namespace ds::sharing::testing {
namespace {

constexpr char kMasterKeyHex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr std::string_view kPrefix = "/delta-sharing";

// Collects a streamed body.
class StringStream final : public http::ResponseStream {
 public:
  explicit StringStream(std::string* out) : out_(out) {}
  Status Write(std::string_view bytes) override {
    if (aborted_) return Status::FailedPrecondition("aborted");
    out_->append(bytes);
    return Status::OK();
  }
  Status Flush() override { return aborted_ ? Status::FailedPrecondition("aborted") : Status(); }
  void Abort(std::string_view) override { aborted_ = true; }
  int64_t bytes_written() const override { return static_cast<int64_t>(out_->size()); }
  bool aborted() const { return aborted_; }

 private:
  std::string* out_;
  bool aborted_ = false;
};

}  // namespace

std::vector<std::string> Reply::lines() const {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < body.size()) {
    const size_t nl = body.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back("<no newline>" + body.substr(start));
      break;
    }
    out.push_back(body.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::vector<JsonValue> Reply::json() const {
  std::vector<JsonValue> out;
  for (const std::string& line : lines()) {
    auto v = ParseJson(line);
    out.push_back(v.ok() ? std::move(v).value() : JsonValue::String(line));
  }
  return out;
}

std::string Reply::error_code() const {
  auto v = ParseJson(body);
  if (!v.ok() || !v->is_object() || v->Find("errorCode") == nullptr) return "";
  return v->Find("errorCode")->string_value();
}

std::string Reply::message() const {
  auto v = ParseJson(body);
  if (!v.ok() || !v->is_object() || v->Find("message") == nullptr) return "";
  return v->Find("message")->string_value();
}

Result<std::unique_ptr<ServiceHarness>> ServiceHarness::Make(Options options) {
  std::unique_ptr<ServiceHarness> h(new ServiceHarness());
  access::StaticAccess statics;
  std::map<std::string, std::map<std::string, std::vector<access::Table>>> layout;
  for (const SharedTable& t : options.tables) {
    access::Table table;
    table.name = t.name;
    table.id = t.id.empty() ? "id-" + t.share + "." + t.schema + "." + t.name : t.id;
    table.location = t.location;
    table.history_shared = t.history_shared;
    table.start_version = t.start_version;
    layout[t.share][t.schema].push_back(std::move(table));
  }
  for (auto& [share_name, schemas] : layout) {
    access::Share share;
    share.name = share_name;
    share.id = "share-id-" + share_name;
    for (auto& [schema_name, tables] : schemas) {
      share.schemas.push_back({schema_name, std::move(tables)});
    }
    statics.shares.push_back(std::move(share));
  }
  access::StaticToken token;
  token.token = std::string(kToken);
  token.recipient = "harness";
  statics.tokens.push_back(std::move(token));
  ASSIGN_OR_RETURN(access::AccessStorePtr store, access::OpenAccessStore("memory:"));
  ASSIGN_OR_RETURN(access::MasterKey master, access::MasterKey::FromText(kMasterKeyHex, "test"));
  auto keys = std::make_shared<access::KeyRing>(std::move(master));
  access::AccessServiceOptions access_options;
  access_options.audit = false;
  ASSIGN_OR_RETURN(auto access_service,
                   access::AccessService::Make(store, keys, statics, access_options));
  h->access_ = std::move(access_service);
  service::LocationResolver resolver =
      options.resolver ? options.resolver : service::LocationResolver(service::OpenLocalLocation);
  h->tables_ = std::make_shared<service::TableCache>(resolver, options.cache);
  options.service.prefix = std::string(kPrefix);
  h->service_ = std::make_unique<service::SharingService>(options.service, h->access_, h->tables_);
  return h;
}

Reply ServiceHarness::Run(const http::Request& request, http::Response response) {
  Reply reply;
  reply.status = response.status;
  reply.headers = response.headers;
  // The server frames bodies itself; show the length it would send.
  if (response.content_length) {
    reply.headers.Set("Content-Length", std::to_string(*response.content_length));
  }
  if (!response.stream) {
    reply.body = std::move(response.body);
    return reply;
  }
  if (request.method() == http::Method::kHead) return reply;
  StringStream stream(&reply.body);
  reply.stream_status = response.stream(stream);
  reply.aborted = !reply.stream_status.ok() || stream.aborted();
  return reply;
}

ServiceHarness::Pending ServiceHarness::Begin(http::Method method, const std::string& target,
                                              std::string body, http::Headers headers) {
  if (!headers.Contains("Authorization")) {
    headers.Set("Authorization", "Bearer " + std::string(kToken));
  } else if (headers.Get("Authorization")->empty()) {
    headers.Remove("Authorization");
  }
  if (!headers.Contains("Host")) headers.Set("Host", "sharing.test");
  Pending p;
  auto request = http::Request::Make(method, std::string(kPrefix) + target, std::move(headers),
                                     std::move(body));
  if (!request.ok()) {
    p.request = std::make_unique<http::Request>();
    p.response = http::Response::Text(400, request.status().ToString());
    return p;
  }
  p.request = std::make_unique<http::Request>(std::move(request).value());
  p.response = service_->Handle(*p.request, p.request->path().substr(kPrefix.size()));
  return p;
}

Reply ServiceHarness::Send(http::Method method, const std::string& target, std::string body,
                           http::Headers headers) {
  return Finish(Begin(method, target, std::move(body), std::move(headers)));
}

Reply ServiceHarness::Download(const std::string& url, http::Method method, std::string range) {
  const std::string marker = std::string(kPrefix) + "/files/";
  const size_t at = url.find(marker);
  Reply failed;
  failed.status = -1;
  if (at == std::string::npos) return failed;
  http::Headers headers;
  if (!range.empty()) headers.Set("Range", range);
  auto request = http::Request::Make(method, url.substr(url.find('/', url.find("//") + 2)),
                                     std::move(headers));
  if (!request.ok()) return failed;
  return Run(*request, service_->ServeFile(*request, url.substr(at + marker.size())));
}

std::string TablePath(const SharedTable& table) {
  return "/shares/" + table.share + "/schemas/" + table.schema + "/tables/" + table.name;
}

http::Headers HeadersOf(const std::vector<std::string>& fields) {
  http::Headers h;
  for (const std::string& f : fields) {
    const size_t colon = f.find(':');
    std::string_view value = std::string_view(f).substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    h.Add(f.substr(0, colon), value);
  }
  return h;
}

}  // namespace ds::sharing::testing
