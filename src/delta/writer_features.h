// What deltashare can write (delta.md §4, §12.3, §13.2): the protocol of new tables, the
// check that an existing table may be written, and protocol upgrades for new features.
#pragma once

#include <string_view>

#include "delta/actions.h"

namespace ds::delta {

// OK if deltashare may commit to a table with this protocol and metadata. NotSupported naming
// the first obstacle: a writer version above 7 or a reader version above 3, a reader feature
// we cannot read, a writer feature we do not implement (rowTracking, clustering,
// icebergCompat*, collations, allowColumnDefaults, catalogManaged, unknown names), or a
// feature we implement only when unused that the table uses (invariants, CHECK constraints,
// generated and identity columns).
Status CheckWritable(const Protocol& protocol, const Metadata& metadata);

// The protocol of a new table with `metadata`: (1, 2), or (1, 4) with the change data feed
// on, or (1, 7)/(3, 7) with features when in-commit timestamps, type widening or
// timestamp_ntz columns need them. NotSupported for column mapping (deltashare does not create
// mapped tables).
Result<Protocol> ProtocolForNewTable(const Metadata& metadata);

// `protocol` with `feature` supported: a legacy protocol becomes (reader, 7) (or (3, 7) for a
// reader-writer feature) listing every feature its versions implied. Unchanged if already
// supported.
Protocol WithFeature(const Protocol& protocol, std::string_view feature, bool reader_feature);

// True if delta.appendOnly is true (removes with dataChange are then refused).
bool AppendOnly(const Metadata& metadata);

}  // namespace ds::delta
