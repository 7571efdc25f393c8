// ObjectStore: the one storage interface under the Delta engine, the sharing server and the
// publisher. Implementations: local disk (local_store.h), memory (memory_store.h), a
// fault-injecting wrapper (faulty_store.h), and the cloud stores (S3, Azure Blob, GCS).
//
// Keys are '/'-separated paths relative to the store's root, without a leading '/', with no
// empty, "." or ".." segments (ValidateKey). A "directory" is just a key prefix ending in '/'.
//
// Errors: NotFound for a missing object, AlreadyExists when PutIfAbsent loses, OutOfRange for
// a range outside the object, PermissionDenied for refused credentials, Unavailable for
// transient failures worth retrying, IOError otherwise. Every method is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file.h"
#include "util/result.h"

namespace ds::objstore {

struct ObjectMeta {
  std::string key;       // full key within the store
  int64_t size = 0;      // bytes
  int64_t mtime_ms = 0;  // last modification, ms since the epoch
  std::string etag;      // opaque version tag; may be empty
};

struct ListOptions {
  // Only keys strictly greater than this (lexicographic bytes) are returned; empty = all.
  std::string start_after;
  // Descend into sub-"directories" (vacuum); otherwise only the direct children.
  bool recursive = false;
  // Stop after this many entries (0 = no limit).
  int64_t limit = 0;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // The URI of a key, for messages and signing (e.g. "s3://bucket/key", "file:///abs/key").
  virtual std::string Uri(std::string_view key) const = 0;

  // Metadata of one object. NotFound if absent.
  virtual Result<ObjectMeta> Head(const std::string& key) const = 0;

  // Objects under `prefix` (a directory key ending in '/', or "" for the root), sorted by key.
  // Only objects are listed, never directory markers. A missing directory lists as empty.
  virtual Result<std::vector<ObjectMeta>> List(const std::string& prefix,
                                               const ListOptions& options = {}) const = 0;

  // The whole object. NotFound if absent.
  virtual Result<std::string> Get(const std::string& key) const = 0;
  // `length` bytes at `offset`. OutOfRange if the range is not inside the object.
  virtual Result<std::string> GetRange(const std::string& key, int64_t offset,
                                       int64_t length) const = 0;
  // A random-access view for Parquet reading (ranged reads). `size` < 0 means unknown (a Head
  // is made); pass the size from a listing or the Delta log to save the round trip.
  virtual Result<io::RandomAccessFilePtr> OpenRead(const std::string& key, int64_t size = -1) const;

  // Creates or replaces an object; readers see either the old or the new bytes, never a
  // mix.
  virtual Status Put(const std::string& key, std::string_view bytes) = 0;
  // Creates an object only if no object has that key: the commit primitive of Delta.
  // AlreadyExists if it exists (the existing object is untouched). Atomic.
  virtual Status PutIfAbsent(const std::string& key, std::string_view bytes) = 0;
  // Deletes an object; deleting a missing object is OK.
  virtual Status Delete(const std::string& key) = 0;
};

using ObjectStorePtr = std::shared_ptr<ObjectStore>;

// InvalidArgument unless `key` is a valid object key (see above; a trailing '/' is allowed
// only when `directory` is true).
Status ValidateKey(std::string_view key, bool directory = false);

// Joins a directory key and a relative key ("a/b" + "c" -> "a/b/c"; "" + "c" -> "c").
std::string JoinKey(std::string_view dir, std::string_view rel);

// The last path segment of a key ("a/b/c.json" -> "c.json").
std::string_view BaseName(std::string_view key);

}  // namespace ds::objstore
