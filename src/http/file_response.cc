#include "http/file_response.h"

#include <algorithm>

#include "http/range.h"

namespace ds::http {

Response FileResponse(const Request& request, io::RandomAccessFilePtr file,
                      FileResponseOptions options) {
  const int64_t size = file->size();
  std::optional<std::string_view> range_header = request.header("Range");
  if (range_header) {
    std::optional<std::string_view> if_range = request.header("If-Range");
    if (if_range && (options.etag.empty() || *if_range != options.etag)) range_header.reset();
  }
  RangeRequest range = InterpretRange(range_header, size);

  if (range.kind == RangeRequest::Kind::kUnsatisfiable) {
    Response r = Response::Empty(416);
    r.headers.Add("Accept-Ranges", "bytes");
    r.headers.Add("Content-Range", UnsatisfiedRangeValue(size));
    return r;
  }
  ByteRange body{0, size};
  int status = 200;
  if (range.kind == RangeRequest::Kind::kPartial) {
    body = range.range;
    status = 206;
  }
  size_t chunk = std::max<size_t>(options.chunk_bytes, 1);
  Response r = Response::Stream(
      status, options.content_type,
      [file = std::move(file), body, chunk](ResponseStream& out) -> Status {
        std::string buffer;
        int64_t offset = body.offset;
        const int64_t end = body.offset + body.length;
        while (offset < end) {
          int64_t n = std::min<int64_t>(static_cast<int64_t>(chunk), end - offset);
          buffer.resize(static_cast<size_t>(n));
          RETURN_NOT_OK(file->ReadAt(offset, n, reinterpret_cast<uint8_t*>(buffer.data())));
          RETURN_NOT_OK(out.Write(buffer));
          offset += n;
        }
        return Status::OK();
      },
      body.length);
  r.headers.Add("Accept-Ranges", "bytes");
  if (status == 206) r.headers.Add("Content-Range", ContentRangeValue(body, size));
  if (!options.etag.empty()) r.headers.Add("ETag", options.etag);
  return r;
}

}  // namespace ds::http
