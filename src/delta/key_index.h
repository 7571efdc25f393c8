// KeyIndex: the reconciliation index of FileTable (internal). Open addressing over
// copy-on-write chunks of 4096 slots: a slot holds (hash low 32 bits << 32) | (record id + 1),
// 0 is empty. Positions come from the stored hash bits, so growing never touches the records.
// Copying an index copies chunk pointers; writing to a chunk shared with another copy clones
// it first, so a frozen table's index is never changed by a builder that started from it.
//
// Not thread-safe for writes; a frozen (const) index may be read from many threads.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace ds::delta {

// "Not found" / "no record".
constexpr uint32_t kNoRecord = UINT32_MAX;

class KeyIndex {
 public:
  static constexpr int kChunkBits = 12;
  static constexpr size_t kChunkSlots = size_t{1} << kChunkBits;
  using Chunk = std::array<uint64_t, kChunkSlots>;

  KeyIndex() { Reset(kChunkSlots); }

  size_t size() const { return size_; }
  size_t capacity() const { return mask_ + 1; }
  size_t MemoryUsage() const { return chunks_.size() * sizeof(Chunk); }

  // Finds the slot holding a key equal per `eq(id)` with this hash, or the empty slot where
  // it would go. Returns the slot position and the id found (kNoRecord if empty).
  template <typename Eq>
  std::pair<size_t, uint32_t> Find(uint64_t hash, Eq&& eq) const {
    const uint32_t tag = static_cast<uint32_t>(hash);
    size_t pos = tag & mask_;
    while (true) {
      uint64_t slot = Get(pos);
      if (slot == 0) return {pos, kNoRecord};
      if (static_cast<uint32_t>(slot >> 32) == tag) {
        uint32_t id = static_cast<uint32_t>(slot) - 1;
        if (eq(id)) return {pos, id};
      }
      pos = (pos + 1) & mask_;
    }
  }

  // Stores `id` at `pos` (from Find); `fresh` when the slot was empty.
  void Store(size_t pos, uint64_t hash, uint32_t id, bool fresh) {
    Mutable(pos) = (static_cast<uint64_t>(static_cast<uint32_t>(hash)) << 32) | (uint64_t{id} + 1);
    if (fresh) ++size_;
  }

  // Makes room for `extra` more keys at load factor <= 1/2.
  void Reserve(size_t extra) {
    size_t want = (size_ + extra) * 2;
    if (want <= capacity()) return;
    size_t cap = capacity();
    while (cap < want) cap *= 2;
    std::vector<std::shared_ptr<Chunk>> old = std::move(chunks_);
    Reset(cap);
    for (const auto& chunk : old) {
      for (uint64_t slot : *chunk) {
        if (slot == 0) continue;
        size_t pos = static_cast<uint32_t>(slot >> 32) & mask_;
        while (Get(pos) != 0) pos = (pos + 1) & mask_;
        Mutable(pos) = slot;
      }
    }
  }

 private:
  void Reset(size_t slots) {
    mask_ = slots - 1;
    size_t n = std::max<size_t>(1, slots / kChunkSlots);
    chunks_.assign(n, nullptr);
    for (auto& c : chunks_) c = std::make_shared<Chunk>(Chunk{});
    size_ = 0;
  }
  uint64_t Get(size_t pos) const { return (*chunks_[pos >> kChunkBits])[pos & (kChunkSlots - 1)]; }
  uint64_t& Mutable(size_t pos) {
    std::shared_ptr<Chunk>& c = chunks_[pos >> kChunkBits];
    if (c.use_count() > 1) c = std::make_shared<Chunk>(*c);  // shared with a frozen table
    return (*c)[pos & (kChunkSlots - 1)];
  }

  std::vector<std::shared_ptr<Chunk>> chunks_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace ds::delta
