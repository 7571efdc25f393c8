// Protocol versions and table features (delta.md §4): what a reader must support to read a
// table, and which optional behaviours are active.
#pragma once

#include <string_view>

#include "delta/actions.h"

namespace ds::delta {

enum class ColumnMappingMode { kNone, kId, kName };
std::string_view ColumnMappingModeName(ColumnMappingMode mode);  // "none", "id", "name"

// True if the protocol supports `feature`: listed (reader 3 / writer 7) or implied by a
// legacy version (e.g. columnMapping at reader 2, changeDataFeed at writer 4).
bool ProtocolSupports(const Protocol& protocol, std::string_view feature);

// OK if deltashare can read a table with this protocol. NotSupported naming the reader
// version or the first reader feature we do not implement ("table requires reader feature
// 'geospatial', which deltashare does not support"); catalog-managed tables are refused
// because their commits live in a catalog. Corruption for an inconsistent protocol (reader
// version 3 without a readerFeatures list).
Status CheckReadable(const Protocol& protocol);

// The column mapping mode in effect (the property counts only if the protocol supports the
// feature). InvalidArgument-style Corruption for an unknown mode value.
Result<ColumnMappingMode> EffectiveColumnMappingMode(const Protocol& protocol,
                                                     const Metadata& metadata);

// delta.enableChangeDataFeed=true.
bool ChangeDataFeedEnabled(const Metadata& metadata);

// In-commit timestamps: the property is true and the protocol supports inCommitTimestamp.
bool InCommitTimestampsEnabled(const Protocol& protocol, const Metadata& metadata);

}  // namespace ds::delta
