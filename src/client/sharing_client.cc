#include "client/sharing_client.h"

#include <chrono>
#include <thread>

#include "httpclient/curl_client.h"
#include "httpclient/http_status.h"
#include "httpclient/retry.h"
#include "httpclient/url.h"
#include "util/json.h"
#include "util/string_util.h"
#include "util/version.h"

namespace ds::client {
namespace {

using httpclient::HttpMethod;
using httpclient::HttpRequest;
using httpclient::HttpResponse;

constexpr std::string_view kCapabilitiesHeader = "delta-sharing-capabilities";
constexpr std::string_view kVersionHeader = "delta-table-version";

// The Status of a non-2xx API response: the code by HTTP status (UNSUPPORTED_OPERATION is
// NotSupported), the message naming the call, the errorCode and the server's message.
Status ApiError(const std::string& what, const HttpResponse& response) {
  std::string error_code, message;
  if (auto doc = ParseJson(response.body); doc.ok() && doc->is_object()) {
    if (const JsonValue* c = doc->Find("errorCode"); c && c->is_string()) {
      error_code = c->string_value();
    }
    if (const JsonValue* m = doc->Find("message"); m && m->is_string()) message = m->string_value();
  } else {
    message = response.body.substr(0, 300);
  }
  StatusCode code = httpclient::StatusCodeForHttp(response.status);
  if (error_code == "UNSUPPORTED_OPERATION") code = StatusCode::kNotSupported;
  std::string text = what + ": HTTP " + std::to_string(response.status);
  if (!error_code.empty()) text += " " + error_code;
  if (!message.empty()) text += ": " + message;
  return Status(code, std::move(text));
}

std::string Encode(std::string_view name) { return httpclient::UriEncode(name, true); }

void AddParam(std::string* url, std::string_view name, std::string_view value) {
  url->push_back(url->find('?') == std::string::npos ? '?' : '&');
  url->append(name);
  url->push_back('=');
  httpclient::AppendUriEncoded(value, true, url);
}

std::string ListUrl(std::string url, std::optional<int32_t> max_results,
                    const std::string& page_token) {
  if (max_results) AddParam(&url, "maxResults", std::to_string(*max_results));
  if (!page_token.empty()) AddParam(&url, "pageToken", page_token);
  return url;
}

bool SameTable(const TableResponse& a, const TableResponse& b) {
  return a.version == b.version && a.metadata.metadata.id == b.metadata.metadata.id &&
         a.metadata.metadata.schema_string == b.metadata.metadata.schema_string;
}

// Appends the files and later lines of `page` to `all`; checks the page is of the same table.
Status MergePage(TableResponse&& page, TableResponse* all, bool first, const std::string& what) {
  if (first) {
    *all = std::move(page);
    return Status::OK();
  }
  if (!SameTable(*all, page)) {
    return Status::FailedPrecondition(
        what + ": a later page describes another table version or schema (version " +
        std::to_string(page.version) + " after " + std::to_string(all->version) + ")");
  }
  all->files.reserve(all->files.size() + page.files.size());
  for (SharedFile& f : page.files) all->files.push_back(std::move(f));
  for (SharedMetadata& m : page.later_metadata) all->later_metadata.push_back(std::move(m));
  for (SharedProtocol& p : page.later_protocols) all->later_protocols.push_back(std::move(p));
  std::string refresh = all->end ? all->end->refresh_token : "";
  all->end = std::move(page.end);
  if (all->end && all->end->refresh_token.empty()) all->end->refresh_token = std::move(refresh);
  return Status::OK();
}

}  // namespace

httpclient::HttpClientOptions ClientOptions::DefaultHttpOptions() {
  httpclient::HttpClientOptions o;
  o.retry.max_attempts = 10;
  o.retry.initial_backoff_ms = 200;
  o.retry.max_backoff_ms = 5000;
  o.user_agent = std::string("deltashare-client/") + kVersion;
  return o;
}

std::string QueryBody(const QueryParams& p) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  if (!p.predicate_hints.empty()) {
    w.Key("predicateHints");
    w.BeginArray();
    for (const std::string& h : p.predicate_hints) w.String(h);
    w.EndArray();
  }
  if (p.json_predicate_hints) {
    w.Key("jsonPredicateHints");
    w.String(*p.json_predicate_hints);
  }
  if (p.limit_hint) {
    w.Key("limitHint");
    w.Int(*p.limit_hint);
  }
  if (p.version) {
    w.Key("version");
    w.Int(*p.version);
  }
  if (p.timestamp) {
    w.Key("timestamp");
    w.String(*p.timestamp);
  }
  if (p.starting_version) {
    w.Key("startingVersion");
    w.Int(*p.starting_version);
  }
  if (p.ending_version) {
    w.Key("endingVersion");
    w.Int(*p.ending_version);
  }
  if (p.include_historical_protocol) {
    w.Key("includeHistoricalProtocol");
    w.Bool(true);
  }
  if (p.max_files) {
    w.Key("maxFiles");
    w.Int(*p.max_files);
  }
  if (p.page_token) {
    w.Key("pageToken");
    w.String(*p.page_token);
  }
  if (p.include_refresh_token) {
    w.Key("includeRefreshToken");
    w.Bool(true);
  }
  if (p.refresh_token) {
    w.Key("refreshToken");
    w.String(*p.refresh_token);
  }
  if (p.async_idempotency_key) {
    w.Key("idempotencyKey");
    w.String(*p.async_idempotency_key);
  }
  w.EndObject();
  return out;
}

SharingClient::SharingClient(Profile profile, ClientOptions options, httpclient::HttpClientPtr http)
    : profile_(std::move(profile)), options_(std::move(options)), http_(std::move(http)) {
  credentials_ = MakeCredentials(profile_, http_.get(), options_.now_ms);
}

SharingClient::~SharingClient() = default;

Result<std::unique_ptr<SharingClient>> SharingClient::Make(Profile profile, ClientOptions options) {
  if (profile.endpoint.empty()) return Status::InvalidArgument("the profile has no endpoint");
  while (!profile.endpoint.empty() && profile.endpoint.back() == '/') profile.endpoint.pop_back();
  auto url = httpclient::ParseUrl(profile.endpoint);
  if (!url.ok()) return url.status().WithContext("the profile's endpoint");
  if (options.formats.empty()) {
    return Status::InvalidArgument("ClientOptions.formats names no response format");
  }
  if (options.call_attempts < 1) options.call_attempts = 1;
  httpclient::HttpClientPtr http = options.http_client;
  if (!http) {
    ASSIGN_OR_RETURN(auto curl, httpclient::CurlHttpClient::Make(options.http));
    http = std::move(curl);
  }
  return std::unique_ptr<SharingClient>(
      new SharingClient(std::move(profile), std::move(options), std::move(http)));
}

std::string SharingClient::TableUrl(const TableCoordinates& t, std::string_view suffix) const {
  std::string url = profile_.endpoint + "/shares/" + Encode(t.share) + "/schemas/" +
                    Encode(t.schema) + "/tables/" + Encode(t.table);
  url.append(suffix);
  return url;
}

std::string SharingClient::CapabilitiesHeader(bool async) const {
  std::string h = "responseformat=";
  for (size_t i = 0; i < options_.formats.size(); ++i) {
    if (i > 0) h.push_back(',');
    h.append(sharing::protocol::FormatName(options_.formats[i]));
  }
  h += ";readerfeatures=deletionvectors,columnmapping,timestampntz;includeendstreamaction=true";
  if (async) h += ";asyncquery=true";
  return h;
}

Result<HttpResponse> SharingClient::Execute(HttpRequest request, const std::string& what) {
  request.headers.Set("Accept", "application/json, application/x-ndjson");
  for (int attempt = 0;; ++attempt) {
    auto auth = credentials_->Authorization();
    if (!auth.ok()) return auth.status().WithContext(what);
    request.headers.Set("Authorization", *auth);
    auto response = http_->Send(request);
    if (!response.ok()) return response.status().WithContext(what);
    if (response->status == 401 && attempt == 0 && credentials_->Invalidate()) continue;
    if (!response->ok()) {
      Status st = ApiError(what, *response);
      if (response->status == 401 && profile_.expiration_ms) {
        st = st.WithContext("the profile's bearer token may have expired (expirationTime " +
                            sharing::protocol::FormatIsoMillis(*profile_.expiration_ms) + ")");
      }
      return st;
    }
    return response;
  }
}

Result<ListPage<ShareInfo>> SharingClient::ListSharesPage(std::optional<int32_t> max_results,
                                                          const std::string& page_token) {
  HttpRequest request;
  request.url = ListUrl(profile_.endpoint + "/shares", max_results, page_token);
  ASSIGN_OR_RETURN(HttpResponse r, Execute(std::move(request), "list shares"));
  return ParseSharesPage(r.body);
}

Result<ShareInfo> SharingClient::GetShare(const std::string& share) {
  HttpRequest request;
  request.url = profile_.endpoint + "/shares/" + Encode(share);
  ASSIGN_OR_RETURN(HttpResponse r, Execute(std::move(request), "get share " + share));
  return ParseShareDocument(r.body);
}

Result<ListPage<SchemaInfo>> SharingClient::ListSchemasPage(const std::string& share,
                                                            std::optional<int32_t> max_results,
                                                            const std::string& page_token) {
  HttpRequest request;
  request.url =
      ListUrl(profile_.endpoint + "/shares/" + Encode(share) + "/schemas", max_results, page_token);
  ASSIGN_OR_RETURN(HttpResponse r, Execute(std::move(request), "list schemas of " + share));
  return ParseSchemasPage(r.body);
}

Result<ListPage<TableInfo>> SharingClient::ListTablesPage(const std::string& share,
                                                          const std::string& schema,
                                                          std::optional<int32_t> max_results,
                                                          const std::string& page_token) {
  HttpRequest request;
  request.url = ListUrl(
      profile_.endpoint + "/shares/" + Encode(share) + "/schemas/" + Encode(schema) + "/tables",
      max_results, page_token);
  ASSIGN_OR_RETURN(HttpResponse r,
                   Execute(std::move(request), "list tables of " + share + "." + schema));
  return ParseTablesPage(r.body);
}

Result<ListPage<TableInfo>> SharingClient::ListAllTablesPage(const std::string& share,
                                                             std::optional<int32_t> max_results,
                                                             const std::string& page_token) {
  HttpRequest request;
  request.url = ListUrl(profile_.endpoint + "/shares/" + Encode(share) + "/all-tables", max_results,
                        page_token);
  ASSIGN_OR_RETURN(HttpResponse r, Execute(std::move(request), "list all tables of " + share));
  return ParseTablesPage(r.body);
}

namespace {

// Follows page tokens until the last page. A server that repeats a token would loop
// forever, so a repeated token is an error.
template <typename T, typename Fetch>
Result<std::vector<T>> AllPages(Fetch&& fetch, const std::string& what) {
  std::vector<T> out;
  std::string token;
  std::vector<std::string> seen;
  while (true) {
    ASSIGN_OR_RETURN(ListPage<T> page, fetch(token));
    for (T& item : page.items) out.push_back(std::move(item));
    if (page.next_page_token.empty()) return out;
    if (page.next_page_token == token) {
      return Status::InvalidArgument(what + ": the server repeated the page token " + token);
    }
    token = std::move(page.next_page_token);
  }
}

}  // namespace

Result<std::vector<ShareInfo>> SharingClient::ListShares() {
  return AllPages<ShareInfo>(
      [&](const std::string& token) { return ListSharesPage(std::nullopt, token); }, "list shares");
}

Result<std::vector<SchemaInfo>> SharingClient::ListSchemas(const std::string& share) {
  return AllPages<SchemaInfo>(
      [&](const std::string& token) { return ListSchemasPage(share, std::nullopt, token); },
      "list schemas");
}

Result<std::vector<TableInfo>> SharingClient::ListTables(const std::string& share,
                                                         const std::string& schema) {
  return AllPages<TableInfo>(
      [&](const std::string& token) { return ListTablesPage(share, schema, std::nullopt, token); },
      "list tables");
}

Result<std::vector<TableInfo>> SharingClient::ListAllTables(const std::string& share) {
  auto all = AllPages<TableInfo>(
      [&](const std::string& token) { return ListAllTablesPage(share, std::nullopt, token); },
      "list all tables");
  if (all.ok() || !all.status().IsNotFound()) return all;
  // Servers without all-tables: schemas, then the tables of each (a missing share is still
  // NotFound from the schemas call).
  ASSIGN_OR_RETURN(std::vector<SchemaInfo> schemas, ListSchemas(share));
  std::vector<TableInfo> out;
  for (const SchemaInfo& s : schemas) {
    ASSIGN_OR_RETURN(std::vector<TableInfo> tables, ListTables(share, s.name));
    for (TableInfo& t : tables) out.push_back(std::move(t));
  }
  return out;
}

Result<int64_t> SharingClient::GetTableVersion(const TableCoordinates& table,
                                               const std::optional<std::string>& starting_ts) {
  HttpRequest request;
  request.url = TableUrl(table, "/version");
  if (starting_ts) AddParam(&request.url, "startingTimestamp", *starting_ts);
  const std::string what = "table version of " + table.ToString();
  ASSIGN_OR_RETURN(HttpResponse r, Execute(std::move(request), what));
  auto header = r.headers.Get(kVersionHeader);
  std::optional<int64_t> v = header ? ParseInt64(Trim(*header)) : std::nullopt;
  if (!v || *v < 0) {
    return Status::InvalidArgument(what + ": the response has no valid Delta-Table-Version header");
  }
  return *v;
}

Result<TableResponse> SharingClient::TableCall(HttpMethod method, const std::string& url,
                                               const std::string& body, bool async_capability,
                                               const std::string& what) {
  Status last;
  for (int attempt = 1; attempt <= options_.call_attempts; ++attempt) {
    if (attempt > 1) {
      std::this_thread::sleep_for(
          std::chrono::milliseconds(httpclient::BackoffMs(options_.http.retry, attempt - 1)));
    }
    HttpRequest request;
    request.method = method;
    request.url = url;
    if (method == HttpMethod::kPost) {
      request.body = body;
      request.retry_non_idempotent = true;  // queries only read
      request.headers.Set("Content-Type", "application/json; charset=utf-8");
    }
    request.headers.Set(std::string(kCapabilitiesHeader), CapabilitiesHeader(async_capability));
    ASSIGN_OR_RETURN(HttpResponse r, Execute(std::move(request), what));

    TableResponse out;
    if (auto v = r.headers.Get(kVersionHeader)) {
      auto parsed = ParseInt64(Trim(*v));
      if (!parsed || *parsed < 0) {
        return Status::InvalidArgument(what + ": bad Delta-Table-Version header '" +
                                       std::string(*v) + "'");
      }
      out.version = *parsed;
    }
    const auto caps_header = r.headers.Get(kCapabilitiesHeader);
    ASSIGN_OR_RETURN(out.format, ResponseFormatOf(caps_header));
    if (std::find(options_.formats.begin(), options_.formats.end(), out.format) ==
        options_.formats.end()) {
      return Status::InvalidArgument(what + ": the server answered in the " +
                                     std::string(sharing::protocol::FormatName(out.format)) +
                                     " format, which was not asked for");
    }
    const bool end_promised =
        caps_header && sharing::protocol::ParseCapabilities(*caps_header).include_end_stream_action;

    Status parse_error;
    bool has_protocol = false, has_metadata = false;
    bool last_line_cut = false;  // the body ended inside a line that did not parse
    size_t line_no = 0;
    ResponseLine line;
    std::string_view rest = r.body;
    while (!rest.empty() && parse_error.ok()) {
      const size_t nl = rest.find('\n');
      const bool terminated = nl != std::string_view::npos;
      std::string_view text = rest.substr(0, nl);
      rest = terminated ? rest.substr(nl + 1) : std::string_view();
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (Trim(text).empty()) continue;
      ++line_no;
      if (out.end) {
        parse_error = Status::InvalidArgument(what + ": line " + std::to_string(line_no) +
                                              " follows the endStreamAction");
        break;
      }
      Status st = ParseResponseLine(text, out.format, &line);
      if (!st.ok()) {
        parse_error = st.WithContext(what + ": line " + std::to_string(line_no));
        last_line_cut = !terminated;
        break;
      }
      using Kind = ResponseLine::Kind;
      if (line.kind == Kind::kQueryStatus) {
        out.query_status = std::move(line.status);
        continue;
      }
      if (line.kind == Kind::kProtocol) {
        if (has_protocol) {
          out.later_protocols.push_back(std::move(line.protocol));
        } else {
          out.protocol = std::move(line.protocol);
        }
        has_protocol = true;
      } else if (line.kind == Kind::kMetadata) {
        if (!has_protocol) {
          parse_error = Status::InvalidArgument(what + ": metaData before protocol");
          break;
        }
        if (has_metadata) {
          out.later_metadata.push_back(std::move(line.metadata));
        } else {
          out.metadata = std::move(line.metadata);
        }
        has_metadata = true;
      } else if (line.kind == Kind::kFile) {
        if (!has_metadata) {
          parse_error =
              Status::InvalidArgument(what + ": a file line before protocol and metaData");
          break;
        }
        out.files.push_back(std::move(line.file));
      } else {
        out.end = std::move(line.end);
      }
    }
    if (out.end && out.end->error_message) {
      const int http = out.end->http_status_error_code.value_or(500);
      const StatusCode code =
          http >= 500 ? StatusCode::kUnavailable : httpclient::StatusCodeForHttp(http);
      last = Status(code, what + ": the server failed mid-response: " + *out.end->error_message);
      if (code != StatusCode::kUnavailable) return last;
      continue;  // a transient server failure: ask again
    }
    if (out.query_status) {
      if (has_protocol || !out.files.empty()) {
        return Status::InvalidArgument(what + ": queryStatus mixed with table lines");
      }
      return out;
    }
    if (!parse_error.ok() && !last_line_cut) return parse_error;
    if (last_line_cut || (end_promised && !out.end)) {
      last = Status::Unavailable(
          what + ": the response ended early (" +
          (parse_error.ok() ? std::string("no endStreamAction") : parse_error.message()) + ")");
      continue;
    }
    if (!has_metadata) {
      return Status::InvalidArgument(what + ": the response has no protocol and metaData lines");
    }
    return out;
  }
  return last;
}

Result<TableResponse> SharingClient::GetTableMetadata(const TableCoordinates& table,
                                                      const MetadataParams& params) {
  std::string url = TableUrl(table, "/metadata");
  if (params.version) AddParam(&url, "version", std::to_string(*params.version));
  if (params.timestamp) AddParam(&url, "timestamp", *params.timestamp);
  return TableCall(HttpMethod::kGet, url, "", false, "metadata of " + table.ToString());
}

Result<TableResponse> SharingClient::QueryTable(const TableCoordinates& table,
                                                const QueryParams& params) {
  return TableCall(HttpMethod::kPost, TableUrl(table, "/query"), QueryBody(params),
                   params.async_idempotency_key.has_value(), "query " + table.ToString());
}

Result<TableResponse> SharingClient::GetQueryInfo(const TableCoordinates& table,
                                                  const std::string& query_id,
                                                  std::optional<int32_t> max_files,
                                                  const std::optional<std::string>& page_token) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject();
  if (max_files) {
    w.Key("maxFiles");
    w.Int(*max_files);
  }
  if (page_token) {
    w.Key("pageToken");
    w.String(*page_token);
  }
  w.EndObject();
  return TableCall(HttpMethod::kPost, TableUrl(table, "/queries/" + Encode(query_id)), body, false,
                   "query status of " + table.ToString());
}

Result<TableResponse> SharingClient::QueryChanges(const TableCoordinates& table,
                                                  const ChangesParams& p) {
  std::string url = TableUrl(table, "/changes");
  if (p.starting_version) AddParam(&url, "startingVersion", std::to_string(*p.starting_version));
  if (p.starting_timestamp) AddParam(&url, "startingTimestamp", *p.starting_timestamp);
  if (p.ending_version) AddParam(&url, "endingVersion", std::to_string(*p.ending_version));
  if (p.ending_timestamp) AddParam(&url, "endingTimestamp", *p.ending_timestamp);
  if (p.include_historical_metadata) AddParam(&url, "includeHistoricalMetadata", "true");
  if (p.max_files) AddParam(&url, "maxFiles", std::to_string(*p.max_files));
  if (p.page_token) AddParam(&url, "pageToken", *p.page_token);
  return TableCall(HttpMethod::kGet, url, "", false, "changes of " + table.ToString());
}

Result<TableResponse> SharingClient::QueryTableAll(const TableCoordinates& table,
                                                   QueryParams params) {
  const std::string what = "query " + table.ToString();
  ASSIGN_OR_RETURN(TableResponse page, QueryTable(table, params));
  // Async: poll until the query is no longer pending (backoff up to 2 s between polls).
  std::optional<std::string> query_id;
  for (int poll = 1; page.query_status; ++poll) {
    if (page.query_status->status == "failed") {
      return Status::Internal(what +
                              ": the async query failed: " + page.query_status->error_message);
    }
    if (query_id && page.query_status->query_id != *query_id) {
      return Status::InvalidArgument(what + ": the async query id changed while polling");
    }
    query_id = page.query_status->query_id;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(50LL << poll, 2000)));
    ASSIGN_OR_RETURN(page, GetQueryInfo(table, *query_id, params.max_files, std::nullopt));
  }
  TableResponse all;
  bool first = true;
  std::vector<std::string> seen;
  while (true) {
    std::string next = page.end ? page.end->next_page_token : "";
    RETURN_NOT_OK(MergePage(std::move(page), &all, first, what));
    first = false;
    if (next.empty()) return all;
    for (const std::string& s : seen) {
      if (s == next) return Status::InvalidArgument(what + ": the server repeated a page token");
    }
    seen.push_back(next);
    if (query_id) {
      ASSIGN_OR_RETURN(page, GetQueryInfo(table, *query_id, params.max_files, next));
    } else {
      params.page_token = next;
      params.include_refresh_token = false;
      params.refresh_token.reset();
      ASSIGN_OR_RETURN(page, QueryTable(table, params));
    }
  }
}

Result<TableResponse> SharingClient::QueryChangesAll(const TableCoordinates& table,
                                                     ChangesParams params) {
  const std::string what = "changes of " + table.ToString();
  TableResponse all;
  bool first = true;
  std::vector<std::string> seen;
  while (true) {
    ASSIGN_OR_RETURN(TableResponse page, QueryChanges(table, params));
    std::string next = page.end ? page.end->next_page_token : "";
    RETURN_NOT_OK(MergePage(std::move(page), &all, first, what));
    first = false;
    if (next.empty()) return all;
    for (const std::string& s : seen) {
      if (s == next) return Status::InvalidArgument(what + ": the server repeated a page token");
    }
    seen.push_back(next);
    params.page_token = std::move(next);
  }
}

Result<TemporaryCredentials> SharingClient::GetTemporaryCredentials(
    const TableCoordinates& table, const std::optional<std::string>& location) {
  const std::string what = "temporary credentials of " + table.ToString();
  std::string body;
  JsonWriter w(&body);
  w.BeginObject();
  if (location) {
    w.Key("location");
    w.String(*location);
  }
  w.EndObject();
  HttpRequest request;
  request.method = HttpMethod::kPost;
  request.url = TableUrl(table, "/temporary-table-credentials");
  request.body = body;
  request.headers.Set("Content-Type", "application/json; charset=utf-8");
  ASSIGN_OR_RETURN(HttpResponse r, Execute(std::move(request), what));
  auto doc = ParseJson(r.body);
  const JsonValue* creds = doc.ok() ? doc->Find("credentials") : nullptr;
  if (creds == nullptr || !creds->is_object()) {
    return Status::InvalidArgument(what + ": the response has no credentials object");
  }
  TemporaryCredentials out;
  const JsonValue* loc = creds->Find("location");
  const JsonValue* exp = creds->Find("expirationTime");
  if (loc == nullptr || !loc->is_string()) {
    return Status::InvalidArgument(what + ": credentials without a location");
  }
  auto expiration = exp != nullptr ? exp->GetInt64() : Result<int64_t>(Status::NotFound(""));
  if (!expiration.ok()) {
    return Status::InvalidArgument(what + ": credentials without a numeric expirationTime");
  }
  out.location = loc->string_value();
  out.expiration_ms = *expiration;
  out.json = creds->ToString();
  return out;
}

}  // namespace ds::client
