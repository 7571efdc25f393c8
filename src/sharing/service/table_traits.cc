#include "sharing/service/table_traits.h"

#include <algorithm>

#include "delta/table_features.h"
#include "util/string_util.h"

namespace ds::sharing::service {

protocol::TableTraits TraitsOf(const delta::Protocol& p, const delta::Metadata& m) {
  protocol::TableTraits t;
  t.min_reader_version = p.min_reader_version;
  if (p.reader_features) {
    for (const auto& f : *p.reader_features) t.reader_features.insert(ToLower(f));
  }
  if (delta::ProtocolSupports(p, "deletionVectors")) {
    const auto dv_prop = m.Property("delta.enableDeletionVectors");
    t.deletion_vectors = !(dv_prop && EqualsIgnoreCase(*dv_prop, "false"));
  }
  auto mode = delta::EffectiveColumnMappingMode(p, m);
  t.column_mapping = !mode.ok() || *mode != delta::ColumnMappingMode::kNone;
  return t;
}

protocol::TableTraits TraitsOf(const delta::Snapshot& snapshot) {
  protocol::TableTraits t = TraitsOf(snapshot.protocol(), snapshot.metadata());
  t.column_mapping =
      t.column_mapping || snapshot.column_mapping_mode() != delta::ColumnMappingMode::kNone;
  if (!t.deletion_vectors && delta::ProtocolSupports(snapshot.protocol(), "deletionVectors")) {
    const delta::FileTable& files = snapshot.files();
    for (size_t i = 0; !t.deletion_vectors && i < files.num_files(); ++i) {
      t.deletion_vectors = files.file(i).deletion_vector().has_value();
    }
  }
  return t;
}

void MergeTraits(const protocol::TableTraits& other, protocol::TableTraits* into) {
  into->min_reader_version = std::max(into->min_reader_version, other.min_reader_version);
  into->reader_features.insert(other.reader_features.begin(), other.reader_features.end());
  into->deletion_vectors = into->deletion_vectors || other.deletion_vectors;
  into->column_mapping = into->column_mapping || other.column_mapping;
}

}  // namespace ds::sharing::service
