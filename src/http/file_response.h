// Serving a byte source over HTTP: GET and HEAD with Range support, streamed in bounded
// chunks from an io::RandomAccessFile (a local file, memory, or any wrapper such as a
// decrypting one).
#pragma once

#include <cstddef>
#include <string>

#include "http/request.h"
#include "http/response.h"
#include "io/file.h"

namespace ds::http {

struct FileResponseOptions {
  std::string content_type = "application/octet-stream";
  // A strong validator, quoted as sent in ETag ("\"v1\""). When set it is sent, and a
  // Range with If-Range is honoured only if If-Range equals it (otherwise the whole file is
  // sent). When empty, any If-Range makes the Range ignored.
  std::string etag;
  // Bytes read from the file per step (the memory a transfer holds besides the server's
  // stream buffer).
  size_t chunk_bytes = 256 * 1024;
};

// The response to `request` (GET or HEAD) for `file`:
//   200 with the whole file, or with Range "bytes=a-b" / "bytes=a-" / "bytes=-n", 206 and
//   Content-Range; 416 with "Content-Range: bytes */size" if no requested byte exists. Several
//   ranges in one header are answered with the whole file (see range.h).
// Always sets Accept-Ranges: bytes and an exact Content-Length. The body streams on the
// worker thread; a read error in the middle aborts the connection (the client sees a short
// body, never a complete one).
Response FileResponse(const Request& request, io::RandomAccessFilePtr file,
                      FileResponseOptions options = {});

}  // namespace ds::http
