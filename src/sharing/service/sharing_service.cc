#include "sharing/service/sharing_service.h"

#include <cctype>

#include "sharing/service/sealed_tables.h"
#include "sharing/service/service_internal.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::sharing::service {

using internal::Call;
using internal::Env;

namespace {

// Where this client reaches the API: the configured public URL, else the request's scheme and
// Host (only host-name characters are taken from it).
std::string BaseUrl(const ServiceOptions& options, const http::Request& request) {
  if (!options.public_url.empty()) return options.public_url + options.prefix;
  std::string_view host = request.header("Host").value_or("");
  bool clean = !host.empty() && host.size() <= 255;
  for (char c : host) {
    clean = clean && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                      c == ':' || c == '[' || c == ']');
  }
  return std::string(request.is_tls() ? "https://" : "http://") +
         (clean ? std::string(host) : std::string("localhost")) + options.prefix;
}

ServiceCounters MakeCounters(http::MetricsRegistry& m) {
  ServiceCounters c;
  c.files_served = &m.AddCounter("deltashare_files_served_total",
                                 "File lines (file, add, remove, cdf) sent to recipients.")
                        .Get();
  c.files_skipped =
      &m.AddCounter("deltashare_files_skipped_total",
                    "Files left out of query responses because predicate hints rule them out.")
           .Get();
  c.urls_signed = &m.AddCounter("deltashare_urls_signed_total",
                                "Pre-signed URLs minted for data and deletion-vector files.")
                       .Get();
  auto& failures =
      m.AddCounter("deltashare_stream_failures_total",
                   "Streamed responses that failed after the 200: reported in an endStreamAction "
                   "(in_band) or cut (cut).",
                   {"ending"});
  c.errors_in_band = &failures.WithLabels({"in_band"});
  c.streams_cut = &failures.WithLabels({"cut"});
  c.async_submitted =
      &m.AddCounter("deltashare_async_queries_total", "Asynchronous queries submitted.").Get();
  return c;
}

void ReplaceAll(std::string* text, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (size_t pos = text->find(from); pos != std::string::npos;
       pos = text->find(from, pos + to.size())) {
    text->replace(pos, from.size(), to);
  }
}

}  // namespace

struct SharingService::Impl {
  Env env;
  std::unique_ptr<AsyncQueries> async;
};

SharingService::SharingService(ServiceOptions options,
                               std::shared_ptr<access::AccessService> access,
                               std::shared_ptr<TableCache> tables)
    : impl_(std::make_unique<Impl>()) {
  impl_->async = std::make_unique<AsyncQueries>(4, options.async_query_ttl_ms);
  Env& env = impl_->env;
  env.metrics = options.metrics ? options.metrics : std::make_shared<http::MetricsRegistry>();
  env.counters = MakeCounters(*env.metrics);
  env.options = std::move(options);
  env.access = std::move(access);
  env.tables = std::move(tables);
  env.local_urls = std::make_shared<LocalFileUrls>(
      std::make_shared<access::MacTokenCodec>(env.access->codec()), &env.access->keys());
  env.async = impl_->async.get();
}

SharingService::~SharingService() = default;

const ServiceCounters& SharingService::counters() const { return impl_->env.counters; }
const ServiceOptions& SharingService::options() const { return impl_->env.options; }
http::MetricsRegistry& SharingService::metrics() { return *impl_->env.metrics; }
AsyncQueries& SharingService::async_queries() { return *impl_->async; }

http::Response SharingService::ServeFile(const http::Request& request, std::string_view rest) {
  return impl_->env.local_urls->Serve(request, rest, NowMs());
}

http::Response SharingService::Handle(const http::Request& request, std::string_view path) {
  const Env& env = impl_->env;
  const bool head = request.method() == http::Method::kHead;
  Call call;
  call.http = &request;
  call.started = std::chrono::steady_clock::now();
  call.request_id = request.request_id();
  call.audit = std::make_shared<access::AuditRecord>();
  call.audit->time_ms = NowMs();
  call.audit->client_address = request.client_address();
  call.audit->user_agent = std::string(request.header("User-Agent").value_or(""));
  call.base_url = BaseUrl(env.options, request);

  auto fail = [&](const Status& st) {
    http::Response r = internal::ErrorResponse(env, call, st, head);
    internal::FinishAudit(env, call, r.status, 0, st.message());
    return r;
  };

  // Authenticate first: an unauthenticated caller learns nothing, not even which paths exist.
  auto principal = env.access->Authenticate(request.header("Authorization").value_or(""),
                                            request.client_address());
  if (!principal.ok()) return fail(principal.status());
  call.principal = *principal;
  call.audit->recipient = call.principal.recipient_name();
  call.audit->recipient_id = call.principal.recipient_id();
  call.audit->token_id = call.principal.token_id();
  const access::RateDecision rate = env.access->Admit(call.principal);
  if (!rate.allowed) {
    http::Response r =
        fail(Status::ResourceExhausted("rate limit exceeded for this token; retry after " +
                                       std::to_string(rate.retry_after_seconds) + " s"));
    r.headers.Set("Retry-After", std::to_string(rate.retry_after_seconds));
    return r;
  }

  auto route = protocol::MatchRoute(http::MethodName(request.method()), path);
  if (!route.ok()) return fail(route.status());
  call.route = std::move(route).value();
  call.audit->operation = std::string(protocol::EndpointName(call.route.endpoint));
  call.audit->share = call.route.share;
  call.audit->schema = call.route.schema;
  call.audit->table = call.route.table;

  switch (call.route.endpoint) {
    case protocol::Endpoint::kListShares:
      return internal::ListShares(env, call);
    case protocol::Endpoint::kGetShare:
      return internal::GetShare(env, call);
    case protocol::Endpoint::kListSchemas:
      return internal::ListSchemas(env, call);
    case protocol::Endpoint::kListTables:
      return internal::ListTables(env, call);
    case protocol::Endpoint::kListAllTables:
      return internal::ListAllTables(env, call);
    case protocol::Endpoint::kTableVersion:
      return internal::TableVersion(env, call);
    case protocol::Endpoint::kMetadata:
      return internal::TableMetadata(env, call);
    case protocol::Endpoint::kQuery:
      return internal::QueryTable(env, call);
    case protocol::Endpoint::kChanges:
      return internal::TableChanges(env, call);
    case protocol::Endpoint::kQueryInfo:
      return internal::QueryInfo(env, call);
    case protocol::Endpoint::kTemporaryCredentials:
      return internal::TemporaryCredentials(env, call);
  }
  return fail(Status::NotFound("unknown path"));
}

namespace internal {

void Env::LogError(const Call& call, std::string_view what, const Status& status) const {
  if (!options.error_log) return;
  std::string line;
  JsonWriter w(&line);
  w.BeginObject();
  w.FieldInt("time_ms", NowMs());
  w.Field("level", "error");
  w.Field("request_id", call.request_id);
  w.Field("operation", protocol::EndpointName(call.route.endpoint));
  if (!call.route.table.empty()) {
    w.Field("table", call.route.share + "." + call.route.schema + "." + call.route.table);
  }
  w.Field("what", what);
  w.Field("status", status.ToString());
  w.EndObject();
  options.error_log(line);
}

http::Response ErrorResponse(const Env& env, const Call& call, const Status& status, bool head) {
  protocol::ApiError e = protocol::ToApiError(status);
  if (e.http_status >= 500) {
    env.LogError(call, "request failed", status);
    // Internal details (paths, store errors) stay in the server's logs.
    e.message = e.http_status == 503 ? "the service is temporarily unavailable; retry later"
                                     : "internal error";
    if (!call.request_id.empty()) e.message += " (request " + call.request_id + ")";
  }
  if (head) return http::Response::Empty(e.http_status);
  return http::Response::Json(e.http_status, protocol::ErrorBody(e));
}

http::Response Fail(const Env& env, const Call& call, const Status& status) {
  http::Response r = ErrorResponse(env, call, status, false);
  FinishAudit(env, call, r.status, 0, status.message());
  return r;
}

void FinishAudit(const Env& env, const Call& call, int http_status, int64_t files,
                 std::string_view message) {
  access::AuditLog* log = env.access->audit();
  if (log == nullptr || !call.audit) return;
  access::AuditRecord record = *call.audit;
  record.status = http_status;
  record.files = files;
  record.message = std::string(message.substr(0, 500));
  record.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - call.started)
                           .count();
  (void)log->Append(std::move(record));
}

// Replaces the storage location `where` in `message` by the table's name (a trailing '/' of
// the location is kept, so "<location>/_delta_log" reads "<name>/_delta_log").
static void HideLocation(std::string* message, std::string_view where, const std::string& name) {
  if (where.empty()) return;
  if (where.back() == '/') {
    ReplaceAll(message, where, name + "/");
    where.remove_suffix(1);
  }
  if (!where.empty()) ReplaceAll(message, where, name);
}

Result<TableContext> OpenTable(const Env& env, const Call& call) {
  TableContext ctx;
  ASSIGN_OR_RETURN(ctx.access, env.access->AuthorizeTable(call.principal, call.route.share,
                                                          call.route.schema, call.route.table));
  ctx.full_name =
      ctx.access.share->name + "." + ctx.access.schema->name + "." + ctx.access.table->name;
  ctx.key = ctx.access.table->id.empty() ? ToLower(ctx.full_name) : ctx.access.table->id;
  // An encrypted table is cached (and opened) as sealed under its share's data key.
  auto table = env.tables->Get(
      ctx.access.table->encrypted
          ? SealedCacheLocation(ctx.access.share->id, ctx.access.table->location)
          : ctx.access.table->location);
  if (!table.ok()) {
    std::string message = table.status().ToString();
    HideLocation(&message, ctx.access.table->location, ctx.full_name);
    return Status::Internal("table " + ctx.full_name + " cannot be opened: " + message);
  }
  ctx.table = std::move(table).value();
  return ctx;
}

Status TableError(const TableContext& table, const Status& status) {
  if (status.ok()) return status;
  std::string message = status.message();
  for (const std::string& where :
       {table.table->table()->uri(), table.table->location(), table.table->opened().local_root}) {
    HideLocation(&message, where, table.full_name);
  }
  switch (status.code()) {
    case StatusCode::kPermissionDenied:
    case StatusCode::kUnauthenticated:
      // The store refused the server's own credentials: the provider's problem, not the
      // recipient's (a 403 would read as a bad token). Details go to the error log only.
      return Status::Internal("storage of table " + table.full_name +
                              " refused the server's credentials: " + message);
    case StatusCode::kNotFound:
      return Status::NotFound("[Table] '" + table.full_name +
                              "' cannot be read: its Delta log was not found (" + message +
                              "); please contact your share provider");
    case StatusCode::kIOError:
    case StatusCode::kUnavailable:
      return Status::Unavailable("storage of table " + table.full_name + " failed: " + message);
    default:
      return Status(status.code(), std::move(message));
  }
}

protocol::Capabilities CapabilitiesOf(const http::Request& request) {
  return protocol::ParseCapabilities(request.header(kCapabilitiesHeader).value_or(""));
}

protocol::QueryParams ParamsOf(const http::Request& request) {
  protocol::QueryParams out;
  const http::QueryParams& q = request.query();
  out.reserve(q.size());
  for (size_t i = 0; i < q.size(); ++i) out.push_back(q[i]);
  return out;
}

Result<std::optional<protocol::FileIdScheme>> FileIdHashOf(const http::Request& request) {
  auto header = request.header("fileidhash");
  if (!header) return std::optional<protocol::FileIdScheme>();
  ASSIGN_OR_RETURN(protocol::FileIdScheme scheme, protocol::ParseFileIdHash(*header));
  return std::optional<protocol::FileIdScheme>(scheme);
}

}  // namespace internal
}  // namespace ds::sharing::service
