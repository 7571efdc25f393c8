// Pieces shared by the cloud stores (S3, Azure Blob, GCS): error mapping, listing filters
// and ranged-read files. Internal to objstore; thread-safe, pure unless noted.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "httpclient/http_types.h"
#include "io/file.h"
#include "objstore/object_store.h"

namespace ds::objstore {

// The <Code> and <Message> of an S3/GCS/Azure XML error body (empty when absent).
struct CloudError {
  std::string code;
  std::string message;
};

// The error of a reply: the <Code> and <Message> of an S3/GCS/Azure <Error> XML body, or
// else the x-ms-error-code / x-amz-error-code header (HEAD replies have no body).
CloudError ParseCloudError(const httpclient::HttpResponse& response);

// The Status of a failed cloud call: the HTTP status mapping (http_status.h) refined by the
// service's error code (NoSuchKey/BlobNotFound -> NotFound, AccessDenied,
// SignatureDoesNotMatch, AuthenticationFailed... -> PermissionDenied, SlowDown/ServerBusy
// -> Unavailable, InvalidRange -> OutOfRange, BlobAlreadyExists -> AlreadyExists). `what`
// names the operation ("s3: GET s3://bucket/key"); the message adds status, code and text.
Status CloudStatus(std::string_view what, const httpclient::HttpResponse& response,
                   const CloudError& error);

// The directory form of a listing prefix ("a/b" -> "a/b/"; "" stays). InvalidArgument
// unless it is a valid directory key.
Result<std::string> ListDirectory(const std::string& prefix);

// Appends a listed object unless it is a directory marker (key ending in '/'), outside
// `dir`, not after options.start_after, or (non-recursive) below a sub-directory. Returns
// false once options.limit entries are collected.
bool AddListed(const std::string& dir, const ListOptions& options, ObjectMeta meta,
               std::vector<ObjectMeta>* out);
// Sorts a listing by key (services list in byte order; this makes it a guarantee).
void SortListing(std::vector<ObjectMeta>* out);

// "\"abc\"" -> "abc" (ETags arrive quoted).
std::string StripQuotes(std::string_view etag);

// The outcome of a conditional put the service refused because the key exists: OK when
// the HTTP client had retried (`attempts` > 1: the first attempt may have written and its
// reply been lost) and the object holds exactly `bytes`; AlreadyExists otherwise.
Status ExistsUnlessOurs(const ObjectStore& store, const std::string& key, std::string_view bytes,
                        int attempts);

// A RandomAccessFile whose reads call `read(offset, length, out)` (a ranged GET).
io::RandomAccessFilePtr MakeRangeReadFile(
    std::string name, int64_t size,
    std::function<Status(int64_t offset, int64_t length, uint8_t* out)> read);

}  // namespace ds::objstore
