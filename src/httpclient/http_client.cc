#include "httpclient/http_client.h"

#include <cstring>

#include "httpclient/http_status.h"
#include "util/string_util.h"

namespace ds::httpclient {
namespace {

// Parses "bytes START-END/TOTAL" (TOTAL may be '*'); false if malformed.
bool ParseContentRange(std::string_view v, int64_t* start, int64_t* end) {
  v = Trim(v);
  if (!StartsWith(v, "bytes ")) return false;
  v.remove_prefix(6);
  const size_t dash = v.find('-');
  const size_t slash = v.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) {
    return false;
  }
  auto s = ParseInt64(v.substr(0, dash));
  auto e = ParseInt64(v.substr(dash + 1, slash - dash - 1));
  if (!s || !e || *s < 0 || *e < *s) return false;
  *start = *s;
  *end = *e;
  return true;
}

}  // namespace

std::vector<Result<HttpResponse>> HttpClient::SendAll(std::span<const HttpRequest> requests,
                                                      const ParallelOptions& options) {
  std::vector<Result<HttpResponse>> results;
  results.reserve(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    if (options.on_body) {
      results.push_back(
          SendStreaming(requests[i], [&](const HttpResponse& head, std::string_view c) {
            return options.on_body(i, head, c);
          }));
    } else {
      results.push_back(Send(requests[i]));
    }
    if (options.on_done) options.on_done(i, results.back());
  }
  return results;
}

Result<HttpResponse> SendChecked(HttpClient* client, const HttpRequest& request) {
  ASSIGN_OR_RETURN(HttpResponse response, client->Send(request));
  RETURN_NOT_OK(HttpResponseStatus(request, response));
  return response;
}

Status GetRangeInto(HttpClient* client, HttpRequest request, int64_t offset, int64_t length,
                    uint8_t* out) {
  if (offset < 0 || length < 0) {
    return Status::InvalidArgument("http range: negative offset or length");
  }
  if (length == 0) return Status::OK();
  request.method = HttpMethod::kGet;
  request.headers.Set(
      "Range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1));
  int64_t written = 0;  // bytes stored in `out`
  int64_t seen = 0;     // body bytes received
  int64_t skip = -1;    // body bytes before the range (-1 until the head is checked)
  auto sink = [&](const HttpResponse& head, std::string_view chunk) -> Status {
    if (skip < 0) {
      if (head.status == 206) {
        int64_t start = 0, end = 0;
        auto cr = head.headers.Get("Content-Range");
        if (cr && (!ParseContentRange(*cr, &start, &end) || start != offset)) {
          return Status::IOError(DescribeRequest(request) + ": Content-Range '" + std::string(*cr) +
                                 "' does not match the requested range");
        }
        skip = 0;
      } else {
        skip = offset;  // 200: the server ignored Range and sends the whole resource
      }
    }
    for (size_t pos = 0; pos < chunk.size();) {
      if (seen < skip) {
        const int64_t n = std::min<int64_t>(skip - seen, chunk.size() - pos);
        seen += n;
        pos += n;
        continue;
      }
      const int64_t n = std::min<int64_t>(length - written, chunk.size() - pos);
      if (n == 0) {
        if (skip == 0) {
          return Status::IOError(DescribeRequest(request) + ": more bytes than the range asked");
        }
        break;  // rest of a whole-resource body
      }
      std::memcpy(out + written, chunk.data() + pos, n);
      written += n;
      seen += n;
      pos += n;
    }
    return Status::OK();
  };
  ASSIGN_OR_RETURN(HttpResponse response, client->SendStreaming(request, sink));
  if (response.status == 416) {
    return Status::OutOfRange(DescribeRequest(request) + ": range " + std::to_string(offset) + "+" +
                              std::to_string(length) + " is outside the resource");
  }
  RETURN_NOT_OK(HttpResponseStatus(request, response));
  if (written != length) {
    return Status::OutOfRange(DescribeRequest(request) + ": range " + std::to_string(offset) + "+" +
                              std::to_string(length) + " is outside the resource (got " +
                              std::to_string(written) + " bytes)");
  }
  return Status::OK();
}

Result<std::string> GetRange(HttpClient* client, HttpRequest request, int64_t offset,
                             int64_t length) {
  if (length < 0) return Status::InvalidArgument("http range: negative length");
  std::string out(static_cast<size_t>(length), '\0');
  RETURN_NOT_OK(GetRangeInto(client, std::move(request), offset, length,
                             reinterpret_cast<uint8_t*>(out.data())));
  return out;
}

}  // namespace ds::httpclient
