// What a table (or a range of its history) needs from a reader, for the choice of response
// format (protocol.md §4, §15 items 21-23): reader version, reader features, deletion vectors
// and column mapping.
#pragma once

#include "delta/actions.h"
#include "delta/snapshot.h"
#include "sharing/protocol/capabilities.h"

namespace ds::sharing::service {

// From a protocol and metadata: deletion vectors count when the table supports the feature
// and delta.enableDeletionVectors is not "false"; column mapping when its effective mode is id
// or name (an unreadable mode counts as mapped).
protocol::TableTraits TraitsOf(const delta::Protocol& protocol, const delta::Metadata& metadata);
// The same for a snapshot, where a live file carrying a deletion vector also counts (the
// property may have been turned off after DVs were written).
protocol::TableTraits TraitsOf(const delta::Snapshot& snapshot);
// `into` becomes what reading both needs.
void MergeTraits(const protocol::TableTraits& other, protocol::TableTraits* into);

}  // namespace ds::sharing::service
