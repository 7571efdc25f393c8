#include "objstore/cloud_common.h"

#include <algorithm>
#include <pugixml.hpp>

#include "httpclient/http_status.h"

namespace ds::objstore {
namespace {

struct CodeRule {
  std::string_view code;
  StatusCode status;
};

constexpr CodeRule kRules[] = {
    {"NoSuchKey", StatusCode::kNotFound},
    {"NoSuchBucket", StatusCode::kNotFound},
    {"NotFound", StatusCode::kNotFound},
    {"BlobNotFound", StatusCode::kNotFound},
    {"ContainerNotFound", StatusCode::kNotFound},
    {"ResourceNotFound", StatusCode::kNotFound},
    {"AccessDenied", StatusCode::kPermissionDenied},
    {"SignatureDoesNotMatch", StatusCode::kPermissionDenied},
    {"InvalidAccessKeyId", StatusCode::kPermissionDenied},
    {"ExpiredToken", StatusCode::kPermissionDenied},
    {"InvalidToken", StatusCode::kPermissionDenied},
    {"TokenRefreshRequired", StatusCode::kPermissionDenied},
    {"RequestTimeTooSkewed", StatusCode::kPermissionDenied},
    {"AccountProblem", StatusCode::kPermissionDenied},
    {"AuthenticationFailed", StatusCode::kPermissionDenied},
    {"AuthorizationFailure", StatusCode::kPermissionDenied},
    {"AuthorizationPermissionMismatch", StatusCode::kPermissionDenied},
    {"InsufficientAccountPermissions", StatusCode::kPermissionDenied},
    {"SlowDown", StatusCode::kUnavailable},
    {"ServiceUnavailable", StatusCode::kUnavailable},
    {"InternalError", StatusCode::kUnavailable},
    {"ServerBusy", StatusCode::kUnavailable},
    {"OperationTimedOut", StatusCode::kUnavailable},
    {"RequestTimeout", StatusCode::kUnavailable},
    {"InvalidRange", StatusCode::kOutOfRange},
    {"BlobAlreadyExists", StatusCode::kAlreadyExists},
    {"PreconditionFailed", StatusCode::kFailedPrecondition},
    {"ConditionNotMet", StatusCode::kFailedPrecondition},
};

class RangeReadFile final : public io::RandomAccessFile {
 public:
  RangeReadFile(std::string name, int64_t size,
                std::function<Status(int64_t, int64_t, uint8_t*)> read)
      : name_(std::move(name)), size_(size), read_(std::move(read)) {}
  int64_t size() const override { return size_; }
  const std::string& name() const override { return name_; }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    RETURN_NOT_OK(CheckRange(offset, length));
    if (length == 0) return Status::OK();
    return read_(offset, length, out);
  }

 private:
  std::string name_;
  int64_t size_;
  std::function<Status(int64_t, int64_t, uint8_t*)> read_;
};

}  // namespace

CloudError ParseCloudError(const httpclient::HttpResponse& response) {
  CloudError err;
  pugi::xml_document doc;
  const std::string& body = response.body;
  if (!body.empty() &&
      doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8)) {
    if (pugi::xml_node e = doc.child("Error")) {
      err.code = e.child_value("Code");
      err.message = e.child_value("Message");
    }
  }
  if (err.code.empty()) {
    for (const char* header : {"x-ms-error-code", "x-amz-error-code"}) {
      if (auto code = response.headers.Get(header)) {
        err.code = std::string(*code);
        break;
      }
    }
  }
  return err;
}

Status CloudStatus(std::string_view what, const httpclient::HttpResponse& response,
                   const CloudError& error) {
  StatusCode code = httpclient::StatusCodeForHttp(response.status);
  if (code == StatusCode::kOk) code = StatusCode::kIOError;  // a 2xx the caller rejects
  for (const auto& rule : kRules) {
    if (error.code == rule.code) {
      code = rule.status;
      break;
    }
  }
  std::string msg(what);
  msg += ": HTTP " + std::to_string(response.status);
  if (!error.code.empty()) msg += " " + error.code;
  if (!error.message.empty()) msg += ": " + error.message.substr(0, 300);
  if (response.attempts > 1) msg += " (after " + std::to_string(response.attempts) + " attempts)";
  return Status(code, std::move(msg));
}

Result<std::string> ListDirectory(const std::string& prefix) {
  RETURN_NOT_OK(ValidateKey(prefix, /*directory=*/true));
  std::string dir = prefix;
  if (!dir.empty() && dir.back() != '/') dir.push_back('/');
  return dir;
}

bool AddListed(const std::string& dir, const ListOptions& options, ObjectMeta meta,
               std::vector<ObjectMeta>* out) {
  const std::string& key = meta.key;
  const bool keep = !key.empty() && key.back() != '/' && key.size() > dir.size() &&
                    key.compare(0, dir.size(), dir) == 0 &&
                    (options.start_after.empty() || key > options.start_after) &&
                    (options.recursive || key.find('/', dir.size()) == std::string::npos);
  if (keep) out->push_back(std::move(meta));
  return options.limit <= 0 || static_cast<int64_t>(out->size()) < options.limit;
}

void SortListing(std::vector<ObjectMeta>* out) {
  std::sort(out->begin(), out->end(),
            [](const ObjectMeta& a, const ObjectMeta& b) { return a.key < b.key; });
}

std::string StripQuotes(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

Status ExistsUnlessOurs(const ObjectStore& store, const std::string& key, std::string_view bytes,
                        int attempts) {
  if (attempts > 1) {
    auto existing = store.Get(key);
    if (existing.ok() && *existing == bytes) return Status::OK();
  }
  return Status::AlreadyExists(store.Uri(key) + " already exists");
}

io::RandomAccessFilePtr MakeRangeReadFile(
    std::string name, int64_t size,
    std::function<Status(int64_t offset, int64_t length, uint8_t* out)> read) {
  return std::make_shared<RangeReadFile>(std::move(name), size, std::move(read));
}

}  // namespace ds::objstore
