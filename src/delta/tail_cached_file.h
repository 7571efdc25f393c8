// A RandomAccessFile wrapper that keeps the file's last 256 KiB after the first read there,
// so that opening a Parquet footer twice (probe the schema, then read a projection) costs one
// read. Thread-safe like the file it wraps.
#pragma once

#include "io/file.h"

namespace ds::delta {

io::RandomAccessFilePtr WithCachedTail(io::RandomAccessFilePtr file);

}  // namespace ds::delta
