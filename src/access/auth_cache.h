// The in-process snapshot AccessService authenticates and authorizes from (internal).
//
// Entries are immutable and shared (std::shared_ptr<const …>): a request keeps the snapshot
// it started with. Every entry records the store revision it was read at; a newer revision
// makes it stale, and it is read again on next use.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "access/ip_allow_list.h"
#include "access/model.h"

namespace ds::access::internal {

// ASCII case-insensitive hashing and equality, usable with string_view lookups.
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const;
};
struct NameEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};
template <typename V>
using NameMap = std::unordered_map<std::string, V, NameHash, NameEqual>;

// Exact (case-sensitive) hashing usable with string_view lookups.
struct ExactHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

// A share with name indexes over its schemas and tables.
class ShareEntry {
 public:
  explicit ShareEntry(Share share);
  const std::shared_ptr<const Share>& share() const { return share_; }
  const Schema* FindSchema(std::string_view name) const;
  const Table* FindTable(std::string_view schema, std::string_view table,
                         const Schema** schema_out) const;

 private:
  struct SchemaIndex {
    const Schema* schema;
    NameMap<const Table*> tables;
  };
  std::shared_ptr<const Share> share_;
  NameMap<SchemaIndex> schemas_;
};

struct GrantEntry {
  std::shared_ptr<const ShareEntry> share;
  std::optional<std::string> partition_filter;
};

struct RecipientEntry {
  std::string id;
  std::string name;
  IpAllowList ip_allow;
  int64_t rate_limit_per_minute = 0;
  NameMap<GrantEntry> grants;                        // by share name
  std::vector<std::shared_ptr<const Share>> shares;  // granted, ordered by name key
  int64_t revision = 0;
};

struct TokenEntry {
  std::string id;
  TokenKind kind = TokenKind::kRecipient;
  bool is_static = false;
  std::string pepper;      // the key the hash is made with
  std::string hash_bytes;  // raw 32-byte HMAC
  int64_t expires_at_ms = 0;
  std::optional<int64_t> revoked_at_ms;
  std::shared_ptr<const RecipientEntry> recipient;  // null for admin tokens
  int64_t revision = 0;
};

// A sharded map of shared immutable entries by exact key. Thread-safe.
template <typename Entry>
class EntryCache {
 public:
  std::shared_ptr<const Entry> Find(std::string_view key) const {
    const Shard& s = shard(key);
    std::shared_lock lock(s.mu);
    auto it = s.map.find(key);
    return it == s.map.end() ? nullptr : it->second;
  }
  void Put(std::string_view key, std::shared_ptr<const Entry> entry) {
    Shard& s = shard(key);
    std::unique_lock lock(s.mu);
    if (s.map.size() >= kMaxPerShard) s.map.clear();  // bounded; entries reload on demand
    s.map.insert_or_assign(std::string(key), std::move(entry));
  }
  void Erase(std::string_view key) {
    Shard& s = shard(key);
    std::unique_lock lock(s.mu);
    auto it = s.map.find(key);
    if (it != s.map.end()) s.map.erase(it);
  }

 private:
  static constexpr size_t kShards = 16;
  static constexpr size_t kMaxPerShard = 1 << 14;
  struct Shard {
    mutable std::shared_mutex mu;
    std::unordered_map<std::string, std::shared_ptr<const Entry>, ExactHash, std::equal_to<>> map;
  };
  Shard& shard(std::string_view key) { return shards_[ExactHash()(key) % kShards]; }
  const Shard& shard(std::string_view key) const { return shards_[ExactHash()(key) % kShards]; }
  std::array<Shard, kShards> shards_;
};

}  // namespace ds::access::internal
