// Encryption at rest of local data files: a chunked AES-256-GCM format that the server's file
// endpoint decrypts on the fly, ranged reads included (only the chunks a range touches are
// read and opened).
//
//   header (32 bytes)  "DSEF" | format 1 | 0 0 0 | key version (u32 BE) | chunk size (u32 BE)
//                      | file id (16 random bytes)
//   chunk i            AES-256-GCM as crypto::AesGcmEncrypt writes it (nonce 12 | ciphertext |
//                      tag 16) of plaintext bytes [i*chunk, (i+1)*chunk), with associated data
//                      header | i (u64 BE) | last (1 byte: 1 for the final chunk, else 0)
//
// The key is KeyRing::Key(kDataKey, share id, version): a file sealed for one share opens for
// no other. Binding the header, the index and the final flag into every chunk detects
// altered bytes, reordered chunks, chunks moved between files and truncation. An optional
// `context` (e.g. the object's key in its table) is bound into every chunk too, so that a
// whole file moved to another name fails to open; it must be the same when reading (empty
// context = none, as format 1 was first written). The plaintext size follows from the file
// size (every chunk but the last is full; an empty file has one empty final chunk).
//
// Thread-safety: a writer is single-threaded; a reader's ReadRange may be called from many
// threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "access/key_ring.h"
#include "io/file.h"
#include "util/result.h"

namespace ds::access {

inline constexpr size_t kSealedHeaderBytes = 32;
inline constexpr size_t kSealedChunkOverhead = 28;  // nonce + tag
inline constexpr uint32_t kDefaultSealedChunkBytes = 64 * 1024;

// The size of a sealed file holding `plaintext_bytes` in chunks of `chunk_bytes`.
int64_t SealedSize(int64_t plaintext_bytes, uint32_t chunk_bytes);
// The plaintext size of a sealed file of `sealed_bytes`; Corruption if no sealed file has that
// size (too short, or a truncated final chunk).
Result<int64_t> PlaintextSize(int64_t sealed_bytes, uint32_t chunk_bytes);

class SealedFileWriter {
 public:
  // Seals for `share_id` at the key ring's current version. InvalidArgument for a chunk size
  // outside 1 KiB .. 16 MiB; the key ring's error otherwise. `out` must outlive the writer.
  static Result<std::unique_ptr<SealedFileWriter>> Make(
      const KeyRing& keys, std::string_view share_id, io::OutputStream* out,
      uint32_t chunk_bytes = kDefaultSealedChunkBytes, std::string_view context = {});
  Status Append(std::string_view plaintext);
  // Seals the final chunk and closes the stream. Further calls fail.
  Status Finish();

 private:
  SealedFileWriter() = default;
  Status SealChunk(std::string_view plaintext, bool last);

  std::string key_;
  std::string header_;
  std::string context_;
  io::OutputStream* out_ = nullptr;
  uint32_t chunk_bytes_ = 0;
  uint64_t index_ = 0;
  std::string pending_;
  bool finished_ = false;
};

// Seals a whole file held in memory.
Result<std::string> SealBytes(const KeyRing& keys, std::string_view share_id,
                              std::string_view plaintext,
                              uint32_t chunk_bytes = kDefaultSealedChunkBytes,
                              std::string_view context = {});

class SealedFileReader {
 public:
  // Reads and checks the header. Corruption for a file that is not a sealed file or whose
  // size cannot be one; FailedPrecondition if its key version is retired or unknown.
  static Result<std::unique_ptr<SealedFileReader>> Open(const KeyRing& keys,
                                                        std::string_view share_id,
                                                        io::RandomAccessFilePtr file,
                                                        std::string_view context = {});

  int64_t plaintext_size() const { return plaintext_size_; }
  int64_t key_version() const { return key_version_; }
  uint32_t chunk_bytes() const { return chunk_bytes_; }

  // Plaintext bytes [offset, offset + length). OutOfRange outside the plaintext; Corruption
  // if a chunk fails authentication (altered, moved, truncated, or sealed for another share).
  Result<std::string> ReadRange(int64_t offset, int64_t length) const;

 private:
  SealedFileReader() = default;
  Result<std::string> OpenChunk(uint64_t index) const;

  io::RandomAccessFilePtr file_;
  std::string key_;
  std::string header_;
  std::string context_;
  uint32_t chunk_bytes_ = 0;
  uint64_t chunks_ = 0;
  int64_t plaintext_size_ = 0;
  int64_t key_version_ = 0;
};

}  // namespace ds::access
