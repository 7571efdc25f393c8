#include "access/sealed_file.h"

#include <algorithm>

#include "crypto/crypto.h"

namespace ds::access {
namespace {

constexpr std::string_view kMagic = "DSEF";
constexpr uint8_t kFormat = 1;
constexpr uint32_t kMinChunk = 1024;
constexpr uint32_t kMaxChunk = 16u << 20;

void PutU32(uint32_t v, std::string* out) {
  for (int i = 3; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint32_t GetU32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

std::string ChunkAad(const std::string& header, uint64_t index, bool last,
                     const std::string& context) {
  std::string aad;
  aad.reserve(header.size() + 9 + context.size());
  aad.append(header);
  for (int i = 7; i >= 0; --i) aad.push_back(static_cast<char>((index >> (8 * i)) & 0xFF));
  aad.push_back(last ? 1 : 0);
  aad.append(context);
  return aad;
}

}  // namespace

int64_t SealedSize(int64_t plaintext_bytes, uint32_t chunk_bytes) {
  const int64_t chunks =
      plaintext_bytes <= 0 ? 1 : (plaintext_bytes + chunk_bytes - 1) / int64_t{chunk_bytes};
  return static_cast<int64_t>(kSealedHeaderBytes) + plaintext_bytes +
         chunks * static_cast<int64_t>(kSealedChunkOverhead);
}

Result<int64_t> PlaintextSize(int64_t sealed_bytes, uint32_t chunk_bytes) {
  if (sealed_bytes < static_cast<int64_t>(kSealedHeaderBytes + kSealedChunkOverhead)) {
    return Status::Corruption("too short");
  }
  const uint64_t sealed_chunk = uint64_t{chunk_bytes} + kSealedChunkOverhead;
  const uint64_t payload = static_cast<uint64_t>(sealed_bytes) - kSealedHeaderBytes;
  const uint64_t chunks = std::max<uint64_t>(1, (payload + sealed_chunk - 1) / sealed_chunk);
  const uint64_t last = payload - (chunks - 1) * sealed_chunk;
  if (last < kSealedChunkOverhead) return Status::Corruption("truncated");
  return static_cast<int64_t>((chunks - 1) * chunk_bytes + (last - kSealedChunkOverhead));
}

Result<std::unique_ptr<SealedFileWriter>> SealedFileWriter::Make(const KeyRing& keys,
                                                                 std::string_view share_id,
                                                                 io::OutputStream* out,
                                                                 uint32_t chunk_bytes,
                                                                 std::string_view context) {
  if (chunk_bytes < kMinChunk || chunk_bytes > kMaxChunk) {
    return Status::InvalidArgument("sealed file: chunk size must be between 1 KiB and 16 MiB");
  }
  std::unique_ptr<SealedFileWriter> w(new SealedFileWriter());
  int64_t version = 0;
  ASSIGN_OR_RETURN(w->key_, keys.CurrentKey(KeyPurpose::kDataKey, share_id, &version));
  ASSIGN_OR_RETURN(std::string file_id, crypto::RandomBytes(16));
  w->header_.append(kMagic);
  w->header_.push_back(static_cast<char>(kFormat));
  w->header_.append(3, '\0');
  PutU32(static_cast<uint32_t>(version), &w->header_);
  PutU32(chunk_bytes, &w->header_);
  w->header_.append(file_id);
  w->context_ = std::string(context);
  w->out_ = out;
  w->chunk_bytes_ = chunk_bytes;
  RETURN_NOT_OK(out->Write(std::string_view(w->header_)));
  return w;
}

Status SealedFileWriter::SealChunk(std::string_view plaintext, bool last) {
  ASSIGN_OR_RETURN(
      std::string sealed,
      crypto::AesGcmEncrypt(key_, plaintext, ChunkAad(header_, index_, last, context_)));
  ++index_;
  return out_->Write(std::string_view(sealed));
}

Status SealedFileWriter::Append(std::string_view plaintext) {
  if (finished_) return Status::FailedPrecondition("sealed file: already finished");
  pending_.append(plaintext);
  // Keep at least one byte pending: only Finish knows which chunk is the last.
  size_t sealed = 0;
  while (pending_.size() - sealed > chunk_bytes_) {
    RETURN_NOT_OK(SealChunk(std::string_view(pending_).substr(sealed, chunk_bytes_), false));
    sealed += chunk_bytes_;
  }
  pending_.erase(0, sealed);
  return Status::OK();
}

Status SealedFileWriter::Finish() {
  if (finished_) return Status::FailedPrecondition("sealed file: already finished");
  finished_ = true;
  RETURN_NOT_OK(SealChunk(pending_, true));
  pending_.clear();
  return out_->Close();
}

Result<std::string> SealBytes(const KeyRing& keys, std::string_view share_id,
                              std::string_view plaintext, uint32_t chunk_bytes,
                              std::string_view context) {
  io::MemoryOutputStream out;
  ASSIGN_OR_RETURN(auto writer, SealedFileWriter::Make(keys, share_id, &out, chunk_bytes, context));
  RETURN_NOT_OK(writer->Append(plaintext));
  RETURN_NOT_OK(writer->Finish());
  Buffer buffer = out.Take();
  return std::string(reinterpret_cast<const char*>(buffer.data()), buffer.size());
}

Result<std::unique_ptr<SealedFileReader>> SealedFileReader::Open(const KeyRing& keys,
                                                                 std::string_view share_id,
                                                                 io::RandomAccessFilePtr file,
                                                                 std::string_view context) {
  const std::string& name = file->name();
  auto corrupt = [&](const std::string& why) {
    return Status::Corruption("sealed file '" + name + "': " + why);
  };
  const int64_t size = file->size();
  if (size < static_cast<int64_t>(kSealedHeaderBytes + kSealedChunkOverhead)) {
    return corrupt("too short");
  }
  std::unique_ptr<SealedFileReader> r(new SealedFileReader());
  r->header_.resize(kSealedHeaderBytes);
  RETURN_NOT_OK(file->ReadAt(0, kSealedHeaderBytes, reinterpret_cast<uint8_t*>(r->header_.data())));
  const std::string& h = r->header_;
  if (std::string_view(h).substr(0, 4) != kMagic) return corrupt("not a sealed file");
  if (static_cast<uint8_t>(h[4]) != kFormat || h[5] || h[6] || h[7]) {
    return corrupt("unsupported format");
  }
  r->key_version_ = GetU32(h, 8);
  r->chunk_bytes_ = GetU32(h, 12);
  if (r->chunk_bytes_ < kMinChunk || r->chunk_bytes_ > kMaxChunk) return corrupt("bad chunk size");
  auto plaintext = PlaintextSize(size, r->chunk_bytes_);
  if (!plaintext.ok()) return corrupt(plaintext.status().message());
  r->plaintext_size_ = *plaintext;
  r->chunks_ =
      r->plaintext_size_ == 0
          ? 1
          : (static_cast<uint64_t>(r->plaintext_size_) + r->chunk_bytes_ - 1) / r->chunk_bytes_;
  ASSIGN_OR_RETURN(r->key_, keys.Key(KeyPurpose::kDataKey, share_id, r->key_version_));
  r->context_ = std::string(context);
  r->file_ = std::move(file);
  return r;
}

Result<std::string> SealedFileReader::OpenChunk(uint64_t index) const {
  const uint64_t sealed_chunk = chunk_bytes_ + kSealedChunkOverhead;
  const int64_t offset = static_cast<int64_t>(kSealedHeaderBytes + index * sealed_chunk);
  const int64_t length =
      std::min<int64_t>(static_cast<int64_t>(sealed_chunk), file_->size() - offset);
  std::string sealed(static_cast<size_t>(length), '\0');
  RETURN_NOT_OK(file_->ReadAt(offset, length, reinterpret_cast<uint8_t*>(sealed.data())));
  auto plain =
      crypto::AesGcmDecrypt(key_, sealed, ChunkAad(header_, index, index + 1 == chunks_, context_));
  if (!plain.ok()) {
    return Status::Corruption("sealed file '" + file_->name() + "': chunk " +
                              std::to_string(index) + " failed authentication");
  }
  return plain;
}

Result<std::string> SealedFileReader::ReadRange(int64_t offset, int64_t length) const {
  if (offset < 0 || length < 0 || offset > plaintext_size_ || length > plaintext_size_ - offset) {
    return Status::OutOfRange("sealed file '" + file_->name() + "': range " +
                              std::to_string(offset) + "+" + std::to_string(length) +
                              " is outside its " + std::to_string(plaintext_size_) + " bytes");
  }
  std::string out;
  out.reserve(static_cast<size_t>(length));
  int64_t pos = offset;
  const int64_t end = offset + length;
  while (pos < end) {
    const uint64_t index = static_cast<uint64_t>(pos) / chunk_bytes_;
    ASSIGN_OR_RETURN(std::string chunk, OpenChunk(index));
    const int64_t chunk_start = static_cast<int64_t>(index * chunk_bytes_);
    const int64_t from = pos - chunk_start;
    const int64_t take = std::min<int64_t>(end - pos, static_cast<int64_t>(chunk.size()) - from);
    if (take <= 0) return Status::Corruption("sealed file '" + file_->name() + "': short chunk");
    out.append(chunk, static_cast<size_t>(from), static_cast<size_t>(take));
    pos += take;
  }
  return out;
}

}  // namespace ds::access
