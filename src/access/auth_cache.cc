#include "access/auth_cache.h"

namespace ds::access::internal {
namespace {
inline unsigned char Fold(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
}  // namespace

size_t NameHash::operator()(std::string_view s) const {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : s) {
    h ^= Fold(c);
    h *= 1099511628211ULL;
  }
  return static_cast<size_t>(h);
}

bool NameEqual::operator()(std::string_view a, std::string_view b) const {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Fold(static_cast<unsigned char>(a[i])) != Fold(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

ShareEntry::ShareEntry(Share share) : share_(std::make_shared<const Share>(std::move(share))) {
  for (const Schema& schema : share_->schemas) {
    SchemaIndex& index = schemas_[schema.name];
    index.schema = &schema;
    for (const Table& table : schema.tables) index.tables.emplace(table.name, &table);
  }
}

const Schema* ShareEntry::FindSchema(std::string_view name) const {
  auto it = schemas_.find(name);
  return it == schemas_.end() ? nullptr : it->second.schema;
}

const Table* ShareEntry::FindTable(std::string_view schema, std::string_view table,
                                   const Schema** schema_out) const {
  auto s = schemas_.find(schema);
  if (s == schemas_.end()) return nullptr;
  if (schema_out) *schema_out = s->second.schema;
  auto t = s->second.tables.find(table);
  return t == s->second.tables.end() ? nullptr : t->second;
}

}  // namespace ds::access::internal
