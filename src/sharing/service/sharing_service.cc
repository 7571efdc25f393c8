#include "sharing/service/sharing_service.h"

#include <cctype>

#include "sharing/service/service_internal.h"
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

}  // namespace

struct SharingService::Impl {
  Env env;
};

SharingService::SharingService(ServiceOptions options,
                               std::shared_ptr<access::AccessService> access,
                               std::shared_ptr<TableCache> tables)
    : impl_(std::make_unique<Impl>()), options_(std::move(options)) {
  async_ = std::make_unique<AsyncQueries>();
  Env& env = impl_->env;
  env.options = options_;
  env.access = std::move(access);
  env.tables = std::move(tables);
  env.local_urls = std::make_shared<LocalFileUrls>(
      std::make_shared<access::MacTokenCodec>(env.access->codec()), &env.access->keys());
  env.counters = &counters_;
  env.async = async_.get();
}

SharingService::~SharingService() = default;

http::Response SharingService::ServeFile(const http::Request& request, std::string_view rest) {
  return impl_->env.local_urls->Serve(request, rest, NowMs());
}

http::Response SharingService::Handle(const http::Request& request, std::string_view path) {
  const Env& env = impl_->env;
  const bool head = request.method() == http::Method::kHead;
  Call call;
  call.http = &request;
  call.started = std::chrono::steady_clock::now();
  call.audit = std::make_shared<access::AuditRecord>();
  call.audit->time_ms = NowMs();
  call.audit->client_address = request.client_address();
  call.audit->user_agent = std::string(request.header("User-Agent").value_or(""));
  call.base_url = BaseUrl(env.options, request);

  auto fail = [&](const Status& st) {
    http::Response r = internal::ErrorResponse(st, head);
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

http::Response ErrorResponse(const Status& status, bool head) {
  protocol::ApiError e = protocol::ToApiError(status);
  if (e.http_status >= 500) {
    // Internal details (paths, store errors) stay in the server's logs.
    e.message = e.http_status == 503 ? "the service is temporarily unavailable; retry later"
                                     : "internal error";
  }
  if (head) return http::Response::Empty(e.http_status);
  return http::Response::Json(e.http_status, protocol::ErrorBody(e));
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

Result<TableContext> OpenTable(const Env& env, const Call& call) {
  TableContext ctx;
  ASSIGN_OR_RETURN(ctx.access, env.access->AuthorizeTable(call.principal, call.route.share,
                                                          call.route.schema, call.route.table));
  ctx.full_name =
      ctx.access.share->name + "." + ctx.access.schema->name + "." + ctx.access.table->name;
  ctx.key = ctx.access.table->id.empty() ? ToLower(ctx.full_name) : ctx.access.table->id;
  auto table = env.tables->Get(ctx.access.table->location);
  if (!table.ok()) {
    return Status::Internal("table " + ctx.full_name +
                            " cannot be opened: " + table.status().ToString());
  }
  ctx.table = std::move(table).value();
  return ctx;
}

protocol::TableTraits TraitsOf(const delta::Snapshot& snapshot) {
  protocol::TableTraits t;
  const delta::Protocol& p = snapshot.protocol();
  t.min_reader_version = p.min_reader_version;
  if (p.reader_features) {
    for (const auto& f : *p.reader_features) t.reader_features.insert(ToLower(f));
  }
  // Deletion vectors matter when the table may have them: the feature is supported and the
  // property is not explicitly off, or any live file carries one.
  if (delta::ProtocolSupports(p, "deletionVectors")) {
    const auto dv_prop = snapshot.metadata().Property("delta.enableDeletionVectors");
    t.deletion_vectors = !(dv_prop && EqualsIgnoreCase(*dv_prop, "false"));
    const delta::FileTable& files = snapshot.files();
    for (size_t i = 0; !t.deletion_vectors && i < files.num_files(); ++i) {
      t.deletion_vectors = files.file(i).deletion_vector().has_value();
    }
  }
  t.column_mapping = snapshot.column_mapping_mode() != delta::ColumnMappingMode::kNone;
  return t;
}

}  // namespace internal
}  // namespace ds::sharing::service
